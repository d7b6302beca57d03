"""Conduct detectors (履约, domain.md §8): abandoned wins, refused or late contracts, returned deliverables.

From the violation catalogue: V01 "abandoning a 中选 result; not signing on
time" and "3 abandonments in 1 year are a violation in themselves" (湖口县 [29]);
V04 "deliverable returned (≥ 2 returns: 一类, most serious)" ([29][34]). The
facts come from projections/agency_conduct.py; a voided engagement is the owner's
or operator's act and is never held against the agency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.supervision import Finding, Severity
from market.oversight.detectors import finding, subjects
from projections.stage_delays import overrun_wd

ENGAGEMENT = "engagement"  # one awarded procurement: its contract and its deliverable
AGENCY_CONDUCT = "agency_conduct"  # one agency's abandonments in the rolling window
SCOPES = (ENGAGEMENT, AGENCY_CONDUCT)


@dataclass(frozen=True)
class EngagementInputs:
    row: dict[str, Any]  # its agency_conduct row
    now: datetime
    calendar: Any


@dataclass(frozen=True)
class AbandonInputs:
    agency_id: str
    since: datetime
    rows: list[dict[str, Any]]  # its abandoned wins since ``since``


def engagement_summary(inputs: EngagementInputs) -> dict[str, Any]:
    r = inputs.row
    return {"status": r["status"], "rejections": r["rejections"]}


def abandon_summary(inputs: AbandonInputs) -> dict[str, Any]:
    return {"abandonments": len(inputs.rows), "since": inputs.since.isoformat()}


def window_start(now: datetime, params: Mapping[str, Any]) -> datetime:
    return now - timedelta(days=params["abandonment_window_days"])


def _subjects(row: dict[str, Any]) -> dict[str, str]:
    return subjects(procurement_id=row["procurement_id"], agency_id=row["agency_id"], owner_id=row["owner_id"],
                    service_item=row["service_item"], region=row["region"])  # fmt: skip


def _evidence(row: dict[str, Any], *steps: str) -> list[dict[str, Any]]:
    found = []
    for step in steps:
        item = row["evidence"].get(step)
        found += item if isinstance(item, list) else [item] if item else []
    return found


class ContractConduct:
    """The winner refused the contract (walked away before it, V01), or it was confirmed after its due date."""

    code, version, scope, headline, parameters = "CONDUCT_CONTRACT", "1", ENGAGEMENT, (), ()

    def evaluate(self, inputs: EngagementInputs, params: Mapping[str, Any]) -> list[Finding]:
        row, pid = inputs.row, inputs.row["procurement_id"]
        due = row["contract_due_at"]
        if row["abandoned_at"] is not None:
            awarded = row["awarded_at"]  # None: walked away during the publicity, before the award
            figures = {"refused": True, "awarded_at": awarded.isoformat() if awarded else None,
                       "abandoned_at": row["abandoned_at"].isoformat()}  # fmt: skip
            return [finding(pid, pid, Severity.HIGH, _subjects(row), figures, _evidence(row, "awarded", "abandoned"))]
        if due is None or (row["status"] in ("voided", "ended") and row["contract_at"] is None):
            return []
        signed = row["contract_at"]
        if signed is None and row["status"] == "open" and inputs.now >= due:
            late = overrun_wd(inputs.calendar, due, inputs.now)
        elif signed is not None and signed >= due:
            late = overrun_wd(inputs.calendar, due, signed)
        else:
            return []
        figures = {"refused": False, "late_wd": late, "signed": signed is not None, "contract_due_at": due.isoformat()}
        return [finding(pid, pid, Severity.MEDIUM, _subjects(row), figures, _evidence(row, "awarded", "contract"))]


class ReturnedDeliverables:
    """The owner returned the deliverable for quality (V04); twice or more is the most serious class."""

    code, version, scope, headline, parameters = "CONDUCT_RETURNED", "1", ENGAGEMENT, (), ("returned_serious",)

    def evaluate(self, inputs: EngagementInputs, params: Mapping[str, Any]) -> list[Finding]:
        row = inputs.row
        if not row["rejections"] or row["agency_id"] is None:
            return []
        severity = Severity.HIGH if row["rejections"] >= params["returned_serious"] else Severity.MEDIUM
        pid = row["procurement_id"]
        return [finding(pid, pid, severity, _subjects(row), {"returns": row["rejections"]},
                        _evidence(row, "rejections"))]  # fmt: skip


class AbandonedWins:
    """≥ 3 wins abandoned within 365 days: a violation in itself (湖口县 [29])."""

    code, version, scope, headline = "CONDUCT_ABANDONED", "1", AGENCY_CONDUCT, ("abandonments",)
    parameters = ("abandonments", "abandonment_window_days")

    def evaluate(self, inputs: AbandonInputs, params: Mapping[str, Any]) -> list[Finding]:
        if len(inputs.rows) < params["abandonments"]:
            return []
        figures = {"abandonments": len(inputs.rows), "since": inputs.since.isoformat(),
                   "procurements": [r["procurement_id"] for r in inputs.rows]}  # fmt: skip
        evidence = [e for r in inputs.rows for e in _evidence(r, "abandoned")]
        return [finding(inputs.agency_id, inputs.agency_id, Severity.HIGH, subjects(agency_id=inputs.agency_id),
                        figures, evidence)]  # fmt: skip


DETECTORS = (ContractConduct(), ReturnedDeliverables(), AbandonedWins())

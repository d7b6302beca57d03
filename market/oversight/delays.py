"""Delay detectors (耗时长, domain.md §9.3): each overrun, slow steps, repeated extensions, chronic delayers.

Durations come from projections/stage_delays.py in working days. A step still
running is judged against ``now`` (the nightly full scan sees an overrun grow
without any event); a finished one by its recorded duration. Thresholds: late
signing > 5 w.d. after publicity; delivery overrun > 0 warns and > 10 is a
violation (湖口县 [29], V05); deliverable review > 10 [7]; evaluation > 3 [30];
extensions ÷ original duration > 0.5 or repeated extensions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.supervision import Finding, Severity
from market.oversight.detectors import AGENCY, PROCUREMENT, finding, subjects
from projections.stage_delays import SPANS, elapsed_wd, overrun_at, statistics


@dataclass(frozen=True)
class ProcurementInputs:
    row: dict[str, Any]  # its stage_delays row
    now: datetime
    calendar: Any


@dataclass(frozen=True)
class AgencyInputs:
    agency_id: str
    rows: list[dict[str, Any]]  # the agency's procurements (stage_delays rows)
    since: datetime  # the window's start: contracts confirmed since then count
    now: datetime
    calendar: Any


def _evidence(row: dict[str, Any], *steps: str, overdue: str | None = None) -> list[dict[str, Any]]:
    """The events recorded for these steps, and the 红黄牌 warnings on the ``overdue`` deadline."""
    found = []
    for step in steps:
        item = row["evidence"].get(step)
        found += item if isinstance(item, list) else [item] if item else []
    found += [w for w in row["evidence"].get("overdue", []) if w["kind"] == overdue]
    return found


def _subjects(row: dict[str, Any], with_agency: bool = True) -> dict[str, str]:
    return subjects(procurement_id=row["procurement_id"], agency_id=row["agency_id"] if with_agency else None,
                    owner_id=row["owner_id"], department_id=row["department_id"], service_item=row["service_item"],
                    region=row["region"])  # fmt: skip


def _took(inputs: ProcurementInputs, stage: str) -> tuple[int | None, bool]:
    """(working days the stage took or has taken so far, whether it is finished)."""
    row = inputs.row
    start, end = SPANS[stage]
    if row[start] is None:
        return None, False
    if row[end] is not None:
        return row[f"{stage}_wd"], True
    if row["status"] != "open":
        return None, False
    return elapsed_wd(inputs.calendar, row[start], inputs.now), False


class _SlowStage:
    """A step that took longer than its limit: finished, or still running at ``now``."""

    stage: str
    limit: str
    severity: Severity
    steps: tuple[str, ...]
    deadline: str  # the deadline whose 红黄牌 warnings are evidence too
    with_agency = True
    scope, headline = PROCUREMENT, ()

    def evaluate(self, inputs: ProcurementInputs, params: Mapping[str, Any]) -> list[Finding]:
        took, finished = _took(inputs, self.stage)
        if took is None or took <= params[self.limit]:
            return []
        row = inputs.row
        figures = {f"{self.stage}_wd": took, "limit_wd": params[self.limit], "finished": finished}
        return [finding(row["procurement_id"], row["procurement_id"], self.severity, _subjects(row, self.with_agency),
                        figures, _evidence(row, *self.steps, overdue=self.deadline))]  # fmt: skip


class LateSigning(_SlowStage):
    """Contract confirmed > 5 w.d. after the award at the end of publicity (§9.3; V01 not signing on time)."""

    code, version, parameters = "DELAY_SIGNING", "1", ("late_signing_wd",)
    stage, limit, severity, steps = "award_contract", "late_signing_wd", Severity.MEDIUM, ("awarded", "contract")
    deadline = "contract_due"


class SlowAcceptance(_SlowStage):
    """The owner takes > 10 w.d. to sign off a deliverable (§9.3, [7]): the owner's delay."""

    code, version, parameters = "DELAY_ACCEPTANCE", "1", ("acceptance_wd",)
    stage, limit, severity, steps = "delivery_acceptance", "acceptance_wd", Severity.LOW, ("delivered", "accepted")
    deadline = "acceptance_due"
    with_agency = False


class LateEvaluation(_SlowStage):
    """Evaluation later than 3 w.d. after acceptance (一事一评, AA市 [30])."""

    code, version, parameters = "DELAY_EVALUATION", "1", ("evaluation_wd",)
    stage, limit, severity, steps = "acceptance_evaluation", "evaluation_wd", Severity.LOW, ("accepted", "evaluated")
    deadline = "evaluation_due"
    with_agency = False


class Overrun:
    """Delivery after the (extended) due date: > 0 w.d. warns, > 10 w.d. is a violation ([29], V05)."""

    code, version, scope, headline = "DELAY_OVERRUN", "1", PROCUREMENT, ()
    parameters = ("overrun_warn_wd", "overrun_violation_wd")

    def evaluate(self, inputs: ProcurementInputs, params: Mapping[str, Any]) -> list[Finding]:
        row = inputs.row
        overrun = overrun_at(row, inputs.now, inputs.calendar)
        if overrun is None or overrun <= params["overrun_warn_wd"]:
            return []
        severity = Severity.HIGH if overrun > params["overrun_violation_wd"] else Severity.LOW
        figures = {"overrun_wd": overrun, "delivered": row["delivered_at"] is not None,
                   "time_limit_wd": row["time_limit_wd"], "extension_wd": row["extension_wd"],
                   "service_due_at": row["service_due_at"].isoformat(),
                   "contract_delivery_wd": row["contract_delivery_wd"]}  # fmt: skip
        steps = ("contract", "extensions", "delivered", "rejections")
        return [finding(row["procurement_id"], row["procurement_id"], severity, _subjects(row), figures,
                        _evidence(row, *steps, overdue="service_due"))]  # fmt: skip


class RepeatedExtensions:
    """Repeated extensions (≥ 2), or extensions beyond half the original time limit (§9.3)."""

    code, version, scope, headline = "DELAY_EXTENSIONS", "1", PROCUREMENT, ()
    parameters = ("repeated_extensions", "extension_ratio")

    def evaluate(self, inputs: ProcurementInputs, params: Mapping[str, Any]) -> list[Finding]:
        row = inputs.row
        if row["extensions"] < params["repeated_extensions"] and row["extension_ratio"] <= params["extension_ratio"]:
            return []
        figures = {"extensions": row["extensions"], "extension_wd": row["extension_wd"],
                   "extension_ratio": row["extension_ratio"], "time_limit_wd": row["time_limit_wd"]}  # fmt: skip
        return [finding(row["procurement_id"], row["procurement_id"], Severity.MEDIUM, _subjects(row), figures,
                        _evidence(row, "contract", "extensions"))]  # fmt: skip


def procurement_summary(inputs: ProcurementInputs) -> dict[str, Any]:
    row = inputs.row
    return {**{f"{s}_wd": row[f"{s}_wd"] for s in SPANS}, "overrun_wd": overrun_at(row, inputs.now, inputs.calendar),
            "extensions": row["extensions"], "extension_ratio": row["extension_ratio"]}  # fmt: skip


def agency_summary(inputs: AgencyInputs, warn_wd: int = 0) -> dict[str, Any]:
    """Median, P90 of each stage and the overrun rate of the agency's contracts in the window."""
    stats = statistics(inputs.rows, now=inputs.now, calendar=inputs.calendar, since=inputs.since, warn_wd=warn_wd)
    return {"since": inputs.since.isoformat(), **{k: v for k, v in stats.items() if k != "late_procurements"}}


class AgencyOverrunRate:
    """An agency late on a high share of its contracts (≥ 5 in the window): a chronic delayer."""

    code, version, scope, headline = "DELAY_AGENCY_RATE", "1", AGENCY, ("overrun_rate",)
    parameters = ("agency_overrun_rate", "agency_min_contracts", "overrun_warn_wd", "market_window_months")

    def evaluate(self, inputs: AgencyInputs, params: Mapping[str, Any]) -> list[Finding]:
        stats = statistics(inputs.rows, now=inputs.now, calendar=inputs.calendar, since=inputs.since,
                           warn_wd=params["overrun_warn_wd"])  # fmt: skip
        rate = stats["overrun_rate"]
        if stats["contracts"] < params["agency_min_contracts"] or rate is None or rate <= params["agency_overrun_rate"]:
            return []
        late = set(stats["late_procurements"])
        evidence = [e for r in inputs.rows if r["procurement_id"] in late
                    for e in _evidence(r, "contract", "delivered", overdue="service_due")][:200]  # fmt: skip
        figures = agency_summary(inputs, params["overrun_warn_wd"])
        return [finding(inputs.agency_id, inputs.agency_id, Severity.HIGH, subjects(agency_id=inputs.agency_id),
                        figures, evidence)]  # fmt: skip


DETECTORS = (LateSigning(), Overrun(), SlowAcceptance(), LateEvaluation(), RepeatedExtensions(), AgencyOverrunRate())

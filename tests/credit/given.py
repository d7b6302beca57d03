"""Given-steps for credit tests: a catalogue, a credit file and the records a case or an evaluation makes.

Builders return aggregates whose given events are already collected, so a test's
``collect_events()`` sees only what its own "when" recorded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from domain.base import Actor, Role
from domain.credit import CreditFile, CreditPolicy
from domain.supervision import Finding, Severity
from tests.builders import REGULATOR, SYSTEM, T0

DAY = timedelta(days=1)
AGENCY_ID = "5b1c7f0e-2d1a-4c55-9a0e-000000000001"
DEPARTMENT = Actor("dept-1", Role.DEPARTMENT, "dept-hb")
OWNER = Actor("owner-admin", Role.OWNER_ADMIN, "owner-1")


def policy() -> CreditPolicy:
    catalogue = CreditPolicy.establish("430000", by=SYSTEM, now=T0)
    catalogue.collect_events()
    return catalogue


def credit_file() -> CreditFile:
    file = CreditFile.open(AGENCY_ID, by=SYSTEM, now=T0)
    file.collect_events()
    return file


def case_source(version: int = 5) -> tuple[str, dict[str, Any]]:
    """A confirmed case's id and its ``ViolationRecorded`` event, as ``confirm_case`` names them."""
    case_id = str(uuid4())
    return case_id, {"aggregate_id": case_id, "version": version, "event": "Case.ViolationRecorded"}


def confirmed(file: CreditFile, code: str, *, at, catalogue: CreditPolicy | None = None, service_item: str | None = None,
              points: int | None = None) -> tuple[str, dict[str, Any], list[Any]]:  # fmt: skip
    """The violation a regulator confirmed, recorded on the file; returns (case id, source, new events)."""
    catalogue = catalogue or policy()
    entry = catalogue.entry(code)
    case_id, source = case_source()
    file.record_violation(
        entry, points=entry["points"] if points is None else points, catalogue_version=catalogue.catalogue_version,
        scoring=catalogue.scoring_in_force(), case_id=case_id, source=source, service_item=service_item,
        by=REGULATOR, now=at,
    )  # fmt: skip
    return case_id, source, file.collect_events()


def evaluated(file: CreditFile, rater: str, overall: float, *, at, procurement_id: str | None = None) -> dict[str, Any]:
    """An evaluation on the file; returns its source."""
    pid = procurement_id or str(uuid4())
    source = {"aggregate_id": pid, "version": 15, "event": "Procurement.Evaluated"}
    by = OWNER if rater == "owner" else DEPARTMENT
    file.record_evaluation(rater, pid, {"quality": int(overall)}, overall, source=source, by=by, now=at)
    file.collect_events()
    return source


# --- through the market -----------------------------------------------------------------


def confirmed_case(market, agency_id, code: str, *, item: str = "HP-01", points: int | None = None) -> str:
    """A flag about the agency, a case opened from it, confirmed as ``code``."""
    finding = Finding(key=f"test|{agency_id}|{uuid4()}", scope=f"agency:{agency_id}",
                      subjects={"agency_id": str(agency_id), "service_item": item}, severity=Severity.HIGH,
                      figures={"overrun_wd": 12})  # fmt: skip
    flag_id = market.record_finding("DELAY_OVERRUN", "1", {"overrun_violation_wd": 10}, finding)["flag_id"]
    case_id = market.open_case(flag_id, by=REGULATOR)["case_id"]
    market.confirm_case(case_id, ["超期属实"], code, points=points, by=REGULATOR)
    return case_id

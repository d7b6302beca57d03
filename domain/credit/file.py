"""The credit file (信用档案): one per agency, every record its credit standing is made of.

Records are violations confirmed by a regulator's case, evaluations by the owner
and by the approving department, and sanctions (警告、分事项暂停、清退). Each record
names its source event (aggregate id and version) and stamps the catalogue
parameters it was scored with. Credit repair (信用修复, domain.md §2 and §8) is a
record's own event: a violation is repairable once its window has run out, an
expulsion once its period has; a repaired record stops counting and a sanction
based on it ends with it.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, Role, derived_id, require_aware, require_text
from domain.credit.catalogue import SANCTIONS
from domain.credit.errors import (AlreadyEvaluated, AlreadyRepaired, InvalidRating, InvalidSanction, NotRepairable,
                                  RepairTooEarly, UnknownCreditRecord)  # fmt: skip
from domain.credit.standing import Standing, assess, counts, on_record
from domain.errors import InvalidInput, NotAllowed

SANCTIONERS = (Role.REGULATOR, Role.DEPARTMENT)  # 管理机构; 行业主管部门 sanctions in its own sector (§3)
RATERS = {"owner": "业主", "department": "审批部门"}
DEPARTMENT_DIMENSIONS = ("quality", "timeliness")  # 厦门 [25]: the approving department rates quality and timeliness


def department_rating(scores: dict[str, Any]) -> tuple[dict[str, int], float]:
    """The approving department's scores, checked, and their overall (the mean, to 0.1)."""
    if not isinstance(scores, dict) or set(scores) != set(DEPARTMENT_DIMENSIONS) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100 for v in scores.values()
    ):
        raise InvalidRating(field="scores")
    checked = {k: scores[k] for k in DEPARTMENT_DIMENSIONS}
    return checked, round(sum(checked.values()) / len(checked), 1)


def add_months(at: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = at.month - 1 + months
    year, month = at.year + month // 12, month % 12 + 1
    return at.replace(year=year, month=month, day=min(at.day, calendar.monthrange(year, month)[1]))


class FileStatus(Enum):
    OPEN = "open"


class CreditFile(MarketAggregate):
    Status = FileStatus
    TRANSITIONS = {"record": (FileStatus.OPEN,)}

    @staticmethod
    def create_id(agency_id: UUID | str) -> UUID:
        return derived_id("credit-file", agency_id)

    @classmethod
    def open(cls, agency_id: UUID | str, *, by: Actor, now: datetime) -> CreditFile:
        return cls(agency_id=str(agency_id), actor=by.as_event(), at=require_aware(now))

    class Opened(MarketAggregate.Created):
        agency_id: str
        actor: dict[str, Any]
        at: datetime

    @event(Opened)
    def __init__(self, agency_id: str, actor: dict[str, Any], at: datetime) -> None:
        self.agency_id = agency_id
        self.records: list[dict[str, Any]] = []
        self.status_code = FileStatus.OPEN.value

    # --- violations (from a confirmed case) --------------------------------------------

    def record_violation(
        self, entry: dict[str, Any], *, points: int, catalogue_version: int, scoring: dict[str, Any],
        case_id: str, source: dict[str, Any], service_item: str | None = None, by: Actor, now: datetime,
    ) -> list[str]:  # fmt: skip
        """The violation a regulator confirmed, then the sanctions the catalogue attaches to it.

        Returns the ids of the records made (the violation first).
        """
        self._guard("record")
        now = require_aware(now)
        if isinstance(points, bool) or not isinstance(points, int) or points > 0:
            raise InvalidInput(field="points", detail=repr(points))
        record_id = self._next_id("violation")
        record = {
            "record_id": record_id, "kind": "violation", "at": now, "code": entry["code"], "zh": entry["zh"],
            "points": points, "part": entry["part"], "window_days": entry["window_days"],
            "expires_days": entry["expires_days"], "catalogue_version": catalogue_version, "case_id": str(case_id),
            "service_item": service_item, "source": dict(source), "repaired_at": None, "repair_reason": None,
        }  # fmt: skip
        self._violation_recorded(record=record, actor=by.as_event(), at=now)
        made = [record_id]
        if entry["sanction"] is not None and not self._in_force(entry["sanction"], "catalogue", now):
            made.append(self._impose(
                entry["sanction"], months=entry["sanction_months"], service_items=[], rule="catalogue",
                reason=f"{entry['code']} {entry['zh']}", basis=[record_id], by=by, now=now,
            ))  # fmt: skip
        # Huizhou [19]: 2 bad records (within the window) → suspension of 3 months.
        live = [r["record_id"] for r in self.records if r["kind"] == "violation" and counts(r, scoring, now)]
        if len(live) >= scoring["escalation_records"] and not self._in_force("suspension", "escalation", now):
            made.append(self._impose(
                "suspension", months=scoring["escalation_months"], service_items=[service_item] if service_item else [],
                rule="escalation", reason=f"{len(live)} 条不良记录(惠州 [19])", basis=live, by=by, now=now,
            ))  # fmt: skip
        return made

    @event("ViolationRecorded")
    def _violation_recorded(self, record: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.records.append(dict(record))

    # --- evaluations (一事一评) -----------------------------------------------------------

    def record_evaluation(
        self, rater: str, procurement_id: str, scores: dict[str, int], overall: float, *,
        source: dict[str, Any], by: Actor, now: datetime,
    ) -> str:  # fmt: skip
        """An owner's 服务评价 or an approving department's rating of one service, once each."""
        self._guard("record")
        if rater not in RATERS:
            raise InvalidInput(field="rater", detail=rater)
        if not (by.role.is_owner if rater == "owner" else by.role is Role.DEPARTMENT):
            raise NotAllowed(field="role", detail=by.role.value)
        if any(r["kind"] == "evaluation" and r["rater"] == rater and r["procurement_id"] == str(procurement_id)
               for r in self.records):  # fmt: skip
            raise AlreadyEvaluated(field="procurement_id", detail=str(procurement_id))
        record_id = self._next_id("evaluation")
        record = {
            "record_id": record_id, "kind": "evaluation", "at": require_aware(now), "rater": rater,
            "procurement_id": str(procurement_id), "scores": dict(scores), "overall": float(overall),
            "source": dict(source),
        }  # fmt: skip
        self._evaluation_recorded(record=record, actor=by.as_event(), at=now)
        return record_id

    @event("EvaluationRecorded")
    def _evaluation_recorded(self, record: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.records.append(dict(record))

    # --- sanctions (奖、限、停、退 [19]) -----------------------------------------------------

    def impose(
        self, sanction: str, *, months: int | None = None, service_items: list[str] | None = None, reason: str,
        by: Actor, now: datetime,
    ) -> str:  # fmt: skip
        """A regulator's sanction: a warning, a suspension from service items for N months, or expulsion."""
        self._guard("record")
        if by.role not in SANCTIONERS:
            raise NotAllowed(field="role", detail=by.role.value)
        if sanction not in SANCTIONS:
            raise InvalidSanction(field="sanction", detail=sanction)
        items = [require_text(i, "service_items") for i in service_items or []]
        if sanction == "warning":
            if months is not None or items:
                raise InvalidSanction(field="months", detail="a warning has no period and no service items")
        else:
            if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
                raise InvalidSanction(field="months", detail=repr(months))
            if sanction == "expulsion" and items:
                raise InvalidSanction(field="service_items", detail="an expulsion covers every item")
        if len(set(items)) != len(items):
            raise InvalidSanction(field="service_items", detail="repeated item")
        return self._impose(sanction, months=months, service_items=items, rule="regulator",
                            reason=require_text(reason, "reason"), basis=[], by=by, now=require_aware(now))  # fmt: skip

    def _impose(
        self, sanction: str, *, months: int | None, service_items: list[str], rule: str, reason: str,
        basis: list[str], by: Actor, now: datetime,
    ) -> str:  # fmt: skip
        record_id = self._next_id("sanction")
        # A suspension ends by itself; an expulsion holds until repaired, which its period allows;
        # a warning stays on record, repairable at once.
        ends_at = add_months(now, months) if sanction == "suspension" and months else None
        repairable_from = add_months(now, months) if months else now
        record = {
            "record_id": record_id, "kind": "sanction", "at": now, "sanction": sanction, "months": months,
            "ends_at": ends_at, "repairable_from": repairable_from, "service_items": list(service_items),
            "rule": rule, "reason": reason, "basis": list(basis), "repaired_at": None, "repair_reason": None,
        }  # fmt: skip
        self._sanction_imposed(record=record, actor=by.as_event(), at=now)
        return record_id

    @event("SanctionImposed")
    def _sanction_imposed(self, record: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.records.append(dict(record))

    # --- credit repair (信用修复) -----------------------------------------------------------

    def repair(self, record_id: str, reason: str, *, scoring: dict[str, Any], by: Actor, now: datetime) -> list[str]:
        """The regulator repairs a record after its period; sanctions based on it end with it."""
        self._guard("record")
        if by.role is not Role.REGULATOR:
            raise NotAllowed(field="role", detail=by.role.value)
        now, reason = require_aware(now), require_text(reason, "reason")
        record = self.record(record_id)
        if record["kind"] == "evaluation":
            raise NotRepairable(field="record_id", detail=record_id)
        if not on_record(record, scoring, now):
            raise AlreadyRepaired(field="record_id", detail=record_id)
        if record["kind"] == "violation":
            repairable_from = record["at"] + timedelta(days=record["window_days"])
        elif record["sanction"] == "suspension":
            repairable_from = record["ends_at"]  # a suspension runs its course: it is never repaired early
        else:
            repairable_from = record["repairable_from"]
        if now < repairable_from:
            raise RepairTooEarly(field="record_id", detail=repairable_from.isoformat())
        repaired = [record_id]
        self._repaired(record_id=record_id, reason=reason, actor=by.as_event(), at=now)
        for other in self.records:
            if other["kind"] == "sanction" and record_id in other["basis"] and counts(other, scoring, now):
                self._repaired(record_id=other["record_id"], reason=reason, actor=by.as_event(), at=now)
                repaired.append(other["record_id"])
        return repaired

    @event("Repaired")
    def _repaired(self, record_id: str, reason: str, actor: dict[str, Any], at: datetime) -> None:
        for record in self.records:
            if record["record_id"] == record_id:
                record["repaired_at"], record["repair_reason"] = at, reason

    # --- queries --------------------------------------------------------------------------

    def record(self, record_id: str) -> dict[str, Any]:
        found = next((r for r in self.records if r["record_id"] == record_id), None)
        if found is None:
            raise UnknownCreditRecord(field="record_id", detail=record_id)
        return found

    def standing(self, scoring: dict[str, Any], at: datetime) -> Standing:
        return assess(self.records, scoring, at)

    def _in_force(self, sanction: str, rule: str, now: datetime) -> bool:
        return any(r["kind"] == "sanction" and r["sanction"] == sanction and r["rule"] == rule
                   and r["at"] <= now and (r["ends_at"] is None or now < r["ends_at"]) and r["repaired_at"] is None
                   for r in self.records)  # fmt: skip

    def _next_id(self, kind: str) -> str:
        return f"{kind}-{len(self.records) + 1}"


def standing_without_file(scoring: dict[str, Any], at: datetime) -> Standing:
    """An agency with no credit file yet: nothing against it, nothing for it."""
    return assess([], scoring, at)


__all__ = ["CreditFile", "DEPARTMENT_DIMENSIONS", "RATERS", "department_rating", "SANCTIONS", "add_months", "standing_without_file"]

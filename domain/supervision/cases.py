"""Regulator cases (监管案件): a flag investigated, then confirmed or dismissed with reasons.

Issue 5: a flag can open a case; the regulator assigns it, investigates with
notes, then confirms or dismisses it. A confirmed case records a violation
against the agency (code and points from the catalogue of domain.md §8; the
credit engine reads them later). A dismissal is kept as a label on the flag, so
that detectors can be tuned against the regulator's judgement.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, Role, derived_id, require_aware, require_text
from domain.errors import NotAllowed, ReasonRequired
from domain.supervision.errors import AgencyRequired, FlagDecided, UnknownViolation
from domain.supervision.flags import Flag, FlagStatus

# domain.md §8 violation catalogue; points are default (configurable). V04 is −5 from the
# second return (一类, most serious); V08 is a 红牌 ban until 信用修复, not points.
VIOLATIONS: dict[str, dict[str, Any]] = {
    "V01": {"zh": "放弃中选结果或未按时签订合同", "points": -5, "source": "[29]"},
    "V02": {"zh": "擅自提高收费或变相收费", "points": -5, "source": "[29]"},
    "V03": {"zh": "未按合同约定提供服务", "points": -3, "source": "[29]"},
    "V04": {"zh": "服务成果被审批部门退回", "points": -3, "source": "[29][34]"},
    "V05": {"zh": "服务超期10个工作日以上", "points": -3, "source": "[29]"},
    "V06": {"zh": "资质证书过期或变更未备案", "points": -1, "source": "[29]"},
    "V07": {"zh": "合同缺少资质、时限或收费条款", "points": -2, "source": "[34]"},
    "V08": {"zh": "列入信用中国黑名单", "points": 0, "sanction": "red_card", "source": "[19]"},
}


class CaseStatus(Enum):
    OPEN = "open"  # 已立案
    INVESTIGATING = "investigating"  # 调查中
    CONFIRMED = "confirmed"  # 认定违规
    DISMISSED = "dismissed"  # 不予认定


C = CaseStatus
_UNDECIDED = (C.OPEN, C.INVESTIGATING)


def _require_regulator(by: Actor) -> None:
    if by.role is not Role.REGULATOR:
        raise NotAllowed(field="role", detail=by.role.value)


def _reasons(reasons: list[str]) -> list[str]:
    cleaned = [str(r).strip() for r in reasons or [] if str(r).strip()]
    if not cleaned:
        raise ReasonRequired(field="reasons")
    return cleaned


class Case(MarketAggregate):
    Status = CaseStatus
    TRANSITIONS = {"assign": _UNDECIDED, "note": _UNDECIDED, "decide": _UNDECIDED}

    @staticmethod
    def create_id(flag_id: UUID | str) -> UUID:
        """One case per flag: a flag decided is frozen, so it never needs a second."""
        return derived_id("case", flag_id)

    @classmethod
    def open(cls, flag: Flag, *, by: Actor, now: datetime) -> Case:
        _require_regulator(by)
        if flag.status is FlagStatus.CLOSED:
            raise FlagDecided(field="flag_id", detail=str(flag.id))
        return cls(flag_id=str(flag.id), code=flag.code, subjects=dict(flag.subjects), actor=by.as_event(),
                   at=require_aware(now))  # fmt: skip

    class Opened(MarketAggregate.Created):
        flag_id: str
        code: str
        subjects: dict[str, str]
        actor: dict[str, Any]
        at: datetime

    @event(Opened)
    def __init__(self, flag_id: str, code: str, subjects: dict[str, str], actor: dict[str, Any], at: datetime) -> None:
        self.flag_id = flag_id
        self.code = code
        self.subjects = subjects
        self.assignee: str | None = None
        self.notes: list[dict[str, Any]] = []
        self.decision: dict[str, Any] | None = None
        self.violation: dict[str, Any] | None = None
        self.status_code = C.OPEN.value

    def assign(self, to: str, *, by: Actor, now: datetime) -> None:
        self._guard("assign")
        _require_regulator(by)
        self._assigned(to=require_text(to, "to"), actor=by.as_event(), at=require_aware(now))

    @event("Assigned")
    def _assigned(self, to: str, actor: dict[str, Any], at: datetime) -> None:
        self.assignee = to
        self.status_code = C.INVESTIGATING.value

    def add_note(self, text: str, *, by: Actor, now: datetime) -> None:
        self._guard("note")
        _require_regulator(by)
        self._note_added(text=require_text(text, "text"), actor=by.as_event(), at=require_aware(now))

    @event("NoteAdded")
    def _note_added(self, text: str, actor: dict[str, Any], at: datetime) -> None:
        self.notes.append({"text": text, "by": actor["id"], "at": at})

    def confirm(
        self, reasons: list[str], violation_code: str, *, agency_id: str | None = None, points: int | None = None,
        by: Actor, now: datetime,
    ) -> None:  # fmt: skip
        """认定违规: the case closes and records the violation against the agency."""
        self._guard("decide")
        _require_regulator(by)
        entry = VIOLATIONS.get(violation_code)
        if entry is None:
            raise UnknownViolation(field="violation_code", detail=violation_code)
        agency = agency_id or self.subjects.get("agency_id")
        if not agency:
            raise AgencyRequired(field="agency_id")
        cleaned, at = _reasons(reasons), require_aware(now)
        self._confirmed(reasons=cleaned, violation_code=violation_code, actor=by.as_event(), at=at)
        self._violation_recorded(
            agency_id=str(agency), code=violation_code, points=entry["points"] if points is None else int(points),
            sanction=entry.get("sanction"), flag_id=self.flag_id, actor=by.as_event(), at=at,
        )  # fmt: skip

    @event("Confirmed")
    def _confirmed(self, reasons: list[str], violation_code: str, actor: dict[str, Any], at: datetime) -> None:
        self.decision = {"outcome": "confirmed", "reasons": reasons, "violation_code": violation_code, "at": at}
        self.status_code = C.CONFIRMED.value

    @event("ViolationRecorded")
    def _violation_recorded(
        self, agency_id: str, code: str, points: int, sanction: str | None, flag_id: str, actor: dict[str, Any],
        at: datetime,
    ) -> None:  # fmt: skip
        self.violation = {"agency_id": agency_id, "code": code, "points": points, "sanction": sanction}

    def dismiss(self, reasons: list[str], *, by: Actor, now: datetime) -> None:
        """不予认定: kept, with reasons, as a label for tuning (issue 5)."""
        self._guard("decide")
        _require_regulator(by)
        self._dismissed(reasons=_reasons(reasons), actor=by.as_event(), at=require_aware(now))

    @event("Dismissed")
    def _dismissed(self, reasons: list[str], actor: dict[str, Any], at: datetime) -> None:
        self.decision = {"outcome": "dismissed", "reasons": reasons, "at": at}
        self.status_code = C.DISMISSED.value

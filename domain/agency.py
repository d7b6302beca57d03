"""The agency (中介机构): registration, review, changes, sanctions and exit.

Entry follows the brief §4.2: SUBMITTED → ADMITTED/RETURNED after the
operator's formal check (≤ 2 w.d., 湘政办发〔2020〕46号 运行细则); changes of
registered data take effect only after the operator's check again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.agency_profile import validate_change, validate_profile
from domain.base import Actor, MarketAggregate, check_credit_code, derived_id, require_aware
from domain.errors import InvalidInput, ReasonRequired, RuleViolation
from domain.personal_data import upcast_persons
from domain.qualifications import meets


class ChangePending(RuleViolation):
    code = "change_pending"
    zh = "已有变更待审核"
    en = "A change of registered data is already awaiting review"


class NoChangePending(RuleViolation):
    code = "no_change_pending"
    zh = "没有待审核的变更"
    en = "No change of registered data awaits review"


class UnfinishedContracts(RuleViolation):
    code = "unfinished_contracts"
    zh = "尚有未完成的中选项目或合同,不能退出"
    en = "The agency still has unfinished awards or contracts"


class AgencyStatus(Enum):
    PENDING_REVIEW = "pending_review"  # 待审核
    RETURNED = "returned"  # 已退回
    ADMITTED = "admitted"  # 已入驻
    EXPELLED = "expelled"  # 已清退 (黑名单)
    EXITED = "exited"  # 已退出


S = AgencyStatus


class Agency(MarketAggregate):
    Status = AgencyStatus
    TRANSITIONS = {
        "admit": (S.PENDING_REVIEW,),
        "return_registration": (S.PENDING_REVIEW,),
        "resubmit": (S.RETURNED,),
        "submit_change": (S.ADMITTED,),
        "review_change": (S.ADMITTED,),
        "suspend": (S.ADMITTED,),
        "lift_suspension": (S.ADMITTED,),
        "expel": (S.PENDING_REVIEW, S.RETURNED, S.ADMITTED),
        "exit": (S.PENDING_REVIEW, S.RETURNED, S.ADMITTED),
        "engage": (S.ADMITTED,),
    }

    @staticmethod
    def create_id(uscc: str) -> UUID:
        return derived_id("agency", uscc)

    @classmethod
    def register(cls, uscc: str, profile: dict[str, Any], *, by: Actor, now: datetime) -> Agency:
        uscc = check_credit_code(uscc)
        return cls(uscc=uscc, profile=validate_profile(profile), actor=by.as_event(), at=require_aware(now))

    # Version 2: persons' names, phones and e-mails are sealed (domain/personal_data.py); version 1
    # events held them in clear and are upcast on reading, so they still load and replay.
    class Registered(MarketAggregate.Created):
        class_version = 2
        uscc: str
        profile: dict[str, Any]
        actor: dict[str, Any]
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            upcast_persons(state["profile"])

    @event(Registered)
    def __init__(self, uscc: str, profile: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.uscc = uscc
        self.profile = profile
        self.status_code = S.PENDING_REVIEW.value
        self.registered_at = at
        self.pending_change: dict[str, Any] | None = None
        self.suspensions: list[dict[str, Any]] = []
        self.engagements: list[str] = []  # procurement ids awarded and not finished
        self.abandonments: list[dict[str, Any]] = []

    # --- operator review -------------------------------------------------------

    def admit(self, *, by: Actor, now: datetime) -> None:
        self._guard("admit")
        self._admitted(actor=by.as_event(), at=require_aware(now))

    @event("Admitted")
    def _admitted(self, actor: dict[str, Any], at: datetime) -> None:
        self.status_code = S.ADMITTED.value

    def return_registration(self, reasons: list[str], *, by: Actor, now: datetime) -> None:
        self._guard("return_registration")
        self._returned(reasons=_reasons(reasons), actor=by.as_event(), at=require_aware(now))

    @event("Returned")
    def _returned(self, reasons: list[str], actor: dict[str, Any], at: datetime) -> None:
        self.status_code = S.RETURNED.value

    def resubmit(self, profile: dict[str, Any], *, by: Actor, now: datetime) -> None:
        self._guard("resubmit")
        self._resubmitted(profile=validate_profile(profile), actor=by.as_event(), at=require_aware(now))

    class Resubmitted(MarketAggregate.Event):
        class_version = 2
        profile: dict[str, Any]
        actor: dict[str, Any]
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            upcast_persons(state["profile"])

    @event(Resubmitted)
    def _resubmitted(self, profile: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.profile = profile
        self.status_code = S.PENDING_REVIEW.value

    # --- changes of registered data ---------------------------------------------

    def submit_change(self, changes: dict[str, Any], *, by: Actor, now: datetime) -> None:
        self._guard("submit_change")
        if self.pending_change is not None:
            raise ChangePending(field="changes")
        normalised = validate_change(self.profile, changes)
        self._change_submitted(changes=normalised, actor=by.as_event(), at=require_aware(now))

    class ChangeSubmitted(MarketAggregate.Event):
        class_version = 2
        changes: dict[str, Any]
        actor: dict[str, Any]
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            upcast_persons(state["changes"])

    @event(ChangeSubmitted)
    def _change_submitted(self, changes: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.pending_change = changes

    def approve_change(self, *, by: Actor, now: datetime) -> None:
        self._guard("review_change")
        if self.pending_change is None:
            raise NoChangePending()
        self._change_approved(actor=by.as_event(), at=require_aware(now))

    @event("ChangeApproved")
    def _change_approved(self, actor: dict[str, Any], at: datetime) -> None:
        self.profile = {**self.profile, **(self.pending_change or {})}
        self.pending_change = None

    def return_change(self, reasons: list[str], *, by: Actor, now: datetime) -> None:
        self._guard("review_change")
        if self.pending_change is None:
            raise NoChangePending()
        self._change_returned(reasons=_reasons(reasons), actor=by.as_event(), at=require_aware(now))

    @event("ChangeReturned")
    def _change_returned(self, reasons: list[str], actor: dict[str, Any], at: datetime) -> None:
        self.pending_change = None

    # --- sanctions --------------------------------------------------------------

    def suspend(
        self, *, until: datetime, reason: str, service_items: list[str] | None = None,
        by: Actor, now: datetime,
    ) -> None:  # fmt: skip
        """暂停: the whole agency (no items given) or only the given service items."""
        self._guard("suspend")
        require_aware(until, "until")
        if until <= require_aware(now):
            raise InvalidInput(field="until", detail="must be in the future")
        self._suspended(
            until=until, reason=_reason(reason), service_items=list(service_items or []),
            actor=by.as_event(), at=now,
        )  # fmt: skip

    @event("Suspended")
    def _suspended(
        self, until: datetime, reason: str, service_items: list[str], actor: dict[str, Any], at: datetime
    ) -> None:
        self.suspensions.append({"until": until, "service_items": service_items, "reason": reason})

    def lift_suspension(self, reason: str, *, by: Actor, now: datetime) -> None:
        self._guard("lift_suspension")
        if not self.active_suspensions(now):
            raise RuleViolation(field="suspensions", detail="no active suspension")
        self._suspension_lifted(reason=_reason(reason), actor=by.as_event(), at=require_aware(now))

    @event("SuspensionLifted")
    def _suspension_lifted(self, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.suspensions = [s for s in self.suspensions if s["until"] <= at]

    def expel(self, reason: str, *, by: Actor, now: datetime) -> None:
        """清退: the agency is blacklisted and can no longer sign up."""
        self._guard("expel")
        self._expelled(reason=_reason(reason), actor=by.as_event(), at=require_aware(now))

    @event("Expelled")
    def _expelled(self, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.status_code = S.EXPELLED.value

    # --- engagements and exit ---------------------------------------------------

    def engage(self, procurement_id: UUID, *, by: Actor, now: datetime) -> None:
        """The agency won a procurement: it now has an unfinished award."""
        self._guard("engage")
        if str(procurement_id) not in self.engagements:
            self._engaged(procurement_id=str(procurement_id), actor=by.as_event(), at=require_aware(now))

    @event("Engaged")
    def _engaged(self, procurement_id: str, actor: dict[str, Any], at: datetime) -> None:
        self.engagements.append(procurement_id)

    def release(self, procurement_id: UUID, outcome: str, *, by: Actor, now: datetime) -> None:
        if str(procurement_id) in self.engagements:
            self._released(
                procurement_id=str(procurement_id), outcome=outcome, actor=by.as_event(),
                at=require_aware(now),
            )  # fmt: skip

    @event("Released")
    def _released(self, procurement_id: str, outcome: str, actor: dict[str, Any], at: datetime) -> None:
        self.engagements.remove(procurement_id)

    def record_abandonment(self, procurement_id: UUID, reason: str, *, by: Actor, now: datetime) -> None:
        """放弃中选 / 中止服务: a record against the agency ([29] V01)."""
        self._abandoned(
            procurement_id=str(procurement_id), reason=_reason(reason), actor=by.as_event(),
            at=require_aware(now),
        )  # fmt: skip

    @event("Abandoned")
    def _abandoned(self, procurement_id: str, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.abandonments.append({"procurement_id": procurement_id, "at": at, "reason": reason})
        if procurement_id in self.engagements:
            self.engagements.remove(procurement_id)

    def exit(self, reason: str, *, by: Actor, now: datetime) -> None:
        """自愿退出: refused while an award or contract is unfinished."""
        self._guard("exit")
        if self.engagements:
            raise UnfinishedContracts(detail=", ".join(self.engagements))
        self._exited(reason=_reason(reason), actor=by.as_event(), at=require_aware(now))

    @event("Exited")
    def _exited(self, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.status_code = S.EXITED.value

    # --- queries ----------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.profile["name"]

    def active_suspensions(self, now: datetime) -> list[dict[str, Any]]:
        return [s for s in self.suspensions if s["until"] > now]

    def offers(self, item_code: str) -> dict[str, Any] | None:
        return next((s for s in self.profile["services"] if s["item_code"] == item_code), None)

    def eligibility(self, item_code: str, requirement: dict[str, Any], now: datetime) -> Eligibility:
        """Per-request eligibility (brief §6), judged at ``now``."""
        reasons = []
        if self.status is not S.ADMITTED:
            reasons.append("not_admitted" if self.status is not S.EXPELLED else "expelled")
        for s in self.active_suspensions(now):
            if not s["service_items"] or item_code in s["service_items"]:
                reasons.append("suspended")
                break
        if self.offers(item_code) is None:
            reasons.append("item_not_offered")
        if not meets(self.profile["qualifications"], requirement, now):
            reasons.append("qualification_missing")
        return Eligibility(agency_id=str(self.id), uscc=self.uscc, name=self.name, reasons=reasons)


@dataclass(frozen=True)
class Eligibility:
    """An agency's standing for one request at one moment: empty reasons = eligible."""

    agency_id: str
    uscc: str
    name: str
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _reason(reason: str | None) -> str:
    if not reason or not str(reason).strip():
        raise ReasonRequired(field="reason")
    return str(reason).strip()


def _reasons(reasons: list[str] | None) -> list[str]:
    cleaned = [str(r).strip() for r in reasons or [] if str(r).strip()]
    if not cleaned:
        raise ReasonRequired(field="reasons")
    return cleaned

"""The procurement aggregate: tendering (see ``tendering.py``), then the
contract, the service, acceptance and evaluation, and the side branches.

The service clock runs from the contract's confirmation to the deliverable's
sign-off (厦门 [25]); overruns of more than 10 w.d. are a violation (湖口县
负面行为清单 [29]) and are detected by supervision, not refused here.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, Role, require_aware, require_text
from domain.errors import InvalidInput
from domain.procurement import errors as E
from domain.procurement.notice import money, validate_notice
from domain.procurement.status import ProcurementStatus
from domain.procurement.deadlines import DEFAULT_TIMETABLE, Calendar, due, recomputed
from domain.procurement.publicity import Publicity
from domain.procurement.tendering import _reasons, _require_role

P = ProcurementStatus
EVALUATION_DIMENSIONS = ("quality", "timeliness", "attitude", "fee", "conduct")  # 质量、时效、态度、收费、规范
VOID_REASONS = ("noDemand", "unFixable", "forceMajeure", "expensesCut", "noOffer")  # ProZorro [38]
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Procurement(Publicity):
    # The created event is declared here, on the concrete class: the library
    # builds each aggregate class's constructor from its own ``__init__``.
    @event("Drafted")
    def __init__(
        self, procurement_id: str, owner_id: str, created_by: str, notice: dict[str, Any], round_no: int,
        previous_id: str | None, actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self._start(procurement_id, owner_id, created_by, notice, round_no, previous_id, actor, at)

    # --- contract (合同) ---------------------------------------------------------

    def file_contract(self, contract: dict[str, Any], *, by: Actor, now: datetime) -> None:
        """Either party uploads the signed contract; the other confirms it."""
        self._guard("file_contract")
        self._require_party(by)
        document = str(contract.get("document_sha256") or "")
        if not _SHA256.match(document):
            raise InvalidInput(field="contract.document_sha256", detail="SHA-256 of the signed file expected")
        filed = {
            "contract_no": require_text(contract.get("contract_no"), "contract.contract_no"),
            "amount": str(money(contract.get("amount"), "contract.amount")),
            "document_sha256": document,
            "filed_by_role": by.role.value,
        }
        self._contract_filed(contract=filed, actor=by.as_event(), at=require_aware(now))

    @event("ContractFiled")
    def _contract_filed(self, contract: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.contract = {**contract, "filed_at": at}
        self.status_code = P.CONTRACT_FILED.value

    def confirm_contract(self, *, calendar: Calendar, by: Actor, now: datetime) -> None:
        """The other party confirms; the service clock starts, its time limit in working days."""
        self._guard("confirm_contract")
        self._require_party(by)
        assert self.contract is not None
        if (by.role is Role.AGENCY) == (self.contract["filed_by_role"] == Role.AGENCY.value):
            raise E.WrongRole(field="role", detail="the contract is confirmed by the other party")
        service_due = due(calendar, require_aware(now), self.notice["service_time_limit_days"])
        self._contract_confirmed(service_due=service_due, actor=by.as_event(), at=now)

    @event("ContractConfirmed")
    def _contract_confirmed(self, service_due: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        assert self.contract is not None
        self.contract["confirmed_at"] = at
        self.deadlines = {"service_due": service_due}
        self.service_due = service_due["at"]
        self.status_code = P.IN_SERVICE.value

    # --- service (服务) ----------------------------------------------------------

    def request_extension(self, days: int, reason: str, *, by: Actor, now: datetime) -> None:
        self._guard("request_extension")
        self._require_winner(by)
        if self.pending_extension is not None:
            raise E.ExtensionPending()
        if not isinstance(days, int) or days <= 0:
            raise InvalidInput(field="days", detail=days)
        self._extension_requested(
            days=days, reason=require_text(reason, "reason"), actor=by.as_event(), at=require_aware(now)
        )

    @event("ExtensionRequested")
    def _extension_requested(self, days: int, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.pending_extension = {"days": days, "reason": reason, "requested_at": at}

    def grant_extension(self, *, calendar: Calendar, by: Actor, now: datetime) -> None:
        """延期 recorded by the owner ([12]): the due date moves by the requested working days."""
        self._guard("decide_extension")
        self._require_owner(by)
        if self.pending_extension is None:
            raise E.NoExtensionPending()
        days = self.pending_extension["days"]
        basis = self.deadlines["service_due"]
        new_due = due(calendar, basis["start"], basis["working_days"] + days)
        self._extension_granted(days=days, new_due=new_due, actor=by.as_event(), at=require_aware(now))

    @event("ExtensionGranted")
    def _extension_granted(self, days: int, new_due: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.extensions.append({"days": days, "previous_due": self.service_due, "new_due": new_due["at"], "at": at})
        self.deadlines["service_due"] = new_due
        self.service_due = new_due["at"]
        self.pending_extension = None

    def refuse_extension(self, reason: str, *, by: Actor, now: datetime) -> None:
        self._guard("decide_extension")
        self._require_owner(by)
        if self.pending_extension is None:
            raise E.NoExtensionPending()
        self._extension_refused(reason=require_text(reason, "reason"), actor=by.as_event(), at=require_aware(now))

    @event("ExtensionRefused")
    def _extension_refused(self, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.pending_extension = None

    def submit_deliverable(self, document: dict[str, Any], *, calendar: Calendar, by: Actor, now: datetime) -> None:
        self._guard("submit_deliverable")
        self._require_winner(by)
        sha = str(document.get("sha256") or "")
        if not _SHA256.match(sha):
            raise InvalidInput(field="document.sha256", detail="SHA-256 of the deliverable expected")
        doc = {"title": require_text(document.get("title"), "document.title"), "sha256": sha}
        acceptance_due = due(calendar, require_aware(now), self.timetable.get("acceptance", DEFAULT_TIMETABLE["acceptance"]))
        self._deliverable_submitted(document=doc, acceptance_due=acceptance_due, actor=by.as_event(), at=now)

    @event("DeliverableSubmitted")
    def _deliverable_submitted(
        self, document: dict[str, Any], acceptance_due: dict[str, Any], actor: dict[str, Any], at: datetime
    ) -> None:
        self.deliverable = {**document, "submitted_at": at}
        # The service clock stops while the owner reviews; a rejection restarts it.
        self.paused_service_due = self.deadlines.get("service_due")
        self.deadlines = {"acceptance_due": acceptance_due}  # 签收提醒 (reminder, not a refusal)
        self.status_code = P.UNDER_ACCEPTANCE.value

    def accept_deliverable(self, *, calendar: Calendar, by: Actor, now: datetime) -> None:
        self._guard("review_deliverable")
        self._require_owner(by)
        evaluation_due = due(calendar, require_aware(now), self.timetable.get("evaluation", DEFAULT_TIMETABLE["evaluation"]))
        self._deliverable_accepted(evaluation_due=evaluation_due, actor=by.as_event(), at=now)

    @event("DeliverableAccepted")
    def _deliverable_accepted(self, evaluation_due: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.deadlines = {"evaluation_due": evaluation_due}  # 一事一评 within 3 w.d. [30]
        self.status_code = P.EVALUATING.value

    def reject_deliverable(self, reasons: list[str], *, by: Actor, now: datetime) -> None:
        """Returned for quality: the agency reworks it (counts toward V04 in supervision)."""
        self._guard("review_deliverable")
        self._require_owner(by)
        self._deliverable_rejected(reasons=_reasons(reasons), actor=by.as_event(), at=require_aware(now))

    @event("DeliverableRejected")
    def _deliverable_rejected(self, reasons: list[str], actor: dict[str, Any], at: datetime) -> None:
        paused = getattr(self, "paused_service_due", None)
        self.deadlines = {"service_due": paused} if paused else {}
        self.status_code = P.IN_SERVICE.value

    def evaluate(self, scores: dict[str, int], comment: str, *, by: Actor, now: datetime) -> None:
        """服务评价 on the five dimensions, 100 points each (一事一评 [30])."""
        self._guard("evaluate")
        self._require_owner(by)
        if set(scores) != set(EVALUATION_DIMENSIONS) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100 for v in scores.values()
        ):
            raise E.InvalidScore(field="scores")
        overall = round(sum(scores.values()) / len(scores), 1)
        self._evaluated(
            scores={k: scores[k] for k in EVALUATION_DIMENSIONS}, overall=overall,
            comment=str(comment or "").strip(), actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @event("Evaluated")
    def _evaluated(
        self, scores: dict[str, int], overall: float, comment: str, actor: dict[str, Any], at: datetime
    ) -> None:
        self.evaluation = {"scores": scores, "overall": overall, "comment": comment, "at": at}
        self.deadlines = {}
        self.status_code = P.CLOSED.value

    # --- deadlines ----------------------------------------------------------------

    def recompute_deadlines(self, *, calendar: Calendar, by: Actor, now: datetime) -> list[str]:
        """A provisional deadline (its year unpublished) is recomputed once the year is published."""
        changed = []
        for kind, deadline in sorted(self.deadlines.items()):
            if deadline["provisional"] and (fresh := recomputed(calendar, deadline)) is not None:
                self._deadline_recomputed(kind=kind, deadline=fresh, actor=by.as_event(), at=require_aware(now))
                changed.append(kind)
        return changed

    @event("DeadlineRecomputed")
    def _deadline_recomputed(self, kind: str, deadline: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.deadlines[kind] = deadline
        if kind == "service_due":
            self.service_due = deadline["at"]

    def timers(self) -> dict[str, dict[str, Any]]:
        """What falls due next for this request, by kind: what the deadline engine watches."""
        timers: dict[str, dict[str, Any]] = {}
        clock_driven = {
            P.PUBLISHED: ("signup_opens", "signup_opens_at"),
            P.SIGNUP_OPEN: ("signup_closes", "signup_closes_at"),
            P.SIGNUP_CLOSED: ("selection", "selection_at"),
        }
        if self.status in clock_driven:
            kind, field = clock_driven[self.status]
            timers[kind] = {"at": self.notice[field], "provisional": False}
        for kind, deadline in self.deadlines.items():
            timers[kind] = {"at": deadline["at"], "provisional": deadline["provisional"]}
        return timers

    def record_overdue(self, kind: str, level: str, *, by: Actor, now: datetime) -> bool:
        """红黄牌 (行动方案(三)5): yellow before a deadline, red once it has passed; each once."""
        if level not in ("yellow", "red"):
            raise InvalidInput(field="level", detail=level)
        deadline = self.deadlines.get(kind)
        if deadline is None:
            return False
        key = f"{kind}:{level}:{deadline['at'].isoformat()}"
        if key in self.warnings:
            return False
        self._overdue_recorded(kind=kind, level=level, due_at=deadline["at"], actor=by.as_event(), at=require_aware(now))
        return True

    @event("OverdueRecorded")
    def _overdue_recorded(self, kind: str, level: str, due_at: datetime, actor: dict[str, Any], at: datetime) -> None:
        self.warnings.append(f"{kind}:{level}:{due_at.isoformat()}")

    # --- side branches ----------------------------------------------------------

    def void(self, reason_code: str, reason: str, *, by: Actor, now: datetime) -> None:
        """置为无效, by the owner or the operator, before a contract exists."""
        self._guard("void")
        if by.role is not Role.OPERATOR:
            self._require_owner(by)
        if reason_code not in VOID_REASONS:
            raise InvalidInput(field="reason_code", detail=reason_code)
        self._voided(
            reason_code=reason_code, reason=require_text(reason, "reason"), actor=by.as_event(),
            at=require_aware(now),
        )  # fmt: skip

    @event("Voided")
    def _voided(self, reason_code: str, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.deadlines = {}
        self.status_code = P.VOIDED.value

    def republish(
        self, notice: dict[str, Any] | None, *, new_id: UUID, by: Actor, now: datetime
    ) -> Procurement:
        """After 流标, the owner re-purchases as a new round linked to this one ([12])."""
        self._guard("republish")
        self._require_owner(by)
        if self.next_id is not None:
            raise E.AlreadyRepublished(field="procurement_id", detail=self.next_id)
        next_notice = validate_notice({**self.notice, **(notice or {})})
        self._republished(new_id=str(new_id), actor=by.as_event(), at=require_aware(now))
        return Procurement.draft(
            UUID(self.owner_id), next_notice, by=by, now=now, previous_id=self.id,
            round_no=self.round_no + 1, procurement_id=new_id,
        )  # fmt: skip

    @event("Republished")
    def _republished(self, new_id: str, actor: dict[str, Any], at: datetime) -> None:
        self.next_id = new_id

    def abandon(self, reason: str, *, by: Actor, now: datetime) -> None:
        """The winner walks away (放弃中选 / 中止服务): terminated, with a record against it."""
        self._guard("abandon")
        self._require_winner(by)
        self._terminated(
            agency_id=self.winner_id, reason=require_text(reason, "reason"), actor=by.as_event(),
            at=require_aware(now),
        )  # fmt: skip

    @event("Terminated")
    def _terminated(self, agency_id: str, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.deadlines = {}
        self.status_code = P.TERMINATED.value

    def _require_party(self, by: Actor) -> None:
        if by.role is Role.AGENCY:
            self._require_winner(by)
        else:
            self._require_owner(by)


__all__ = ["Procurement", "EVALUATION_DIMENSIONS", "VOID_REASONS", "_require_role"]

"""The tendering half of a procurement (采购需求 / 选取公告): from draft to award.

``Procurement`` (in ``aggregate.py``) extends this class with the contract and
service half; the two are one aggregate, split in two modules for reading.

The procurement is the consistency boundary for its sign-ups: one sign-up per
agency, no quote after the deadline, and a frozen list at the close are all
decided against one aggregate version, so two racing requests cannot both win
(the loser's save fails on the version and is retried against the new state).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from decimal import Decimal

from eventsourcing.domain import event

from domain.agency import Eligibility
from domain.base import Actor, MarketAggregate, Role, require_aware, require_text
from domain.errors import ReasonRequired
from domain.procurement import errors as E
from domain.draw import commit, list_digest
from domain.procurement.deadlines import DEFAULT_TIMETABLE, Calendar, due
from domain.procurement.notice import OWNER_RUN_METHODS, PRICE_METHODS, resolve_quote, validate_notice
from domain.procurement.selection import frozen_list, params_for
from domain.selection import bids_from_entries, conduct
from domain.procurement.status import TRANSITIONS, ProcurementStatus

P = ProcurementStatus
# Clock-driven transitions are made by the platform's scheduler, or by an operator by hand.
CLOCK_ROLES = (Role.SYSTEM, Role.OPERATOR)


class Tendering(MarketAggregate):
    Status = ProcurementStatus
    TRANSITIONS = TRANSITIONS

    @classmethod
    def draft(
        cls, owner_id: UUID, notice: dict[str, Any], *, by: Actor, now: datetime,
        previous_id: UUID | None = None, round_no: int = 1, procurement_id: UUID | None = None,
    ) -> Tendering:  # fmt: skip
        _require_owner_role(by, owner_id)
        return cls(
            procurement_id=str(procurement_id or uuid4()), owner_id=str(owner_id), created_by=by.id,
            notice=validate_notice(notice), round_no=round_no,
            previous_id=str(previous_id) if previous_id else None,
            actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @staticmethod
    def create_id(procurement_id: str) -> UUID:
        return UUID(procurement_id)

    def _start(
        self, procurement_id: str, owner_id: str, created_by: str, notice: dict[str, Any], round_no: int,
        previous_id: str | None, actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.owner_id = owner_id
        self.created_by = created_by  # the admin or delegate account that drafted it
        self.notice = notice
        self.round_no = round_no
        self.previous_id = previous_id
        self.next_id: str | None = None
        self.status_code = P.DRAFT.value
        self.commitment: str | None = None
        self.rule_set: dict[str, Any] | None = None
        self.signups: dict[str, dict[str, Any]] = {}  # agency id → sign-up
        self.entries: list[dict[str, Any]] = []  # the frozen list at the close
        self.list_hash: str | None = None
        self.outcome: dict[str, Any] | None = None
        self.result: dict[str, Any] | None = None  # the public selection record (verifiable)
        self.winner_id: str | None = None
        self.contract: dict[str, Any] | None = None
        self.service_due: datetime | None = None
        self.pending_extension: dict[str, Any] | None = None
        self.extensions: list[dict[str, Any]] = []
        self.evaluation: dict[str, Any] | None = None
        self.timetable: dict[str, int] = {}
        self.deadlines: dict[str, dict[str, Any]] = {}  # kind → due date with its basis
        self.objections: dict[str, dict[str, Any]] = {}  # 质疑, by objection id
        self.excluded: list[dict[str, Any]] = []  # sign-ups struck out: ineligible at the close, or by upheld objections
        self.warnings: list[str] = []  # 红黄牌 already recorded: "kind:level:due"

    # --- drafting and review ---------------------------------------------------

    def amend(self, notice: dict[str, Any], *, by: Actor, now: datetime) -> None:
        self._guard("amend")
        self._require_owner(by)
        self._amended(notice=validate_notice(notice), actor=by.as_event(), at=require_aware(now))

    @event("Amended")
    def _amended(self, notice: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.notice = notice

    def submit(self, *, by: Actor, now: datetime) -> None:
        self._guard("submit")
        self._require_owner(by)
        self._submitted(actor=by.as_event(), at=require_aware(now))

    @event("Submitted")
    def _submitted(self, actor: dict[str, Any], at: datetime) -> None:
        self.status_code = P.PENDING_REVIEW.value

    def return_notice(self, reasons: list[str], *, by: Actor, now: datetime) -> None:
        self._guard("review")
        _require_role(by, Role.OPERATOR)
        self._returned(reasons=_reasons(reasons), actor=by.as_event(), at=require_aware(now))

    @event("Returned")
    def _returned(self, reasons: list[str], actor: dict[str, Any], at: datetime) -> None:
        self.status_code = P.RETURNED.value

    def publish(
        self, *, commitment: str, rule_set: dict[str, Any], timetable: dict[str, int] | None = None,
        by: Actor, now: datetime,
    ) -> None:  # fmt: skip
        """The operator approves and publishes. The platform commits to its draw secret now."""
        self._guard("review")
        _require_role(by, Role.OPERATOR)
        self._published(
            commitment=require_text(commitment, "commitment"), rule_set=rule_set,
            timetable={**DEFAULT_TIMETABLE, **(timetable or {})},
            opens_now=self.notice["signup_opens_at"] <= require_aware(now), actor=by.as_event(), at=now,
        )  # fmt: skip

    @event("Published")
    def _published(
        self, commitment: str, rule_set: dict[str, Any], timetable: dict[str, int], opens_now: bool,
        actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.commitment = commitment
        # Stamped: later changes of the rules or the durations never alter this request.
        self.rule_set = rule_set
        self.timetable = timetable
        self.status_code = (P.SIGNUP_OPEN if opens_now else P.PUBLISHED).value

    def open_signup(self, *, by: Actor, now: datetime) -> None:
        self._guard("open_signup")
        _require_role(by, *CLOCK_ROLES)
        if require_aware(now) < self.notice["signup_opens_at"]:
            raise E.SignupNotYetDue(field="signup_opens_at")
        self._signup_opened(actor=by.as_event(), at=now)

    @event("SignupOpened")
    def _signup_opened(self, actor: dict[str, Any], at: datetime) -> None:
        self.status_code = P.SIGNUP_OPEN.value

    # --- sign-ups and quotes (报名/报价) ----------------------------------------

    def sign_up(
        self, eligibility: Eligibility, *, quote: dict[str, Any] | None, by: Actor, now: datetime,
        submitted_from: str | None = None,
    ) -> None:  # fmt: skip
        """报名. ``submitted_from`` is the client's network address (IP or terminal), kept because bidders
        submitting from one address is a collusion screen (domain.md §9.4: "Log IP and device on every event")."""
        self._guard("sign_up")
        self._require_agency(by, eligibility.agency_id)
        self._require_before_close(now)
        if eligibility.agency_id in self.signups and not self.signups[eligibility.agency_id]["withdrawn"]:
            raise E.AlreadySignedUp(field="agency_id")
        if avoided := next((a for a in self.notice["avoided"] if a["agency_id"] == eligibility.agency_id), None):
            raise E.AgencyAvoided(field="agency_id", detail=avoided["reason"])
        if not eligibility.eligible:
            raise E.NotEligible(field="agency_id", detail=",".join(eligibility.reasons))
        self._signed_up(
            agency_id=eligibility.agency_id, uscc=eligibility.uscc, agency_name=eligibility.name,
            quote=self._checked_quote(quote), actor=by.as_event(), at=now,
            submitted_from=(str(submitted_from).strip()[:64] or None) if submitted_from else None,
        )  # fmt: skip

    class SignedUp(MarketAggregate.Event):
        """报名. Version 2 added ``submitted_from``; a version-1 event (stored before it) has none."""

        class_version = 2
        agency_id: str
        uscc: str
        agency_name: str
        quote: dict[str, Any] | None
        actor: dict[str, Any]
        at: datetime
        submitted_from: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["submitted_from"] = None

    @event(SignedUp)
    def _signed_up(
        self, agency_id: str, uscc: str, agency_name: str, quote: dict[str, Any] | None,
        actor: dict[str, Any], at: datetime, submitted_from: str | None = None,
    ) -> None:  # fmt: skip
        self.signups[agency_id] = {
            "agency_id": agency_id, "uscc": uscc, "name": agency_name, "quote": quote,
            "signed_up_at": at, "withdrawn": False,
        }  # fmt: skip

    def revise_quote(self, agency_id: str, quote: dict[str, Any], *, by: Actor, now: datetime) -> None:
        self._guard("sign_up")
        self._require_agency(by, agency_id)
        self._require_before_close(now)
        self._require_signed_up(agency_id)
        self._quote_revised(agency_id=agency_id, quote=self._checked_quote(quote), actor=by.as_event(), at=now)

    @event("QuoteRevised")
    def _quote_revised(self, agency_id: str, quote: dict[str, Any] | None, actor: dict[str, Any], at: datetime) -> None:
        self.signups[agency_id]["quote"] = quote

    def withdraw_signup(self, agency_id: str, *, by: Actor, now: datetime) -> None:
        self._guard("sign_up")
        self._require_agency(by, agency_id)
        self._require_before_close(now)
        self._require_signed_up(agency_id)
        self._signup_withdrawn(agency_id=agency_id, actor=by.as_event(), at=now)

    @event("SignupWithdrawn")
    def _signup_withdrawn(self, agency_id: str, actor: dict[str, Any], at: datetime) -> None:
        self.signups[agency_id]["withdrawn"] = True

    def close_signup(
        self, *, credit_scores: dict[str, int] | None = None, ineligible: dict[str, list[str]] | None = None,
        by: Actor, now: datetime,
    ) -> None:  # fmt: skip
        """Freeze the sign-up list, sorted by 统一社会信用代码, and publish its hash (brief §5.1).

        Credit scores are taken as they stand at the close (信用择优 ranks by them [9]).
        Eligibility is checked "at sign-up and again at selection" (domain.md §6); the list
        frozen here is what the selection runs on, so an agency that is no longer eligible
        now (``ineligible``: its id and the reasons, judged by the market as at sign-up:
        suspended or expelled since, a qualification lapsed, a credit sanction) is left out
        of it and named, with its reasons, in the event.
        """
        self._guard("close_signup")
        _require_role(by, *CLOCK_ROLES)
        if require_aware(now) < self.notice["signup_closes_at"]:
            raise E.SignupNotYetDue(field="signup_closes_at")
        ineligible = ineligible or {}
        active = self.active_signups()
        excluded = [{"agency_id": s["agency_id"], "uscc": s["uscc"], "name": s["name"],
                     "reasons": sorted(set(ineligible[s["agency_id"]]))}
                    for s in active if ineligible.get(s["agency_id"])]  # fmt: skip
        left_out = {x["agency_id"] for x in excluded}
        entries = frozen_list([s for s in active if s["agency_id"] not in left_out], credit_scores)
        self._signup_closed(entries=entries, list_hash=list_digest(entries), actor=by.as_event(), at=now,
                            excluded=excluded)  # fmt: skip

    class SignupClosed(MarketAggregate.Event):
        """报名截止. Version 2 added ``excluded``; a version-1 event (stored before it) excluded no one."""

        class_version = 2
        entries: list[dict[str, Any]]
        list_hash: str
        actor: dict[str, Any]
        at: datetime
        excluded: list[dict[str, Any]]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["excluded"] = []

    @event(SignupClosed)
    def _signup_closed(
        self, entries: list[dict[str, Any]], list_hash: str, actor: dict[str, Any], at: datetime,
        excluded: list[dict[str, Any]] | None = None,
    ) -> None:  # fmt: skip
        self.entries = entries
        self.list_hash = list_hash
        self.excluded = list(excluded or [])  # objections upheld later add theirs (publicity.py)
        self.status_code = P.SIGNUP_CLOSED.value

    # --- selection (选取) --------------------------------------------------------

    def run_selection(
        self, secret: bytes, *, calendar: Calendar, choice: dict[str, Any] | None = None, by: Actor,
        now: datetime,
    ) -> dict[str, Any]:
        """选取 at the selection time, from the frozen list and the revealed secret.

        The whole result record (list, seed, transcript, outcome) goes into the
        event: it is what the 中选公告 publishes and what anyone can re-verify.
        """
        self._guard("select")
        if require_aware(now) < self.notice["selection_at"]:
            raise E.SelectionNotYetDue(field="selection_at")
        if self.notice["method"] in OWNER_RUN_METHODS:
            self._require_owner(by)
        elif by.role is not Role.SYSTEM:
            raise E.WrongRole(field="role", detail="this method is run by the platform")
        if commit(secret) != self.commitment:
            raise E.SecretMismatch(field="secret")
        params = params_for(self.notice, self.rule_set or {}, choice)
        scores = (choice or {}).get("scores") if self.notice["method"] == "proposal_scoring" else None
        record = conduct(
            self.notice["method"], procurement_id=str(self.id), secret=secret,
            bids=bids_from_entries(self.entries, scores), params=params,
        )  # fmt: skip
        status = record["outcome"]["status"]
        if status == "failed":
            self._selection_failed(result=record, actor=by.as_event(), at=now)
        elif status == "shortlisted":
            self._shortlisted(result=record, actor=by.as_event(), at=now)
        else:
            publicity_end = due(calendar, now, self.timetable.get("publicity", DEFAULT_TIMETABLE["publicity"]))
            self._winner_selected(result=record, publicity_end=publicity_end, actor=by.as_event(), at=now)
        return record

    @event("WinnerSelected")
    def _winner_selected(
        self, result: dict[str, Any], publicity_end: dict[str, Any], actor: dict[str, Any], at: datetime
    ) -> None:
        self.outcome = result["outcome"]
        self.result = result
        self.winner_id = result["outcome"]["winner"]
        self.deadlines["publicity_end"] = publicity_end  # 公示期满
        self.status_code = P.PUBLICITY.value

    @event("Shortlisted")
    def _shortlisted(self, result: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.outcome = result["outcome"]
        self.result = result
        self.status_code = P.SHORTLISTED.value

    @event("SelectionFailed")
    def _selection_failed(self, result: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.outcome = result["outcome"]
        self.result = result
        self.deadlines = {}
        self.status_code = P.FAILED.value

    # --- helpers ----------------------------------------------------------------

    def active_signups(self) -> list[dict[str, Any]]:
        return [s for s in self.signups.values() if not s["withdrawn"]]

    def _checked_quote(self, quote: dict[str, Any] | None) -> dict[str, Any] | None:
        resolved = resolve_quote(quote, self.notice["budget"])
        if resolved is None:
            if self.notice["method"] in PRICE_METHODS:
                raise E.QuoteRequired(field="quote")
            return None
        budget = self.notice["budget"]
        if budget["kind"] == "fixed" and Decimal(resolved["price"]) > Decimal(budget["amount"]):
            raise E.QuoteOutOfRange(field="quote.value", detail=resolved["price"])
        if budget["kind"] == "range":
            if not Decimal(budget["min"]) <= Decimal(resolved["price"]) <= Decimal(budget["max"]):
                raise E.QuoteOutOfRange(field="quote.value", detail=resolved["price"])
        return resolved

    def _require_before_close(self, now: datetime) -> None:
        if require_aware(now) >= self.notice["signup_closes_at"]:
            raise E.SignupDeadlinePassed(field="signup_closes_at")

    def _require_signed_up(self, agency_id: str) -> None:
        if agency_id not in self.signups or self.signups[agency_id]["withdrawn"]:
            raise E.NotSignedUp(field="agency_id")

    def _require_owner(self, by: Actor) -> None:
        _require_owner_role(by, self.owner_id)
        # A delegate (采购受托人) acts only on the requests they drafted themselves.
        if by.role is Role.OWNER_DELEGATE and by.id != self.created_by:
            raise E.NotTheOwner(field="procurement_id")

    def _require_agency(self, by: Actor, agency_id: str) -> None:
        if by.role is not Role.AGENCY or by.organisation_id != agency_id:
            raise E.WrongRole(field="agency_id", detail="an agency acts only for itself")

    def _require_winner(self, by: Actor) -> None:
        if by.role is not Role.AGENCY or by.organisation_id != self.winner_id:
            raise E.NotTheWinner(field="agency_id")


def _require_role(by: Actor, *roles: Role) -> None:
    if by.role not in roles:
        raise E.WrongRole(field="role", detail=by.role.value)


def _require_owner_role(by: Actor, owner_id: Any) -> None:
    if not by.role.is_owner or by.organisation_id != str(owner_id):
        raise E.NotTheOwner(field="owner_id")


def _reasons(reasons: list[str] | None) -> list[str]:
    cleaned = [str(r).strip() for r in reasons or [] if str(r).strip()]
    if not cleaned:
        raise ReasonRequired(field="reasons")
    return cleaned

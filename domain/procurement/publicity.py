"""中选公示 and 质疑: the result is public for a period, participants may object.

After 广东「用户投诉」[11]: an objection to the selection or result is filed
before the 公示期 ends by a party that signed up; the operator decides. Upheld:
the selection is annulled and re-run without the offending sign-up, or the
request fails. Dismissed: it proceeds. The award waits for the period to end
with no objection pending (a standstill, as ProZorro's complaint period).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from eventsourcing.domain import event

from domain.base import Actor, Role, require_aware, require_text
from domain.draw import list_digest
from domain.procurement import errors as E
from domain.procurement.deadlines import DEFAULT_TIMETABLE, Calendar, due
from domain.procurement.status import ProcurementStatus
from domain.procurement.tendering import Tendering, _reasons, _require_role
from domain.selection import owner_pick
from domain.selection.base import Outcome

P = ProcurementStatus


class Publicity(Tendering):
    def pick_from_shortlist(
        self, agency_id: str, reason: str, *, calendar: Calendar, by: Actor, now: datetime
    ) -> None:
        """信用择优: the owner picks from the 小名单 and records why ([9])."""
        self._guard("pick_from_shortlist")
        self._require_owner(by)
        assert self.result is not None
        o = self.result["outcome"]
        shortlisted = Outcome(o["method"], o["status"], o["winner"], o["failure_reason"], o["figures"],
                              tuple(o["transcript"]))  # fmt: skip
        picked = owner_pick(shortlisted, agency_id, reason).to_dict()
        self._picked(
            result={**self.result, "outcome": picked}, publicity_end=self._publicity_end(calendar, now),
            actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @event("PickedFromShortlist")
    def _picked(self, result: dict[str, Any], publicity_end: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.result = result
        self.outcome = result["outcome"]
        self.winner_id = result["outcome"]["winner"]
        self.deadlines["publicity_end"] = publicity_end
        self.status_code = P.PUBLICITY.value

    # --- objections (质疑) ---------------------------------------------------------

    def file_objection(
        self, agency_id: str, reasons: list[str], evidence: list[dict[str, str]], *, by: Actor, now: datetime
    ) -> str:
        self._guard("object")
        self._require_agency(by, agency_id)
        if require_aware(now) >= self.deadlines["publicity_end"]["at"]:
            raise E.ObjectionPeriodOver(field="publicity_end")
        if agency_id not in {e["agency_id"] for e in self.entries} | {e["agency_id"] for e in self.excluded}:
            raise E.NotSignedUp(field="agency_id")
        objection_id = str(uuid4())
        self._objection_filed(
            objection_id=objection_id, agency_id=agency_id, reasons=_reasons(reasons),
            evidence=[{"title": require_text(e.get("title"), "evidence.title"), "sha256": str(e.get("sha256", ""))}
                      for e in evidence or []],
            actor=by.as_event(), at=now,
        )  # fmt: skip
        return objection_id

    @event("ObjectionFiled")
    def _objection_filed(
        self, objection_id: str, agency_id: str, reasons: list[str], evidence: list[dict[str, str]],
        actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.objections[objection_id] = {
            "agency_id": agency_id, "reasons": reasons, "evidence": evidence, "filed_at": at, "decision": None,
        }  # fmt: skip

    def uphold_objection(
        self, objection_id: str, reason: str, *, exclude_agency_id: str | None = None, fail: bool = False,
        by: Actor, now: datetime,
    ) -> None:  # fmt: skip
        """Annul the selection: re-run it without the offending sign-up, or fail the request."""
        self._guard("decide_objection")
        _require_role(by, Role.OPERATOR, Role.REGULATOR)
        self._require_pending(objection_id)
        entries = self.entries
        if exclude_agency_id is not None:
            if exclude_agency_id not in {e["agency_id"] for e in self.entries}:
                raise E.NotSignedUp(field="exclude_agency_id")
            entries = [e for e in self.entries if e["agency_id"] != exclude_agency_id]
        elif not fail:
            raise E.ObjectionRemedyRequired(field="exclude_agency_id")
        self._objection_upheld(
            objection_id=objection_id, reason=require_text(reason, "reason"), excluded_agency_id=exclude_agency_id,
            entries=entries, list_hash=list_digest(entries), failed=fail, actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @event("ObjectionUpheld")
    def _objection_upheld(
        self, objection_id: str, reason: str, excluded_agency_id: str | None, entries: list[dict[str, Any]],
        list_hash: str, failed: bool, actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.objections[objection_id]["decision"] = {"upheld": True, "reason": reason, "at": at}
        self.excluded += [e for e in self.entries if e["agency_id"] == excluded_agency_id]
        self.entries = entries
        self.list_hash = list_hash
        self.winner_id = None
        self.deadlines = {}
        self.status_code = (P.FAILED if failed else P.SIGNUP_CLOSED).value

    def dismiss_objection(self, objection_id: str, reason: str, *, by: Actor, now: datetime) -> None:
        self._guard("decide_objection")
        _require_role(by, Role.OPERATOR, Role.REGULATOR)
        self._require_pending(objection_id)
        self._objection_dismissed(
            objection_id=objection_id, reason=require_text(reason, "reason"), actor=by.as_event(), at=require_aware(now)
        )

    @event("ObjectionDismissed")
    def _objection_dismissed(self, objection_id: str, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.objections[objection_id]["decision"] = {"upheld": False, "reason": reason, "at": at}

    def pending_objections(self) -> list[str]:
        return [oid for oid, o in self.objections.items() if o["decision"] is None]

    # --- award ------------------------------------------------------------------

    def award(self, *, calendar: Calendar, by: Actor, now: datetime) -> None:
        """公示期满 with no objection pending: the winner is awarded; the contract is due."""
        self._guard("award")
        _require_role(by, Role.SYSTEM, Role.OPERATOR)
        if require_aware(now) < self.deadlines["publicity_end"]["at"]:
            raise E.PublicityNotOver(field="publicity_end")
        if pending := self.pending_objections():
            raise E.ObjectionPending(field="objections", detail=",".join(pending))
        contract_due = due(calendar, now, self.timetable.get("contract", DEFAULT_TIMETABLE["contract"]))
        self._awarded(agency_id=self.winner_id, contract_due=contract_due, actor=by.as_event(), at=now)

    @event("Awarded")
    def _awarded(self, agency_id: str, contract_due: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.deadlines = {"contract_due": contract_due}
        self.status_code = P.CONTRACTING.value

    def _publicity_end(self, calendar: Calendar, now: datetime) -> dict[str, Any]:
        return due(calendar, now, self.timetable.get("publicity", DEFAULT_TIMETABLE["publicity"]))

    def _require_pending(self, objection_id: str) -> None:
        objection = self.objections.get(objection_id)
        if objection is None:
            raise E.UnknownObjection(field="objection_id", detail=objection_id)
        if objection["decision"] is not None:
            raise E.ObjectionAlreadyDecided(field="objection_id", detail=objection_id)

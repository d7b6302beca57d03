"""Credit commands (信用): the catalogue, records from cases and evaluations, sanctions, repair.

The credit file is written in the same transaction as what it records: a confirmed
case (``confirm_case``), an owner's evaluation (``evaluate``). Sign-up and the
信用择优 close read the standing from the event store, never from a read model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.agency import Agency, Eligibility
from domain.base import Actor, Role
from domain.credit import CreditFile, CreditPolicy, Standing, standing_without_file
from domain.credit.catalogue import DEFAULT_VIOLATIONS
from domain.credit.errors import NotRatable, UnknownCreditRecord
from domain.credit.file import department_rating
from domain.errors import NotAllowed, NotFound
from domain.procurement import Procurement, ProcurementStatus
from market.application import replay
from market.loading import stored_events_of

RATABLE = (ProcurementStatus.EVALUATING, ProcurementStatus.CLOSED)  # the deliverable was accepted


class CreditCommands:
    # --- the catalogue (信用评价目录) -------------------------------------------------------

    def credit_policy(self, region: str | None = None) -> CreditPolicy:
        """The region's catalogue; the defaults (unsaved) until a regulator first changes it."""
        region = region or self.region
        try:
            return self.load(CreditPolicy.create_id(region), CreditPolicy)
        except NotFound:
            return CreditPolicy.establish(region, by=Actor.system(), now=self.clock.now())

    def credit_catalogue(self, region: str | None = None) -> dict[str, Any]:
        """The violation catalogue and scoring in force, with their version."""
        policy = self.credit_policy(region)
        return {"region": policy.region, "version": policy.catalogue_version, "violations": policy.catalogue(),
                "scoring": policy.scoring_in_force()}  # fmt: skip

    def change_credit_catalogue(
        self, *, violations: dict[str, dict[str, Any]] | None = None, scoring: dict[str, Any] | None = None,
        reason: str, by: Actor, region: str | None = None, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """管理机构 changes points, windows, sanctions, weights or bands; records made earlier keep theirs."""

        def decide():
            policy = self.credit_policy(region)
            policy.change(violations=violations, scoring=scoring, reason=reason, by=by, now=self.clock.now())
            return [policy], {"region": policy.region, "version": policy.catalogue_version}

        return self._execute("change_credit_catalogue", [violations, scoring, reason, region, by], decide,
                             idempotency_key)  # fmt: skip

    # --- standing -----------------------------------------------------------------------

    def _credit_files(self, agency_ids: list[str]) -> dict[str, CreditFile | None]:
        """Each agency's credit file, or None, in one query."""
        ids = {CreditFile.create_id(a): str(a) for a in agency_ids}
        stored = stored_events_of(self.recorder, list(ids)) if ids else {}
        return {agency: self._rebuilt(stored.get(file_id)) for file_id, agency in ids.items()}

    def _rebuilt(self, stored: list[Any] | None) -> Any:
        return replay(None, [self.mapper.to_domain_event(s) for s in stored]) if stored else None

    def credit_standing(self, agency_id: UUID | str, at: datetime | None = None) -> Standing:
        """An agency's standing at ``at`` (now by default), from the event store."""
        at = at or self.clock.now()
        file = self._credit_files([str(agency_id)])[str(agency_id)]
        scoring = self.credit_policy().scoring_in_force()
        return file.standing(scoring, at) if file else standing_without_file(scoring, at)

    def credit_scores(self, agency_ids: list[str], now: datetime) -> dict[str, int]:
        """Credit scores at this moment (信用择优 ranks by them at the close [9])."""
        files = self._credit_files(agency_ids)
        scoring = self.credit_policy().scoring_in_force()
        return {a: (files[a].standing(scoring, now) if files[a] else standing_without_file(scoring, now)).score
                for a in agency_ids}  # fmt: skip

    def load_for_signup(self, procurement_id: UUID | str, agency_id: UUID | str) -> tuple[Procurement, Agency, Any]:
        """The procurement, the agency and its credit standing's inputs, in one query: the sign-up hot path."""
        try:
            pid, aid = UUID(str(procurement_id)), UUID(str(agency_id))
        except ValueError:
            raise NotFound(field="id", detail=f"{procurement_id}, {agency_id}") from None
        file_id, policy_id = CreditFile.create_id(aid), CreditPolicy.create_id(self.region)
        stored = stored_events_of(self.recorder, [pid, aid, file_id, policy_id])
        p, agency = self._rebuilt(stored.get(pid)), self._rebuilt(stored.get(aid))
        for uid, found, kind in ((pid, p, Procurement), (aid, agency, Agency)):
            if not isinstance(found, kind):
                raise NotFound(field="id", detail=str(uid))
        policy = self._rebuilt(stored.get(policy_id)) or CreditPolicy.establish(self.region, by=Actor.system(),
                                                                                 now=self.clock.now())  # fmt: skip
        return p, agency, (self._rebuilt(stored.get(file_id)), policy.scoring_in_force())

    def no_longer_eligible(self, p: Procurement, agency_ids: list[str], now: datetime) -> dict[str, list[str]]:
        """The signed-up agencies that would be refused if they signed up now, with the reasons.

        The same judgement as at sign-up (``Agency.eligibility`` and ``with_credit``), read in
        one query for the agencies and one for their credit files.
        """
        if not agency_ids:
            return {}
        stored = stored_events_of(self.recorder, [UUID(a) for a in agency_ids])
        files = self._credit_files(agency_ids)
        scoring = self.credit_policy().scoring_in_force()
        refused = {}
        for agency_id in agency_ids:
            agency = self._rebuilt(stored.get(UUID(agency_id)))
            if not isinstance(agency, Agency):
                refused[agency_id] = ["agency_unknown"]
                continue
            eligibility = agency.eligibility(p.notice["service_item_code"], p.notice["requirement"], now)
            eligibility = self.with_credit(eligibility, (files[agency_id], scoring), p.notice, now)
            if not eligibility.eligible:
                refused[agency_id] = list(eligibility.reasons)
        return refused

    @staticmethod
    def with_credit(eligibility: Eligibility, credit: tuple[CreditFile | None, dict[str, Any]], notice: dict[str, Any],
                    now: datetime) -> Eligibility:  # fmt: skip
        """Eligibility with the credit refusals added: sanctions in force, grade D for 信用择优 (§6)."""
        file, scoring = credit
        standing = file.standing(scoring, now) if file else standing_without_file(scoring, now)
        refusals = standing.refusals(notice["service_item_code"], notice["method"], scoring)
        if not refusals:
            return eligibility
        return Eligibility(agency_id=eligibility.agency_id, uscc=eligibility.uscc, name=eligibility.name,
                           reasons=[*eligibility.reasons, *refusals])  # fmt: skip

    # --- records written beside what they record ---------------------------------------------

    def opened_credit_file(self, agency_id: UUID | str, now: datetime) -> list[CreditFile]:
        """A new, empty credit file for an agency that has none (at admission), to save with it."""
        if self._credit_files([str(agency_id)])[str(agency_id)] is not None:
            return []
        return [CreditFile.open(agency_id, by=Actor.system(), now=now)]

    def _credit_file(self, agency_id: str, now: datetime) -> CreditFile:
        # Agencies admitted before credit files existed have none yet: open one with the first record.
        file = self._credit_files([agency_id])[agency_id]
        return file if file is not None else CreditFile.open(agency_id, by=Actor.system(), now=now)

    def catalogue_points(self, code: str) -> int | None:
        """The points a violation carries now (None for a code the catalogue does not know)."""
        return self.credit_policy().entry(code)["points"] if code in DEFAULT_VIOLATIONS else None

    def _violation_on_file(self, case: Any, by: Actor, now: datetime) -> list[Any]:
        """A confirmed case's violation, recorded on the agency's credit file with the catalogue in force."""
        violation = case.violation
        self.load(violation["agency_id"], Agency)  # NotFound: a violation is recorded against a real agency
        policy = self.credit_policy()
        file = self._credit_file(violation["agency_id"], now)
        file.record_violation(
            policy.entry(violation["code"]), points=violation["points"], catalogue_version=policy.catalogue_version,
            scoring=policy.scoring_in_force(), case_id=str(case.id), service_item=case.subjects.get("service_item"),
            source={"aggregate_id": str(case.id), "version": case.version, "event": "Case.ViolationRecorded"},
            by=by, now=now,
        )  # fmt: skip
        return [file]

    def _evaluation_on_file(self, p: Procurement, by: Actor, now: datetime) -> list[Any]:
        """An owner's evaluation, recorded on the winner's credit file."""
        if p.winner_id is None or p.evaluation is None:
            return []
        file = self._credit_file(p.winner_id, now)
        file.record_evaluation(
            "owner", str(p.id), p.evaluation["scores"], p.evaluation["overall"],
            source={"aggregate_id": str(p.id), "version": p.version, "event": "Procurement.Evaluated"}, by=by, now=now,
        )  # fmt: skip
        return [file]

    # --- commands -----------------------------------------------------------------------

    def rate_service(
        self, procurement_id: UUID, scores: dict[str, int], *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """审批部门评价 (厦门 [25]): the approving department rates an accepted deliverable's quality and timeliness."""

        def decide():
            now = self.clock.now()
            p = self.load(procurement_id, Procurement)
            if by.role is not Role.DEPARTMENT or by.organisation_id != str(p.notice.get("department_id")):
                raise NotAllowed(field="role", detail="only the approving department of this matter rates it")
            if p.status not in RATABLE or p.winner_id is None:
                raise NotRatable(field="procurement_id", detail=p.status_code)
            checked, overall = department_rating(scores)
            file = self._credit_file(p.winner_id, now)
            record_id = file.record_evaluation(
                "department", str(p.id), checked, overall, by=by, now=now,
                source={"aggregate_id": str(p.id), "version": p.version, "event": "Procurement"},
            )  # fmt: skip
            return [file], {"agency_id": p.winner_id, "record_id": record_id, "overall": overall}

        return self._execute("rate_service", [str(procurement_id), scores, by], decide, idempotency_key)

    def impose_sanction(
        self, agency_id: UUID | str, sanction: str, *, reason: str, months: int | None = None,
        service_items: list[str] | None = None, by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """信用惩戒: a warning, a suspension from service items for N months, or expulsion; sign-up feels it at once."""

        def decide():
            now = self.clock.now()
            agency = self.load(agency_id, Agency)
            for code in service_items or []:
                self.service_item(code)  # NotFound for an item the catalogue does not hold
            file = self._credit_file(str(agency.id), now)
            record_id = file.impose(sanction, months=months, service_items=service_items, reason=reason, by=by, now=now)
            return [file], {"agency_id": str(agency.id), "record_id": record_id, "sanction": sanction}

        return self._execute("impose_sanction", [str(agency_id), sanction, reason, months, service_items, by], decide,
                             idempotency_key)  # fmt: skip

    def repair_credit(
        self, agency_id: UUID | str, record_id: str, reason: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """信用修复: after its period, a record stops counting and the sanctions based on it end."""

        def decide():
            now = self.clock.now()
            agency = self.load(agency_id, Agency)
            file = self._credit_files([str(agency.id)])[str(agency.id)]
            if file is None:
                raise UnknownCreditRecord(field="record_id", detail=record_id)
            repaired = file.repair(record_id, reason, scoring=self.credit_policy().scoring_in_force(), by=by, now=now)
            return [file], {"agency_id": str(agency.id), "repaired": repaired}

        return self._execute("repair_credit", [str(agency_id), record_id, reason, by], decide, idempotency_key)

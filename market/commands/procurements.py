"""Procurement commands from draft to award (采购需求、审核、报名、选取、公示)."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID, uuid4

from domain.agency import Agency
from domain.base import Actor, Role
from domain.errors import NotAllowed
from domain.owner import Owner
from domain.procurement import Procurement
from market.draw_secrets import DrawSecret


class ProcurementCommands:
    def _complete_notice(self, notice: dict[str, Any]) -> dict[str, Any]:
        """Fill the approval matter, department and requirement from the catalogue item."""
        item = self.service_item(notice.get("service_item_code", ""))
        return {
            "approval_matter": item.approval_matter,
            "department_id": item.department_id,
            **notice,
            "requirement": notice.get("requirement") or item.requirement,
        }

    def draft_procurement(
        self, owner_id: UUID, notice: dict[str, Any], *, by: Actor, idempotency_key: str | None = None,
        procurement_id: UUID | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """业主起草采购需求."""
        new_id = procurement_id or uuid4()

        def decide():
            self.load(owner_id, Owner)
            p = Procurement.draft(owner_id, self._complete_notice(notice), by=by, now=self.clock.now(),
                                  procurement_id=new_id)  # fmt: skip
            return [p], {"procurement_id": str(p.id), "status": p.status_code}

        return self._execute("draft_procurement", [str(owner_id), notice, by], decide, idempotency_key)

    def _procurement_command(
        self, name: str, procurement_id: UUID, payload: Any, act, key: str | None, *, extra=None
    ) -> dict[str, Any]:
        """Load one procurement, let it decide, save it (plus any aggregates ``extra`` returns)."""

        def decide():
            p = self.load(procurement_id, Procurement)
            now = self.clock.now()
            act(p, now)
            others = extra(p, now) if extra else []
            return [p, *others], {"procurement_id": str(p.id), "status": p.status_code}

        return self._execute(name, [str(procurement_id), payload], decide, key)

    def amend_procurement(self, procurement_id: UUID, notice: dict[str, Any], *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        def act(p, now):
            p.amend(self._complete_notice(notice), by=by, now=now)

        return self._procurement_command("amend_procurement", procurement_id, [notice, by], act, idempotency_key)

    def submit_procurement(self, procurement_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """提交审核."""
        return self._procurement_command("submit_procurement", procurement_id, [by], lambda p, now: p.submit(by=by, now=now), idempotency_key)

    def return_procurement(self, procurement_id: UUID, reasons: list[str], *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """运营机构退回公告, with reasons."""
        return self._procurement_command(
            "return_procurement", procurement_id, [reasons, by],
            lambda p, now: p.return_notice(reasons, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def publish_procurement(self, procurement_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """运营机构审核通过并发布. The platform commits to a fresh draw secret now (brief §5.1)."""
        secret = secrets.token_bytes(32)
        rules, timetable = self.rules_in_force()  # stamped on the procurement

        def decide():
            p = self.load(procurement_id, Procurement)
            sealed = DrawSecret(procurement_id=str(p.id), secret=secret.hex(), actor=by.as_event(), at=self.clock.now())
            p.publish(commitment=sealed.commitment, rule_set=rules, timetable=timetable, by=by, now=self.clock.now())
            return [p, sealed], {"procurement_id": str(p.id), "status": p.status_code, "commitment": sealed.commitment}

        return self._execute("publish_procurement", [str(procurement_id), by], decide, idempotency_key)

    def open_signup(self, procurement_id: UUID, *, by: Actor | None = None, idempotency_key: str | None = None) -> dict[str, Any]:
        by = by or Actor.system()
        return self._procurement_command("open_signup", procurement_id, [by], lambda p, now: p.open_signup(by=by, now=now), idempotency_key)

    def sign_up(
        self, procurement_id: UUID, agency_id: UUID, quote: dict[str, Any] | None = None, *, by: Actor,
        submitted_from: str | None = None, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """报名 (and quote): only eligible agencies, once per procurement; ``submitted_from``: the client address."""

        def decide():
            now = self.clock.now()
            p, agency, credit = self.load_for_signup(procurement_id, agency_id)
            eligibility = agency.eligibility(p.notice["service_item_code"], p.notice["requirement"], now)
            eligibility = self.with_credit(eligibility, credit, p.notice, now)  # sanctions, grade D (§6)
            p.sign_up(eligibility, quote=quote, by=by, now=now, submitted_from=submitted_from)
            return [p], {"procurement_id": str(p.id), "agency_id": str(agency_id), "signups": len(p.active_signups())}

        return self._execute("sign_up", [str(procurement_id), str(agency_id), quote, by], decide, idempotency_key)

    def revise_quote(self, procurement_id: UUID, agency_id: UUID, quote: dict[str, Any], *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        return self._procurement_command(
            "revise_quote", procurement_id, [str(agency_id), quote, by],
            lambda p, now: p.revise_quote(str(agency_id), quote, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def withdraw_signup(self, procurement_id: UUID, agency_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        return self._procurement_command(
            "withdraw_signup", procurement_id, [str(agency_id), by],
            lambda p, now: p.withdraw_signup(str(agency_id), by=by, now=now), idempotency_key,
        )  # fmt: skip

    def close_signup(self, procurement_id: UUID, *, by: Actor | None = None, idempotency_key: str | None = None) -> dict[str, Any]:
        """报名截止: freeze the list (clock-driven)."""
        by = by or Actor.system()

        def act(p, now):
            # Scores as they stand at the close (market/commands/credit.py), and eligibility checked
            # again (domain.md §6: "at sign-up and again at selection").
            agency_ids = [s["agency_id"] for s in p.active_signups()]
            p.close_signup(credit_scores=self.credit_scores(agency_ids, now),
                           ineligible=self.no_longer_eligible(p, agency_ids, now), by=by, now=now)  # fmt: skip

        return self._procurement_command("close_signup", procurement_id, [by], act, idempotency_key)

    def run_selection(
        self, procurement_id: UUID, *, choice: dict[str, Any] | None = None, by: Actor | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """选取: the platform runs draw and price methods; the owner designates for 直接选取."""
        by = by or Actor.system()

        def decide():
            p = self.load(procurement_id, Procurement)
            secret = self.load(DrawSecret.create_id(str(p.id)), DrawSecret)
            record = p.run_selection(
                bytes.fromhex(secret.secret), calendar=self.calendar(), choice=choice, by=by, now=self.clock.now()
            )
            outcome = record["outcome"]
            return [p], {"procurement_id": str(p.id), "status": p.status_code, "winner": outcome["winner"],
                         "failure_reason": outcome["failure_reason"]}  # fmt: skip

        return self._execute("run_selection", [str(procurement_id), choice, by], decide, idempotency_key)

    def award(self, procurement_id: UUID, *, by: Actor | None = None, idempotency_key: str | None = None) -> dict[str, Any]:
        """公示期满: award the winner, who now has an unfinished engagement."""
        by = by or Actor.system()
        if by.role not in (Role.SYSTEM, Role.OPERATOR):
            raise NotAllowed(field="role", detail=by.role.value)

        def engage(p, now):
            agency = self.load(p.winner_id, Agency)
            agency.engage(p.id, by=by, now=now)
            return [agency]

        return self._procurement_command(
            "award", procurement_id, [by], lambda p, now: p.award(calendar=self.calendar(), by=by, now=now),
            idempotency_key, extra=engage,
        )  # fmt: skip

"""Agency commands: registration, review, changes, sanctions, exit."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.agency import Agency
from domain.base import Actor, Role
from domain.errors import AlreadyRegistered, NotAllowed

REVIEWERS = (Role.OPERATOR,)
SANCTIONERS = (Role.OPERATOR, Role.REGULATOR, Role.DEPARTMENT)


def _require(by: Actor, roles: tuple[Role, ...]) -> None:
    if by.role not in roles:
        raise NotAllowed(field="role", detail=by.role.value)


def _require_self(by: Actor, agency_id: UUID | str) -> None:
    # An agency acts only for itself.
    if by.role is not Role.AGENCY or by.organisation_id != str(agency_id):
        raise NotAllowed(field="agency_id", detail="an agency acts only for itself")


class AgencyCommands:
    def _with_digests(self, profile: dict[str, Any]) -> dict[str, Any]:
        """Replace every person's clear ID number by its keyed digest, and seal their name, phone and
        e-mail with that person's key, before the domain sees them (docs/personal-data.md)."""
        d = self.digester
        profile = dict(profile)
        if profile.get("legal_representative"):
            profile["legal_representative"] = d.replace_id_numbers(profile["legal_representative"], "legal_representative")
        for key in ("shareholders", "practitioners"):
            if profile.get(key):
                profile[key] = [d.replace_id_numbers(p, key) if p.get("kind") != "organisation" else p for p in profile[key]]
        return self.personal_data.seal_profile(profile)

    def register_agency(
        self, uscc: str, profile: dict[str, Any], *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """中介机构入驻申请: one registration per 统一社会信用代码."""
        clean = self._with_digests(profile)

        def decide():
            agency = Agency.register(uscc, clean, by=by, now=self.clock.now())
            if self.exists(agency.id):
                raise AlreadyRegistered(field="uscc", detail=agency.uscc)
            return [agency], {"agency_id": str(agency.id), "status": agency.status_code}

        return self._execute("register_agency", [uscc, clean, by], decide, idempotency_key)

    def _agency_command(
        self, name: str, agency_id: UUID, payload: Any, act, key: str | None, *, extra=None
    ) -> dict[str, Any]:
        def decide():
            agency = self.load(agency_id, Agency)
            now = self.clock.now()
            act(agency, now)
            others = extra(agency, now) if extra else []
            return [agency, *others], {"agency_id": str(agency.id), "status": agency.status_code}

        return self._execute(name, [str(agency_id), payload], decide, key)

    def admit_agency(self, agency_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """运营机构审核通过入驻; the agency's credit file (信用档案) is opened with it."""
        _require(by, REVIEWERS)
        return self._agency_command("admit_agency", agency_id, [by], lambda a, now: a.admit(by=by, now=now),
                                    idempotency_key, extra=lambda a, now: self.opened_credit_file(a.id, now))  # fmt: skip

    def return_agency(
        self, agency_id: UUID, reasons: list[str], *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """运营机构退回入驻申请, with reasons."""
        _require(by, REVIEWERS)
        return self._agency_command(
            "return_agency", agency_id, [reasons, by],
            lambda a, now: a.return_registration(reasons, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def resubmit_agency(
        self, agency_id: UUID, profile: dict[str, Any], *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        _require_self(by, agency_id)
        clean = self._with_digests(profile)
        return self._agency_command(
            "resubmit_agency", agency_id, [clean, by], lambda a, now: a.resubmit(clean, by=by, now=now),
            idempotency_key,
        )  # fmt: skip

    def submit_agency_change(
        self, agency_id: UUID, changes: dict[str, Any], *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """变更申请: takes effect only after the operator's check."""
        _require_self(by, agency_id)
        clean = self._with_digests(changes)
        return self._agency_command(
            "submit_agency_change", agency_id, [clean, by],
            lambda a, now: a.submit_change(clean, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def approve_agency_change(self, agency_id: UUID, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        _require(by, REVIEWERS)
        return self._agency_command(
            "approve_agency_change", agency_id, [by], lambda a, now: a.approve_change(by=by, now=now), idempotency_key
        )

    def return_agency_change(
        self, agency_id: UUID, reasons: list[str], *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        _require(by, REVIEWERS)
        return self._agency_command(
            "return_agency_change", agency_id, [reasons, by],
            lambda a, now: a.return_change(reasons, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def suspend_agency(
        self, agency_id: UUID, *, until: datetime, reason: str, service_items: list[str] | None = None,
        by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """暂停: the whole agency, or only some service items, until a date."""
        _require(by, SANCTIONERS)
        return self._agency_command(
            "suspend_agency", agency_id, [until, reason, service_items, by],
            lambda a, now: a.suspend(until=until, reason=reason, service_items=service_items, by=by, now=now),
            idempotency_key,
        )  # fmt: skip

    def lift_agency_suspension(
        self, agency_id: UUID, reason: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        _require(by, SANCTIONERS)
        return self._agency_command(
            "lift_agency_suspension", agency_id, [reason, by],
            lambda a, now: a.lift_suspension(reason, by=by, now=now), idempotency_key,
        )  # fmt: skip

    def expel_agency(
        self, agency_id: UUID, reason: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """清退 (blacklist)."""
        _require(by, SANCTIONERS)
        return self._agency_command(
            "expel_agency", agency_id, [reason, by], lambda a, now: a.expel(reason, by=by, now=now), idempotency_key
        )

    def exit_agency(
        self, agency_id: UUID, reason: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """自愿退出, refused while an award or contract is unfinished."""
        _require_self(by, agency_id)
        return self._agency_command(
            "exit_agency", agency_id, [reason, by], lambda a, now: a.exit(reason, by=by, now=now), idempotency_key
        )

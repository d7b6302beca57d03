"""Personal-data commands: erasure (crypto-shredding), recorded access by regulators, masked views.

个人信息保护法 第四十七条 (deletion), 第五十一条 (encryption, de-identification) and 第五十四条
(audits of processing): an erasure and every look at a person's clear data are events, with
who, when, whose (ID digests only) and why; the data itself never enters those events nor
their idempotency receipts.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.agency import Agency
from domain.base import Actor, Role
from domain.errors import InvalidInput, NotAllowed
from domain.personal_data import ErasureRequest, PersonalDataAccess
from market.privacy.keys import PersonKeys
from market.privacy.persons import PersonalData, each_person

ERASERS = (Role.OPERATOR, Role.REGULATOR)
REVEALERS = (Role.REGULATOR,)  # 管理机构 only


def _require(by: Actor, roles: tuple[Role, ...]) -> None:
    if by.role not in roles:
        raise NotAllowed(field="role", detail=by.role.value)


class PrivacyCommands:
    person_keys: PersonKeys

    @property
    def personal_data(self) -> PersonalData:
        if getattr(self, "_personal_data", None) is None:
            self._personal_data = PersonalData(self.person_keys, self.digester)  # type: ignore[attr-defined]
        return self._personal_data

    def erase_person(
        self, reason: str, *, id_number: str | None = None, id_digest: str | None = None, by: Actor,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """删除个人信息: record the request, then destroy the person's key (their sealed data reads 已删除)."""
        _require(by, ERASERS)
        if (id_number is None) == (id_digest is None):
            raise InvalidInput(field="id_number", detail="give the ID number or its digest, one of them")
        subject = self.digester.digest(id_number) if id_number is not None else id_digest  # type: ignore[attr-defined]

        def decide():
            request = ErasureRequest.record(subject, reason, by=by, now=self.clock.now())  # type: ignore[attr-defined]
            return [request], {"erasure_id": str(request.id), "id_digest": request.id_digest}

        result = self._execute("erase_person", [subject, reason, by], decide, idempotency_key)  # type: ignore[attr-defined]
        # After the record, and on a repeat too: a destruction that failed is completed by retrying.
        self.personal_data.keys.destroy(result["id_digest"])
        return result

    def reveal_agency_persons(
        self, agency_id: UUID | str, purpose: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """监管查阅: an agency's persons in clear; the access is recorded first (who, when, whose, why)."""
        _require(by, REVEALERS)
        agency = self.load(agency_id, Agency)  # type: ignore[attr-defined]
        subjects = sorted({p["id_digest"] for _, p in each_person(agency.profile) if p.get("id_digest")})

        def decide():
            access = PersonalDataAccess.record(agency.id, subjects, purpose, by=by, now=self.clock.now())  # type: ignore[attr-defined]
            return [access], {"access_id": str(access.id), "agency_id": str(agency.id)}

        # The receipt keeps only the access id: the clear data is read after, never stored.
        result = self._execute("reveal_agency_persons", [str(agency.id), purpose, by], decide, idempotency_key)  # type: ignore[attr-defined]
        return {**result, "persons": self.personal_data.reveal(agency.profile)}

    def agency_persons(self, agency_id: UUID | str) -> list[dict[str, Any]]:
        """An agency's persons as everyone but a recorded regulator sees them: masked."""
        agency = self.load(agency_id, Agency)  # type: ignore[attr-defined]
        return self.personal_data.masked(agency.profile)

    def close(self) -> None:
        super().close()  # type: ignore[misc]
        keys = getattr(self, "person_keys", None)
        if keys is not None:
            keys.close()

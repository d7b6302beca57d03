"""Approving departments (审批部门), their affiliated units and their staff.

This is the register against which 红顶中介 links are later detected (brief
§9.5, 国办发〔2015〕31号): a department's affiliated 事业单位 and 社会组织, and
the people who work or worked there. People are identified only by a keyed
digest of their ID number; the number itself never enters the event store.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, derived_id, require_aware, require_text
from domain.errors import Conflict, InvalidInput, NotFound

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class UnitKind(Enum):
    APPROVING_DEPARTMENT = "approving_department"  # 审批部门 / 行业主管部门
    AFFILIATED_UNIT = "affiliated_unit"  # 所属事业单位、主管社会组织、举办企业


class DepartmentStatus(Enum):
    ACTIVE = "active"


class StaffAlreadyListed(Conflict):
    code = "staff_already_listed"
    zh = "该人员已在册"
    en = "This person is already on the staff list"


class StaffNotListed(NotFound):
    code = "staff_not_listed"
    zh = "该人员不在册"
    en = "This person is not on the staff list"


class Department(MarketAggregate):
    Status = DepartmentStatus
    TRANSITIONS = {"staff": (DepartmentStatus.ACTIVE,)}

    @staticmethod
    def create_id(code: str) -> UUID:
        return derived_id("department", code)

    @classmethod
    def establish(
        cls, code: str, name: str, kind: str, region: str, *, parent_id: UUID | None = None,
        contacts: dict[str, str] | None = None, uscc: str | None = None, by: Actor, now: datetime,
    ) -> Department:  # fmt: skip
        try:
            kind_value = UnitKind(kind).value
        except ValueError:
            raise InvalidInput(field="kind", detail=kind) from None
        if kind_value == UnitKind.AFFILIATED_UNIT.value and parent_id is None:
            raise InvalidInput(field="parent_id", detail="an affiliated unit needs its department")
        return cls(
            code=require_text(code, "code"), name=require_text(name, "name"), kind=kind_value,
            region=require_text(region, "region"), parent_id=str(parent_id) if parent_id else None,
            contacts={k: str(v) for k, v in (contacts or {}).items() if v}, uscc=uscc,
            actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    class Established(MarketAggregate.Created):
        code: str
        name: str
        kind: str
        region: str
        parent_id: str | None
        contacts: dict[str, str]
        uscc: str | None
        actor: dict[str, Any]
        at: datetime

    @event(Established)
    def __init__(
        self, code: str, name: str, kind: str, region: str, parent_id: str | None,
        contacts: dict[str, str], uscc: str | None, actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.code = code
        self.name = name
        self.kind = kind
        self.region = region
        self.parent_id = parent_id
        self.contacts = contacts  # phone, email, address: compared for RH4 links
        self.uscc = uscc
        self.staff: dict[str, dict[str, Any]] = {}  # keyed by id digest
        self.status_code = DepartmentStatus.ACTIVE.value

    def appoint(
        self, id_digest: str, name: str, position: str, *, since: datetime, by: Actor, now: datetime
    ) -> None:
        self._guard("staff")
        if not _DIGEST.match(id_digest or ""):
            raise InvalidInput(field="id_digest", detail="keyed SHA-256 digest expected")
        current = self.staff.get(id_digest)
        if current and current.get("left") is None:
            raise StaffAlreadyListed(field="id_digest")
        self._staff_appointed(
            id_digest=id_digest, name=require_text(name, "name"), position=require_text(position, "position"),
            since=require_aware(since, "since"), actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @event("StaffAppointed")
    def _staff_appointed(
        self, id_digest: str, name: str, position: str, since: datetime, actor: dict[str, Any], at: datetime
    ) -> None:
        self.staff[id_digest] = {"name": name, "position": position, "since": since, "left": None}

    def record_departure(self, id_digest: str, *, left: datetime, by: Actor, now: datetime) -> None:
        """A staff member left: kept on record for the revolving-door rule (RH3, 24 months)."""
        self._guard("staff")
        current = self.staff.get(id_digest)
        if not current or current.get("left") is not None:
            raise StaffNotListed(field="id_digest")
        self._staff_left(
            id_digest=id_digest, left=require_aware(left, "left"), actor=by.as_event(), at=require_aware(now)
        )

    @event("StaffLeft")
    def _staff_left(self, id_digest: str, left: datetime, actor: dict[str, Any], at: datetime) -> None:
        self.staff[id_digest]["left"] = left

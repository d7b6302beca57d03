"""Registers kept by the platform: departments and staff, the service catalogue, owners."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.base import Actor
from domain.catalogue import ServiceItem
from domain.department import Department
from domain.errors import AlreadyRegistered, NotFound
from domain.owner import Owner


class RegistryCommands:
    def establish_department(
        self, code: str, name: str, kind: str, region: str, *, parent_id: UUID | None = None,
        contacts: dict[str, str] | None = None, uscc: str | None = None, by: Actor,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Register an approving department or one of its affiliated units."""

        def decide():
            if self.exists(Department.create_id(code)):
                raise AlreadyRegistered(field="code", detail=code)
            if parent_id is not None:
                self.load(parent_id, Department)
            dept = Department.establish(
                code, name, kind, region, parent_id=parent_id, contacts=contacts, uscc=uscc,
                by=by, now=self.clock.now(),
            )  # fmt: skip
            return [dept], {"department_id": str(dept.id)}

        return self._execute("establish_department", [code, name, kind, region, str(parent_id), contacts, uscc, by], decide, idempotency_key)

    def appoint_staff(
        self, department_id: UUID, id_number: str, name: str, position: str, *, since: datetime,
        by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        digest = self.digester.digest(id_number)

        def decide():
            dept = self.load(department_id, Department)
            dept.appoint(digest, name, position, since=since, by=by, now=self.clock.now())
            return [dept], {"department_id": str(dept.id), "id_digest": digest}

        return self._execute("appoint_staff", [str(department_id), digest, name, position, since, by], decide, idempotency_key)

    def record_staff_departure(
        self, department_id: UUID, id_number: str, *, left: datetime, by: Actor,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        digest = self.digester.digest(id_number)

        def decide():
            dept = self.load(department_id, Department)
            dept.record_departure(digest, left=left, by=by, now=self.clock.now())
            return [dept], {"department_id": str(dept.id)}

        return self._execute("record_staff_departure", [str(department_id), digest, left, by], decide, idempotency_key)

    def define_service_item(
        self, code: str, name: str, approval_matter: str, department_id: UUID,
        requirement: dict[str, Any] | None, *, self_preparable: bool = False, by: Actor,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Add an item to the 中介服务事项清单."""

        def decide():
            if self.exists(ServiceItem.create_id(code)):
                raise AlreadyRegistered(field="code", detail=code)
            self.load(department_id, Department)
            item = ServiceItem.define(
                code, name, approval_matter, department_id, requirement,
                self_preparable=self_preparable, by=by, now=self.clock.now(),
            )  # fmt: skip
            return [item], {"service_item_id": str(item.id)}

        return self._execute("define_service_item", [code, name, approval_matter, str(department_id), requirement, self_preparable, by], decide, idempotency_key)

    def service_item(self, code: str) -> ServiceItem:
        try:
            return self.load(ServiceItem.create_id(code), ServiceItem)
        except NotFound:
            raise NotFound(field="service_item_code", detail=code) from None

    def register_owner(
        self, uscc: str, name: str, unit_type: str, region: str, admin: dict[str, Any], *,
        by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Register a project owner unit (项目业主) with its admin account."""

        def decide():
            owner = Owner.register(uscc, name, unit_type, region, admin, by=by, now=self.clock.now())
            if self.exists(owner.id):
                raise AlreadyRegistered(field="uscc", detail=owner.uscc)
            return [owner], {"owner_id": str(owner.id)}

        return self._execute("register_owner", [uscc, name, unit_type, region, admin, by], decide, idempotency_key)

    def add_delegate(
        self, owner_id: UUID, delegate: dict[str, Any], *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        def decide():
            owner = self.load(owner_id, Owner)
            owner.add_delegate(delegate, by=by, now=self.clock.now())
            return [owner], {"owner_id": str(owner.id)}

        return self._execute("add_delegate", [str(owner_id), delegate, by], decide, idempotency_key)

    def remove_delegate(
        self, owner_id: UUID, account: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        def decide():
            owner = self.load(owner_id, Owner)
            owner.remove_delegate(account, by=by, now=self.clock.now())
            return [owner], {"owner_id": str(owner.id)}

        return self._execute("remove_delegate", [str(owner_id), account, by], decide, idempotency_key)

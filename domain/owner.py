"""The project owner (项目业主/采购人): a unit with an admin and delegates.

The admin (采购管理人) sees every request of the unit; a delegate
(采购受托人) sees only their own (广东《项目业主采购操作手册》[12]).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, check_credit_code, derived_id, require_aware, require_text
from domain.errors import Conflict, InvalidInput, NotFound


class UnitType(Enum):
    GOVERNMENT = "government"  # 机关事业单位
    STATE_OWNED = "state_owned"  # 国有企业
    PRIVATE = "private"  # 民营及其他社会投资主体


class OwnerStatus(Enum):
    ACTIVE = "active"


class DelegateExists(Conflict):
    code = "delegate_exists"
    zh = "该经办人已存在"
    en = "This delegate already exists"


class UnknownDelegate(NotFound):
    code = "unknown_delegate"
    zh = "该经办人不存在"
    en = "No such delegate"


class Owner(MarketAggregate):
    Status = OwnerStatus
    TRANSITIONS = {"manage": (OwnerStatus.ACTIVE,)}

    @staticmethod
    def create_id(uscc: str) -> UUID:
        return derived_id("owner", uscc)

    @classmethod
    def register(
        cls, uscc: str, name: str, unit_type: str, region: str, admin: dict[str, Any], *,
        by: Actor, now: datetime,
    ) -> Owner:  # fmt: skip
        try:
            unit = UnitType(unit_type).value
        except ValueError:
            raise InvalidInput(field="unit_type", detail=unit_type) from None
        return cls(
            uscc=check_credit_code(uscc), name=require_text(name, "name"), unit_type=unit,
            region=require_text(region, "region"), admin=_person(admin, "admin"),
            actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    class Registered(MarketAggregate.Created):
        uscc: str
        name: str
        unit_type: str
        region: str
        admin: dict[str, Any]
        actor: dict[str, Any]
        at: datetime

    @event(Registered)
    def __init__(
        self, uscc: str, name: str, unit_type: str, region: str, admin: dict[str, Any],
        actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.uscc = uscc
        self.name = name
        self.unit_type = unit_type
        self.region = region
        self.admin = admin
        self.delegates: list[dict[str, Any]] = []
        self.status_code = OwnerStatus.ACTIVE.value

    def add_delegate(self, delegate: dict[str, Any], *, by: Actor, now: datetime) -> None:
        self._guard("manage")
        person = _person(delegate, "delegate")
        if any(d["account"] == person["account"] for d in self.delegates):
            raise DelegateExists(field="delegate.account", detail=person["account"])
        self._delegate_added(delegate=person, actor=by.as_event(), at=require_aware(now))

    @event("DelegateAdded")
    def _delegate_added(self, delegate: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.delegates.append(delegate)

    def remove_delegate(self, account: str, *, by: Actor, now: datetime) -> None:
        self._guard("manage")
        if not any(d["account"] == account for d in self.delegates):
            raise UnknownDelegate(field="account", detail=account)
        self._delegate_removed(account=account, actor=by.as_event(), at=require_aware(now))

    @event("DelegateRemoved")
    def _delegate_removed(self, account: str, actor: dict[str, Any], at: datetime) -> None:
        self.delegates = [d for d in self.delegates if d["account"] != account]

    @property
    def is_state_funded_unit(self) -> bool:
        return self.unit_type in (UnitType.GOVERNMENT.value, UnitType.STATE_OWNED.value)


def _person(p: dict[str, Any] | None, field: str) -> dict[str, Any]:
    p = p or {}
    return {
        "account": require_text(p.get("account"), f"{field}.account"),
        "name": require_text(p.get("name"), f"{field}.name"),
    }

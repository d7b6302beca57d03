"""The service catalogue (中介服务事项清单).

Each item names the approval matter it serves and the approving department,
and what qualifications an agency must hold. Items an owner may prepare itself
are flagged (行动方案(一)3: owners may not be forced to hire an agency).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, derived_id, require_aware, require_text
from domain.qualifications import normalise_requirement


class ItemStatus(Enum):
    LISTED = "listed"  # 在清单内
    WITHDRAWN = "withdrawn"  # 已移出清单


class ServiceItem(MarketAggregate):
    """中介服务事项."""

    Status = ItemStatus
    TRANSITIONS = {"revise": (ItemStatus.LISTED,), "withdraw": (ItemStatus.LISTED,)}

    @staticmethod
    def create_id(code: str) -> UUID:
        return derived_id("service-item", code)

    @classmethod
    def define(
        cls, code: str, name: str, approval_matter: str, department_id: UUID,
        requirement: dict[str, Any] | None, *, self_preparable: bool = False, by: Actor, now: datetime,
    ) -> ServiceItem:  # fmt: skip
        return cls(
            code=require_text(code, "code"), name=require_text(name, "name"),
            approval_matter=require_text(approval_matter, "approval_matter"),
            department_id=str(department_id), requirement=normalise_requirement(requirement),
            self_preparable=bool(self_preparable), actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    class Defined(MarketAggregate.Created):
        code: str
        name: str
        approval_matter: str
        department_id: str
        requirement: dict[str, Any]
        self_preparable: bool
        actor: dict[str, Any]
        at: datetime

    @event(Defined)
    def __init__(
        self, code: str, name: str, approval_matter: str, department_id: str,
        requirement: dict[str, Any], self_preparable: bool, actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.code = code
        self.name = name
        self.approval_matter = approval_matter  # 服务的审批事项
        self.department_id = department_id  # 审批部门
        self.requirement = requirement
        self.self_preparable = self_preparable
        self.status_code = ItemStatus.LISTED.value

    def revise_requirement(self, requirement: dict[str, Any], *, by: Actor, now: datetime) -> None:
        self._guard("revise")
        self._requirement_revised(
            requirement=normalise_requirement(requirement), actor=by.as_event(), at=require_aware(now)
        )

    @event("RequirementRevised")
    def _requirement_revised(self, requirement: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.requirement = requirement

    def withdraw(self, reason: str, *, by: Actor, now: datetime) -> None:
        self._guard("withdraw")
        self._withdrawn(reason=require_text(reason, "reason"), actor=by.as_event(), at=require_aware(now))

    @event("Withdrawn")
    def _withdrawn(self, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.status_code = ItemStatus.WITHDRAWN.value

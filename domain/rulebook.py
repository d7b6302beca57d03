"""The rule book (选取规则): versioned selection rules and durations per region.

The 管理机构 adopts a rule set with an effective date; a procurement is
stamped at publication with the version in force then, so a later change never
alters a running procurement (brief, Conventions: "every parameter is
versioned configuration keyed by region and effective date").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.base import Actor, Role, derived_id, require_aware, require_text
from domain.errors import Conflict, InvalidInput, NotAllowed
from domain.procurement.deadlines import DEFAULT_TIMETABLE
from domain.selection import RuleSet


class RuleVersionExists(Conflict):
    code = "rule_version_exists"
    zh = "该规则版本号已存在"
    en = "This rule set version already exists"


class RuleBook(Aggregate):
    @staticmethod
    def create_id(region: str) -> UUID:
        return derived_id("rule-book", region)

    @classmethod
    def open(cls, region: str, *, by: Actor, now: datetime) -> RuleBook:
        return cls(region=require_text(region, "region"), actor=by.as_event(), at=require_aware(now))

    @event("Opened")
    def __init__(self, region: str, actor: dict[str, Any], at: datetime) -> None:
        self.region = region
        self.versions: list[dict[str, Any]] = []

    def adopt(
        self, version: str, *, effective_from: datetime, rules: dict[str, Any], timetable: dict[str, int],
        reason: str, by: Actor, now: datetime,
    ) -> None:  # fmt: skip
        if by.role not in (Role.REGULATOR, Role.OPERATOR):
            raise NotAllowed(field="role", detail=by.role.value)
        version = require_text(version, "version")
        if any(v["version"] == version for v in self.versions):
            raise RuleVersionExists(field="version", detail=version)
        checked = RuleSet.from_dict({**RuleSet(region=self.region).to_dict(), **rules, "version": version,
                                     "region": self.region}).to_dict()  # fmt: skip
        durations = {**DEFAULT_TIMETABLE, **timetable}
        if any(not isinstance(v, int) or v < 1 for v in durations.values()):
            raise InvalidInput(field="timetable", detail="working days must be positive integers")
        self._adopted(
            version=version, effective_from=require_aware(effective_from, "effective_from"), rules=checked,
            timetable=durations, reason=require_text(reason, "reason"), actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @event("RuleSetAdopted")
    def _adopted(
        self, version: str, effective_from: datetime, rules: dict[str, Any], timetable: dict[str, int],
        reason: str, actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.versions.append({"version": version, "effective_from": effective_from, "rules": rules,
                              "timetable": timetable, "reason": reason, "adopted_at": at})  # fmt: skip

    def in_force(self, at: datetime) -> tuple[dict[str, Any], dict[str, int]]:
        """The rule set and timetable in force at ``at``: the latest effective one."""
        effective = [v for v in self.versions if v["effective_from"] <= at]
        if not effective:
            return RuleSet(region=self.region).to_dict(), dict(DEFAULT_TIMETABLE)
        latest = max(effective, key=lambda v: (v["effective_from"], v["adopted_at"]))
        return latest["rules"], latest["timetable"]

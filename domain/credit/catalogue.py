"""The credit catalogue (信用评价目录): violation points and windows, weights and grade bands.

One ``CreditPolicy`` aggregate per region, changed by the 管理机构 through an event
(domain.md §3: "rules, thresholds, credit rules"), like the supervision thresholds.
Every credit record stamps the catalogue entry and version it was scored with, so
a later change never rewrites an earlier record (domain.md §9.1 in spirit).

Defaults are domain.md §8 and §10; "default (configurable)" there is marked so here.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, Role, derived_id, require_aware, require_text
from domain.credit.errors import CreditCatalogueUnchanged, InvalidCreditParameter, UnknownCreditParameter
from domain.errors import NotAllowed
from domain.supervision.cases import VIOLATIONS

SANCTIONS = ("warning", "suspension", "expulsion")  # 警告、暂停(分事项)、清退: the ladder 奖限停退 [19]
PARTS = ("regulator", "government")  # which part of the composite [31] a violation deducts from

# §8: "the window slides over 365 days from the offence date; records expire after 24 months".
WINDOW_DAYS, EXPIRES_DAYS = 365, 730


def _entry(code: str) -> dict[str, Any]:
    return {"points": VIOLATIONS[code]["points"], "window_days": WINDOW_DAYS, "expires_days": EXPIRES_DAYS,
            "sanction": None, "sanction_months": None, "part": "regulator"}  # fmt: skip


DEFAULT_VIOLATIONS: dict[str, dict[str, Any]] = {code: _entry(code) for code in VIOLATIONS}
# V08 (信用中国 blacklist [19]) is government credit data: it empties the composite's 10-point
# government part, and its sanction is the 红牌 ban until 信用修复 (here: expulsion, repairable
# after 12 months, as a removal "for the year" [33]). The −10 and the 12 months are ours.
DEFAULT_VIOLATIONS["V08"].update(points=-10, part="government", sanction="expulsion", sanction_months=12)

DEFAULT_SCORING: dict[str, Any] = {
    # Annual composite [31]: 70 regulator + 10 government credit data + 20 social evaluation.
    "regulator_weight": 70,
    "government_weight": 10,
    "social_weight": 20,
    # §8 grade bands: A ≥ 90, B 75–89, C 60–74, D < 60, default (configurable).
    "grade_a": 90,
    "grade_b": 75,
    "grade_c": 60,
    # Evaluations count over the same 365-day slide as violations: default (configurable), ours.
    "evaluation_window_days": 365,
    # Huizhou [19]: 2 bad records → suspension of 3 months.
    "escalation_records": 2,
    "escalation_months": 3,
    # §6.6: grade D excluded from 信用择优, default (configurable).
    "grade_d_excluded_from_credit_merit": True,
}

_ENTRY_FIELDS = ("points", "window_days", "expires_days", "sanction", "sanction_months", "part")


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
        raise InvalidCreditParameter(field=name, detail=repr(value))
    if not low <= value <= high:
        raise InvalidCreditParameter(field=name, detail=f"{value} not in [{low}, {high}]")
    return int(value)


def check_entry(code: str, entry: dict[str, Any]) -> dict[str, Any]:
    """A whole violation entry, validated (fields not given keep the current values)."""
    field = f"violations.{code}"
    if code not in DEFAULT_VIOLATIONS:
        raise UnknownCreditParameter(field=field, detail=code)
    unknown = sorted(set(entry) - set(_ENTRY_FIELDS))
    if unknown:
        raise UnknownCreditParameter(field=f"{field}.{unknown[0]}", detail=unknown[0])
    checked = {
        "points": _whole(f"{field}.points", entry["points"], -100, 0),
        "window_days": _whole(f"{field}.window_days", entry["window_days"], 1, 3650),
        "expires_days": _whole(f"{field}.expires_days", entry["expires_days"], 1, 3650),
        "sanction": entry["sanction"],
        "sanction_months": None,
        "part": entry["part"],
    }
    if checked["expires_days"] < checked["window_days"]:
        raise InvalidCreditParameter(field=f"{field}.expires_days", detail="shorter than the window")
    if checked["sanction"] is not None and checked["sanction"] not in SANCTIONS:
        raise InvalidCreditParameter(field=f"{field}.sanction", detail=repr(checked["sanction"]))
    if checked["sanction"] in ("suspension", "expulsion"):
        checked["sanction_months"] = _whole(f"{field}.sanction_months", entry["sanction_months"], 1, 120)
    if checked["part"] not in PARTS:
        raise InvalidCreditParameter(field=f"{field}.part", detail=repr(checked["part"]))
    return checked


def check_scoring(scoring: dict[str, Any]) -> dict[str, Any]:
    """The whole scoring block, validated as one: weights make 100, bands descend."""
    checked: dict[str, Any] = {}
    for name, value in scoring.items():
        if name not in DEFAULT_SCORING:
            raise UnknownCreditParameter(field=f"scoring.{name}", detail=name)
        if name == "grade_d_excluded_from_credit_merit":
            if not isinstance(value, bool):
                raise InvalidCreditParameter(field=f"scoring.{name}", detail=repr(value))
            checked[name] = value
        else:
            checked[name] = _whole(f"scoring.{name}", value, 0, 3650)
    weights = checked["regulator_weight"] + checked["government_weight"] + checked["social_weight"]
    if weights != 100:
        raise InvalidCreditParameter(field="scoring.regulator_weight", detail=f"weights sum to {weights}, not 100")
    if not 100 >= checked["grade_a"] > checked["grade_b"] > checked["grade_c"] > 0:
        raise InvalidCreditParameter(field="scoring.grade_a", detail="bands must descend within (0, 100]")
    for name in ("evaluation_window_days", "escalation_records", "escalation_months"):
        if checked[name] < 1:
            raise InvalidCreditParameter(field=f"scoring.{name}", detail=checked[name])
    return checked


class PolicyStatus(Enum):
    ACTIVE = "active"


class CreditPolicy(MarketAggregate):
    """The credit catalogue in force in one region (管理机构: credit rules; domain.md §3)."""

    Status = PolicyStatus
    TRANSITIONS = {"change": (PolicyStatus.ACTIVE,)}

    @staticmethod
    def create_id(region: str) -> UUID:
        return derived_id("credit-policy", region)

    @classmethod
    def establish(cls, region: str, *, by: Actor, now: datetime) -> CreditPolicy:
        return cls(region=require_text(region, "region"), violations=_copy(DEFAULT_VIOLATIONS),
                   scoring=dict(DEFAULT_SCORING), actor=by.as_event(), at=require_aware(now))  # fmt: skip

    class Established(MarketAggregate.Created):
        region: str
        violations: dict[str, Any]
        scoring: dict[str, Any]
        actor: dict[str, Any]
        at: datetime

    @event(Established)
    def __init__(
        self, region: str, violations: dict[str, Any], scoring: dict[str, Any], actor: dict[str, Any], at: datetime
    ) -> None:
        self.region = region
        self.violations = _copy(violations)
        self.scoring = dict(scoring)
        self.catalogue_version = 1
        self.status_code = PolicyStatus.ACTIVE.value

    def entry(self, code: str) -> dict[str, Any]:
        """One violation's entry in force, with its Chinese name (a code added later has its default)."""
        if code not in DEFAULT_VIOLATIONS:
            raise UnknownCreditParameter(field="violation_code", detail=code)
        entry = {**DEFAULT_VIOLATIONS[code], **self.violations.get(code, {})}
        return {"code": code, "zh": VIOLATIONS[code]["zh"], "source": VIOLATIONS[code]["source"], **entry}

    def catalogue(self) -> dict[str, dict[str, Any]]:
        return {code: self.entry(code) for code in DEFAULT_VIOLATIONS}

    def scoring_in_force(self) -> dict[str, Any]:
        return {**DEFAULT_SCORING, **self.scoring}

    def change(
        self, *, violations: dict[str, dict[str, Any]] | None = None, scoring: dict[str, Any] | None = None,
        reason: str, by: Actor, now: datetime,
    ) -> None:  # fmt: skip
        """The regulator sets new values; the event keeps the old ones beside them."""
        self._guard("change")
        if by.role is not Role.REGULATOR:
            raise NotAllowed(field="role", detail=by.role.value)
        new_violations: dict[str, Any] = {}
        for code, fields in sorted((violations or {}).items()):
            if not isinstance(fields, dict):
                raise InvalidCreditParameter(field=f"violations.{code}", detail=repr(fields))
            current = {k: v for k, v in self.entry(code).items() if k in _ENTRY_FIELDS} if code in DEFAULT_VIOLATIONS else {}
            checked = check_entry(code, {**current, **fields})
            if checked != current:
                new_violations[code] = checked
        new_scoring: dict[str, Any] = {}
        if scoring:
            current_scoring = self.scoring_in_force()
            checked_scoring = check_scoring({**current_scoring, **scoring})
            new_scoring = {k: v for k, v in checked_scoring.items() if v != current_scoring[k]}
        if not new_violations and not new_scoring:
            raise CreditCatalogueUnchanged(field="violations")
        old_violations = {code: {k: self.entry(code)[k] for k in _ENTRY_FIELDS} for code in new_violations}
        old_scoring = {k: self.scoring_in_force()[k] for k in new_scoring}
        self._catalogue_changed(
            old={"violations": old_violations, "scoring": old_scoring},
            new={"violations": new_violations, "scoring": new_scoring},
            reason=require_text(reason, "reason"), version=self.catalogue_version + 1,
            actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @event("CatalogueChanged")
    def _catalogue_changed(
        self, old: dict[str, Any], new: dict[str, Any], reason: str, version: int, actor: dict[str, Any],
        at: datetime,
    ) -> None:  # fmt: skip
        for code, entry in new["violations"].items():
            self.violations[code] = dict(entry)
        self.scoring.update(new["scoring"])
        self.catalogue_version = version


def _copy(violations: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {code: dict(entry) for code, entry in violations.items()}

"""Supervision thresholds (监管阈值): configuration a regulator changes through events.

One ``SupervisionSettings`` aggregate per region. Every detector reads its
parameters from here, and every flag stores the ones it was computed with
(domain.md §9.1: "store code, rule version, parameters"), so a later change
never rewrites an earlier flag. Defaults are domain.md §9.2, §9.3 and §10;
"default (configurable)" there is marked the same way below.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, Role, derived_id, require_aware, require_text
from domain.errors import NotAllowed
from domain.supervision.errors import InvalidThreshold, ThresholdsUnchanged, UnknownThreshold

DEFAULTS: dict[str, int | float] = {
    # §9.2, platform row (applies US 2010 [44] and US 2023 [45]): red > 2,500; amber > 1,800 with Δ > 100.
    "hhi_red": 2500,
    "hhi_amber": 1800,
    "hhi_amber_delta": 100,
    # A jump of this size from one window to the next: default (configurable), ours.
    "hhi_sharp_rise": 1000,
    "dominance_share": 0.40,  # §9.2 s_i > 40%, default (configurable)
    "cr4": 0.60,  # §9.2 CR4 > 60%, default (configurable)
    "lockin_share": 0.50,  # §9.2 lock-in > 50% of an owner's item spend, default (configurable)
    "lockin_min_contracts": 3,  # §9.2 with ≥ 3 contracts
    "market_window_months": 12,  # §9.2 / §10 rolling 12 months
    "min_market_requests": 10,  # §9.1 skip markets with < 10 requests, default (configurable)
    "late_signing_wd": 5,  # §9.3 late signing > 5 w.d. after publicity, default (configurable)
    "overrun_warn_wd": 0,  # §9.3 delivery overrun > 0 warns [29]
    "overrun_violation_wd": 10,  # §9.3 > 10 w.d. is a violation (湖口县 [29], V05)
    "acceptance_wd": 10,  # §9.3 deliverable review > 10 warns [7]
    "evaluation_wd": 3,  # §9.3 evaluation > 3 w.d. (AA市 [30])
    "extension_ratio": 0.5,  # §9.3 extension ÷ original duration > 0.5, default (configurable)
    "repeated_extensions": 2,  # §9.3 "steps": repeated extensions, default (configurable)
    "agency_overrun_rate": 0.3,  # an agency late on ≥ 30% of its contracts: default (configurable), ours
    "agency_min_contracts": 5,  # … judged only with ≥ 5 contracts in the window, ours
    "revolving_door_months": 24,  # §9.5 RH3 revolving door within 24 months, default (configurable)
    "department_share": 0.50,  # §9.5 an agency winning ≥ 50% of one department's matters: default (configurable), ours
    "department_min_awards": 5,  # … judged only with ≥ 5 awards of its matters in the window, ours
    # §9.4 collusion screens.
    "fence_iqr": 1.5,  # fences Q1 − 1.5·IQR, Q3 + 1.5·IQR per market (OCDS Cardinal [41])
    "cover_rd": 1.0,  # RD = (b₂ − b₁)/σ(losing bids) > 1 (Imhof [43])
    "cover_min_bids": 3,  # … with n ≥ 3 valid bids [43]
    "cobid_min": 5,  # co-bidding: co ≥ 5 requests together, default (configurable)
    "cobid_jaccard": 0.6,  # … and J ≥ 0.6, default (configurable)
    "rotation_entropy": 0.9,  # rotation: win-share entropy ≥ 0.9·log|G| [42], default (configurable)
    "rotation_runs_p": 0.05,  # … and a runs test on the winners: P(this many changes of winner) ≤ 5%, ours
    "last_minute_minutes": 30,  # last-minute sign-ups: in the final 30 min …, default (configurable)
    "last_minute_gap_seconds": 120,  # … within 120 s of each other, default (configurable)
    # §8 conduct (violation catalogue V01, V04; rolling windows).
    "abandonments": 3,  # 3 abandonments in 1 year are a violation in themselves (湖口县 [29])
    "abandonment_window_days": 365,  # the window slides over 365 days, default (configurable)
    "returned_serious": 2,  # ≥ 2 returns of one deliverable: 一类, most serious ([29][34], V04)
}

# Shares and ratios are fractions; HHI points are 0–10,000; the rest are counts.
_FRACTIONS = {"dominance_share", "cr4", "lockin_share", "agency_overrun_rate", "department_share", "cobid_jaccard",
              "rotation_entropy", "rotation_runs_p"}  # fmt: skip
_RATIOS = {"extension_ratio", "fence_iqr", "cover_rd"}  # positive, not bounded by 1
_HHI = {"hhi_red", "hhi_amber", "hhi_amber_delta", "hhi_sharp_rise"}


class SettingsStatus(Enum):
    ACTIVE = "active"


def check_threshold(name: str, value: Any) -> int | float:
    """The value, validated for its parameter; refuse unknown names and bad values."""
    if name not in DEFAULTS:
        raise UnknownThreshold(field=name, detail=name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidThreshold(field=name, detail=repr(value))
    if name in _FRACTIONS:
        if not 0 < value <= 1:
            raise InvalidThreshold(field=name, detail=f"{value} not in (0, 1]")
        return float(value)
    if name in _RATIOS:
        if value <= 0:
            raise InvalidThreshold(field=name, detail=value)
        return float(value)
    if not isinstance(value, int) and not float(value).is_integer():
        raise InvalidThreshold(field=name, detail=f"{value} is not a whole number")
    upper = 10_000 if name in _HHI else 1_000
    if not 0 <= value <= upper:
        raise InvalidThreshold(field=name, detail=f"{value} not in [0, {upper}]")
    if name in ("market_window_months", "cover_min_bids", "cobid_min", "abandonments", "abandonment_window_days",
                "returned_serious", "last_minute_minutes") and value < 1:  # fmt: skip
        raise InvalidThreshold(field=name, detail=value)
    if name == "cover_min_bids" and value < 3:  # RD needs two losing bids for their σ
        raise InvalidThreshold(field=name, detail=f"{value} < 3")
    return int(value)


class SupervisionSettings(MarketAggregate):
    """The thresholds in force in one region (管理机构: rules, thresholds; domain.md §3)."""

    Status = SettingsStatus
    TRANSITIONS = {"change": (SettingsStatus.ACTIVE,)}

    @staticmethod
    def create_id(region: str) -> UUID:
        return derived_id("supervision-settings", region)

    @classmethod
    def establish(cls, region: str, *, by: Actor, now: datetime) -> SupervisionSettings:
        return cls(region=require_text(region, "region"), parameters=dict(DEFAULTS), actor=by.as_event(),
                   at=require_aware(now))  # fmt: skip

    class Established(MarketAggregate.Created):
        region: str
        parameters: dict[str, Any]
        actor: dict[str, Any]
        at: datetime

    @event(Established)
    def __init__(self, region: str, parameters: dict[str, Any], actor: dict[str, Any], at: datetime) -> None:
        self.region = region
        self.parameters = dict(parameters)
        self.status_code = SettingsStatus.ACTIVE.value

    def in_force(self) -> dict[str, int | float]:
        """Every parameter: the stored ones over today's defaults (a parameter added later has its default)."""
        return {**DEFAULTS, **self.parameters}

    def change(self, changes: dict[str, Any], *, reason: str, by: Actor, now: datetime) -> None:
        """The regulator sets new values; the event keeps the old ones beside them."""
        self._guard("change")
        if by.role is not Role.REGULATOR:
            raise NotAllowed(field="role", detail=by.role.value)
        current = self.in_force()
        new = {name: check_threshold(name, value) for name, value in sorted((changes or {}).items())}
        new = {name: value for name, value in new.items() if value != current[name]}
        if not new:
            raise ThresholdsUnchanged(field="changes")
        self._thresholds_changed(
            old={name: current[name] for name in new}, new=new, reason=require_text(reason, "reason"),
            actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    @event("ThresholdsChanged")
    def _thresholds_changed(
        self, old: dict[str, Any], new: dict[str, Any], reason: str, actor: dict[str, Any], at: datetime
    ) -> None:
        self.parameters.update(new)

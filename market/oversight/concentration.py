"""Concentration detectors (市场垄断, domain.md §9.2): HHI bands, sharp rises, dominance, lock-in.

Shares, HHI and CR4 come from projections/market_concentration.py; these only
judge them. A screen errs towards looking: HHI, CR4 and shares are the larger
of the by-value and by-count measures, and the figures keep both. Markets with
fewer requests than ``min_market_requests`` are skipped (§9.1); lock-in is not,
since it has its own floor of contracts (§9.2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.supervision import Finding, Severity
from market.oversight.detectors import MARKET, OWNER_ITEM, finding, market_scope, owner_item_scope, subjects
from domain.supervision.metrics import MarketFigures, Window

Evidence = Callable[[list[str]], list[dict[str, Any]]]  # the Awarded events of these agencies in the window


@dataclass(frozen=True)
class MarketInputs:
    figures: MarketFigures
    evidence: Evidence


@dataclass(frozen=True)
class OwnerItemInputs:
    owner_id: str
    service_item: str
    window: Window
    evidence: Evidence


def _top(window: Window, n: int = 4) -> list[dict[str, Any]]:
    ranked = sorted(window.agencies.items(), key=lambda kv: (-window.share(kv[0]), kv[0]))[:n]
    return [{"agency_id": a, **v} for a, v in ranked]


def market_summary(inputs: MarketInputs) -> dict[str, Any]:
    """The market's figures: what a market flag shows, and what its clearing records."""
    f = inputs.figures
    c = f.current
    return {
        "months": [c.months[0], c.months[-1]], "requests": c.requests, "awards": c.awards, "value_fen": c.value_fen,
        "hhi": c.hhi, "hhi_count": c.hhi_count, "hhi_value": c.hhi_value, "previous_hhi": f.previous.hhi,
        "delta": f.delta, "cr4": c.cr4, "cr4_count": c.cr4_count, "cr4_value": c.cr4_value,
        "agencies": len(c.agencies), "top": _top(c),
    }  # fmt: skip


def owner_item_summary(inputs: OwnerItemInputs) -> dict[str, Any]:
    w = inputs.window
    return {"months": [w.months[0], w.months[-1]], "contracts": w.awards, "value_fen": w.value_fen, "top": _top(w)}


def _market_subjects(f: MarketFigures, **more: Any) -> dict[str, str]:
    return subjects(service_item=f.service_item, region=f.region, **more)


def _too_small(f: MarketFigures, params: Mapping[str, Any]) -> bool:
    return f.current.requests < params["min_market_requests"] or not f.current.awards


class MarketHHI:
    """Red > 2,500; amber > 1,800 with Δ > 100 (platform row, after [44][45]); CR4 > 60% alone is low."""

    code, version, scope = "CONC_HHI", "1", MARKET
    parameters = ("hhi_red", "hhi_amber", "hhi_amber_delta", "cr4", "min_market_requests", "market_window_months")
    headline = ("hhi", "cr4")

    def evaluate(self, inputs: MarketInputs, params: Mapping[str, Any]) -> list[Finding]:
        f = inputs.figures
        if _too_small(f, params):
            return []
        c, delta = f.current, f.delta
        if c.hhi > params["hhi_red"]:
            severity, band = Severity.HIGH, "red"
        elif c.hhi > params["hhi_amber"] and delta is not None and delta > params["hhi_amber_delta"]:
            severity, band = Severity.MEDIUM, "amber"
        elif c.cr4 > params["cr4"]:
            severity, band = Severity.LOW, "cr4"
        else:
            return []
        scope = market_scope(f.service_item, f.region)
        top = [a["agency_id"] for a in _top(c)]
        return [finding(scope, scope, severity, _market_subjects(f), {**market_summary(inputs), "band": band},
                        inputs.evidence(top))]  # fmt: skip


class HHIRise:
    """A sharp rise of HHI from the previous window (Δ, §9.2): who gained is the evidence."""

    code, version, scope = "CONC_HHI_RISE", "1", MARKET
    parameters = ("hhi_sharp_rise", "min_market_requests", "market_window_months")
    headline = ("delta",)

    def evaluate(self, inputs: MarketInputs, params: Mapping[str, Any]) -> list[Finding]:
        f = inputs.figures
        if _too_small(f, params) or f.delta is None or f.delta <= params["hhi_sharp_rise"]:
            return []
        gains = {a: f.current.share(a) - f.previous.share(a) for a in f.current.agencies}
        gainers = [a for a, g in sorted(gains.items(), key=lambda kv: (-kv[1], kv[0]))[:4] if g > 0]
        scope = market_scope(f.service_item, f.region)
        figures = {**market_summary(inputs), "gainers": [{"agency_id": a, "gain": round(gains[a], 4)} for a in gainers]}
        return [finding(scope, scope, Severity.MEDIUM, _market_subjects(f), figures, inputs.evidence(gainers))]


class Dominance:
    """An agency above the dominance share s_i > 40% (§9.2); a majority is high severity."""

    code, version, scope = "CONC_DOMINANCE", "1", MARKET
    parameters = ("dominance_share", "min_market_requests", "market_window_months")
    headline = ("share",)

    def evaluate(self, inputs: MarketInputs, params: Mapping[str, Any]) -> list[Finding]:
        f = inputs.figures
        if _too_small(f, params):
            return []
        scope, found = market_scope(f.service_item, f.region), []
        for agency, a in f.current.agencies.items():
            share = f.current.share(agency)
            if share <= params["dominance_share"]:
                continue
            figures = {"share": share, "share_count": a["share_count"], "share_value": a["share_value"],
                       "awards": a["awards"], "value_fen": a["value_fen"], "market_awards": f.current.awards,
                       "requests": f.current.requests, "hhi": f.current.hhi,
                       "months": [f.current.months[0], f.current.months[-1]]}  # fmt: skip
            severity = Severity.HIGH if share > 0.5 else Severity.MEDIUM
            found.append(finding(f"{scope}|{agency}", scope, severity, _market_subjects(f, agency_id=agency), figures,
                                 inputs.evidence([agency])))  # fmt: skip
        return found


class OwnerLockIn:
    """One agency takes > 50% of an owner's spend on an item over 12 months, with ≥ 3 contracts (§9.2)."""

    code, version, scope = "CONC_LOCKIN", "1", OWNER_ITEM
    parameters = ("lockin_share", "lockin_min_contracts", "market_window_months")
    headline = ("share",)

    def evaluate(self, inputs: OwnerItemInputs, params: Mapping[str, Any]) -> list[Finding]:
        w, found = inputs.window, []
        scope = owner_item_scope(inputs.owner_id, inputs.service_item)
        for agency, a in w.agencies.items():
            share = a["share_value"] if w.value_fen else a["share_count"]  # spend, by number when no amounts
            if share <= params["lockin_share"] or a["awards"] < params["lockin_min_contracts"]:
                continue
            figures = {"share": share, "share_count": a["share_count"], "share_value": a["share_value"],
                       "contracts": a["awards"], "owner_contracts": w.awards, "value_fen": a["value_fen"],
                       "owner_value_fen": w.value_fen, "months": [w.months[0], w.months[-1]]}  # fmt: skip
            found.append(finding(
                f"{scope}|{agency}", scope, Severity.MEDIUM,
                subjects(owner_id=inputs.owner_id, service_item=inputs.service_item, agency_id=agency), figures,
                inputs.evidence([agency]),
            ))  # fmt: skip
        return found


DETECTORS = (MarketHHI(), HHIRise(), Dominance(), OwnerLockIn())

"""Pure figures of supervision (domain.md §9.2–9.3): shares, HHI, CR4, windows of months, percentiles.

s_i is agency i's share of market m, by value and by count; HHI = Σ(100·s_i)²
(0–10,000); CR4 = the sum of the top four shares; Δ = the change of HHI from the
previous window. Percentiles are nearest-rank: always one of the values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Window:
    """Shares of one window: by number of awards and by value (s_i, domain.md §9.2)."""

    months: list[str]
    requests: int
    awards: int
    value_fen: int
    agencies: dict[str, dict[str, Any]]  # agency → awards, value_fen, share_count, share_value
    hhi_count: float
    hhi_value: float
    cr4_count: float
    cr4_value: float

    @property
    def hhi(self) -> float:
        """HHI = Σ(100·s_i)²; the larger of the two measures (a screen errs towards looking)."""
        return max(self.hhi_count, self.hhi_value)

    @property
    def cr4(self) -> float:
        return max(self.cr4_count, self.cr4_value)

    def share(self, agency_id: str) -> float:
        a = self.agencies.get(agency_id)
        return max(a["share_count"], a["share_value"]) if a else 0.0


def window_of(months: list[str], totals: dict[str, tuple[int, int]], requests: int = 0) -> Window:
    """Shares, HHI and CR4 from per-agency (awards, value in fen) totals."""
    awards = sum(n for n, _ in totals.values())
    value = sum(v for _, v in totals.values())
    exact = {"share_count": [n / awards if awards else 0.0 for n, _ in totals.values()],
             "share_value": [v / value if value else 0.0 for _, v in totals.values()]}  # fmt: skip
    agencies = {
        agency: {"awards": n, "value_fen": v, "share_count": round(n / awards, 4) if awards else 0.0,
                 "share_value": round(v / value, 4) if value else 0.0}
        for agency, (n, v) in sorted(totals.items())
    }  # fmt: skip

    def hhi(measure: str) -> float:
        return round(sum((100 * s) ** 2 for s in exact[measure]), 1)

    def cr4(measure: str) -> float:
        return round(sum(sorted(exact[measure], reverse=True)[:4]), 4)

    return Window(months, requests, awards, value, agencies, hhi("share_count"), hhi("share_value"),
                  cr4("share_count"), cr4("share_value"))  # fmt: skip


@dataclass(frozen=True)
class MarketFigures:
    service_item: str
    region: str
    current: Window
    previous: Window

    @property
    def delta(self) -> float | None:
        """Δ = change of HHI from the previous window; None when that window had no awards."""
        return round(self.current.hhi - self.previous.hhi, 1) if self.previous.awards else None


def window_months(now: datetime, months: int) -> list[str]:
    """The ``months`` calendar months ending with ``now``'s month (Asia/Shanghai), oldest first."""
    local = now.astimezone(SHANGHAI)
    index = local.year * 12 + local.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]


def percentile(values: list[int], q: float) -> int | None:
    """Nearest-rank percentile (P50 = median, P90): ⌈n·q⌉-th smallest value, no interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * q)) - 1]

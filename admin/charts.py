"""The dashboard's figures, computed from the read models and shaped as ECharts options."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from admin import labels
from domain.supervision.metrics import window_of

WINDOW = 12  # months: the concentration detectors' rolling window (domain.md §9.2, §10)


def hhi_series(rows: list[dict[str, Any]], months: list[str], window: int = WINDOW) -> dict[str, list[float | None]]:
    """Rolling-window HHI (the larger of count and value, as the detector uses) per market, month by month.

    ``months`` is the months to plot; ``rows`` must cover them and the ``window - 1`` months before.
    """
    buckets: dict[tuple[str, str], dict[str, dict[str, tuple[int, int]]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        buckets[(r["service_item"], r["region"])][r["month"]][r["agency_id"]] = (r["awards"], r["value_fen"])
    all_months = sorted({m for market in buckets.values() for m in market} | set(months))
    series = {}
    for (item, region), by_month in sorted(buckets.items()):
        points: list[float | None] = []
        for month in months:
            span = [m for m in all_months if m <= month][-window:]
            totals: Counter = Counter()
            values: Counter = Counter()
            for m in span:
                for agency, (n, v) in by_month.get(m, {}).items():
                    totals[agency] += n
                    values[agency] += v
            if not totals:
                points.append(None)
                continue
            w = window_of(span, {a: (totals[a], values[a]) for a in totals})
            points.append(w.hhi)
        series[f"{item} · {region}"] = points
    return series


def line_chart(x: list[str], series: dict[str, list[Any]], *, y_name: str, mark: float | None = None) -> dict[str, Any]:
    lines = [{"name": name, "type": "line", "data": data, "connectNulls": True} for name, data in series.items()]
    if lines and mark is not None:
        lines[0]["markLine"] = {"silent": True, "data": [{"yAxis": mark, "name": "高度集中"}],
                                "lineStyle": {"color": "#d64545"}}  # fmt: skip
    return {
        "animation": False, "tooltip": {"trigger": "axis"}, "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 50, "right": 20, "top": 56, "bottom": 30},
        "xAxis": {"type": "category", "data": x}, "yAxis": {"type": "value", "name": y_name}, "series": lines,
    }  # fmt: skip


def flag_chart(counts: list[dict[str, Any]]) -> dict[str, Any]:
    """Open flags: one bar per type, stacked by severity."""
    codes = sorted({c["code"] for c in counts})
    colours = {"critical": "#8a041a", "high": "#d64545", "medium": "#e9b949", "low": "#7b8794"}
    series = []
    for severity in labels.SEVERITIES:
        data = [sum(c["n"] for c in counts if c["code"] == code and c["severity"] == severity) for code in codes]
        if any(data):
            series.append({"name": labels.SEVERITIES[severity], "type": "bar", "stack": "all", "data": data,
                           "itemStyle": {"color": colours[severity]}})  # fmt: skip
    return {
        "animation": False, "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 150, "right": 20, "top": 30, "bottom": 20},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [labels.flag_code(c) for c in codes]}, "series": series,
    }  # fmt: skip


def bar_chart(x: list[str], values: dict[str, list[Any]], *, y_name: str) -> dict[str, Any]:
    return {
        "animation": False, "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 50},
        "xAxis": {"type": "category", "data": x, "axisLabel": {"interval": 0, "rotate": 20}},
        "yAxis": {"type": "value", "name": y_name},
        "series": [{"name": name, "type": "bar", "data": data} for name, data in values.items()],
    }  # fmt: skip


def pie_chart(parts: dict[str, int]) -> dict[str, Any]:
    return {"animation": False, "tooltip": {"trigger": "item"}, "legend": {"top": 0},
            "series": [{"type": "pie", "radius": ["35%", "65%"],
                        "data": [{"name": k, "value": v} for k, v in parts.items()]}]}  # fmt: skip

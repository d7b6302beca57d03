"""The monthly supervision report (监管月报) of a region: concentration, delays, flags, case outcomes.

Issue 5: "a monthly supervision report per region, as HTML and CSV, with charts:
concentration, delays, flags by type, and case outcomes". Every figure is read
from the read models (``build_monthly_report``) into a plain dict (``.data``);
the HTML and CSV are rendered from that dict alone (market/oversight/report_render.py),
so a report issued as an event (domain/supervision/reports.py) renders the same
when downloaded a year later.

What the month's figures are (month boundaries in Asia/Shanghai):

* **Concentration** (§9.2): each market (service item × region) of the region with
  an award or a request in the rolling window; its HHI (the larger of by value
  and by count, as the detectors judge) at the end of each of the last six
  months, and its CR4, awards and value in the window ending with the month.
* **Delays** (§9.3): the working days of every stage that *ended* in the month
  (median, P90, n); the deliveries of the month and how many came after the
  (extended) due date; the contracts still undelivered past due at month end.
* **Flags**: flags first raised in the month, by code and severity. A flag is the
  region's when its region subject lies in it, else when its procurement, owner,
  winning agency or approving department (the first such subject it names) has a
  procurement in the region.
* **Cases**: cases opened in the month, and cases decided in it by outcome and
  violation code, attributed to the region like their flags.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from domain.supervision import DEFAULTS, Severity
from domain.supervision.metrics import percentile, window_months
from market.clock import SHANGHAI
from projections import market_concentration as mc
from projections import procurement_search as ps
from projections import stage_delays as sd
from projections import supervision_cases as sc
from projections import supervision_flags as sf
from projections.database import region_prefix

TREND_MONTHS = 6  # the HHI chart shows the last six month-ends
SEVERITIES = tuple(s.value for s in Severity)
# The subject that places a flag or a case in a region, in order of precedence (module docstring).
PLACED_BY = ("procurement_id", "owner_id", "agency_id", "department_id")


@dataclass(frozen=True)
class MonthlyReport:
    """One region's month: ``data`` holds every figure; ``html()`` and ``csv()`` render it."""

    data: dict[str, Any]

    def html(self) -> str:
        from market.oversight.report_render import render_html

        return render_html(self.data)

    def csv(self) -> str:
        from market.oversight.report_render import render_csv

        return render_csv(self.data)

    @property
    def digest(self) -> str:
        return digest_of(self.data)


def digest_of(data: dict[str, Any]) -> str:
    """SHA-256 of the figures as canonical JSON: what the ``Issued`` event is stamped with."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first moment, first moment of the next month) in Asia/Shanghai."""
    start = datetime.combine(month.replace(day=1), time(0), tzinfo=SHANGHAI)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


def month_label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def build_monthly_report(
    read_conn: Any, region: str, month: date, now: datetime, *, thresholds: dict[str, Any] | None = None
) -> MonthlyReport:
    """The report of ``region`` (and everything inside it) for the calendar ``month``, as of ``now``."""
    params = {**DEFAULTS, **(thresholds or {})}
    start, end = month_bounds(month)
    rows = sd.regional_rows(read_conn, region)
    place = _Placement(region, rows)
    concentration = _concentration(read_conn, region, month, params)
    delays = _delays(rows, start, end)
    flags = _flags([f for f in sf.raised_between(read_conn, start, end) if place.holds(f)])
    cases = _cases([c for c in sc.opened_between(read_conn, start, end) if place.holds(c)],
                   [c for c in sc.decided_between(read_conn, start, end) if place.holds(c)])  # fmt: skip
    items = ps.display_names(read_conn, "item", [m["service_item"] for m in concentration["markets"]])
    for m in concentration["markets"]:
        m["service_item_name"] = items.get(m["service_item"], m["service_item"])
    data = {
        "region": region, "month": month_label(month), "period": [start.isoformat(), end.isoformat()],
        "generated_at": now.astimezone(SHANGHAI).isoformat(),
        "thresholds": {k: params[k] for k in ("hhi_amber", "hhi_red", "market_window_months", "overrun_warn_wd")},
        "concentration": concentration, "delays": delays, "flags": flags, "cases": cases,
    }  # fmt: skip
    data["headline"] = {
        "markets": len(concentration["markets"]),
        "markets_red": sum(1 for m in concentration["markets"] if m["band"] == "red"),
        "deliveries": delays["deliveries"], "late": delays["late"], "flags": flags["total"],
        "cases_opened": cases["opened"], "cases_confirmed": cases["confirmed"], "cases_dismissed": cases["dismissed"],
    }  # fmt: skip
    return MonthlyReport(data)


class _Placement:
    """Which flags and cases belong to the region (module docstring)."""

    def __init__(self, region: str, rows: list[dict[str, Any]]) -> None:
        self.prefix = region_prefix(region)
        self.within = {
            "procurement_id": {r["procurement_id"] for r in rows}, "owner_id": {r["owner_id"] for r in rows},
            "agency_id": {r["agency_id"] for r in rows if r["agency_id"]},
            "department_id": {r["department_id"] for r in rows if r["department_id"]},
        }  # fmt: skip

    def holds(self, row: dict[str, Any]) -> bool:
        if row.get("region"):
            return str(row["region"]).startswith(self.prefix)
        subject = next((s for s in PLACED_BY if row.get(s)), None)
        return subject is not None and row[subject] in self.within[subject]


def _band(hhi: float, delta: float | None, params: dict[str, Any]) -> str:
    """§9.2 platform row: red > 2,500; amber > 1,800 with Δ > 100 (the thresholds in force)."""
    if hhi > params["hhi_red"]:
        return "red"
    if hhi > params["hhi_amber"] and delta is not None and delta > params["hhi_amber_delta"]:
        return "amber"
    return "none"


def _concentration(conn: Any, region: str, month: date, params: dict[str, Any]) -> dict[str, Any]:
    window = int(params["market_window_months"])
    prefix = region_prefix(region)
    month_end = datetime.combine(month_bounds(month)[1] - timedelta(days=1), time(12), tzinfo=SHANGHAI)
    trend = window_months(month_end, TREND_MONTHS)
    ends = [datetime.combine(date.fromisoformat(m + "-01") + timedelta(days=27), time(12), tzinfo=SHANGHAI)
            for m in trend]  # a moment inside each month: the window ends with that month  # fmt: skip
    markets = []
    for item, where in mc.markets(conn):
        if not where.startswith(prefix):
            continue
        figures = mc.market_figures(conn, item, where, month_end, window)
        current = figures.current
        if not current.awards and not current.requests:
            continue
        series = [mc.market_figures(conn, item, where, at, window).current.hhi for at in ends[:-1]] + [current.hhi]
        top = max(current.agencies.items(), key=lambda kv: (kv[1]["value_fen"], kv[0]), default=None)
        markets.append({
            "service_item": item, "region": where, "requests": current.requests, "awards": current.awards,
            "value_fen": current.value_fen, "hhi": current.hhi, "hhi_count": current.hhi_count,
            "hhi_value": current.hhi_value, "cr4": current.cr4, "delta": figures.delta, "hhi_trend": series,
            "top_share": round(current.share(top[0]), 4) if top else None,
            "band": _band(current.hhi, figures.delta, params),
        })  # fmt: skip
    markets.sort(key=lambda m: (-m["hhi"], m["service_item"], m["region"]))
    return {"months": trend, "window_months": window, "markets": markets}


def _in(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _delays(rows: list[dict[str, Any]], start: datetime, end: datetime) -> dict[str, Any]:
    stages = {}
    for stage, (_, finish) in sd.SPANS.items():
        values = [r[f"{stage}_wd"] for r in rows if _in(r[finish], start, end) and r[f"{stage}_wd"] is not None]
        stages[stage] = {"n": len(values), "median": percentile(values, 0.5), "p90": percentile(values, 0.9)}
    delivered = [r for r in rows if _in(r["delivered_at"], start, end) and r["overrun_wd"] is not None]
    overruns = [r["overrun_wd"] for r in delivered if r["overrun_wd"] > 0]
    overdue = [r for r in rows if r["status"] == "open" and r["service_due_at"] is not None
               and r["service_due_at"] < end and (r["delivered_at"] is None or r["delivered_at"] >= end)]  # fmt: skip
    return {
        "stages": stages, "deliveries": len(delivered), "late": len(overruns),
        "overrun_rate": round(len(overruns) / len(delivered), 4) if delivered else None,
        "overrun_median": percentile(overruns, 0.5), "overrun_p90": percentile(overruns, 0.9),
        "overdue_at_month_end": len(overdue),
    }  # fmt: skip


def _flags(found: list[dict[str, Any]]) -> dict[str, Any]:
    by_code: dict[str, dict[str, int]] = {}
    for f in found:
        counts = by_code.setdefault(f["code"], dict.fromkeys(SEVERITIES, 0))
        counts[f["severity"]] += 1
    severity = Counter(f["severity"] for f in found)
    return {
        "total": len(found), "by_code": dict(sorted(by_code.items())),
        "by_severity": {s: severity.get(s, 0) for s in SEVERITIES},
        "still_open": sum(1 for f in found if f["status"] == "open"),
    }  # fmt: skip


def _cases(opened: list[dict[str, Any]], decided: list[dict[str, Any]]) -> dict[str, Any]:
    confirmed = [c for c in decided if c["outcome"] == "confirmed"]
    return {
        "opened": len(opened), "confirmed": len(confirmed),
        "dismissed": sum(1 for c in decided if c["outcome"] == "dismissed"),
        "by_violation": dict(sorted(Counter(c["violation_code"] for c in confirmed).items())),
        "points": sum(c["points"] or 0 for c in confirmed),
    }  # fmt: skip

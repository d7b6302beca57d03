"""Issuing the monthly supervision reports: every region, every month once it has ended, exactly once.

Run by the oversight job in the scheduler leader (market/oversight/jobs.py).
Which reports are due is derived, not remembered: each region with a published
request since its first month, up to the last month that has ended on the
market's clock, less the reports already issued. A restart after downtime thus
issues every month it missed, and nothing twice: the read model of issued
reports says what to skip, and the event store refuses a second report of a
region-month by its derived id, should the read model lag or two processes race.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from market.clock import SHANGHAI
from market.oversight.report import build_monthly_report, month_label
from projections import market_concentration as mc
from projections import supervision_reports as sr
from projections.engine import ReadModels

log = logging.getLogger(__name__)

READ_MODELS = ("market_concentration", "stage_delays", "supervision_flags", "supervision_cases",
               "procurement_search", "supervision_reports")  # fmt: skip


def months_between(first: str, last: date) -> list[date]:
    """First days of the months from ``first`` ("2026-01") to ``last``'s month, both included."""
    year, month = (int(x) for x in first.split("-"))
    found = []
    while (year, month) <= (last.year, last.month):
        found.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def last_ended_month(now: datetime) -> date:
    """The last calendar month (Asia/Shanghai) that has ended at ``now``."""
    local = now.astimezone(SHANGHAI).date()
    return date(local.year - 1, 12, 1) if local.month == 1 else date(local.year, local.month - 1, 1)


def due_reports(read_models: ReadModels, now: datetime) -> list[tuple[str, date]]:
    """(region, month) of every ended month not yet reported, oldest first."""
    with read_models.connect() as conn:
        first, issued = mc.first_months(conn), sr.issued(conn)
    last = last_ended_month(now)
    due = [(region, m) for region, start in first.items() for m in months_between(start, last)]
    return sorted((d for d in due if (d[0], month_label(d[1])) not in issued), key=lambda d: (d[1], d[0]))


def issue_due_reports(market: Any, read_models: ReadModels, now: datetime | None = None) -> list[dict[str, Any]]:
    """Build and issue every due report; return what was issued."""
    now = now or market.clock.now()
    read_models.catch_up(READ_MODELS)
    done, params = [], market.thresholds()
    for region, month in due_reports(read_models, now):
        with read_models.connect() as conn:
            report = build_monthly_report(conn, region, month, now, thresholds=params)
        result = market.issue_supervision_report(region, month_label(month), report.data, report.digest)
        if result["action"] == "issued":
            log.info("supervision report issued: %s %s", region, month_label(month))
            done.append({"region": region, "month": month_label(month), **result})
    if done:
        read_models.catch_up(["supervision_reports"])
    return done

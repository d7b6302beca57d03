"""The console's view of two modules built in parallel: the credit engine's standing and history
(``projections/agency_credit.py``) and the monthly supervision report
(``market/oversight/report.py``). Until they are in this tree the pages show "暂无数据"."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

try:
    from projections import agency_credit
except ImportError:  # the credit engine is not merged yet
    agency_credit = None

try:
    from market.oversight import report as monthly_report
except ImportError:  # the monthly report is not merged yet
    monthly_report = None


# Standings are asked for at the market's business time (``now``), never the wall clock: under the
# demo's or a drill's clock the two differ, and a record made "later" than the wall clock must count.


def standing(conn: Connection, agency_id: str, now: datetime) -> dict[str, Any] | None:
    """``{"score", "grade", "as_of"}``, or None when there is no credit engine or no standing yet."""
    if agency_credit is None:
        return None
    return agency_credit.standing(conn, str(agency_id), now) or None


def history(conn: Connection, agency_id: str, now: datetime) -> list[dict[str, Any]] | None:
    """Every change of the standing, newest first, each with the records (and events) behind it."""
    if agency_credit is None:
        return None
    return list(reversed(agency_credit.history(conn, str(agency_id), now)))


def grades(conn: Connection, agency_ids: list[str], now: datetime) -> dict[str, dict[str, Any]]:
    """Standing by agency, for listings and the dashboard's grade distribution."""
    if agency_credit is None or not agency_ids:
        return {}
    return agency_credit.standings(conn, agency_ids, now)


def report(conn: Connection, region: str, month: date, now: datetime) -> Any | None:
    """The monthly report (``.html()``, ``.csv()``, ``.data``), or None without the report module."""
    if monthly_report is None:
        return None
    return monthly_report.build_monthly_report(conn, region, month, now)

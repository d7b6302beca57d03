"""节假日安排 (operators): publish a year's holidays and 调休 workdays as the State Council's notice
announces them (chinese-calendar has no data past 2026). Deadlines counted while that year was
unpublished were provisional (weekends only); publishing the year recomputes them, each by a
``DeadlineRecomputed`` event on its procurement."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request

from admin import queries
from admin.session import CsrfChecked, Operator
from admin.templating import SHANGHAI
from admin.web import back, command, market, page, reads

router = APIRouter(prefix="/admin/calendar")
DEADLINE_NAMES = {"publicity_end": "公示期满", "contract_due": "签约期限", "service_due": "服务期限",
                  "acceptance_due": "签收期限", "evaluation_due": "评价期限"}  # fmt: skip


def parse_days(text: str) -> list[date]:
    """One date per line, or a range ``2027-02-06~2027-02-13`` (both ends included)."""
    days: list[date] = []
    for line in text.replace("至", "~").splitlines():
        line = line.strip()
        if not line:
            continue
        first, _, last = line.partition("~")
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if last.strip() else start
        if end < start or (end - start).days > 31:
            raise ValueError(line)
        days += [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return sorted(set(days))


def _first_unpublished(calendar, today: date) -> int:
    year = today.year
    while calendar.is_published(year):
        year += 1
    return year


@router.get("")
def calendar_page(request: Request, user: Operator, show: Annotated[int | None, Query(ge=2004, le=2099)] = None):
    """已发布的年度安排, and the deadlines falling in the first unpublished year (or in ``show``)."""
    calendar = market(request).calendar()
    today = market(request).clock.now().astimezone(SHANGHAI).date()
    year = _first_unpublished(calendar, today)
    shown = show or year
    with reads(request) as conn:
        deadlines = queries.deadlines_from(conn, datetime(shown, 1, 1, tzinfo=SHANGHAI))
    years = sorted(((int(y), a) for y, a in calendar.arrangements.items()), reverse=True)
    return page(request, "calendar.html", years=years[:6], year=year, shown=shown, deadlines=deadlines,
                provisional=not calendar.is_published(shown), names=DEADLINE_NAMES, older=len(years) - 6)  # fmt: skip


@router.post("", dependencies=[CsrfChecked])
def publish(
    request: Request, user: Operator, year: Annotated[int, Form(ge=2004, le=2099)],
    holidays: Annotated[str, Form(max_length=4000)], source: Annotated[str, Form(max_length=200)],
    makeup_workdays: Annotated[str, Form(max_length=2000)] = "",
):  # fmt: skip
    """发布一年的节假日安排, then recompute the deadlines that fall in it."""
    try:
        holiday_days, makeup_days = parse_days(holidays), parse_days(makeup_workdays)
    except ValueError as exc:
        return back("/admin/calendar", f"日期格式不正确:{exc}(每行一个日期 YYYY-MM-DD,或 起~止)", "error")
    _, error = command(request, user, "publish_holiday_year", year, holiday_days, makeup_days, source.strip())
    if error:
        return back("/admin/calendar", error, "error")
    with reads(request) as conn:
        affected = {d["procurement_id"] for d in queries.deadlines_from(conn, datetime(year, 1, 1, tzinfo=SHANGHAI),
                                                                         limit=100_000)}  # fmt: skip
    recomputed = 0
    for procurement_id in sorted(affected):
        result, _ = command(request, user, "recompute_deadlines", procurement_id)
        recomputed += bool(result and result["recomputed"])
    return back(f"/admin/calendar?show={year}", f"已发布 {year} 年节假日安排;{recomputed} 个项目的期限已按新日历重算。")

"""Seed the working-day calendar (工作日历) from the ``chinese_calendar`` package.

The only module that imports ``chinese_calendar``: the domain sees plain year arrangements, so
the package can be replaced (or a year entered by hand from the State Council's notice) without
touching ``domain.calendar``. chinese_calendar 1.11.0 has data for 2004–2026 only.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import chinese_calendar

from domain.calendar import WorkingDayCalendar

SOURCE = f"chinese-calendar {chinese_calendar.__version__}"
FIRST_YEAR, LAST_YEAR = 2004, 2026


@dataclass(frozen=True)
class YearArrangement:
    """One year's 节假日安排: official holidays and 调休 weekend working days."""

    year: int
    holidays: list[date]
    makeup_workdays: list[date]
    source: str


def arrangement_for(year: int) -> YearArrangement:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{SOURCE} has no data for {year} ({FIRST_YEAR}–{LAST_YEAR})")
    holidays: list[date] = []
    makeup: list[date] = []
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        # A plain weekend is (True, None); only named days are official holidays, weekend or not.
        if on_holiday and name is not None:
            holidays.append(day)
        elif not on_holiday and day.weekday() >= 5:
            makeup.append(day)
        day += timedelta(days=1)
    return YearArrangement(year=year, holidays=holidays, makeup_workdays=makeup, source=SOURCE)


def seeded_arrangements(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> list[YearArrangement]:
    return [arrangement_for(year) for year in range(first, last + 1)]


def seed_calendar(
    calendar: WorkingDayCalendar, *, by: Any, now: datetime,
    arrangements: list[YearArrangement] | None = None,
) -> list[int]:  # fmt: skip
    """Publish every seeded year not yet published; return the years published.

    A year already published is left alone: it may come from the official notice or a
    correction, which the package must not overwrite. This also makes re-seeding a no-op.
    """
    published = []
    if arrangements is None:
        # Only the years still missing: walking all of them costs ~0.3 s at every start-up.
        missing = [year for year in range(FIRST_YEAR, LAST_YEAR + 1) if not calendar.is_published(year)]
        arrangements = [arrangement_for(year) for year in missing]
    for arrangement in arrangements:
        if calendar.is_published(arrangement.year):
            continue
        calendar.publish_year(
            arrangement.year, arrangement.holidays, arrangement.makeup_workdays,
            arrangement.source, by=by, now=now,
        )  # fmt: skip
        published.append(arrangement.year)
    return published

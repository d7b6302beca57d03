"""Working-day calendar (工作日历): which days are 工作日, one aggregate per region.

Which days are working days is data, not code. Each year the State Council publishes the
holiday arrangement (国务院办公厅关于部分节假日安排的通知), including 调休 weekend days that
become working days, and now and then corrects it; a correction replaces the year whole.

Counting convention — the platform's default for every "N working days after T" deadline:

* T's own calendar date, taken in Asia/Shanghai, is never counted: 《民法典》第二百零一条,
  "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算".
* The deadline is the end of the N-th working day strictly after that date: 《民法典》第二百零三条,
  "期间的最后一日的截止时间为二十四时". That 24:00 is stored as the *exclusive* bound 00:00
  Asia/Shanghai of the following day, so "due" is simply ``now >= deadline.at`` and no second is
  lost to 23:59:59. Display it as "<date of the N-th working day> 24:00". N = 0 gives the end
  of T's own day.
* ``working_days_between(start, end)`` counts the working days after start's date whose 24:00
  has passed by ``end``; hence ``working_days_between(T, add_working_days(T, n).at) == n``.
* A year with no published arrangement is assumed to be Monday–Friday. A deadline that
  depended on such a year is ``provisional`` and lists the ``years_assumed``.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, MissingField, RuleViolation

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Same namespace and "kind/key" shape as domain.base.derived_id (not imported, to keep this
# module free of other domain code). Never change it: stored calendars are found by this id.
_MARKET_NAMESPACE = uuid5(NAMESPACE_URL, "https://zjcs.example.gov.cn/market")


class CalendarDateInvalid(InvalidInput):
    code = "calendar_date_invalid"
    zh = "日期或年度无效"
    en = "Not a valid calendar date or year"


class CalendarYearMismatch(InvalidInput):
    code = "calendar_year_mismatch"
    zh = "日期不属于所发布的年度"
    en = "A date does not belong to the published year"


class CalendarMakeupNotWeekend(InvalidInput):
    code = "calendar_makeup_not_weekend"
    zh = "调休上班日必须是周六或周日"
    en = "A make-up working day must be a Saturday or Sunday"


class CalendarHolidayIsMakeupWorkday(InvalidInput):
    code = "calendar_holiday_is_makeup_workday"
    zh = "同一日期不能既是节假日又是调休上班日"
    en = "A date cannot be both a holiday and a make-up working day"


class CalendarTimeNotAware(InvalidInput):
    code = "calendar_time_not_aware"
    zh = "时间必须带时区"
    en = "A timezone-aware time is required"


class CalendarNegativeWorkingDays(InvalidInput):
    code = "calendar_negative_working_days"
    zh = "工作日数不能为负数"
    en = "The number of working days cannot be negative"


class CalendarArrangementUnchanged(RuleViolation):
    code = "calendar_arrangement_unchanged"
    zh = "该年度已按相同安排发布"
    en = "This year is already published with the same arrangement"


@dataclass(frozen=True)
class Deadline:
    """A deadline in working days; ``at`` is the exclusive bound (see module docstring)."""

    at: datetime
    provisional: bool = False
    years_assumed: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "provisional": self.provisional,
            "years_assumed": list(self.years_assumed),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Deadline":
        return cls(
            at=datetime.fromisoformat(data["at"]).astimezone(SHANGHAI),
            provisional=bool(data["provisional"]),
            years_assumed=[int(y) for y in data["years_assumed"]],
        )


# Lookup sets per published year, keyed by a digest of the year's arrangement that is kept in
# state. Sets cannot live in state (it must round-trip JSON); a content key stays correct across
# replays, snapshots, deep copies and republished years, and regions with equal data share it.
_DAY_SETS: dict[str, tuple[frozenset[date], frozenset[date]]] = {}
_DAY_SETS_MAX = 4096


class WorkingDayCalendar(Aggregate):
    """The 工作日历 of one region (e.g. "全国" or an administrative division code)."""

    @staticmethod
    def id_for(region: str) -> UUID:
        return uuid5(_MARKET_NAMESPACE, f"working_day_calendar/{region}")

    @staticmethod
    def create_id(region: str) -> UUID:
        return WorkingDayCalendar.id_for(region)

    @classmethod
    def create(cls, region: str, *, by: Any, now: datetime) -> "WorkingDayCalendar":
        if not isinstance(region, str) or not region.strip():
            raise MissingField(field="region")
        return cls(region=region.strip(), actor=_actor(by), at=_aware(now, "now"))

    @event("Created")
    def __init__(self, region: str, actor: dict[str, Any], at: datetime) -> None:
        self.region = region
        self.created_by = actor
        self.created_at = at
        # {"2026": {"holidays": [iso...], "makeup_workdays": [iso...], "source", ...}}
        self.arrangements: dict[str, dict[str, Any]] = {}

    def publish_year(
        self, year: int, holidays: list[date], makeup_workdays: list[date], source: str,
        *, by: Any, now: datetime,
    ) -> None:  # fmt: skip
        """Publish (or correct) the holiday arrangement of one year."""
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
            raise CalendarDateInvalid(field="year", detail=repr(year))
        holiday_days = _dates_of(year, holidays, "holidays")
        makeup_days = _dates_of(year, makeup_workdays, "makeup_workdays")
        for day in makeup_days:
            if day.weekday() < 5:
                raise CalendarMakeupNotWeekend(field="makeup_workdays", detail=day.isoformat())
        both = sorted(set(holiday_days) & set(makeup_days))
        if both:
            raise CalendarHolidayIsMakeupWorkday(field="holidays", detail=both[0].isoformat())
        if not isinstance(source, str) or not source.strip():
            raise MissingField(field="source")
        actor, at = _actor(by), _aware(now, "now")
        holidays_iso = [d.isoformat() for d in holiday_days]
        makeup_iso = [d.isoformat() for d in makeup_days]
        current = self.arrangements.get(str(year), {})
        # Same dates and same source would add an event that changes nothing; a new source
        # with the same dates is still news (e.g. the official notice replaces a seed).
        same = (holidays_iso, makeup_iso, source.strip())
        if (current.get("holidays"), current.get("makeup_workdays"), current.get("source")) == same:
            raise CalendarArrangementUnchanged(field="year", detail=str(year))
        self._publish_year_arrangement(
            year=year, holidays=holidays_iso, makeup_workdays=makeup_iso,
            source=source.strip(), actor=actor, at=at,
        )  # fmt: skip

    @event("YearArrangementPublished")
    def _publish_year_arrangement(
        self, year: int, holidays: list[str], makeup_workdays: list[str], source: str,
        actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        # A correction supersedes the earlier arrangement of that year whole.
        self.arrangements[str(year)] = {
            "holidays": list(holidays),
            "makeup_workdays": list(makeup_workdays),
            "source": source,
            "published_by": dict(actor),
            "published_at": at,
            "key": _digest(year, holidays, makeup_workdays),
        }

    # --- queries: pure, never read the wall clock ------------------------------------------

    def is_published(self, year: int) -> bool:
        return str(year) in self.arrangements

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise CalendarDateInvalid(field="day", detail=repr(day))
        sets = self._day_sets(day.year)
        if sets is None:
            return day.weekday() < 5
        holidays, makeup = sets
        return day in makeup or (day.weekday() < 5 and day not in holidays)

    def add_working_days(self, start: datetime, n: int) -> Deadline:
        day = _aware(start, "start").astimezone(SHANGHAI).date()
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise CalendarNegativeWorkingDays(field="n", detail=repr(n))
        assumed: set[int] = set()
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if not self.is_published(day.year):
                assumed.add(day.year)
            counted += self.is_working_day(day)
        return Deadline(at=_end_of(day), provisional=bool(assumed), years_assumed=sorted(assumed))

    def working_days_between(self, start: datetime, end: datetime) -> int:
        first = _aware(start, "start").astimezone(SHANGHAI).date() + timedelta(days=1)
        # The last day whose 24:00 (= next day's 00:00) is at or before `end`.
        last = _aware(end, "end").astimezone(SHANGHAI).date() - timedelta(days=1)
        if last < first:
            return 0
        # Arithmetic per year rather than a walk per day: read models ask this over long spans.
        count = _weekdays_in(first, last)
        for year in range(first.year, last.year + 1):
            sets = self._day_sets(year)
            if sets is not None:
                holidays, makeup = sets
                count -= sum(1 for d in holidays if first <= d <= last and d.weekday() < 5)
                count += sum(1 for d in makeup if first <= d <= last and d.weekday() >= 5)
        return count

    def _day_sets(self, year: int) -> tuple[frozenset[date], frozenset[date]] | None:
        entry = self.arrangements.get(str(year))
        if entry is None:
            return None
        sets = _DAY_SETS.get(entry["key"])
        if sets is None:
            if len(_DAY_SETS) >= _DAY_SETS_MAX:
                _DAY_SETS.clear()
            sets = (
                frozenset(map(date.fromisoformat, entry["holidays"])),
                frozenset(map(date.fromisoformat, entry["makeup_workdays"])),
            )
            _DAY_SETS[entry["key"]] = sets
        return sets


def _digest(year: int, holidays: list[str], makeup_workdays: list[str]) -> str:
    payload = json.dumps([year, holidays, makeup_workdays], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _dates_of(year: int, values: list[date], field_name: str) -> list[date]:
    if isinstance(values, (str, bytes)):
        raise CalendarDateInvalid(field=field_name, detail=repr(values))
    days = set()
    for value in values:
        # A datetime is a date subclass, but its time part would leak into the ISO string.
        if isinstance(value, datetime) or not isinstance(value, date):
            raise CalendarDateInvalid(field=field_name, detail=repr(value))
        if value.year != year:
            raise CalendarYearMismatch(field=field_name, detail=value.isoformat())
        days.add(value)
    return sorted(days)


def _actor(by: Any) -> dict[str, Any]:
    """Accept domain.base.Actor (anything with ``as_event()``) or a {"id", "role"} dict."""
    actor = by.as_event() if hasattr(by, "as_event") else by
    if not isinstance(actor, dict) or not actor.get("id") or not actor.get("role"):
        raise MissingField(field="by")
    role = actor["role"]
    return {**actor, "id": str(actor["id"]), "role": str(getattr(role, "value", role))}


def _aware(at: datetime, field_name: str) -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise CalendarTimeNotAware(field=field_name, detail=repr(at))
    return at


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=SHANGHAI)


def _weekdays_in(first: date, last: date) -> int:
    """Mondays to Fridays in [first, last], both inclusive."""
    weeks, rest = divmod((last - first).days + 1, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)

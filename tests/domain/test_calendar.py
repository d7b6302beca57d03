"""Working-day calendar (工作日历): deadlines across 国庆 2026, unpublished 2027, refusals,
JSON and snapshot round trips, the counting invariant, and the chinese_calendar seed."""

import json
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytest
from eventsourcing.application import Application
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import (
    SHANGHAI, CalendarArrangementUnchanged, CalendarDateInvalid, CalendarHolidayIsMakeupWorkday,
    CalendarMakeupNotWeekend, CalendarNegativeWorkingDays, CalendarTimeNotAware,
    CalendarYearMismatch, Deadline, WorkingDayCalendar,
)
from domain.errors import InvalidInput, MissingField, RuleViolation
from market.calendar_seed import seed_calendar, seeded_arrangements

OPERATOR = {"id": "op-1", "role": "operator"}
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)


def sh(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def days(first: str, last: str) -> list[date]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


@lru_cache(maxsize=1)
def _arrangements():
    return seeded_arrangements()


# Spring Festival 2027 is invented here: 2027 is not yet published anywhere we can read.
HOLIDAYS_2027 = [date(2027, 1, 1), *days("2027-02-05", "2027-02-11")]
MAKEUP_2027 = [date(2027, 2, 14)]  # a Sunday
NOTICE = "国办发明电〔2026〕x号"


def publish_2027(calendar, holidays=HOLIDAYS_2027, makeup=MAKEUP_2027, source=NOTICE, now=NOW):
    calendar.publish_year(2027, holidays, makeup, source, by=OPERATOR, now=now)


def given_calendar(*, seeded=False, with_2027=False, committed=True) -> WorkingDayCalendar:
    """Committed (the default), collect_events() then shows only the events of the `when`."""
    calendar = WorkingDayCalendar.create("全国", by=OPERATOR, now=NOW)
    if seeded:
        seed_calendar(calendar, by=OPERATOR, now=NOW, arrangements=_arrangements())
    if with_2027:
        publish_2027(calendar)
    if committed:
        calendar.collect_events()
    return calendar


def test_create_region_records_created_with_derived_id():
    calendar = WorkingDayCalendar.create("全国", by=OPERATOR, now=NOW)

    [created] = calendar.collect_events()
    assert isinstance(created, WorkingDayCalendar.Created)
    assert (created.region, created.actor, created.at) == ("全国", OPERATOR, NOW)
    assert calendar.id == WorkingDayCalendar.id_for("全国") != WorkingDayCalendar.id_for("440300")


# Sep 30 (1), Oct 1–7 holidays, Oct 8 (2), Oct 9 (3): 3 days are due at the end of Oct 9, and
# the 调休 Saturday Oct 10 is the 4th. Unpublished, 2026 is taken as Mon–Fri: provisional.
NATIONAL_DAY_2026 = [
    (True, sh(2026, 9, 29, 10), 3, Deadline(at=sh(2026, 10, 10))),
    (True, sh(2026, 9, 29, 10), 4, Deadline(at=sh(2026, 10, 11))),
    (False, sh(2026, 9, 29, 10), 3, Deadline(sh(2026, 10, 3), True, years_assumed=[2026])),
    # 20:00 UTC on Sep 29 is already Sep 30 in Shanghai; n = 0 ends that day.
    (False, datetime(2026, 9, 29, 20, tzinfo=timezone.utc), 0, Deadline(at=sh(2026, 10, 1))),
]


@pytest.mark.parametrize("seeded, start, n, expected", NATIONAL_DAY_2026)
def test_add_working_days_across_national_day_2026_lands_on_the_right_day(
        seeded, start, n, expected):
    calendar = given_calendar(seeded=seeded)

    deadline = calendar.add_working_days(start, n)

    assert deadline == expected
    assert calendar.working_days_between(start, deadline.at) == n
    assert calendar.collect_events() == []


def test_publish_year_2027_makes_provisional_deadline_later_and_final():
    calendar = given_calendar(seeded=True)
    start = sh(2026, 12, 30, 10)
    before = calendar.add_working_days(start, 3)
    assert before == Deadline(at=sh(2027, 1, 5), provisional=True, years_assumed=[2027])

    publish_2027(calendar)

    [published] = calendar.collect_events()
    assert isinstance(published, WorkingDayCalendar.YearArrangementPublished)
    assert (published.year, published.makeup_workdays) == (2027, ["2027-02-14"])
    assert published.holidays == [d.isoformat() for d in HOLIDAYS_2027]
    assert (published.source, published.actor, published.at) == (NOTICE, OPERATOR, NOW)
    # Dec 31 (1), Jan 1 holiday, Jan 4 (2), Jan 5 (3).
    assert calendar.add_working_days(start, 3) == Deadline(at=sh(2027, 1, 6))
    # Feb 4 (1), Feb 5–11 holidays, Feb 12 (2), Sat 13 off, Sun 14 调休 (3), Feb 15 (4), 16 (5).
    assert calendar.add_working_days(sh(2027, 2, 3, 9), 5).at == sh(2027, 2, 17)


def test_publish_year_corrected_arrangement_replaces_the_previous_one():
    calendar = given_calendar(with_2027=True)

    publish_2027(calendar, holidays=[date(2027, 1, 1)], makeup=[], source="国办发明电〔2026〕y号")

    [corrected] = calendar.collect_events()
    assert corrected.holidays == ["2027-01-01"] and corrected.makeup_workdays == []
    assert calendar.is_working_day(date(2027, 2, 8))
    assert not calendar.is_working_day(date(2027, 2, 14))


def test_publish_year_same_dates_new_source_is_recorded():
    calendar = given_calendar(with_2027=True)

    publish_2027(calendar, source="国办发明电〔2026〕x号（更正）")

    assert [e.source for e in calendar.collect_events()] == ["国办发明电〔2026〕x号（更正）"]


REFUSED_PUBLICATIONS = [
    (CalendarYearMismatch, "holidays", dict(holidays=[date(2026, 12, 31)])),
    (CalendarYearMismatch, "makeup_workdays", dict(makeup_workdays=[date(2028, 1, 1)])),
    (CalendarMakeupNotWeekend, "makeup_workdays", dict(makeup_workdays=[date(2027, 2, 12)])),
    (CalendarHolidayIsMakeupWorkday, "holidays",
     dict(holidays=[date(2027, 2, 14)], makeup_workdays=[date(2027, 2, 14)])),
    (CalendarDateInvalid, "holidays", dict(holidays=[datetime(2027, 1, 1, tzinfo=SHANGHAI)])),
    (CalendarDateInvalid, "holidays", dict(holidays=["2027-01-01"])),
    (CalendarDateInvalid, "year", dict(year="2027")),
    (MissingField, "source", dict(source=" ")),
    (MissingField, "by", dict(by={"id": "op-1"})),
    (CalendarTimeNotAware, "now", dict(now=datetime(2026, 1, 5, 9))),
]


@pytest.mark.parametrize("error, field, change", REFUSED_PUBLICATIONS)
def test_publish_year_invalid_input_is_refused_and_records_nothing(error, field, change):
    calendar = given_calendar()
    command = dict(year=2027, holidays=HOLIDAYS_2027, makeup_workdays=MAKEUP_2027,
                   source=NOTICE, by=OPERATOR, now=NOW) | change

    with pytest.raises(error) as refused:
        calendar.publish_year(**command)

    assert isinstance(refused.value, InvalidInput) and refused.value.field == field
    assert calendar.collect_events() == [] and not calendar.is_published(2027)


def test_publish_year_unchanged_arrangement_is_refused_and_records_nothing():
    calendar = given_calendar(with_2027=True)

    with pytest.raises(CalendarArrangementUnchanged) as refused:
        # Same dates in another order, with a duplicate, later: still the same arrangement.
        publish_2027(calendar, holidays=[*reversed(HOLIDAYS_2027), date(2027, 1, 1)],
                     now=NOW + timedelta(days=1))

    assert isinstance(refused.value, RuleViolation)
    assert refused.value.code == "calendar_arrangement_unchanged"
    assert calendar.collect_events() == []


def test_create_without_region_or_with_naive_time_is_refused():
    with pytest.raises(MissingField):
        WorkingDayCalendar.create(" ", by=OPERATOR, now=NOW)
    with pytest.raises(CalendarTimeNotAware):
        WorkingDayCalendar.create("全国", by=OPERATOR, now=datetime(2026, 1, 5))


def test_queries_naive_time_or_negative_count_are_refused():
    calendar = given_calendar()

    with pytest.raises(CalendarTimeNotAware):
        calendar.add_working_days(datetime(2026, 9, 29, 10), 3)
    with pytest.raises(CalendarTimeNotAware):
        calendar.working_days_between(NOW, datetime(2026, 9, 29))
    with pytest.raises(CalendarNegativeWorkingDays):
        calendar.add_working_days(NOW, -1)
    with pytest.raises(CalendarDateInvalid):
        calendar.is_working_day(NOW)


SAMPLE_STARTS = [sh(2026, 9, 29, 10), sh(2026, 12, 30, 10), sh(2027, 2, 3, 9), sh(2004, 1, 1)]


def answers(c: WorkingDayCalendar) -> tuple:
    return ([c.add_working_days(s, n) for s in SAMPLE_STARTS for n in (0, 1, 5, 20)],
            [c.working_days_between(s, s + timedelta(days=400)) for s in SAMPLE_STARTS],
            [c.is_working_day(d) for d in days("2026-09-20", "2027-02-20")])


@pytest.mark.parametrize("snapshot", [False, True])
def test_calendar_reloaded_from_the_store_answers_the_same(snapshot):
    calendar = given_calendar(seeded=True, with_2027=True, committed=False)  # 25 events
    app = Application(env={"IS_SNAPSHOTTING_ENABLED": "y"} if snapshot else {})
    app.save(calendar)
    if snapshot:
        app.take_snapshot(calendar.id)

    restored = app.repository.get(calendar.id)

    if snapshot:  # the snapshot, not a replay, was used
        assert [s.originator_version for s in app.snapshots.get(calendar.id)] == [25]
    assert restored.version == 25 and restored == calendar
    assert answers(restored) == answers(calendar)


def test_deadline_to_dict_round_trips_through_json():
    deadline = given_calendar().add_working_days(sh(2027, 12, 30, 23, 59), 2)

    again = Deadline.from_dict(json.loads(json.dumps(deadline.to_dict())))

    assert again == deadline and again.at.utcoffset() == timedelta(hours=8)
    assert deadline.to_dict() == {"at": "2028-01-04T00:00:00+08:00", "provisional": True,
                                  "years_assumed": [2027, 2028]}


@lru_cache(maxsize=1)
def _read_only_seeded() -> WorkingDayCalendar:
    return given_calendar(seeded=True)


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2004, 1, 1), max_value=datetime(2027, 12, 31, 23, 59, 59),
        timezones=st.sampled_from([SHANGHAI, timezone.utc, ZoneInfo("America/New_York")]),
    ),
    n=st.integers(min_value=0, max_value=30),
)
def test_add_working_days_then_counting_back_gives_n(start, n):
    calendar = _read_only_seeded()

    deadline = calendar.add_working_days(start, n)

    assert deadline.at.astimezone(SHANGHAI).time() == datetime.min.time()
    assert calendar.working_days_between(start, deadline.at) == n
    if n > 0:
        last_day = (deadline.at - timedelta(days=1)).date()
        assert calendar.is_working_day(last_day)
        # The bound is tight: one microsecond earlier, the n-th day has not ended yet.
        just_before = deadline.at - timedelta(microseconds=1)
        assert calendar.working_days_between(start, just_before) == n - 1
    assert calendar.working_days_between(deadline.at, start) == 0  # the end before the start
    assert deadline.provisional == (deadline.years_assumed != []) and \
        set(deadline.years_assumed) <= {2027, 2028}


def test_seed_calendar_publishes_23_years_matching_known_days():
    calendar = given_calendar()

    years = seed_calendar(calendar, by=OPERATOR, now=NOW, arrangements=_arrangements())

    assert years == list(range(2004, 2027)) and len(calendar.collect_events()) == 23
    y2026 = _arrangements()[-1]
    assert date(2026, 10, 1) in y2026.holidays and date(2026, 10, 10) in y2026.makeup_workdays
    assert y2026.source == "chinese-calendar 1.11.0"
    assert not calendar.is_working_day(date(2026, 10, 1))
    assert calendar.is_working_day(date(2026, 10, 10))
    assert calendar.is_working_day(date(2025, 1, 26))  # Sunday before 春节 2025
    assert not calendar.is_working_day(date(2025, 1, 28))  # 除夕 2025, a Tuesday
    # chinese_calendar.get_workdays counts 248 working days in each of 2025 and 2026.
    assert calendar.working_days_between(sh(2024, 12, 31, 12), sh(2026, 1, 1)) == 248
    assert calendar.working_days_between(sh(2025, 12, 31, 12), sh(2027, 1, 1)) == 248


def test_seed_calendar_twice_publishes_nothing_and_keeps_official_years():
    calendar = given_calendar()
    calendar.publish_year(2026, [date(2026, 10, 1)], [], "国办发明电〔2025〕x号",
                          by=OPERATOR, now=NOW)
    calendar.collect_events()

    first = seed_calendar(calendar, by=OPERATOR, now=NOW, arrangements=_arrangements())
    calendar.collect_events()
    second = seed_calendar(calendar, by=OPERATOR, now=NOW, arrangements=_arrangements())

    assert first == list(range(2004, 2026)) and second == []
    assert calendar.collect_events() == []
    # The hand-entered 2026 (only Oct 1 off) survived: Oct 2 works, the 调休 Saturday does not.
    assert calendar.is_working_day(date(2026, 10, 2))
    assert not calendar.is_working_day(date(2026, 10, 10))

"""What every page shows the same way: Beijing time, yuan with thousands separators, holiday lists."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from admin.pages.calendar import parse_days
from admin.templating import fen_yuan, shanghai, yuan


def test_times_are_shown_in_beijing_time():
    assert shanghai(datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc)) == "2027-01-01 00:30"
    assert shanghai("2026-05-20T02:00:00+00:00") == "2026-05-20 10:00"
    assert shanghai(None) == "—"


def test_amounts_are_yuan_with_thousands_separators():
    assert yuan(Decimal("1234567.5")) == "¥1,234,567.50"
    assert yuan("30000") == "¥30,000.00"
    assert fen_yuan(11440000) == "¥114,400.00"
    assert fen_yuan(None) == "—"


def test_holidays_are_read_as_dates_and_ranges():
    days = parse_days("2027-01-01\n2027-02-06~2027-02-08\n\n2027-10-01至2027-10-02")
    assert days == [date(2027, 1, 1), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8), date(2027, 10, 1),
                    date(2027, 10, 2)]  # fmt: skip


@pytest.mark.parametrize("text", ["2027-02-30", "2027-02-08~2027-02-06", "2027-01-01~2027-03-01", "明年元旦"])
def test_a_bad_holiday_line_is_refused(text):
    with pytest.raises(ValueError):
        parse_days(text)

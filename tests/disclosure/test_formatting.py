"""Masking persons' data and writing times and money the way the public pages do."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from disclosure.formatting import budget, deadline, local_time, yuan
from disclosure.masking import mask_email, mask_name, mask_phone, mask_phones_in


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳修文", "欧***"), ("李", "李*"), ("", "")])
def test_a_name_keeps_its_surname_only(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("138 1234 5678", "138****5678"), ("0731-87045090", "0731-****5090"),
     ("073187045090", "********5090"), (None, "")],
)  # fmt: skip
def test_a_phone_number_keeps_its_first_three_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


def test_an_email_keeps_its_first_character_and_domain():
    assert mask_email("service23@agency23.example.cn") == "s***@agency23.example.cn"
    assert mask_email("not an address") == ""


def test_phone_numbers_quoted_in_free_text_are_masked():
    text = "联系人电话13812345678或0731-88889999,合同编号HT-2026-0042不变"
    assert mask_phones_in(text) == "联系人电话138****5678或0731-****9999,合同编号HT-2026-0042不变"


def test_times_are_beijing_time_and_a_deadline_at_midnight_is_24_00_of_the_day_before():
    utc = datetime(2026, 3, 10, 16, 0, tzinfo=timezone.utc)  # 2026-03-11 00:00 in Beijing
    assert local_time(utc) == "2026-03-11 00:00"
    assert deadline(utc) == "2026-03-10 24:00"
    assert deadline(datetime(2026, 2, 28, 16, 0, tzinfo=timezone.utc)) == "2026-02-28 24:00"  # 1 March 00:00
    assert deadline(datetime(2026, 3, 10, 1, 30, tzinfo=timezone.utc)) == "2026-03-10 09:30"
    assert local_time(None) == "—"


def test_amounts_carry_thousands_separators_and_two_decimals():
    assert yuan("443800000") == "¥443,800,000.00"
    assert yuan("27500.5") == "¥27,500.50"
    assert budget({"kind": "range", "min": "0.00", "max": "114000.00"}) == "最高限价 ¥114,000.00"
    assert budget({"kind": "fixed", "amount": "59000.00"}) == "¥59,000.00(固定价)"
    assert budget({"kind": "tbd"}) == "待定"

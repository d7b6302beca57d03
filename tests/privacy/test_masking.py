"""Masking rules for public and agency-facing views."""

from __future__ import annotations

import pytest

from domain.personal_data import ERASED
from market.privacy.masking import mask_email, mask_name, mask_phone


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("张", "张*"), ("欧阳娜娜", "欧***"), (ERASED, ERASED)])
def test_a_name_keeps_only_its_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"), ("0731-85556677", "0731-****6677"), ("073185556677", "********6677"),
    (ERASED, ERASED),
])  # fmt: skip
def test_a_phone_keeps_its_prefix_or_area_code_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(("email", "masked"), [("zhen.shiyin@example.cn", "z***@example.cn"), (ERASED, ERASED)])
def test_an_email_keeps_its_first_character_and_domain(email, masked):
    assert mask_email(email) == masked

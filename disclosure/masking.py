"""Masking of persons' data on public pages (《个人信息保护法》第二十八条、第五十一条: disclose the
minimum, de-identify what is shown).

A person's name keeps its surname (张*), a phone number its first three and last
four digits (138****5678, 0731-****5090), an e-mail address its first character and
domain. Free text written by users (descriptions, reasons) may quote a phone number:
every run of digits shaped like one is masked too. Names inside free text cannot be
told apart from other words, so the public pages show no free text about persons.
"""

from __future__ import annotations

import re

_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳修文 → 欧***."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str | None) -> str:
    """13812345678 → 138****5678; 0731-87045090 → 0731-****5090."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if "-" in phone:
        area, _, number = phone.partition("-")
        return f"{area}-{'*' * max(len(number) - 4, 1)}{number[-4:]}"
    return "*" * max(len(phone) - 4, 1) + phone[-4:]


def mask_email(email: str | None) -> str:
    """service23@agency23.example.cn → s***@agency23.example.cn."""
    if not email or "@" not in email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_phones_in(text: str | None) -> str:
    """Free text with every phone-shaped number masked."""
    if not text:
        return ""
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)

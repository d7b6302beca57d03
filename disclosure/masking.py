"""Masking of persons' data on public pages (《个人信息保护法》第二十八条、第五十一条: disclose the
minimum, de-identify what is shown).

The masks are market/privacy/masking.py's, the same as the API's: a person's name keeps
its surname (张*), a phone number its first three and last four digits (138****5678,
0731-****5090), an e-mail address its first character and domain. Free text written by users (descriptions, reasons) may quote a phone number:
every run of digits shaped like one is masked too. Names inside free text cannot be
told apart from other words, so the public pages show no free text about persons.
"""

from __future__ import annotations

import re

from market.privacy.masking import mask_email, mask_name, mask_phone  # the one set of masking rules

__all__ = ["mask_email", "mask_name", "mask_phone", "mask_phones_in"]

_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def mask_phones_in(text: str | None) -> str:
    """Free text with every phone-shaped number masked."""
    if not text:
        return ""
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)

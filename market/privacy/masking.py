"""Masking persons' data for public and agency-facing views (GB/T 35273—2020 §3.14, 去标识化).

A masked value shows enough to recognise one's own record and no more: the surname
(张*), a mobile's first three and last four digits (138****5678), a landline's area
code and last four digits (0731-****0101), an e-mail's first character and domain
(z***@example.cn). An erased value stays ``ERASED`` (已删除).
"""

from __future__ import annotations

import re

from domain.personal_data import ERASED


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***."""
    if not name or name == ERASED:
        return name or ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str:
    """13812345678 (or 138 1234 5678) → 138****5678; 0731-85556677 → 0731-****6677."""
    if not phone or phone == ERASED:
        return phone or ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):  # mobile, however it was spaced
        return f"{digits[:3]}****{digits[-4:]}"
    if "-" in phone:  # 区号-号码
        area, number = phone.split("-", 1)
        return f"{area}-{'*' * max(1, len(number) - 4)}{number[-4:]}"
    return "*" * max(1, len(phone) - 4) + phone[-4:]


def mask_email(email: str | None) -> str:
    """zhen.shiyin@example.cn → z***@example.cn; what is not an address is not shown at all."""
    if email == ERASED:
        return email
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


MASKS = {"name": mask_name, "phone": mask_phone, "email": mask_email}

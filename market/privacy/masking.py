"""Masking persons' data for public and agency-facing views (GB/T 35273—2020 §3.14, 去标识化).

A masked value shows enough to recognise one's own record and no more: the surname
(张*), a mobile's first three and last four digits (138****5678), a landline's area
code and last four digits (0731-****0101), an e-mail's first character and domain
(z***@example.cn). An erased value stays ``ERASED`` (已删除).
"""

from __future__ import annotations

from domain.personal_data import ERASED


def mask_name(name: str) -> str:
    if name == ERASED or not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    if phone == ERASED or not phone:
        return phone
    if "-" in phone:  # 区号-号码
        area, number = phone.split("-", 1)
        return f"{area}-{'*' * max(0, len(number) - 4)}{number[-4:]}"
    if len(phone) == 11:  # mobile
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * max(0, len(phone) - 4) + phone[-4:]


def mask_email(email: str) -> str:
    if email == ERASED or "@" not in email:
        return email
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


MASKS = {"name": mask_name, "phone": mask_phone, "email": mask_email}

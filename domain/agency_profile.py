"""The registered data of an agency (中介机构入驻信息) and its validation.

Persons (legal representative, shareholders who are people, practitioners) are
identified by a keyed digest of their ID number (``id_digest``), computed
outside the domain with a secret key: the number itself never enters an event.
Their name, phone and e-mail arrive sealed with that person's own key
(``domain/personal_data.py``); phone and e-mail also carry a keyed digest, so
that they can be matched without being read.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from domain.base import check_credit_code, require_text
from domain.errors import InvalidInput, MissingField
from domain.personal_data import check_digest, check_sealed
from domain.qualifications import normalise_qualification


class AgencyType(Enum):
    ENTERPRISE = "enterprise"  # 企业法人
    PUBLIC_INSTITUTION = "public_institution"  # 事业单位
    SOCIAL_ORGANISATION = "social_organisation"  # 社会组织 / 行业协会
    PARTNERSHIP = "partnership"  # 合伙企业 (e.g. 会计师事务所)
    SOLE_TRADER = "sole_trader"  # 个体工商户 (admitted in Jiangsu)


_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
PROFILE_FIELDS = (
    "name", "agency_type", "region", "address", "phone", "email", "legal_representative",
    "shareholders", "practitioners", "qualifications", "services",
)  # fmt: skip


def check_phone(value: str, field: str = "phone") -> str:
    value = require_text(value, field).replace(" ", "")
    if not _PHONE.match(value):
        raise InvalidInput(field=field, detail=value)
    return value


def check_email(value: str, field: str = "email") -> str:
    value = require_text(value, field)
    if not _EMAIL.match(value):
        raise InvalidInput(field=field, detail=value)
    return value


def check_clear_person(p: dict[str, Any], field: str) -> dict[str, str]:
    """A person's name, phone and e-mail as given, normalised: the market checks them before sealing."""
    clear = {"name": require_text(p.get("name"), f"{field}.name")}
    if p.get("phone"):
        clear["phone"] = check_phone(p["phone"], f"{field}.phone")
    if p.get("email"):
        clear["email"] = check_email(p["email"], f"{field}.email")
    return clear


def check_person(p: dict[str, Any] | None, field: str) -> dict[str, Any]:
    """A person as stored: the ID digest, the name sealed, phone and e-mail sealed with their keyed digests."""
    if not p:
        raise MissingField(field=field)
    digest = str(p.get("id_digest") or "")
    if not _DIGEST.match(digest):
        raise InvalidInput(field=f"{field}.id_digest", detail="keyed SHA-256 digest expected")
    if p.get("name") is None:
        raise MissingField(field=f"{field}.name")
    person = {"name": check_sealed(p["name"], digest, f"{field}.name"), "id_digest": digest}
    for kind in ("phone", "email"):
        if p.get(kind):
            person[kind] = check_sealed(p[kind], digest, f"{field}.{kind}")
            matched = p.get(f"{kind}_digest")  # None only on values upcast from before sealing
            person[f"{kind}_digest"] = None if matched is None else check_digest(matched, f"{field}.{kind}_digest")
    return person


def _check_shareholder(s: dict[str, Any]) -> dict[str, Any]:
    try:
        share = Decimal(str(s.get("share")))
    except InvalidOperation:
        raise InvalidInput(field="shareholders.share", detail=s.get("share")) from None
    if not Decimal(0) < share <= Decimal(100):
        raise InvalidInput(field="shareholders.share", detail=str(share))
    if s.get("kind") == "organisation":
        holder = {
            "kind": "organisation",
            "name": require_text(s.get("name"), "shareholders.name"),
            "uscc": check_credit_code(s.get("uscc", "")),
        }
    else:
        holder = {"kind": "person", **check_person(s, "shareholders")}
    holder["share"] = str(share)
    return holder


def _check_service(s: dict[str, Any]) -> dict[str, Any]:
    days = s.get("time_limit_days")
    if not isinstance(days, int) or days <= 0:
        raise InvalidInput(field="services.time_limit_days", detail=days)
    return {
        "item_code": require_text(s.get("item_code"), "services.item_code"),
        "time_limit_days": days,  # 承诺时限, working days
        "fee_reference": require_text(s.get("fee_reference"), "services.fee_reference"),
    }


def validate_profile(raw: dict[str, Any]) -> dict[str, Any]:
    """Normalise a full registration profile, or raise the first fault found."""
    try:
        agency_type = AgencyType(raw.get("agency_type")).value
    except ValueError:
        raise InvalidInput(field="agency_type", detail=raw.get("agency_type")) from None
    shareholders = [_check_shareholder(s) for s in raw.get("shareholders") or []]
    if sum(Decimal(s["share"]) for s in shareholders) > 100:
        raise InvalidInput(field="shareholders.share", detail="shares add up to more than 100%")
    services = [_check_service(s) for s in raw.get("services") or []]
    if not services:
        raise MissingField(field="services")
    if len({s["item_code"] for s in services}) != len(services):
        raise InvalidInput(field="services.item_code", detail="an item is offered twice")
    return {
        "name": require_text(raw.get("name"), "name"),
        "agency_type": agency_type,
        "region": require_text(raw.get("region"), "region"),
        "address": require_text(raw.get("address"), "address"),
        "phone": check_phone(raw.get("phone", "")),
        "email": check_email(raw.get("email", "")),
        "legal_representative": check_person(raw.get("legal_representative"), "legal_representative"),
        "shareholders": shareholders,
        "practitioners": [
            {**check_person(p, "practitioners"),
             "certificate_no": require_text(p.get("certificate_no"), "practitioners.certificate_no")}
            for p in raw.get("practitioners") or []
        ],
        "qualifications": [normalise_qualification(q) for q in raw.get("qualifications") or []],
        "services": services,
    }  # fmt: skip


def validate_change(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A change names only the fields it replaces; the merged profile must validate."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(field=sorted(unknown)[0], detail="not a registered-data field")
    if not changes:
        raise MissingField(field="changes")
    merged = validate_profile({**current, **changes})
    return {key: merged[key] for key in changes}

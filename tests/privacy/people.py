"""Two persons with distinctive data, and an agency that names them, for the personal-data tests."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.base import Actor, Role
from tests.builders import OPERATOR, agency_profile, id_number, uscc

ZHEN = {"name": "甄士隐", "id_number": id_number(901), "phone": "13912345678", "email": "zhen.shiyin@example.cn"}
JIA = {"name": "贾雨村", "id_number": id_number(902), "phone": "0731-85556677", "email": "jia.yucun@example.cn"}
AGENCY = 7


def profile_naming_both() -> dict[str, Any]:
    """甄士隐 is the legal representative, 贾雨村 a practitioner."""
    profile = agency_profile(AGENCY)
    profile["legal_representative"] = dict(ZHEN)
    profile["practitioners"] = [*profile["practitioners"], {**JIA, "certificate_no": "HP09902"}]
    return profile


def admitted_agency(market) -> tuple[UUID, Actor]:
    applicant = Actor("agency-user-7", Role.AGENCY)
    agency_id = UUID(market.register_agency(uscc(AGENCY), profile_naming_both(), by=applicant)["agency_id"])
    market.admit_agency(agency_id, by=OPERATOR)
    return agency_id, Actor(applicant.id, Role.AGENCY, str(agency_id))


def as_shareholder(person: dict[str, Any]) -> dict[str, Any]:
    """A change of registered data that makes ``person`` the only shareholder."""
    return {"shareholders": [{"kind": "person", "name": person["name"], "id_number": person["id_number"],
                              "share": "100"}]}  # fmt: skip

"""Personal data (个人信息) of persons in agency records: sealed values, erasure and recorded access.

A person's name, phone and e-mail enter events only *sealed*: encrypted by the market
with a key of that person alone (``market/privacy``), kept outside the event store. The
domain never sees them in clear; it checks their shape and keeps them as they are:

    {"subject": <id digest>, "key": <which key of the person>, "sealed": <base64 of nonce + AES-GCM ciphertext>}

Erasing a person destroys the key (crypto-shredding, 个人信息保护法 第四十七条): the events
and their hash chain stay as they were, and every sealed value of that person then reads
as ``ERASED``. Events recorded before sealing existed (event class version 1) are upcast
to ``{"subject": ..., "clear": ...}``; those cannot be shredded (docs/personal-data.md).

Who erased whom, and who looked at whose data and why, are themselves events
(``ErasureRequest``, ``PersonalDataAccess``) that carry digests only, never the data.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, require_aware, require_text
from domain.errors import InvalidInput, ReasonRequired

ERASED = "已删除"  # what an erased person's name, phone or e-mail reads as, everywhere
PERSONAL_FIELDS = ("name", "phone", "email")  # sealed per person; phone and e-mail also get a keyed digest
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("subject"), str) and isinstance(value.get("sealed"), str)


def is_legacy_clear(value: Any) -> bool:
    """A value from an event recorded before sealing, upcast (``upcast_persons``)."""
    return isinstance(value, dict) and isinstance(value.get("subject"), str) and isinstance(value.get("clear"), str)


def check_sealed(value: Any, subject: str, field: str) -> dict[str, str]:
    """A sealed value of this person (or, already stored, an upcast clear one); never bare text."""
    if not (is_sealed(value) or is_legacy_clear(value)) or value["subject"] != subject:
        raise InvalidInput(field=field, detail="a sealed personal value of this person expected")
    return dict(value)


def check_digest(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _DIGEST.match(value):
        raise InvalidInput(field=field, detail="keyed SHA-256 digest expected")
    return value


def upcast_person(person: dict[str, Any]) -> None:
    """Version 1 → 2 of one person: clear name/phone/e-mail wrapped as ``{"subject", "clear"}``."""
    subject = person.get("id_digest") or ""
    for field in PERSONAL_FIELDS:
        if isinstance(person.get(field), str):
            person[field] = {"subject": subject, "clear": person[field]}
            if field != "name":
                person.setdefault(f"{field}_digest", None)  # no key to compute it with: not matched


def upcast_persons(profile: dict[str, Any]) -> None:
    """Every person of a (partial) profile, in place: the legal representative, shareholders who
    are people, practitioners."""
    if isinstance(profile.get("legal_representative"), dict):
        upcast_person(profile["legal_representative"])
    for key in ("shareholders", "practitioners"):
        for person in profile.get(key) or []:
            if isinstance(person, dict) and person.get("kind") != "organisation":
                upcast_person(person)


def _reason(text: str | None, field: str) -> str:
    if not text or not str(text).strip():
        raise ReasonRequired(field=field)
    return str(text).strip()


class RecordStatus(Enum):
    RECORDED = "recorded"


class ErasureRequest(MarketAggregate):
    """删除个人信息: an operator or regulator erases a person (by ID digest), with a reason."""

    Status = RecordStatus

    @classmethod
    def record(cls, id_digest: str, reason: str, *, by: Actor, now: datetime) -> ErasureRequest:
        return cls(
            id_digest=check_digest(id_digest, "id_digest"),
            reason=_reason(reason, "reason"), actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    class Recorded(MarketAggregate.Created):
        id_digest: str
        reason: str
        actor: dict[str, Any]
        at: datetime

    @event(Recorded)
    def __init__(self, id_digest: str, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.id_digest = id_digest
        self.reason = reason
        self.requested_by = actor
        self.status_code = RecordStatus.RECORDED.value


class PersonalDataAccess(MarketAggregate):
    """查阅个人信息记录: a regulator saw the clear personal data of an agency's persons, and why."""

    Status = RecordStatus

    @classmethod
    def record(
        cls, agency_id: UUID, subjects: list[str], purpose: str, *, by: Actor, now: datetime
    ) -> PersonalDataAccess:
        return cls(
            agency_id=str(agency_id),
            subjects=[check_digest(s, "subjects") for s in subjects], fields=list(PERSONAL_FIELDS),
            purpose=require_text(purpose, "purpose"), actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    class Recorded(MarketAggregate.Created):
        agency_id: str
        subjects: list[str]  # the persons' ID digests: whose data was shown
        fields: list[str]
        purpose: str
        actor: dict[str, Any]
        at: datetime

    @event(Recorded)
    def __init__(
        self, agency_id: str, subjects: list[str], fields: list[str], purpose: str, actor: dict[str, Any], at: datetime
    ) -> None:
        self.agency_id = agency_id
        self.subjects = subjects
        self.fields = fields
        self.purpose = purpose
        self.accessed_by = actor
        self.accessed_at = at
        self.status_code = RecordStatus.RECORDED.value

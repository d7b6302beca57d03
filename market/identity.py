"""Keyed digests of personal ID numbers (居民身份证号码).

A person is identified across agencies and departments (红顶中介 detection)
by HMAC-SHA256 of the normalised ID number under a secret key held outside the
event store. The number itself is never stored (个人信息保护法 art. 51: take
measures such as encryption and de-identification).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from domain.errors import InvalidInput

_ID = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class InvalidIdNumber(InvalidInput):
    code = "invalid_id_number"
    zh = "居民身份证号码不正确"
    en = "The resident ID number is malformed"


def check_id_number(number: str, field: str = "id_number") -> str:
    """GB 11643-1999: 18 characters with an ISO 7064 MOD 11-2 check character."""
    value = (number or "").strip().upper()
    if not _ID.match(value) or _CHECK[sum(int(c) * w for c, w in zip(value, _WEIGHTS)) % 11] != value[17]:
        raise InvalidIdNumber(field=field)
    return value


def make_id_number(seventeen: str) -> str:
    """Complete 17 digits with the check character (demo data and tests)."""
    return seventeen + _CHECK[sum(int(c) * w for c, w in zip(seventeen, _WEIGHTS)) % 11]


class PersonDigester:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the person digest key must be at least 16 bytes")
        self._key = key

    def digest(self, id_number: str, field: str = "id_number") -> str:
        normalised = check_id_number(id_number, field)
        return hmac.new(self._key, normalised.encode(), hashlib.sha256).hexdigest()

    def contact_digest(self, kind: str, value: str) -> str:
        """A person's phone or e-mail as a keyed digest, for matching without reading it: phones by their
        digits, e-mails in lower case (as ``projections.red_top_links.normalise_contact`` compares)."""
        text = "".join(c for c in value if c.isdigit()) if kind == "phone" else value.strip().lower()
        return hmac.new(self._key, f"{kind}:{text}".encode(), hashlib.sha256).hexdigest()

    def replace_id_numbers(self, person: dict, field: str) -> dict:
        """Swap a person's clear ``id_number`` for its ``id_digest``."""
        person = dict(person)
        if "id_number" in person:
            person["id_digest"] = self.digest(person.pop("id_number"), f"{field}.id_number")
        return person

"""The persons of an agency's records: sealed on the way in, revealed or masked on the way out.

``PersonalData.seal_profile`` runs in the market before the domain sees a profile, as the ID
digests do: every person's name, phone and e-mail is checked in clear, then sealed with that
person's key (created on first use), and phone and e-mail get a keyed digest for matching.
``reveal`` and ``masked`` read them back: one key lookup per view, none cached.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from domain.agency_profile import check_clear_person
from domain.personal_data import PERSONAL_FIELDS, is_legacy_clear, is_sealed
from market.identity import PersonDigester
from market.privacy.keys import PersonKeys
from market.privacy.masking import MASKS
from market.privacy.sealing import open_value, seal

ROLES = ("legal_representative", "shareholders", "practitioners")
_DIGEST_LENGTH = 64


def each_person(profile: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(role, person) for every natural person a (partial) profile names."""
    if isinstance(profile.get("legal_representative"), dict):
        yield "legal_representative", profile["legal_representative"]
    for role in ("shareholders", "practitioners"):
        for person in profile.get(role) or []:
            if isinstance(person, dict) and person.get("kind") != "organisation":  # as the domain reads it
                yield role, person


def _subject(person: dict[str, Any]) -> str | None:
    digest = person.get("id_digest")
    return digest if isinstance(digest, str) and len(digest) == _DIGEST_LENGTH else None


class PersonalData:
    def __init__(self, keys: PersonKeys, digester: PersonDigester) -> None:
        self.keys = keys
        self.digester = digester

    # --- in: sealing --------------------------------------------------------------------

    def seal_profile(self, profile: dict[str, Any]) -> dict[str, Any]:
        """The profile with every person's clear name, phone and e-mail sealed under that person's key."""
        profile = copy.deepcopy(profile)
        people = [(role, p, _subject(p)) for role, p in each_person(profile)]
        subjects = {s for _, _, s in people if s}
        keys = self.keys.keys_for(subjects, create=True) if subjects else {}
        for role, person, subject in people:
            if subject is None:
                continue  # the domain refuses the missing digest, naming the field
            clear = check_clear_person(person, role)
            for field, text in clear.items():
                person[field] = seal(keys[subject], subject, field, text)
                if field != "name":
                    person[f"{field}_digest"] = self.digester.contact_digest(field, text)
        return profile

    # --- out: revealing and masking ---------------------------------------------------------

    def _open(self, profile: dict[str, Any], masked: bool) -> list[dict[str, Any]]:
        people = list(each_person(profile))
        sealed_subjects = {v["subject"] for _, p in people for f in PERSONAL_FIELDS
                           if is_sealed(v := p.get(f))}  # fmt: skip
        keys = self.keys.keys_for(sealed_subjects) if sealed_subjects else {}
        views = []
        for role, person in people:
            view: dict[str, Any] = {"role": role, "id_digest": person.get("id_digest"), "erased": False,
                                    "legacy_clear": False}  # fmt: skip
            for field in PERSONAL_FIELDS:
                value = person.get(field)
                if value is None:
                    view[field] = None
                    continue
                text, erased = open_value(value, field, keys)
                view["erased"] = view["erased"] or erased
                view["legacy_clear"] = view["legacy_clear"] or is_legacy_clear(value)
                view[field] = MASKS[field](text) if masked else text
            for extra in ("share", "certificate_no"):
                if extra in person:
                    view[extra] = person[extra]
            views.append(view)
        return views

    def reveal(self, profile: dict[str, Any]) -> list[dict[str, Any]]:
        """Every person of the profile in clear (erased ones read ``已删除``): for recorded access only."""
        return self._open(profile, masked=False)

    def masked(self, profile: dict[str, Any]) -> list[dict[str, Any]]:
        """Every person of the profile masked: 张*, 138****5678, z***@example.cn."""
        return self._open(profile, masked=True)


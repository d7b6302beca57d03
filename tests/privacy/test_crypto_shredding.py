"""Crypto-shredding: after an erasure no plaintext of the person is left anywhere, and history holds.

The whole store is searched as bytes: on SQLite every file of the data directory (events,
read models, person keys, WAL and journal files); on PostgreSQL ``pg_dump`` of the market's
database and of its key database. Each secret is looked for as UTF-8, as JSON escapes and as
hex (how ``pg_dump`` writes ``bytea``), and the search is shown to work on a value stored in
clear (the agency's address) before it is trusted to find nothing.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from domain.agency import Agency
from domain.personal_data import ERASED
from market.integrity.guard import IntegrityGuard
from market.privacy.keys import person_keys_url
from projections.catalog import PROJECTIONS, open_read_models
from tests.builders import OPERATOR, REGULATOR, agency_profile
from tests.privacy.people import AGENCY, JIA, ZHEN, admitted_agency, as_shareholder

SECRETS = ("name", "phone", "email")


def traces(text: str | bytes) -> list[bytes]:
    raw = text.encode() if isinstance(text, str) else text
    forms = [raw, raw.hex().encode()]
    if isinstance(text, str):
        forms.append(json.dumps(text)[1:-1].encode())  # \uXXXX escapes
    return forms


def found(text: str | bytes, haystack: bytes) -> bool:
    return any(form in haystack for form in traces(text))


def dump(database_url: str, tmp_path: Path) -> tuple[bytes, bytes]:
    """(the event store's own bytes, everything: store, read models and keys)."""
    if database_url.startswith("sqlite"):
        store = Path(database_url.removeprefix("sqlite:///")).read_bytes()
        everything = b"".join(p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file())
        return store, everything
    market_dump = subprocess.run(["pg_dump", "--no-owner", database_url], capture_output=True, check=True).stdout
    keys_dump = subprocess.run(["pg_dump", "--no-owner", person_keys_url(database_url)], capture_output=True,
                               check=True).stdout  # fmt: skip
    return market_dump, market_dump + keys_dump


def test_erasure_leaves_no_plaintext_and_history_replays_and_verifies(market, world, database_url, tmp_path):
    agency_id, agency = admitted_agency(market)
    market.submit_agency_change(agency_id, as_shareholder(ZHEN), by=agency)  # 甄士隐 in a second kind of event
    market.approve_agency_change(agency_id, by=OPERATOR)
    read_models = open_read_models(database_url, market)
    guard = IntegrityGuard(market, key_file=tmp_path / "checkpoint" / "key.pem")
    try:
        read_models.catch_up()
        assert guard.checkpoint().finding is None  # signed before the erasure
        zhen_digest = market.digester.digest(ZHEN["id_number"])
        zhen_key = market.person_keys.keys_for([zhen_digest])[zhen_digest]
        before = {p["role"]: p for p in market.reveal_agency_persons(agency_id, "核查", by=REGULATOR)["persons"]}
        assert before["legal_representative"]["name"] == ZHEN["name"]  # sealed, and it opens
        assert found(zhen_key, dump(database_url, tmp_path)[1])  # the search finds a key that exists

        market.erase_person("本人依个人信息保护法第四十七条请求删除", id_number=ZHEN["id_number"], by=REGULATOR)
        for projection in PROJECTIONS:
            read_models.rebuild(projection.name)

        revealed = market.reveal_agency_persons(agency_id, "删除后核查", by=REGULATOR)["persons"]
        by_digest = {(p["role"], p["id_digest"]): p for p in revealed}
        for role in ("legal_representative", "shareholders"):
            erased = by_digest[(role, zhen_digest)]
            assert (erased["name"], erased["phone"], erased["erased"]) == (ERASED, ERASED if role != "shareholders"
                                                                          else None, True)  # fmt: skip
        jia = by_digest[("practitioners", market.digester.digest(JIA["id_number"]))]
        assert (jia["name"], jia["phone"], jia["email"], jia["erased"]) == (JIA["name"], JIA["phone"], JIA["email"], False)
        assert guard.verify().finding is None  # the chain covers the ciphertext, which did not change
        replayed = market.load(agency_id, Agency)
        assert replayed.profile["legal_representative"]["id_digest"] == zhen_digest
    finally:
        read_models.close()
    market.close()

    store, everything = dump(database_url, tmp_path)
    assert found(agency_profile(AGENCY)["address"], store)  # the search finds what is stored in clear
    for field in SECRETS:
        assert not found(ZHEN[field], everything), field
        assert not found(JIA[field], everything), field  # the other person is sealed, not in clear either
    assert not found(zhen_key, everything)  # the key is destroyed, not merely unused

"""Events recorded before sealing (class version 1, persons in clear) still load, replay and project."""

from __future__ import annotations

from uuid import UUID

from domain.agency import Agency
from domain.base import Actor, Role
from eventsourcing.persistence import StoredEvent
from market.privacy.persons import PersonalData
from projections import red_top_links
from projections.catalog import open_read_models
from tests.builders import OPERATOR, agency_profile, uscc
from tests.domain.given import profile as sealed_profile

N = 8


def _digested_only(market, raw: dict) -> dict:
    """A profile as version 1 stored it: ID numbers digested, names and phones in clear."""
    d = market.digester
    return {**raw, "legal_representative": d.replace_id_numbers(raw["legal_representative"], "legal_representative"),
            "shareholders": [d.replace_id_numbers(s, "shareholders") for s in raw["shareholders"]],
            "practitioners": [d.replace_id_numbers(p, "practitioners") for p in raw["practitioners"]]}  # fmt: skip


def store_v1_registration(market) -> UUID:
    """Write an ``Agency.Registered`` exactly as version 1 code stored it (no ``class_version``)."""
    current = Agency.register(uscc(N), sealed_profile(N), by=Actor("agency-user-8", Role.AGENCY), now=market.clock.now())
    event = current.collect_events()[0]
    stored = market.mapper.to_stored_event(event)
    state = market.mapper.transcoder.decode(stored.state)
    assert state.pop("class_version") == 2
    state["profile"] = _digested_only(market, {**agency_profile(N), "legal_representative": {
        **agency_profile(N)["legal_representative"], "phone": "13712345678"}})
    market.recorder.insert_events([StoredEvent(stored.originator_id, 1, stored.topic,
                                               market.mapper.transcoder.encode(state))])  # fmt: skip
    return current.id


def test_a_version_1_registration_loads_with_its_persons_upcast_and_readable(market):
    agency_id = store_v1_registration(market)

    agency = market.load(agency_id, Agency)

    legal = agency.profile["legal_representative"]
    assert legal["name"] == {"subject": legal["id_digest"], "clear": "法人8"}
    assert legal["phone"] == {"subject": legal["id_digest"], "clear": "13712345678"}
    assert legal["phone_digest"] is None  # no key to digest it with when it was stored
    persons = {p["role"]: p for p in market.agency_persons(agency_id)}
    assert (persons["legal_representative"]["name"], persons["legal_representative"]["phone"]) == ("法**", "137****5678")
    assert persons["legal_representative"]["legacy_clear"] is True


def test_a_version_1_agency_takes_a_sealed_change_and_projects(market, database_url):
    agency_id = store_v1_registration(market)
    market.admit_agency(agency_id, by=OPERATOR)
    me = Actor("agency-user-8", Role.AGENCY, str(agency_id))
    new_rep = {"name": "新法人", "id_number": agency_profile(9)["legal_representative"]["id_number"], "phone": "13600001111"}

    market.submit_agency_change(agency_id, {"legal_representative": new_rep}, by=me)
    market.approve_agency_change(agency_id, by=OPERATOR)

    agency = market.load(agency_id, Agency)
    assert "sealed" in agency.profile["legal_representative"]["name"]  # the change is sealed
    assert "clear" in agency.profile["practitioners"][0]["name"]  # the untouched person stays as stored
    views = {p["role"]: p for p in PersonalData(market.person_keys, market.digester).reveal(agency.profile)}
    assert (views["legal_representative"]["name"], views["practitioners"]["name"]) == ("新法人", "工程师8")
    read_models = open_read_models(database_url, market)
    try:
        read_models.catch_up()
        with read_models.connect() as conn:
            roles = {(p["role"], p["id_digest"]) for p in red_top_links.persons_of(conn, str(agency_id))}
    finally:
        read_models.close()
    assert ("practitioners", agency.profile["practitioners"][0]["id_digest"]) in roles
    assert ("legal_representative", market.digester.digest(new_rep["id_number"])) in roles

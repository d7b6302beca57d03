"""Sealing: the domain takes persons' data only sealed, the store holds none in clear, and a seal
opens only for its own person, field and key."""

from __future__ import annotations

import copy

import pytest

from domain.agency import Agency
from domain.errors import InvalidInput
from domain.personal_data import ERASED
from market.privacy.keys import MemoryPersonKeys
from market.privacy.sealing import SealBroken, open_value, seal
from tests.builders import OPERATOR, REGULATOR, T0, agency_profile, uscc
from tests.domain.given import applicant, profile
from tests.privacy.people import JIA, ZHEN, admitted_agency, as_shareholder


def test_the_domain_refuses_a_person_whose_name_is_not_sealed():
    clear = profile(1)
    clear["legal_representative"] = {**clear["legal_representative"], "name": "法人1"}

    with pytest.raises(InvalidInput) as refused:
        Agency.register(uscc(1), clear, by=applicant(1), now=T0)

    assert refused.value.field == "legal_representative.name"


def test_a_bad_phone_of_a_person_is_refused_before_anything_is_sealed_or_recorded(market):
    raw = agency_profile(5)
    raw["practitioners"][0]["phone"] = "12345"
    before = market.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        market.register_agency(uscc(5), raw, by=applicant(5))

    assert refused.value.field == "practitioners.phone"
    assert market.recorder.max_notification_id() == before


def test_the_event_store_holds_persons_only_sealed(market):
    admitted_agency(market)
    stored = b"".join(n.state for n in market.recorder.select_notifications(start=1, limit=10_000))

    assert agency_profile(7)["address"].encode() in stored  # the agency's own data is in clear
    for person in (ZHEN, JIA):
        for field in ("name", "phone", "email", "id_number"):
            assert person[field].encode() not in stored, field


def test_a_repeated_registration_with_its_key_returns_the_first_result(market):
    first = market.register_agency(uscc(7), agency_profile(7), by=applicant(7), idempotency_key="reg-7")
    before = market.recorder.max_notification_id()

    again = market.register_agency(uscc(7), agency_profile(7), by=applicant(7), idempotency_key="reg-7")

    assert again == first  # sealing is deterministic, so the fingerprint of the repeat matches
    assert market.recorder.max_notification_id() == before


def test_a_seal_copied_onto_another_person_or_field_does_not_open():
    keys = MemoryPersonKeys()
    a, b = "a" * 64, "b" * 64
    store = keys.keys_for([a, b], create=True)
    sealed = seal(store[a], a, "name", "甄士隐")

    assert open_value(sealed, "name", store) == ("甄士隐", False)
    with pytest.raises(SealBroken):
        open_value(sealed, "phone", store)
    with pytest.raises(SealBroken):
        open_value({**sealed, "subject": b, "key": seal(store[b], b, "name", "x")["key"]}, "name", store)


def test_a_person_named_again_after_erasure_gets_a_new_key_and_the_old_records_stay_erased(market):
    agency_id, agency = admitted_agency(market)
    market.erase_person("本人申请删除", id_number=ZHEN["id_number"], by=OPERATOR)

    market.submit_agency_change(agency_id, as_shareholder(ZHEN), by=agency)
    market.approve_agency_change(agency_id, by=OPERATOR)

    persons = market.reveal_agency_persons(agency_id, "复核", by=REGULATOR)["persons"]
    named = {p["role"]: p["name"] for p in persons if p["id_digest"] == market.digester.digest(ZHEN["id_number"])}
    assert named == {"legal_representative": ERASED, "shareholders": ZHEN["name"]}


def test_phones_and_emails_carry_keyed_digests_that_match_however_they_are_written(market):
    raw = agency_profile(5)
    raw["legal_representative"] = {**raw["legal_representative"], "phone": "0731-85556677", "email": "Jia.Yucun@Example.cn"}
    raw["practitioners"] = [{**copy.deepcopy(JIA), "phone": "073185556677", "certificate_no": "HP1"}]
    agency_id = market.register_agency(uscc(5), raw, by=applicant(5))["agency_id"]

    profile_ = market.load(agency_id, Agency).profile
    legal, practitioner = profile_["legal_representative"], profile_["practitioners"][0]
    assert legal["phone_digest"] == practitioner["phone_digest"]
    assert legal["email_digest"] == practitioner["email_digest"]
    assert legal["phone_digest"] != market.digester.contact_digest("phone", "13912345678")

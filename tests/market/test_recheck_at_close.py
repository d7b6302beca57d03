"""Eligibility is checked again when the sign-up list is frozen (domain.md §6: "at sign-up and again
at selection"): an agency suspended since it signed up is left off the list, named with its reasons."""

from __future__ import annotations

from datetime import timedelta

from domain.procurement import Procurement
from tests.builders import REGULATOR, stored_as_version_1

QUOTE = {"kind": "amount", "value": "30000"}


def signup_closed(market, pid):
    (event,) = [e for e in market.history(pid) if type(e).__name__ == "SignupClosed"]
    return event


def test_an_agency_suspended_after_signing_up_is_left_off_the_frozen_list_with_its_reasons(market, world, clock):
    pid = world.open_procurement()
    agencies = [world.admitted_agency(n) for n in (2, 3, 4)]
    for agency_id, actor in agencies:
        market.sign_up(pid, agency_id, QUOTE, by=actor)
    suspended = agencies[1][0]
    market.suspend_agency(suspended, until=clock.now() + timedelta(days=60), reason="资料造假", by=REGULATOR)
    clock.advance(timedelta(days=3))

    market.close_signup(pid)

    p = market.load(pid, Procurement)
    assert sorted(e["agency_id"] for e in p.entries) == sorted(str(a) for a, _ in (agencies[0], agencies[2]))
    event = signup_closed(market, pid)
    assert [(x["agency_id"], x["reasons"]) for x in event.excluded] == [(str(suspended), ["suspended"])]
    assert event.excluded[0]["uscc"] == p.signups[str(suspended)]["uscc"]
    assert type(event).class_version == 2

    clock.advance(timedelta(days=7))
    market.run_selection(pid)
    assert market.load(pid, Procurement).winner_id != str(suspended)


def test_when_every_agency_is_still_eligible_nobody_is_excluded(market, world, clock):
    pid = world.open_procurement()
    for agency_id, actor in (world.admitted_agency(2), world.admitted_agency(3)):
        market.sign_up(pid, agency_id, QUOTE, by=actor)
    clock.advance(timedelta(days=3))

    market.close_signup(pid)

    assert signup_closed(market, pid).excluded == []
    assert len(market.load(pid, Procurement).entries) == 2


def test_a_version_1_close_stored_without_exclusions_reads_as_excluding_no_one(market, world, clock):
    pid = world.open_procurement()
    agency_id, actor = world.admitted_agency(2)
    market.sign_up(pid, agency_id, QUOTE, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    old = stored_as_version_1(market, pid, "SignupClosed", "excluded")

    event = market.mapper.to_domain_event(old)

    assert event.excluded == [] and [e["agency_id"] for e in event.entries] == [str(agency_id)]

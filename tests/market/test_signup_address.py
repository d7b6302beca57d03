"""A sign-up records the network address it came from (domain.md §9.4: "Log IP and device"), and a
sign-up stored before that field existed still reads and replays, with none."""

from __future__ import annotations

from domain.procurement import Procurement
from tests.builders import stored_as_version_1


def signed_up_events(market, pid) -> list:
    return [e for e in market.history(pid) if type(e).__name__ == "SignedUp"]


def test_sign_up_records_the_submission_address_and_none_when_not_given(market, world):
    pid = world.open_procurement()
    (a2, agency2), (a3, agency3) = world.admitted_agency(2), world.admitted_agency(3)

    market.sign_up(pid, a2, {"kind": "amount", "value": "30000"}, by=agency2, submitted_from=" 203.0.113.7 ")
    market.sign_up(pid, a3, {"kind": "amount", "value": "31000"}, by=agency3)

    first, second = signed_up_events(market, pid)
    assert (first.agency_id, first.submitted_from) == (str(a2), "203.0.113.7")
    assert (second.agency_id, second.submitted_from) == (str(a3), None)
    assert type(first).class_version == 2


def test_a_version_1_sign_up_stored_without_an_address_reads_as_none_and_replays(market, world):
    pid = world.open_procurement()
    a2, agency2 = world.admitted_agency(2)
    market.sign_up(pid, a2, {"kind": "amount", "value": "30000"}, by=agency2, submitted_from="203.0.113.7")
    old = stored_as_version_1(market, pid, "SignedUp", "submitted_from")

    event = market.mapper.to_domain_event(old)

    assert event.submitted_from is None and event.agency_id == str(a2)
    history = [market.mapper.to_domain_event(old if s.originator_version == old.originator_version else s)
               for s in market.recorder.select_events(pid)]  # the procurement's history, the old sign-up in it
    rebuilt = None
    for e in history:
        rebuilt = e.mutate(rebuilt)
    assert rebuilt.signups == market.load(pid, Procurement).signups

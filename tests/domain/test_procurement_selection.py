"""Procurement, tendering half: the close of sign-up, the selection and the award."""

from datetime import datetime

import pytest

from domain.draw import list_digest
from domain.errors import InvalidInput, TransitionForbidden
from domain.procurement import errors as E
from domain.selection import verify
from domain.calendar import SHANGHAI
from tests.builders import OPERATOR, SYSTEM, uscc
from tests.domain.given import (CALENDAR, CLOSES, HOUR, OPENS, OWNER, PUBLICITY_ENDS, SECRET, SELECTION_AT, P,
                                agency_id, agency_user, closed, eligible, only, quote,
                                selected, signup_open, with_signups)

# --- close of sign-up -------------------------------------------------------------


def test_close_signup_before_the_deadline_is_refused():
    p = with_signups()
    with pytest.raises(E.SignupNotYetDue) as refused:
        p.close_signup(by=SYSTEM, now=CLOSES - HOUR)
    assert refused.value.code == "signup_not_due"
    assert p.collect_events() == []


def test_close_signup_freezes_the_active_list_sorted_by_credit_code_and_publishes_its_hash():
    p = signup_open()
    for n, price in ((3, 33000), (1, 31000), (2, 32000), (4, 34000)):  # not in code order
        p.sign_up(eligible(n), quote=quote(price), by=agency_user(agency_id(n)), now=OPENS + HOUR)
    p.withdraw_signup(agency_id(4), by=agency_user(agency_id(4)), now=OPENS + 2 * HOUR)
    p.collect_events()
    p.close_signup(credit_scores={agency_id(1): 88}, by=SYSTEM, now=CLOSES)
    e = only(p.collect_events(), "SignupClosed")
    assert e.entries == [
        {"agency_id": agency_id(1), "uscc": uscc(1), "price": "31000.00", "credit_score": 88},
        {"agency_id": agency_id(2), "uscc": uscc(2), "price": "32000.00"},
        {"agency_id": agency_id(3), "uscc": uscc(3), "price": "33000.00"},
    ]
    assert e.list_hash == list_digest(e.entries)
    assert (e.actor, e.at) == (SYSTEM.as_event(), CLOSES)
    assert p.status is P.SIGNUP_CLOSED


def test_close_signup_with_no_sign_ups_freezes_an_empty_list():
    p = signup_open()
    p.close_signup(by=SYSTEM, now=CLOSES)
    assert only(p.collect_events(), "SignupClosed").entries == []


# --- selection ---------------------------------------------------------------------


def test_run_selection_before_the_selection_time_is_refused():
    p = closed()
    with pytest.raises(E.SelectionNotYetDue) as refused:
        p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT - HOUR)
    assert refused.value.code == "selection_not_due"
    assert p.collect_events() == []


@pytest.mark.parametrize("actor", [OWNER, OPERATOR], ids=["owner", "operator"])
def test_run_selection_of_a_platform_method_by_a_person_is_refused(actor):
    p = closed()
    with pytest.raises(E.WrongRole):
        p.run_selection(SECRET, calendar=CALENDAR, by=actor, now=SELECTION_AT)
    assert p.collect_events() == []


def test_run_selection_with_a_secret_other_than_the_committed_one_is_refused():
    p = closed()
    with pytest.raises(E.SecretMismatch) as refused:
        p.run_selection(b"\x01" * 32, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    assert refused.value.code == "secret_mismatch"
    assert p.collect_events() == []


def test_run_selection_lowest_price_selects_the_lowest_quote_and_publishes_a_verifiable_record():
    p = closed((35000, 30000, 40000))
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    e = only(p.collect_events(), "WinnerSelected")
    assert e.result["outcome"]["winner"] == agency_id(2) == p.winner_id
    assert e.result["outcome"]["transcript"] == []  # a single lowest quote needs no draw
    assert e.result["list_hash"] == p.list_hash and e.result["entries"] == p.entries
    assert e.result["secret"] == SECRET.hex() and e.result["commitment"] == p.commitment
    assert verify(e.result) == (True, [])
    assert (e.actor, e.at) == (SYSTEM.as_event(), SELECTION_AT)
    assert p.status is P.PUBLICITY


def test_run_selection_lowest_price_with_a_tie_draws_the_winner_from_the_tied_agencies():
    p = closed((30000, 40000, 30000))
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    outcome = only(p.collect_events(), "WinnerSelected").result["outcome"]
    tied = sorted([agency_id(1), agency_id(3)])
    assert [step["pool"] for step in outcome["transcript"]] == [tied]
    assert outcome["winner"] in tied and outcome["transcript"][0]["result"] == [outcome["winner"]]


def test_run_selection_with_too_few_valid_quotes_fails_the_round():
    p = closed((30000, 35000))  # state funds need three
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    e = only(p.collect_events(), "SelectionFailed")
    assert e.result["outcome"]["failure_reason"] == "too_few_bidders"
    assert e.result["outcome"]["figures"]["minimum"] == 3
    assert p.status is P.FAILED and p.winner_id is None


def test_run_selection_of_social_funds_with_one_quote_selects_it():
    p = closed((30000,), fund="social")
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    assert only(p.collect_events(), "WinnerSelected").result["outcome"]["winner"] == agency_id(1)


def test_run_selection_twice_is_refused():
    p = closed()
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    p.collect_events()
    with pytest.raises(TransitionForbidden):
        p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT + HOUR)
    assert p.collect_events() == []


def test_run_selection_credit_merit_records_a_short_list_for_the_owner():
    p = closed((None, None, None), {agency_id(n): s for n, s in ((1, 90), (2, 80), (3, 70))}, method="credit_merit")
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    e = only(p.collect_events(), "Shortlisted")
    assert sorted(e.result["outcome"]["figures"]["short_list"]) == sorted(agency_id(n) for n in (1, 2, 3))
    assert p.status is P.SHORTLISTED and p.winner_id is None


def test_run_selection_direct_by_the_owner_selects_the_designated_agency():
    p = closed((30000,), method="direct", fund="social")
    p.run_selection(SECRET, calendar=CALENDAR, choice={"chosen": agency_id(1)}, by=OWNER, now=SELECTION_AT)
    e = only(p.collect_events(), "WinnerSelected")
    assert e.result["outcome"]["winner"] == agency_id(1) and e.actor == OWNER.as_event()


def test_run_selection_direct_by_the_platform_is_refused():
    p = closed((30000,), method="direct", fund="social")
    with pytest.raises(E.NotTheOwner):
        p.run_selection(SECRET, calendar=CALENDAR, choice={"chosen": agency_id(1)}, by=SYSTEM, now=SELECTION_AT)
    assert p.collect_events() == []


def test_run_selection_direct_without_a_designated_agency_is_refused():
    p = closed((30000,), method="direct", fund="social")
    with pytest.raises(InvalidInput) as refused:
        p.run_selection(SECRET, calendar=CALENDAR, by=OWNER, now=SELECTION_AT)
    assert refused.value.field == "chosen"
    assert p.collect_events() == []


# --- award ---------------------------------------------------------------------------


def test_run_selection_with_a_winner_records_the_end_of_publicity_in_working_days():
    p = closed()
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)  # a Friday
    end = only(p.collect_events(), "WinnerSelected").publicity_end
    assert (end["at"], end["working_days"], end["start"]) == (datetime(2026, 3, 12, tzinfo=SHANGHAI), 3, SELECTION_AT)


def test_award_after_publicity_records_the_winner_and_the_contract_deadline():
    p = selected((35000, 30000, 40000))
    p.award(calendar=CALENDAR, by=SYSTEM, now=PUBLICITY_ENDS)
    e = only(p.collect_events(), "Awarded")
    assert (e.agency_id, e.at, e.contract_due["working_days"]) == (agency_id(2), PUBLICITY_ENDS, 5)
    assert p.status is P.CONTRACTING


def test_award_before_publicity_ends_is_refused():
    p = selected()
    with pytest.raises(E.PublicityNotOver) as refused:
        p.award(calendar=CALENDAR, by=SYSTEM, now=datetime(2026, 3, 11, 23, 59, tzinfo=SHANGHAI))
    assert refused.value.code == "publicity_not_over"
    assert p.collect_events() == []

"""Application tests: whole lifecycles through the market, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.agency import Agency, UnfinishedContracts
from domain.base import Actor, Role
from domain.errors import AlreadyRegistered, TransitionForbidden
from domain.procurement import Procurement
from domain.procurement.errors import AlreadySignedUp, NotEligible, SignupDeadlinePassed
from domain.selection import verify
from tests.builders import OPERATOR, agency_profile, uscc

SCORES = {"quality": 90, "timeliness": 85, "attitude": 95, "fee": 90, "conduct": 100}
DOC = "a" * 64


def event_names(market, aggregate_id) -> list[str]:
    return [type(e).__name__ for e in market.history(aggregate_id)]


def test_lowest_price_lifecycle_runs_from_draft_to_closed_and_releases_the_winner(market, world, clock):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pid = world.open_procurement()
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i * 1000)}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    selected = market.run_selection(pid)
    cheapest_id, cheapest = agencies[-1]
    assert selected["winner"] == str(cheapest_id) and selected["status"] == "publicity"

    clock.advance(timedelta(days=7))  # past the 公示期 of 3 working days
    market.award(pid)
    assert str(pid) in market.load(cheapest_id, Agency).engagements
    market.file_contract(pid, {"contract_no": "HT-2026-001", "amount": "27000", "document_sha256": DOC}, by=world.owner)
    market.confirm_contract(pid, by=cheapest)
    market.submit_deliverable(pid, {"title": "环境影响报告书", "sha256": DOC}, by=cheapest)
    market.accept_deliverable(pid, by=world.owner)
    closed = market.evaluate(pid, SCORES, "按时高质量完成", by=world.owner)

    assert closed["status"] == "closed"
    assert event_names(market, pid) == [
        "Drafted", "Submitted", "Published", "SignedUp", "SignedUp", "SignedUp", "SignedUp", "SignupClosed",
        "WinnerSelected", "Awarded", "ContractFiled", "ContractConfirmed", "DeliverableSubmitted",
        "DeliverableAccepted", "Evaluated",
    ]  # fmt: skip
    assert event_names(market, cheapest_id)[-2:] == ["Engaged", "Released"]
    record = market.history(pid)[8].result
    assert verify(record) == (True, [])


def test_direct_selection_lets_the_owner_designate_with_a_justification(market, world, clock):
    (first, first_actor), (second, second_actor) = world.admitted_agency(2), world.admitted_agency(3)
    pid = world.open_procurement(method="direct", fund="social")
    market.sign_up(pid, first, None, by=first_actor)
    market.sign_up(pid, second, None, by=second_actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)

    result = market.run_selection(pid, choice={"chosen": str(second)}, by=world.owner)

    assert result["winner"] == str(second)
    selected = market.history(pid)[-1]
    assert type(selected).__name__ == "WinnerSelected"
    assert selected.result["params"]["justification"] == "应急抢险,经集体研究直接选取"
    assert selected.actor["role"] == "owner_admin"


def test_too_few_sign_ups_fail_and_the_owner_republishes_a_linked_round(market, world, clock):
    agency_id, actor = world.admitted_agency(2)
    pid = world.open_procurement()
    market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)

    failed = market.run_selection(pid)
    assert failed["status"] == "failed" and failed["failure_reason"] == "too_few_bidders"

    new_round = market.republish(pid, {"fund_source": "social"}, by=world.owner)
    successor = market.load(new_round["procurement_id"], Procurement)
    assert new_round["round_no"] == 2 and successor.previous_id == str(pid)
    assert successor.notice["fund_source"] == "social" and successor.status_code == "draft"
    assert event_names(market, pid)[-1] == "Republished"


def test_abandoning_an_award_terminates_it_and_leaves_a_record_against_the_agency(market, world, clock):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement()
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(20000 + i)}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    clock.advance(timedelta(days=7))  # past the 公示期 of 3 working days
    market.award(pid)
    winner_id, winner = agencies[0]

    market.abandon(pid, "人员变动无法履约", by=winner)

    assert market.load(pid, Procurement).status_code == "terminated"
    assert event_names(market, winner_id)[-1] == "Abandoned"
    assert market.load(winner_id, Agency).engagements == []


def test_refused_commands_record_nothing(market, world, clock):
    agency_id, actor = world.admitted_agency(2)
    pid = world.open_procurement()
    market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor)
    before = market.recorder.max_notification_id()

    with pytest.raises(AlreadySignedUp):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": "19000"}, by=actor)
    with pytest.raises(AlreadyRegistered):
        market.register_agency(uscc(2), agency_profile(2), by=actor)
    with pytest.raises(TransitionForbidden):
        market.award(pid)
    clock.advance(timedelta(days=3))
    with pytest.raises(SignupDeadlinePassed):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": "18000"}, by=actor)

    assert market.recorder.max_notification_id() == before


def test_sign_up_by_an_agency_without_the_required_qualification_is_refused(market, world):
    agency_id, actor = world.admitted_agency(2, level="丙级")  # the item needs 乙级 or better
    pid = world.open_procurement()
    with pytest.raises(NotEligible) as refused:
        market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor)
    assert "qualification_missing" in refused.value.detail


def test_exit_is_refused_while_an_award_is_unfinished(market, world, clock):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement()
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(20000 + i)}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    clock.advance(timedelta(days=7))  # past the 公示期 of 3 working days
    market.award(pid)
    winner_id, winner = agencies[0]

    with pytest.raises(UnfinishedContracts):
        market.exit_agency(winner_id, "业务调整", by=winner)
    assert market.exit_agency(agencies[1][0], "业务调整", by=agencies[1][1])["status"] == "exited"


def test_operator_review_returns_and_admits_a_registration(market, world):
    applicant = Actor("applicant", Role.AGENCY)
    agency_id = market.register_agency(uscc(9), agency_profile(9), by=applicant)["agency_id"]
    market.return_agency(agency_id, ["营业执照扫描件不清晰"], by=OPERATOR)
    me = Actor("applicant", Role.AGENCY, agency_id)
    market.resubmit_agency(agency_id, agency_profile(9), by=me)
    assert market.admit_agency(agency_id, by=OPERATOR)["status"] == "admitted"
    assert event_names(market, agency_id) == ["Registered", "Returned", "Resubmitted", "Admitted"]

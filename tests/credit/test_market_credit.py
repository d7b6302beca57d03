"""The credit engine through the market: cases, evaluations, sanctions, sign-up and the 信用择优 close,
on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.base import Actor, Role
from domain.credit import CreditFile, add_months
from domain.credit.errors import AlreadyEvaluated, NotRatable, RepairTooEarly
from domain.errors import NotAllowed, NotFound
from domain.procurement import Procurement
from domain.procurement.errors import NotEligible
from tests.builders import REGULATOR
from tests.credit.given import confirmed_case

SCORES = {"quality": 60, "timeliness": 60, "attitude": 60, "fee": 60, "conduct": 60}
DOC = "a" * 64
DAY = timedelta(days=1)


def names(market, aggregate_id) -> list[str]:
    return [type(e).__name__ for e in market.history(aggregate_id)]


def test_a_confirmed_case_records_the_violation_on_the_credit_file_and_lowers_the_score(market, world):
    agency_id, _ = world.admitted_agency(2)
    assert market.credit_standing(agency_id).score == 100

    case_id = confirmed_case(market, agency_id, "V05")

    file_id = CreditFile.create_id(agency_id)
    assert names(market, file_id) == ["Opened", "ViolationRecorded"]
    record = market.history(file_id)[-1].record
    case_event = market.history(case_id)[-1]
    assert type(case_event).__name__ == "ViolationRecorded"
    assert record["source"] == {"aggregate_id": case_id, "version": case_event.originator_version,
                                "event": "Case.ViolationRecorded"}  # fmt: skip
    assert (record["code"], record["points"], record["service_item"]) == ("V05", -3, "HP-01")
    standing = market.credit_standing(agency_id)
    assert (standing.score, standing.grade) == (97, "A")
    assert [c["source"]["aggregate_id"] for c in standing.counted] == [case_id]


def test_a_case_confirmed_after_a_catalogue_change_carries_the_new_points(market, world):
    agency_id, _ = world.admitted_agency(2)
    market.change_credit_catalogue(violations={"V06": {"points": -4}}, reason="资质管理从严", by=REGULATOR)
    assert market.credit_catalogue()["version"] == 2

    case_id = confirmed_case(market, agency_id, "V06")

    assert market.history(case_id)[-1].points == -4
    assert market.history(CreditFile.create_id(agency_id))[-1].record["catalogue_version"] == 2
    assert market.credit_standing(agency_id).score == 96


def test_a_second_confirmed_violation_suspends_the_agency_and_its_next_sign_up_is_refused(market, world, clock):
    agency_id, actor = world.admitted_agency(2)
    confirmed_case(market, agency_id, "V01")
    confirmed_case(market, agency_id, "V05")
    pid = world.open_procurement()
    before = len(market.history(pid))

    with pytest.raises(NotEligible) as refused:
        market.sign_up(pid, agency_id, {"kind": "amount", "value": "30000"}, by=actor)

    assert refused.value.code == "not_eligible" and refused.value.detail == "credit_suspended"
    assert len(market.history(pid)) == before
    clock.advance(timedelta(days=93))  # past the three months; the procurement's window is long gone
    assert market.credit_standing(agency_id).sanctions == []


def test_a_sanction_bars_sign_up_immediately_and_a_warning_does_not(market, world):
    (warned, warned_actor), (suspended, suspended_actor) = world.admitted_agency(2), world.admitted_agency(3)
    (expelled, expelled_actor) = world.admitted_agency(4)
    market.impose_sanction(warned, "warning", reason="未按时签约", by=REGULATOR)
    market.impose_sanction(suspended, "suspension", months=6, service_items=["HP-01"], reason="投诉属实", by=REGULATOR)
    market.impose_sanction(expelled, "expulsion", months=12, reason="串通报价", by=REGULATOR)
    pid = world.open_procurement()

    market.sign_up(pid, warned, {"kind": "amount", "value": "30000"}, by=warned_actor)
    for agency_id, actor, reason in ((suspended, suspended_actor, "credit_suspended"),
                                     (expelled, expelled_actor, "credit_expelled")):  # fmt: skip
        with pytest.raises(NotEligible) as refused:
            market.sign_up(pid, agency_id, {"kind": "amount", "value": "30000"}, by=actor)
        assert refused.value.detail == reason
    assert [s["agency_id"] for s in market.load(pid, Procurement).active_signups()] == [str(warned)]


def test_only_regulators_and_departments_sanction_and_a_sanction_names_known_items(market, world):
    agency_id, actor = world.admitted_agency(2)
    with pytest.raises(NotAllowed):
        market.impose_sanction(agency_id, "warning", reason="x", by=actor)
    with pytest.raises(NotFound):
        market.impose_sanction(agency_id, "suspension", months=3, service_items=["NO-SUCH"], reason="x", by=REGULATOR)
    assert not market.exists(CreditFile.create_id(agency_id))


def test_credit_merit_ranks_by_the_real_scores_at_the_close_and_bars_grade_d(market, world, clock):
    (clean, clean_actor), (fined, fined_actor), (poor, poor_actor) = (world.admitted_agency(n) for n in (2, 3, 4))
    confirmed_case(market, fined, "V01")  # 95
    confirmed_case(market, poor, "V02", points=-45)  # 55: grade D
    pid = world.open_procurement(method="credit_merit")
    market.sign_up(pid, clean, None, by=clean_actor)
    market.sign_up(pid, fined, None, by=fined_actor)
    with pytest.raises(NotEligible) as refused:
        market.sign_up(pid, poor, None, by=poor_actor)
    assert refused.value.detail == "credit_grade_d"

    clock.advance(timedelta(days=3))
    market.close_signup(pid)

    closed = market.history(pid)[-1]
    assert type(closed).__name__ == "SignupClosed"
    assert {e["agency_id"]: e["credit_score"] for e in closed.entries} == {str(clean): 100, str(fined): 95}


def _evaluated_procurement(market, world, clock):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement()
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i * 1000)}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    clock.advance(timedelta(days=7))
    market.award(pid)
    winner_id, winner = agencies[-1]
    market.file_contract(pid, {"contract_no": "HT-1", "amount": "28000", "document_sha256": DOC}, by=world.owner)
    market.confirm_contract(pid, by=winner)
    market.submit_deliverable(pid, {"title": "报告书", "sha256": DOC}, by=winner)
    market.accept_deliverable(pid, by=world.owner)
    return pid, winner_id


def test_owner_and_department_evaluations_go_on_the_winners_credit_file(market, world, clock):
    pid, winner_id = _evaluated_procurement(market, world, clock)
    department = Actor("dept-1", Role.DEPARTMENT, str(world.department_id))
    other_department = Actor("dept-9", Role.DEPARTMENT, str(uuid4()))

    market.evaluate(pid, SCORES, "质量一般", by=world.owner)
    with pytest.raises(NotAllowed):
        market.rate_service(pid, {"quality": 80, "timeliness": 80}, by=other_department)
    market.rate_service(pid, {"quality": 80, "timeliness": 80}, by=department)
    with pytest.raises(AlreadyEvaluated):
        market.rate_service(pid, {"quality": 90, "timeliness": 90}, by=department)

    file_events = market.history(CreditFile.create_id(winner_id))
    assert [type(e).__name__ for e in file_events] == ["Opened", "EvaluationRecorded", "EvaluationRecorded"]
    owner_record, department_record = file_events[1].record, file_events[2].record
    evaluated = market.history(pid)[-1]
    assert owner_record["source"] == {"aggregate_id": str(pid), "version": evaluated.originator_version,
                                      "event": "Procurement.Evaluated"}  # fmt: skip
    assert (owner_record["rater"], owner_record["overall"]) == ("owner", 60.0)
    assert (department_record["rater"], department_record["overall"]) == ("department", 80.0)
    assert market.credit_standing(winner_id).score == 94  # social part 20 × 70 / 100


def test_a_department_rates_only_an_accepted_deliverable(market, world):
    pid = world.open_procurement()
    with pytest.raises(NotRatable):
        market.rate_service(pid, {"quality": 80, "timeliness": 80},
                            by=Actor("dept-1", Role.DEPARTMENT, str(world.department_id)))  # fmt: skip


def test_credit_repair_after_the_period_lifts_the_ban_and_sign_up_is_allowed_again(market, world, clock):
    agency_id, actor = world.admitted_agency(2)
    confirmed_case(market, agency_id, "V08")
    expulsion = market.credit_standing(agency_id).sanctions[0]["record_id"]
    with pytest.raises(RepairTooEarly):
        market.repair_credit(agency_id, expulsion, "已移出黑名单", by=REGULATOR)

    clock.set(add_months(clock.now(), 12))
    result = market.repair_credit(agency_id, expulsion, "已移出黑名单", by=REGULATOR)

    assert result["repaired"] == [expulsion]
    assert names(market, CreditFile.create_id(agency_id))[-1] == "Repaired"
    pid = world.open_procurement(opens=clock.now())
    market.sign_up(pid, agency_id, {"kind": "amount", "value": "30000"}, by=actor)
    standing = market.credit_standing(agency_id)
    # The V08's window ran out with the year: it no longer counts, but stays on record for 24 months.
    assert (standing.score, standing.sanctions, [r["code"] for r in standing.on_record]) == (100, [], ["V08"])

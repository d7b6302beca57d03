"""Sanctions and their effect on sign-up eligibility, credit repair after the period, each explained."""

from __future__ import annotations

import pytest

from domain.credit import DEFAULT_SCORING, add_months
from domain.credit.errors import AlreadyRepaired, InvalidSanction, NotRepairable, RepairTooEarly, UnknownCreditRecord
from domain.errors import NotAllowed
from tests.builders import OPERATOR, REGULATOR, T0
from tests.credit.given import DAY, DEPARTMENT, confirmed, credit_file, evaluated

SCORING = DEFAULT_SCORING


def refusals(file, at, item="HP-01", method="lowest_price"):
    return file.standing(SCORING, at).refusals(item, method, SCORING)


def test_a_second_violation_within_the_window_suspends_the_agency_from_its_item_for_three_months():
    file = credit_file()
    _, _, first = confirmed(file, "V01", at=T0, service_item="HP-01")

    _, _, events = confirmed(file, "V05", at=T0 + 30 * DAY, service_item="HP-01")

    assert [type(e).__name__ for e in events] == ["ViolationRecorded", "SanctionImposed"]
    sanction = events[1].record
    assert (sanction["sanction"], sanction["months"], sanction["service_items"], sanction["rule"]) == (
        "suspension", 3, ["HP-01"], "escalation")  # Huizhou [19]: 2 bad records → 3 months
    assert sanction["basis"] == [first[0].record["record_id"], events[0].record["record_id"]]
    assert sanction["ends_at"] == add_months(T0 + 30 * DAY, 3)
    assert refusals(file, T0 + 30 * DAY) == ["credit_suspended"]
    assert refusals(file, T0 + 30 * DAY, item="AP-02") == []  # only the item of the violations
    (shown,) = file.standing(SCORING, T0 + 31 * DAY).sanctions
    assert shown["record_id"] == sanction["record_id"] and shown["counts_until"] == sanction["ends_at"]
    assert refusals(file, sanction["ends_at"]) == []  # the suspension ran its course


def test_violations_far_apart_do_not_escalate():
    file = credit_file()
    confirmed(file, "V01", at=T0)
    _, _, events = confirmed(file, "V01", at=T0 + 400 * DAY)  # the first one's window has run out
    assert [type(e).__name__ for e in events] == ["ViolationRecorded"]


def test_a_blacklisting_expels_the_agency_until_repaired_and_repair_before_its_period_is_refused():
    file = credit_file()
    _, source, events = confirmed(file, "V08", at=T0)
    violation, expulsion = (e.record for e in events)
    assert (expulsion["sanction"], expulsion["basis"], expulsion["ends_at"]) == ("expulsion", [violation["record_id"]], None)
    standing = file.standing(SCORING, T0 + DAY)
    assert (standing.parts["government"], standing.score) == ("0.00", 90)  # V08 is government credit data
    assert refusals(file, T0 + 500 * DAY) == ["credit_expelled"]  # an expulsion does not end by itself

    with pytest.raises(RepairTooEarly):
        file.repair(expulsion["record_id"], "已退出黑名单", scoring=SCORING, by=REGULATOR, now=T0 + 300 * DAY)
    assert file.collect_events() == []

    repaired = file.repair(expulsion["record_id"], "已退出黑名单", scoring=SCORING, by=REGULATOR,
                           now=add_months(T0, 12))  # fmt: skip
    (event,) = file.collect_events()
    assert repaired == [expulsion["record_id"]] and (type(event).__name__, event.record_id) == ("Repaired", expulsion["record_id"])
    assert refusals(file, add_months(T0, 12)) == []


def test_repairing_a_violation_after_its_window_takes_it_off_the_record_and_ends_the_sanctions_based_on_it():
    file = credit_file()
    _, _, events = confirmed(file, "V08", at=T0)
    violation, expulsion = (e.record for e in events)
    with pytest.raises(RepairTooEarly):
        file.repair(violation["record_id"], "整改完成", scoring=SCORING, by=REGULATOR, now=T0 + 364 * DAY)

    repaired = file.repair(violation["record_id"], "整改完成", scoring=SCORING, by=REGULATOR, now=T0 + 365 * DAY)

    assert repaired == [violation["record_id"], expulsion["record_id"]]
    assert [type(e).__name__ for e in file.collect_events()] == ["Repaired", "Repaired"]
    standing = file.standing(SCORING, T0 + 366 * DAY)
    assert (standing.on_record, standing.sanctions, standing.score) == ([], [], 100)
    with pytest.raises(AlreadyRepaired):
        file.repair(violation["record_id"], "再次", scoring=SCORING, by=REGULATOR, now=T0 + 400 * DAY)


def test_a_suspension_is_never_repaired_early_and_evaluations_are_not_repairable():
    file = credit_file()
    record_id = file.impose("suspension", months=6, service_items=["HP-01"], reason="投诉属实", by=REGULATOR, now=T0)
    evaluated(file, "owner", 80, at=T0)
    file.collect_events()
    with pytest.raises(RepairTooEarly):
        file.repair(record_id, "整改完成", scoring=SCORING, by=REGULATOR, now=T0 + 30 * DAY)
    with pytest.raises(NotRepairable):
        file.repair("evaluation-2", "评价有误", scoring=SCORING, by=REGULATOR, now=T0 + 30 * DAY)
    with pytest.raises(UnknownCreditRecord):
        file.repair("violation-9", "?", scoring=SCORING, by=REGULATOR, now=T0)
    with pytest.raises(NotAllowed):
        file.repair(record_id, "整改完成", scoring=SCORING, by=OPERATOR, now=add_months(T0, 7))
    assert file.collect_events() == []


def test_a_regulator_warns_suspends_from_items_for_n_months_or_expels_and_sign_up_feels_it_at_once():
    file = credit_file()

    warning = file.impose("warning", reason="未按时签约", by=REGULATOR, now=T0)
    assert refusals(file, T0) == []  # a warning is on record, it bars nothing
    suspension = file.impose("suspension", months=3, service_items=["HP-01"], reason="服务质量差", by=DEPARTMENT,
                             now=T0 + DAY)  # fmt: skip
    assert (refusals(file, T0 + DAY), refusals(file, T0 + DAY, item="AP-02")) == (["credit_suspended"], [])
    expulsion = file.impose("expulsion", months=12, reason="串通报价", by=REGULATOR, now=T0 + 2 * DAY)

    events = file.collect_events()
    assert [(type(e).__name__, e.record["record_id"], e.record["sanction"]) for e in events] == [
        ("SanctionImposed", warning, "warning"), ("SanctionImposed", suspension, "suspension"),
        ("SanctionImposed", expulsion, "expulsion"),
    ]  # fmt: skip
    assert events[1].record["ends_at"] == add_months(T0 + DAY, 3) and events[1].actor["role"] == "department"
    assert refusals(file, T0 + 2 * DAY, item="AP-02") == ["credit_expelled"]
    assert {s["record_id"] for s in file.standing(SCORING, T0 + 2 * DAY).sanctions} == {warning, suspension, expulsion}
    assert file.standing(SCORING, T0 + 2 * DAY).score == 100  # sanctions bar; points come from violations


@pytest.mark.parametrize(
    ("kind", "months", "items", "by"),
    [
        ("fine", 3, [], REGULATOR),
        ("warning", 3, [], REGULATOR),  # a warning has no period
        ("suspension", None, ["HP-01"], REGULATOR),
        ("suspension", 121, ["HP-01"], REGULATOR),
        ("suspension", 3, ["HP-01", "HP-01"], REGULATOR),
        ("expulsion", 12, ["HP-01"], REGULATOR),  # an expulsion covers every item
        ("warning", None, [], OPERATOR),
    ],
)
def test_a_malformed_or_unauthorised_sanction_is_refused_and_records_nothing(kind, months, items, by):
    file = credit_file()
    with pytest.raises((InvalidSanction, NotAllowed)):
        file.impose(kind, months=months, service_items=items, reason="理由", by=by, now=T0)
    assert file.collect_events() == []

"""Snapshots: every aggregate's state survives the library's JSON round trip unchanged.

A snapshot stores ``__dict__`` through the transcoder, so state holding a set,
a tuple, an Enum or a Decimal either fails to save or comes back different.
Each aggregate's events are stored, the snapshot is taken from their replay,
and the aggregate is read back from the snapshot alone.
"""

from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.catalogue import ServiceItem
from domain.department import Department
from domain.owner import Owner
from tests.builders import OPERATOR, SYSTEM, T0, uscc
from tests.domain.given import (CALENDAR, DAY, DEPARTMENT_ID, HOUR, SECRET, SELECTION_AT, P, admitted,
                                agency_id, agency_user, applicant, digest, history, procurement_in, registered)


def state(aggregate) -> dict:
    return {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}


def round_trip(aggregate):
    """Store the aggregate's events, snapshot it, and read it back from the snapshot."""
    app = Application(env={"IS_SNAPSHOTTING_ENABLED": "y"})
    app.events.put(history(aggregate))
    app.take_snapshot(aggregate.id)
    assert [s.originator_version for s in app.snapshots.get(aggregate.id)] == [aggregate.version]
    return app.repository.get(aggregate.id)


def assert_round_trips(aggregate):
    copy = round_trip(aggregate)
    assert type(copy) is type(aggregate)
    assert state(copy) == state(aggregate)
    assert copy.version == aggregate.version


def busy_agency():
    agency = admitted(items=["HP-01", "AP-02"])
    agency.suspend(until=T0 + 30 * DAY, reason="资质过期", service_items=["HP-01"], by=OPERATOR, now=T0 + DAY)
    agency.submit_change({"phone": "0731-88886666"}, by=applicant(1), now=T0 + DAY)
    agency.engage(uuid4(), by=SYSTEM, now=T0 + DAY)
    agency.record_abandonment(uuid4(), "放弃中选", by=SYSTEM, now=T0 + DAY)
    return agency


def owner_with_delegates():
    owner = Owner.register(uscc(1, "11430100"), "长沙市某区城投公司", "state_owned", "430100",
                           {"account": "owner-admin", "name": "张管理"}, by=OPERATOR, now=T0)  # fmt: skip
    owner.add_delegate({"account": "delegate-li", "name": "李经办"}, by=OPERATOR, now=T0)
    return owner


def revised_item():
    item = ServiceItem.define("HP-01", "环评", "环评审批", DEPARTMENT_ID,
                              {"mode": "any", "qualifications": [{"category": "环境影响评价"}]}, by=OPERATOR, now=T0)
    item.withdraw("已取消", by=OPERATOR, now=T0 + DAY)
    return item


def staffed_department():
    dept = Department.establish("HB", "长沙市生态环境局", "approving_department", "430100",
                                contacts={"phone": "0731-88880000"}, by=OPERATOR, now=T0)  # fmt: skip
    dept.appoint(digest("a"), "王科长", "科长", since=T0, by=OPERATOR, now=T0)
    dept.appoint(digest("b"), "李处长", "处长", since=T0, by=OPERATOR, now=T0)
    dept.record_departure(digest("b"), left=T0 + DAY, by=OPERATOR, now=T0 + DAY)
    return dept


@pytest.mark.parametrize("build", [registered, busy_agency, owner_with_delegates, revised_item, staffed_department],
                         ids=lambda f: f.__name__)
def test_snapshot_of_a_register_aggregate_restores_the_same_state(build):
    assert_round_trips(build())


def objected_to():
    p = procurement_in(P.PUBLICITY)
    loser = agency_id(3)
    first = p.file_objection(loser, ["中选报价低于成本"], [{"title": "成本测算", "sha256": "cd" * 32}],
                             by=agency_user(loser), now=SELECTION_AT + HOUR)  # fmt: skip
    p.file_objection(loser, ["再次质疑"], [], by=agency_user(loser), now=SELECTION_AT + HOUR)
    p.dismiss_objection(first, "报价有成本说明", by=OPERATOR, now=SELECTION_AT + DAY)
    return p


def test_snapshot_of_a_procurement_with_objections_restores_the_same_state():
    assert_round_trips(objected_to())


@pytest.mark.parametrize("status", list(P), ids=lambda s: s.value)
def test_snapshot_of_a_procurement_in_each_status_restores_the_same_state(status):
    assert_round_trips(procurement_in(status))


def test_snapshot_restored_procurement_runs_the_selection_as_the_original_does():
    original = procurement_in(P.SIGNUP_CLOSED)
    copy = round_trip(original)
    for p in (original, copy):
        p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)
    assert copy.result == original.result and copy.status is P.PUBLICITY

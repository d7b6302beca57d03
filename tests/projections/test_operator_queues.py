"""The operator's queues: registrations, changes, notices and objections awaiting a decision."""

from __future__ import annotations

from projections import operator_queues as queues
from tests.projections.scenarios import busy_market


def test_the_queues_hold_what_awaits_review_oldest_first(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    waiting = queues.queue(conn)  # both submitted at the same moment: then by kind
    assert [(r["kind"], r["subject_id"]) for r in waiting] == [
        ("notice", str(busy.procurements["in_review"])), ("registration", str(busy.extra["pending_agency"])),
    ]  # fmt: skip
    notice, registration = waiting
    assert registration["resubmission"] and registration["kind_label"] == "入驻申请"
    assert registration["title"] == "湖南第9环境咨询有限公司" and registration["submitted_by"] == "applicant-9"
    assert notice["resubmission"] and notice["title"] == "修改后的项目" and notice["item_code"] == "HP-01"
    assert queues.counts(conn) == {"registration": 1, "change": 0, "notice": 1, "objection": 0}
    assert queues.queue(conn, kind="notice") == [notice] and queues.queue(conn, region="440000") == []


def test_decisions_leave_the_queue_with_who_decided_and_when(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    decided = {(r["kind"], r["decision"]) for r in queues.decided(conn, limit=1000)}
    assert {("change", "returned"), ("registration", "admitted"), ("notice", "published"),
            ("objection", "upheld"), ("objection", "dismissed")} <= decided  # fmt: skip
    objections = [r for r in queues.decided(conn, kind="objection")]
    assert {r["procurement_id"] for r in objections} == {str(busy.procurements["objected"])}
    assert all(r["decided_by"] == "op-1" and r["fields"] for r in objections)
    change = next(r for r in queues.decided(conn, kind="change"))
    assert change["fields"] == ["phone"] and change["title"] == "湖南第2环境咨询(集团)有限公司"


def test_the_oldest_submission_comes_first(market, world, clock, caught_up):
    from datetime import timedelta

    from domain.base import Actor, Role
    from tests.builders import agency_profile, notice, uscc

    first = market.draft_procurement(world.owner_id, notice(), by=world.owner)["procurement_id"]
    market.submit_procurement(first, by=world.owner)
    clock.advance(timedelta(hours=1))
    agency = market.register_agency(uscc(7), agency_profile(7), by=Actor("a7", Role.AGENCY))["agency_id"]
    assert [r["subject_id"] for r in queues.queue(caught_up())] == [first, agency]


def test_a_pending_objection_waits_for_the_operator(market, world, clock, caught_up):
    from tests.projections.scenarios import closed_and_selected

    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = closed_and_selected(market, world, clock, agencies)
    objection = market.file_objection(pid, agencies[0][0], ["评审不公"], by=agencies[0][1])
    [waiting] = queues.queue(caught_up(), kind="objection")
    assert waiting["subject_id"] == objection["objection_id"] and waiting["procurement_id"] == str(pid)
    assert waiting["agency_id"] == str(agencies[0][0]) and waiting["fields"] == ["评审不公"]

    market.void_procurement(pid, "noDemand", "项目取消", by=world.owner)
    assert queues.queue(caught_up(), kind="objection") == []  # moot once the request is void

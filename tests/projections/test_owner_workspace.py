"""The owner's workspace: procurements by state, what awaits the owner, delegates' scope."""

from __future__ import annotations

from datetime import timedelta

from domain.base import Actor, Role
from projections import owner_workspace as workspace
from tests.builders import OPERATOR, notice
from tests.projections.scenarios import DOC, SCORES, busy_market, sign_up_all, winner_of


def row(conn, owner_id, pid) -> dict:
    return next(r for r in workspace.procurements(conn, owner_id, limit=1000) if r["procurement_id"] == str(pid))


def test_each_state_says_what_awaits_the_owner_and_by_when(market, world, clock, caught_up):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    o = world.owner_id
    pid = market.draft_procurement(o, notice(), by=world.owner)["procurement_id"]
    assert row(caught_up(), o, pid)["awaits"] == "submit"
    market.submit_procurement(pid, by=world.owner)
    assert row(caught_up(), o, pid)["awaits"] is None
    market.return_procurement(pid, ["预算依据不足"], by=OPERATOR)
    assert row(caught_up(), o, pid)["awaits"] == "resubmit"
    market.submit_procurement(pid, by=world.owner)
    market.publish_procurement(pid, by=OPERATOR)
    sign_up_all(market, pid, agencies)
    opened = row(caught_up(), o, pid)
    assert opened["awaits"] is None and opened["signup_count"] == 3 and opened["winner_id"] is None

    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    in_publicity = row(caught_up(), o, pid)
    assert in_publicity["status_label"] == "中选公示" and in_publicity["publicity_end"] is not None
    assert in_publicity["winner_name"].startswith("湖南第")
    clock.advance(timedelta(days=7))
    market.award(pid)
    contracting = row(caught_up(), o, pid)
    assert contracting["awaits"] == "file_contract" and contracting["awaits_label"] == "上传合同"
    assert contracting["awaits_due"] == contracting["contract_due"] is not None

    _, winner = winner_of(market, pid, agencies)
    market.file_contract(pid, {"contract_no": "HT-1", "amount": "28000", "document_sha256": DOC}, by=winner)
    assert row(caught_up(), o, pid)["awaits"] == "confirm_contract"
    market.confirm_contract(pid, by=world.owner)
    assert row(caught_up(), o, pid)["awaits"] is None
    market.request_extension(pid, 3, "补充监测", by=winner)
    assert row(caught_up(), o, pid)["awaits"] == "decide_extension"
    before = row(caught_up(), o, pid)["service_due"]
    market.grant_extension(pid, by=world.owner)
    granted = row(caught_up(), o, pid)
    assert granted["awaits"] is None and granted["service_due"] > before
    market.submit_deliverable(pid, {"title": "报告", "sha256": DOC}, by=winner)
    assert row(caught_up(), o, pid)["awaits"] == "accept_deliverable"
    market.accept_deliverable(pid, by=world.owner)
    evaluating = row(caught_up(), o, pid)
    assert evaluating["awaits"] == "evaluate" and evaluating["awaits_due"] == evaluating["evaluation_due"]
    market.evaluate(pid, SCORES, "", by=world.owner)
    closed = row(caught_up(), o, pid)
    assert closed["awaits"] is None and closed["status"] == "closed" and closed["evaluation_due"] is None


def test_failed_shortlisted_and_direct_requests_await_the_owner(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    o, p = world.owner_id, busy.procurements
    assert row(conn, o, p["failed"])["awaits"] is None  # already republished
    assert row(conn, o, p["round2"])["awaits"] == "submit" and row(conn, o, p["round2"])["round_no"] == 2
    assert row(conn, o, p["terminated"])["awaits"] is None

    live = busy.agencies[:4]
    merit = world.open_procurement(opens=clock.now(), method="credit_merit")
    sign_up_all(market, merit, live)
    direct = world.open_procurement(opens=clock.now(), method="direct", fund="social")
    sign_up_all(market, direct, live[:2])
    lonely = world.open_procurement(opens=clock.now())
    sign_up_all(market, lonely, live[:1])
    clock.advance(timedelta(days=3))
    for pid in (merit, direct, lonely):
        market.close_signup(pid)
    market.run_selection(merit)
    market.run_selection(lonely)
    conn = caught_up()
    assert row(conn, o, merit)["awaits"] == "pick_from_shortlist"
    assert row(conn, o, direct)["awaits"] == "select" and row(conn, o, direct)["awaits_due"] is not None
    assert row(conn, o, lonely)["awaits"] == "republish_or_void"

    counts = workspace.counts_by_status(conn, o)
    assert counts["awaiting"] == len(workspace.awaiting_action(conn, o))
    assert counts["shortlisted"] == 1 and counts["failed"] == 2 and counts["closed"] == 1
    assert sum(n for status, n in counts.items() if status != "awaiting") == len(
        workspace.procurements(conn, o, limit=1000)
    )


def test_a_delegate_sees_only_the_requests_they_drafted(market, world, caught_up):
    market.add_delegate(world.owner_id, {"account": "li-delegate", "name": "李经办"}, by=world.owner)
    delegate = Actor("li-delegate", Role.OWNER_DELEGATE, str(world.owner_id))
    mine = market.draft_procurement(world.owner_id, notice(), by=delegate)["procurement_id"]
    theirs = market.draft_procurement(world.owner_id, notice(), by=world.owner)["procurement_id"]
    conn = caught_up()

    scoped = workspace.procurements(conn, world.owner_id, created_by="li-delegate")
    assert [r["procurement_id"] for r in scoped] == [mine]
    assert {r["procurement_id"] for r in workspace.procurements(conn, world.owner_id)} == {mine, theirs}
    assert workspace.counts_by_status(conn, world.owner_id, created_by="li-delegate") == {"draft": 1, "awaiting": 1}
    assert workspace.procurements(conn, "someone-else") == []


def test_before_the_close_the_owner_sees_how_many_signed_up_not_who(market, world, caught_up):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement()
    sign_up_all(market, pid, agencies)
    conn = caught_up()
    dump = repr(workspace.procurements(conn, world.owner_id)) + repr(conn.execute(
        workspace.PROCUREMENTS.select()).all())  # fmt: skip
    assert row(conn, world.owner_id, pid)["signup_count"] == 3
    assert not [a for a, _ in agencies if str(a) in dump]
    assert "30000" not in dump and "29000" not in dump

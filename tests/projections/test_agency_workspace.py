"""The agency's workspace: its own sign-ups and quotes, wins, deadlines, and what it may sign up for."""

from __future__ import annotations

from datetime import timedelta

from domain.procurement import Procurement
from projections import agency_workspace as workspace
from tests.builders import REGULATOR
from tests.projections.scenarios import DOC, busy_market, sign_up_all, winner_of


def test_an_agency_sees_its_own_sign_ups_with_its_own_quote_and_no_one_elses(market, world, caught_up):
    (a, actor_a), (b, actor_b) = world.admitted_agency(2), world.admitted_agency(3)
    pid = world.open_procurement()
    market.sign_up(pid, a, {"kind": "amount", "value": "30000"}, by=actor_a)
    market.sign_up(pid, b, {"kind": "discount_rate", "value": "0.2"}, by=actor_b)
    market.revise_quote(pid, a, {"kind": "amount", "value": "28000"}, by=actor_a)
    conn = caught_up()

    [mine] = workspace.signups(conn, a)
    assert mine["quote"] == {"kind": "amount", "value": "28000.00", "price": "28000.00"}
    assert mine["outcome"] == "pending" and mine["status"] == "signup_open" and mine["on_list"] is None
    [theirs] = workspace.signups(conn, b)
    assert theirs["quote"]["price"] == "40000.00"  # 20% off the 50,000 ceiling
    assert str(b) not in repr(workspace.signups(conn, a))

    market.withdraw_signup(pid, b, by=actor_b)
    conn = caught_up()
    assert workspace.signups(conn, b) == []
    assert workspace.signups(conn, b, include_withdrawn=True)[0]["outcome"] == "withdrawn"


def test_outcomes_follow_selection_objection_and_re_run(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    objected = str(busy.procurements["objected"])
    winner = market.load(busy.procurements["objected"], Procurement).winner_id
    outcomes = {}
    for agency_id, _ in busy.agencies[:4]:
        outcomes.update({str(agency_id): s["outcome"] for s in workspace.signups(conn, agency_id)
                         if s["procurement_id"] == objected})  # fmt: skip
    assert outcomes[winner] == "won" and outcomes[busy.extra["excluded"]] == "excluded"
    assert sorted(outcomes.values()) == ["excluded", "not_selected", "not_selected", "won"]

    closed = busy.procurements["closed"]
    winner_id, _ = winner_of(market, closed, busy.agencies[:4])
    [won] = [w for w in workspace.wins(conn, winner_id) if w["procurement_id"] == str(closed)]
    assert won["status"] == "closed" and won["contract_no"] == "HT-2026-001" and won["contract_amount"] == "27000.00"
    voided = [s for s in workspace.signups(conn, busy.agencies[0][0])
              if s["procurement_id"] == str(busy.procurements["voided"])]  # fmt: skip
    assert [s["outcome"] for s in voided] == ["voided"]


def test_deadlines_list_what_falls_due_for_the_agency_soonest_first(market, world, clock, caught_up):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    later = world.open_procurement(opens=clock.now(), closes=clock.now() + timedelta(days=10))
    pid = world.open_procurement()
    sign_up_all(market, pid, agencies)
    market.sign_up(later, agencies[0][0], {"kind": "amount", "value": "20000"}, by=agencies[0][1])
    conn = caught_up()
    kinds = [(d["kind"], d["procurement_id"]) for d in workspace.deadlines(conn, agencies[0][0])]
    assert kinds == [("signup_closes", str(pid)), ("signup_closes", str(later))]

    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    winner_id, winner = winner_of(market, pid, agencies)
    loser_id = next(a for a, _ in agencies if a != winner_id)
    conn = caught_up()
    [objection_window] = [d for d in workspace.deadlines(conn, loser_id) if d["procurement_id"] == str(pid)]
    assert objection_window["kind"] == "publicity_end" and not objection_window["overdue"]

    clock.advance(timedelta(days=7))
    market.award(pid)
    assert [d["kind"] for d in workspace.deadlines(caught_up(), winner_id) if d["procurement_id"] == str(pid)] == [
        "contract_due"
    ]
    market.file_contract(pid, {"contract_no": "HT-1", "amount": "28000", "document_sha256": DOC}, by=winner)
    market.confirm_contract(pid, by=world.owner)
    [service] = [d for d in workspace.deadlines(caught_up(), winner_id, now=clock.now() + timedelta(days=90))
                 if d["procurement_id"] == str(pid)]  # fmt: skip
    assert service["kind"] == "service_due" and service["overdue"] is True


def test_eligible_now_lists_open_notices_the_agency_qualifies_for(market, world, clock, caught_up):
    qualified, actor = world.admitted_agency(2)
    too_low, _ = world.admitted_agency(3, level="丙级")  # the item needs 乙级 or better
    other_item, _ = world.admitted_agency(4, items=["XX-01"])
    suspended, _ = world.admitted_agency(5)
    expired, _ = world.admitted_agency(6, valid_until="2026-03-01")
    market.suspend_agency(suspended, until=clock.now() + timedelta(days=30), reason="违规", by=REGULATOR)
    first, second = world.open_procurement(), world.open_procurement()
    market.sign_up(second, qualified, {"kind": "amount", "value": "20000"}, by=actor)
    conn = caught_up()

    assert [n["procurement_id"] for n in workspace.eligible_now(conn, qualified, clock.now())] == [str(first)]
    for agency_id in (too_low, other_item, suspended, expired):
        assert workspace.eligible_now(conn, agency_id, clock.now()) == []
    assert workspace.eligible_now(conn, qualified, clock.now() + timedelta(days=4)) == []  # closed by then


def test_an_agency_no_longer_eligible_at_the_close_sees_its_sign_up_excluded(market, world, clock, caught_up):
    pid = world.open_procurement()
    (kept, kept_actor), (dropped, dropped_actor) = world.admitted_agency(2), world.admitted_agency(3)
    market.sign_up(pid, kept, {"kind": "amount", "value": "20000"}, by=kept_actor)
    market.sign_up(pid, dropped, {"kind": "amount", "value": "21000"}, by=dropped_actor)
    market.suspend_agency(dropped, until=clock.now() + timedelta(days=30), reason="违规", by=REGULATOR)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    conn = caught_up()

    [mine] = workspace.signups(conn, dropped)
    assert (mine["on_list"], mine["outcome"]) == (False, "excluded")
    [theirs] = workspace.signups(conn, kept)
    assert (theirs["on_list"], theirs["outcome"]) == (True, "pending")

"""process_due: clock-driven transitions happen once, at their time, whatever the tick rate."""

from __future__ import annotations

from datetime import timedelta

from domain.procurement import Procurement


def candidates(market, *pids):
    return [(pid, kind, t["at"]) for pid in pids for kind, t in market.load(pid, Procurement).timers().items()]


def tick(market, *pids):
    return market.process_due(candidates(market, *pids))


def test_a_lowest_price_request_is_closed_selected_and_awarded_by_the_clock(market, world, clock):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pid = world.open_procurement()
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i)}, by=actor)

    assert tick(market, pid) == []  # nothing is due yet
    clock.advance(timedelta(days=3))
    actions = [d["action"] for d in tick(market, pid)]
    assert actions == ["close_signup"]
    assert [d["action"] for d in tick(market, pid)] == ["run_selection"]
    clock.advance(timedelta(days=7))
    assert [d["action"] for d in tick(market, pid)] == ["award"]
    assert market.load(pid, Procurement).status_code == "contracting"


def test_overdue_contract_signing_is_warned_yellow_then_red_each_once(market, world, clock):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement()
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i)}, by=actor)
    clock.advance(timedelta(days=3))
    tick(market, pid), tick(market, pid)
    clock.advance(timedelta(days=7))
    tick(market, pid)  # awarded: the contract is due in 5 working days
    due = market.load(pid, Procurement).deadlines["contract_due"]["at"]

    clock.set(due - timedelta(days=1))
    assert [d["action"] for d in tick(market, pid)] == ["overdue_yellow"]
    assert tick(market, pid) == []
    clock.set(due + timedelta(hours=1))
    assert [d["action"] for d in tick(market, pid)] == ["overdue_red"]
    assert tick(market, pid) == []
    names = [type(e).__name__ for e in market.history(pid)]
    assert names.count("OverdueRecorded") == 2


def test_a_stale_or_repeated_candidate_changes_nothing(market, world, clock):
    pid = world.open_procurement()
    clock.advance(timedelta(days=3))
    stale = candidates(market, pid)
    assert [d["action"] for d in market.process_due(stale)] == ["close_signup"]
    head = market.recorder.max_notification_id()

    assert market.process_due(stale) == []  # the same timer again: the request has moved on
    assert market.recorder.max_notification_id() == head


def test_a_request_published_before_its_sign_up_opens_is_opened_by_the_clock(market, world, clock):
    later = clock.now() + timedelta(days=1)
    pid = world.open_procurement(opens=later, closes=later + timedelta(days=3))
    assert market.load(pid, Procurement).status_code == "published"
    clock.set(later)
    assert [d["action"] for d in tick(market, pid)] == ["open_signup"]
    assert market.load(pid, Procurement).status_code == "signup_open"

"""Deadlines fired by the APScheduler job: every method end to end, restarts and crashes."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from domain.procurement import Procurement
from tests.scheduler.conftest import wait_for

DOC = "d" * 64
SCORES = {"quality": 90, "timeliness": 90, "attitude": 90, "fee": 90, "conduct": 90}
METHODS = ["lowest_price", "reasonable_price", "random", "credit_merit", "direct", "proposal_scoring"]


def status(market, pid) -> str:
    return market.load(pid, Procurement).status_code


def names(market, pid) -> Counter:
    return Counter(type(e).__name__ for e in market.history(pid))


def publish_with_signups(market, world, clock, method, agencies):
    opens = clock.now() + timedelta(hours=1)
    fund = "social" if method == "direct" else "state"
    pid = world.open_procurement(method=method, fund=fund, opens=opens, closes=opens + timedelta(days=3))
    assert status(market, pid) == "published"
    return pid


@pytest.mark.parametrize("method", METHODS)
def test_a_whole_lifecycle_runs_with_every_clock_step_fired_by_the_scheduler(market, world, clock, start_scheduler, method):
    agencies = [world.admitted_agency(n) for n in range(2, 8)]
    pid = publish_with_signups(market, world, clock, method, agencies)
    start_scheduler()

    clock.advance(timedelta(hours=2))
    wait_for(lambda: status(market, pid) == "signup_open")  # opened by the clock
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(40000 - 1000 * i)}, by=actor)
    clock.advance(timedelta(days=3))
    wait_for(lambda: status(market, pid) not in ("signup_open", "published"))  # closed (and run) by the clock

    if method == "direct":
        wait_for(lambda: status(market, pid) == "signup_closed")
        market.run_selection(pid, choice={"chosen": str(agencies[1][0])}, by=world.owner)
    elif method == "proposal_scoring":
        wait_for(lambda: status(market, pid) == "signup_closed")
        scores = {str(a): {"response": "30", "staff": str(20 + i)} for i, (a, _) in enumerate(agencies)}
        market.run_selection(pid, choice={"scores": scores, "evaluators": ["专家甲"],
                                          "declarations": [{"evaluator_id": "专家甲", "no_conflict": True}]}, by=world.owner)  # fmt: skip
    elif method == "credit_merit":
        wait_for(lambda: status(market, pid) == "shortlisted")
        shortlist = market.load(pid, Procurement).outcome["figures"]["short_list"]
        market.pick_from_shortlist(pid, shortlist[0], "综合考虑服务方案", by=world.owner)
    wait_for(lambda: status(market, pid) == "publicity")

    clock.advance(timedelta(days=7))  # past the 公示期
    wait_for(lambda: status(market, pid) == "contracting")  # awarded by the clock
    winner = next(actor for agency_id, actor in agencies if str(agency_id) == market.load(pid, Procurement).winner_id)
    market.file_contract(pid, {"contract_no": "HT-1", "amount": "30000", "document_sha256": DOC}, by=world.owner)
    market.confirm_contract(pid, by=winner)
    market.submit_deliverable(pid, {"title": "成果报告", "sha256": DOC}, by=winner)
    market.accept_deliverable(pid, by=world.owner)
    market.evaluate(pid, SCORES, "", by=world.owner)

    assert status(market, pid) == "closed"
    seen = names(market, pid)
    assert seen["SignupOpened"] == seen["SignupClosed"] == seen["Awarded"] == 1


def test_a_restarted_scheduler_processes_what_fell_due_while_it_was_down_exactly_once(market, world, clock, start_scheduler):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pids = []
    for _ in range(4):
        pid = world.open_procurement()
        for i, (agency_id, actor) in enumerate(agencies):
            market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i)}, by=actor)
        pids.append(pid)
    first = start_scheduler()
    clock.advance(timedelta(days=3))
    wait_for(lambda: all(status(market, p) == "publicity" for p in pids))
    first.stop()  # down for a week: the 公示期 of every request ends meanwhile

    clock.advance(timedelta(days=7))
    assert all(status(market, p) == "publicity" for p in pids)
    second = start_scheduler()  # its first tick runs at start

    wait_for(lambda: all(status(market, p) == "contracting" for p in pids))
    for p in pids:
        assert names(market, p)["Awarded"] == 1 and names(market, p)["SignupClosed"] == 1
    done = [(d["procurement_id"], d["action"]) for d in first.processed + second.processed]
    assert len(done) == len(set(done)) == 12  # close, select, award for each: none twice, none missed


def test_a_tick_that_crashes_midway_is_finished_by_the_next_one(market, world, clock, read_models, monkeypatch):
    from market.scheduler import DeadlineScheduler

    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pids = []
    for _ in range(3):
        pid = world.open_procurement()
        for i, (agency_id, actor) in enumerate(agencies):
            market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i)}, by=actor)
        pids.append(pid)
    clock.advance(timedelta(days=3))
    scheduler = DeadlineScheduler(market, read_models)  # ticked by hand here
    real_close = market.close_signup
    calls = []

    def close_then_crash(pid, **kw):
        calls.append(pid)
        if len(calls) == 2:
            raise RuntimeError("进程被终止 / the process died")
        return real_close(pid, **kw)

    monkeypatch.setattr(market, "close_signup", close_then_crash)
    with pytest.raises(RuntimeError):
        scheduler.tick()
    assert [status(market, p) for p in pids].count("signup_closed") == 1  # one done, none half-done

    monkeypatch.setattr(market, "close_signup", real_close)
    scheduler.tick()  # closes the other two (and runs the first one's selection, now due)
    assert all(names(market, p)["SignupClosed"] == 1 for p in pids)
    scheduler.tick()
    assert all(status(market, p) == "publicity" and names(market, p)["WinnerSelected"] == 1 for p in pids)

"""The demo market: complete, plausible in time, and reproducible from its seed."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from rich.console import Console

from domain.procurement.status import ProcurementStatus
from market.bootstrap import build_market
from market.clock import SHANGHAI, FixedClock, SystemClock
from domain.selection import METHODS
from market.demo import DemoSummary, build_demo
from market.demo.summary import SELECTION_FEATURES
from market.settings import Settings

START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def build(database_url: str, seed: int = 2024) -> DemoSummary:
    market = build_market(Settings(database_url=database_url), clock=FixedClock(START))
    try:
        return build_demo(market, seed=seed)
    finally:
        market.close()


_BUILT: dict[int, DemoSummary] = {}


def summary_for(seed: int) -> DemoSummary:
    if seed not in _BUILT:
        _BUILT[seed] = build("memory://", seed)
    return _BUILT[seed]


@pytest.fixture(scope="module")
def summary() -> DemoSummary:
    return summary_for(2024)


def fingerprint(s: DemoSummary) -> tuple:
    return (s.by_status, s.by_method, [(p.id, p.project_name, p.method, p.status) for p in s.procurements],
            s.agencies, s.selections)


def test_demo_registers_departments_items_owners_and_agencies(summary):
    assert summary.departments >= 6
    assert summary.service_items >= 10
    assert summary.owners >= 10 and summary.delegates >= summary.owners
    assert summary.agency_count >= 30


def test_demo_agencies_stand_in_every_review_and_sanction_state(summary):
    assert summary.agencies["admitted"] >= 20
    for standing in ("pending_review", "returned", "change_pending", "suspended", "expelled", "exited"):
        assert summary.agencies[standing] >= 1, standing


def test_demo_procurements_reach_every_status_of_the_state_table(summary):
    assert len(summary.procurements) >= 60
    assert set(summary.by_status) == {s.value for s in ProcurementStatus}


def test_demo_procurements_use_every_method_and_both_fund_sources(summary):
    assert set(summary.by_method) == set(METHODS)
    assert summary.by_method["lowest_price"] >= 10 and summary.by_method["direct"] >= 5
    assert set(summary.by_fund) == {"state", "social"}


def test_demo_holds_proposal_scoring_in_publicity_after_award_and_failed():
    for seed in (2024, 7):
        s = summary_for(seed)
        statuses = {p.status for p in s.procurements if p.method == "proposal_scoring"}
        assert {"publicity", "failed", "signup_open"} <= statuses, seed
        assert statuses & {"contracting", "contract_filed", "in_service", "under_acceptance", "evaluating", "closed"}


def test_demo_shows_every_kind_of_draw_pick_failure_and_objection_decision(summary):
    """Random draw, drawn coefficient, lowest-price tie, weighted short list and owner pick, scores,
    流标, and objections upheld, dismissed and pending (the results themselves: tests/tools/test_demo_draws.py)."""
    assert set(summary.selections) == set(SELECTION_FEATURES)
    assert all(count >= 1 for count in summary.selections.values()), summary.selections


def test_demo_failed_rounds_are_republished_as_linked_new_rounds(summary):
    by_id = {p.id: p for p in summary.procurements}
    second_rounds = [p for p in summary.procurements if p.round_no == 2]
    assert len(second_rounds) >= 2
    for p in second_rounds:
        previous = by_id[p.previous_id]
        assert previous.status == "failed" and previous.project_name == p.project_name


def test_demo_with_the_same_seed_builds_the_same_market(summary):
    again = build("memory://")
    assert fingerprint(again) == fingerprint(summary)
    assert again.events == summary.events


def test_demo_with_another_seed_builds_other_projects(summary):
    other = summary_for(7)
    assert [p.project_name for p in other.procurements] != [p.project_name for p in summary.procurements]
    assert set(other.by_status) == set(summary.by_status)


def test_demo_builds_the_same_market_on_every_backend(database_url, summary):
    assert fingerprint(build(database_url)) == fingerprint(summary)


def test_demo_events_run_forward_in_business_hours_and_leave_the_clock_at_the_end():
    clock = FixedClock(START)
    market = build_market(Settings(database_url="memory://"), clock=clock)
    summary = build_demo(market, seed=11)
    times = [market.mapper.to_domain_event(n).at for n in market.recorder.select_notifications(None, 100_000)]

    calendar = market.calendar()
    assert times == sorted(times) and times[0] == START
    assert all(9 <= t.astimezone(SHANGHAI).hour < 18 and calendar.is_working_day(t.date()) for t in times)
    assert clock.now() == summary.now > times[-1]


def test_demo_refuses_a_clock_it_cannot_move():
    market = build_market(Settings(database_url="memory://"), clock=SystemClock())
    seeded = market.recorder.max_notification_id()
    with pytest.raises(TypeError):
        build_demo(market, seed=1)
    assert market.recorder.max_notification_id() == seeded


def test_demo_summary_renders_a_chinese_table(summary):
    out = io.StringIO()
    Console(file=out, width=160).print(summary.render())
    text = out.getvalue()
    for label in ("采购需求状态", "中选公示", "服务完成", "流标", "最低价中选", "直接选取", "方案择优", "中介机构",
                  "质疑成立", "最低价同价抽签"):
        assert label in text
    assert str(summary.events) in text


def test_the_demo_has_agencies_graded_below_a_for_the_console(summary):
    # market/demo/credit.py: two winners with confirmed violations and poor department ratings.
    assert summary.credit_grades.get("B", 0) >= 1 and summary.credit_grades.get("C", 0) >= 1
    assert sum(summary.credit_grades.values()) == summary.agency_count

"""The demo market (演示数据): a realistic, seeded market built through the market's commands.

    market = build_market(settings, clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)))
    summary = build_demo(market, seed=2024)

The market's clock must be a ``FixedClock``: the demo moves it forward through
about eleven weeks of working days (registers on the first two days, then the
procurements), issuing every command at a plausible business time, and leaves
it at the demo's "now", the last working day at 18:00. The same seed gives the
same registers, projects, quotes and statuses; only the platform's draw secrets
are fresh, so the winners of draws may differ between builds.
"""

from __future__ import annotations

import random
from collections import Counter
from uuid import UUID

from domain.agency import Agency
from domain.procurement import Procurement
from market.clock import FixedClock
from market.demo.cases import Case
from market.demo.credit import stage_credit
from market.demo.names import DEPARTMENTS
from market.demo.registry import Cast, People
from market.demo.scenario import LAST_DAY, Timeline, expected_statuses, stage_procurements, stage_registers
from market.demo.summary import AGENCY_STANDINGS, SELECTION_FEATURES, DemoProcurement, DemoSummary, selection_features

__all__ = ["DemoProcurement", "DemoSummary", "build_demo"]


class DemoError(RuntimeError):
    """The demo did not end as its scenario says: a rule changed under it."""


def build_demo(market, *, seed: int) -> DemoSummary:
    """Build the demo market on ``market`` (empty, with a ``FixedClock``) and summarise it."""
    clock = market.clock
    if not isinstance(clock, FixedClock):
        raise TypeError("build_demo needs a market whose clock is a FixedClock (演示数据需要可控时钟)")
    rng = random.Random(seed)
    timeline = Timeline(market, clock, LAST_DAY + 60)  # room for deadlines after the demo's "now"
    cast = stage_registers(market, clock, timeline, People(rng))
    cases = stage_procurements(market, clock, timeline, rng, cast)
    stage_credit(market, clock, timeline.moment(LAST_DAY, "17:20"), cases)  # after the day's last step (17:00)
    clock.set(timeline.moment(LAST_DAY, "18:00"))
    summary = _read_back(market, seed, timeline, cast, cases)
    expected = expected_statuses(cases)
    wrong = [p for p in summary.procurements if p.status != expected[UUID(p.id)]]
    if wrong:
        raise DemoError(", ".join(f"{p.id} is {p.status}, expected {expected[UUID(p.id)]}" for p in wrong))
    return summary


def _read_back(market, seed: int, timeline: Timeline, cast: Cast, cases: list[Case]) -> DemoSummary:
    now = market.clock.now()
    procurements = []
    selections = dict.fromkeys(SELECTION_FEATURES, 0)
    for case in cases:
        for round_ in case.all_rounds():
            p = market.load(round_.pid, Procurement)
            procurements.append(DemoProcurement(
                id=str(p.id), project_name=p.notice["project_name"], item=round_.item.name,
                owner=round_.owner.spec.name, status=p.status_code, method=p.notice["method"],
                fund_source=p.notice["fund_source"], round_no=p.round_no, previous_id=p.previous_id,
            ))  # fmt: skip
            for feature in selection_features(p.result, p.objections):
                selections[feature] += 1
    standings = dict.fromkeys(AGENCY_STANDINGS, 0)
    for a in cast.agencies:
        agency = market.load(a.id, Agency)
        standing = agency.status_code
        if standing == "admitted" and agency.active_suspensions(now):
            standing = "suspended"
        elif standing == "admitted" and agency.pending_change is not None:
            standing = "change_pending"
        standings[standing] += 1
    return DemoSummary(
        seed=seed, started_at=timeline.moment(0, "09:00"), now=now, procurements=tuple(procurements),
        agencies=standings, owners=len(cast.owners), delegates=sum(len(o.delegates) for o in cast.owners),
        service_items=len(cast.items), departments=len(DEPARTMENTS) + sum(len(d.units) for d in DEPARTMENTS),
        events=market.recorder.max_notification_id() or 0, selections=selections,
        credit_grades=dict(sorted(Counter(market.credit_standing(a.id).grade for a in cast.agencies).items())),
    )  # fmt: skip

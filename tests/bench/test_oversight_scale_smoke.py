"""The oversight scale bench at a tiny size, on SQLite: its market is real, and its scans run.

No timing is asserted (noisy machines; a benchmark reports rather than fails).
What is checked is that the generator writes what the Market's commands would:
the events load back through ``Market.load`` into the states each script reached,
the hash chain verifies, and both scans and the report run over the result.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import timedelta

import pytest

from bench.oversight_scale import (START, Direct, Timeline, ViaCommands, build_and_measure, register_province,
                                   report)  # fmt: skip
from domain.agency import Agency
from domain.credit import CreditFile
from domain.procurement import Procurement
from market.bootstrap import build_market
from market.clock import FixedClock
from market.integrity.guard import IntegrityGuard
from market.oversight.scan import full_scan, incremental_scan
from market.settings import Settings
from projections.catalog import open_read_models

SPAN = timedelta(days=150)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """200 procurements over five months, run to the end of them: most done, the last ones in flight."""
    url = f"sqlite:///{tmp_path_factory.mktemp('scale')}/events.db"
    settings = Settings(database_url=url)
    clock = FixedClock(START - timedelta(days=30))
    market = build_market(settings, clock=clock)
    rng = random.Random(7)
    province = register_province(market, rng, agencies=24, owners_per_region=2)
    direct = Direct(market, rng, batch=500)
    timeline = Timeline(province, direct.calendar, rng, direct)
    timeline.add(200, START, SPAN)
    timeline.run(until=START + SPAN)
    yield market, settings, clock, timeline
    market.close()


def _topics(market) -> Counter:
    """Stored events by ``Class.Event``; an event declared on a base class keeps the base's name
    (``Tendering.SignedUp``, ``Publicity.Awarded``: the library gotcha in the brief), so the
    procurement's are counted by their event name alone."""
    notifications = market.recorder.select_notifications(start=1, limit=1_000_000)
    names = (n.topic.split(":", 1)[-1] for n in notifications)
    return Counter(name.split(".")[-1] if name.startswith(("Tendering.", "Publicity.", "Procurement.")) else name
                   for name in names)  # fmt: skip


def test_every_procurement_loads_through_the_market_in_the_state_its_script_reached(generated):
    market, _, _, timeline = generated
    done, in_flight = 0, 0
    for case in timeline.cases:
        p = market.load(case.pid, Procurement)
        assert p.owner_id == str(case.owner.id) and p.notice["service_item_code"] == case.item
        if case.pid in timeline.finished:
            done += 1
            assert p.status_code == "closed" and p.evaluation["overall"] > 0
            assert p.winner_id == str(case.bidders[0].id)  # the planned winner quoted lowest
            assert [s["agency_id"] for s in p.active_signups()] == [str(b.id) for b in case.bidders]
            assert p.contract["amount"] == f"{case.prices[0]}.00"
            delivered = p.deliverable["submitted_at"]
            assert delivered >= p.service_due if case.late_wd else delivered < p.service_due
            assert len(p.extensions) == (1 if case.extension else 0)
        else:
            in_flight += 1
            assert p.status_code != "closed"
    assert done > 100 and in_flight > 0  # five months of drafting, about two months a life


def test_the_log_holds_the_commands_events_and_a_chain_that_verifies(generated):
    market, settings, _, timeline = generated
    topics = _topics(market)
    finished = len(timeline.finished)
    assert topics["Drafted"] == 200 and topics["DrawSecret.Sealed"] == topics["Published"] >= 190
    assert topics["SignedUp"] >= 3 * topics["SignupClosed"] and topics["Evaluated"] == finished
    assert topics["Agency.Released"] == finished and topics["Agency.Engaged"] == topics["Awarded"]
    # Each evaluation is on the winner's credit file, as the evaluate command records it (信用档案).
    assert topics["CreditFile.EvaluationRecorded"] == finished
    wins = Counter(str(c.bidders[0].id) for c in timeline.cases if c.pid in timeline.finished)
    for agency_id, n in wins.items():
        file = market.load(CreditFile.create_id(agency_id), CreditFile)
        assert sum(1 for r in file.records if r["kind"] == "evaluation") == n
    # An agency's unfinished awards are exactly its awarded procurements still in flight.
    winners = {str(c.bidders[0].id) for c in timeline.cases}
    engaged = {pid for a in winners for pid in market.load(a, Agency).engagements}
    awarded = {str(c.pid) for c in timeline.cases if c.pid not in timeline.finished
               and market.load(c.pid, Procurement).status_code not in ("draft", "pending_review", "signup_open",
                                                                         "signup_closed", "publicity")}  # fmt: skip
    assert engaged == awarded
    verified = IntegrityGuard.from_settings(settings, market).verify()
    assert verified.clean and verified.records == market.recorder.max_notification_id()


def test_both_scans_run_over_the_generated_market_and_the_commands_that_follow(generated):
    market, settings, clock, timeline = generated
    read_models = open_read_models(settings.database_url, market)
    try:
        clock.set(timeline.now)
        full = full_scan(market, read_models, clock.now())
        assert full.scopes["procurement"] == 200 and full.count("raised") > 0  # late deliveries at least
        scans = []

        def after(name: str) -> None:
            scans.append(incremental_scan(market, read_models, clock.now()))

        timeline.driver = ViaCommands(market, clock, after)
        timeline.run(commands=15)
        assert timeline.driver.commands == 15 and len(scans) == 15
        assert all(s.kind == "incremental" for s in scans)
        positions = [s.position for s in scans]
        assert positions == sorted(set(positions)) and positions[0] > full.position  # each saw new events
        assert all(sum(s.scopes.values()) > 0 for s in scans)  # and judged the scopes they touched
    finally:
        read_models.close()


def test_the_bench_measures_market_a_then_b_and_reports_the_ratios(tmp_path):
    phases = build_and_measure(f"sqlite:///{tmp_path}/bench.db", procurements=60, increment=8, seed=3, agencies=20,
                               owners_per_region=1, span=timedelta(days=40))  # fmt: skip

    a, b = phases
    assert (a.procurements, b.procurements) == (30, 60)
    assert b.events > a.events > 30 * 15
    assert a.commands == b.commands == 8 and a.increment_events >= 8 and b.increment_events >= 8
    assert a.full_scopes > 0 and b.full_scopes > a.full_scopes
    text = report(phases, 8)
    assert re.search(r"full scan, nothing new \(s\)\s+\S+\s+\S+\s+\d+\.\d\d\n", text)
    assert re.search(r"incremental scan \(ms/event\)\s+\S+\s+\S+\s+\d+\.\d\d\n", text)
    assert re.search(r"target: incremental B / A <= 1\.3 \(flat\)\s+\d+\.\d\d  (PASS|ABOVE)\n", text)

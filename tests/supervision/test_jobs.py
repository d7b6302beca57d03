"""The oversight job beside the deadline job: one leader, nightly full scans on business time, restarts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest

from domain.supervision import Flag
from market.clock import SHANGHAI
from market.oversight.jobs import OversightScheduler, full_scan_due
from projections.catalog import open_read_models
from tests.conftest import _url_for
from tests.scheduler.conftest import wait_for
from tests.supervision.test_read_models import contracted


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def read_models(market, database_url):
    rm = open_read_models(database_url, market)
    yield rm
    rm.close()


@pytest.fixture
def scheduler(market, read_models) -> Iterator[Callable[[], OversightScheduler]]:
    started: list[OversightScheduler] = []

    def start() -> OversightScheduler:
        s = OversightScheduler(market, read_models, interval_seconds=0.05, oversight_interval_seconds=0.05)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("last", "now", "due"), [
    (None, at(2, 1), True), (at(2, 2), at(2, 23), False), (at(2, 2), at(3, 1), False),
    (at(2, 2), at(3, 2), True), (at(1, 1), at(2, 1), True), (at(1, 9), at(2, 1), False),
])  # fmt: skip
def test_the_full_scan_is_due_once_per_business_night(last, now, due):
    assert full_scan_due(last, now, 2) is due


def test_the_leader_scans_at_start_and_a_second_process_stands_by(market, world, clock, scheduler):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pid, _ = contracted(market, world, clock, agencies)
    clock.advance(timedelta(days=60))  # the service is long overdue
    leader, standby = scheduler(), scheduler()

    assert leader.start() and not standby.start()

    assert leader.reports[0].kind == "full"
    assert [type(e).__name__ for e in market.history(Flag.create_id("DELAY_OVERRUN", str(pid)))] == ["Raised"]


def test_a_restart_resumes_from_the_bookmark_without_duplicates_or_missed_scans(market, world, clock, scheduler):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    first, _ = contracted(market, world, clock, agencies)
    clock.advance(timedelta(days=60))
    before = scheduler()
    assert before.start()
    wait_for(lambda: len(before.reports) >= 3)  # the job keeps scanning: incremental, nothing new
    before.stop()

    second, _ = contracted(market, world, clock, agencies)  # while no scheduler runs
    clock.advance(timedelta(days=60))
    overrun = Flag.create_id("DELAY_OVERRUN", str(second))
    after = scheduler()
    assert after.start()
    wait_for(lambda: market.exists(overrun))

    assert {r.kind for r in before.reports[1:]} == {"incremental"}
    assert after.reports[0].kind == "full"  # a business night passed during the downtime
    for pid in (first, second):  # each raised once, and nothing recorded again by the restart
        assert [type(e).__name__ for e in market.history(Flag.create_id("DELAY_OVERRUN", str(pid)))] == ["Raised"]

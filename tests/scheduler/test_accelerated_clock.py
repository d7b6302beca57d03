"""A lifecycle under the accelerated clock: business time runs on its own, the scheduler keeps up."""

from __future__ import annotations

from collections import Counter

from domain.procurement import Procurement
from market.bootstrap import build_market
from market.clock import AcceleratedClock
from market.scheduler import DeadlineScheduler
from market.settings import Settings
from projections.catalog import open_read_models
from tests.builders import T0, World
from tests.scheduler.conftest import wait_for

ONE_DAY_IN_TWO_SECONDS = 86400 / 2


def test_a_lowest_price_request_runs_by_itself_under_the_accelerated_clock(database_url):
    settings = Settings(database_url=database_url)
    market = build_market(settings, clock=AcceleratedClock(T0, ONE_DAY_IN_TWO_SECONDS))
    read_models = open_read_models(database_url, market)
    scheduler = DeadlineScheduler(market, read_models, interval_seconds=0.05)
    try:
        world = World(market)
        agencies = [world.admitted_agency(n) for n in range(2, 6)]
        pid = world.open_procurement()  # sign-up closes 3 days (6 s) after T0
        for i, (agency_id, actor) in enumerate(agencies):
            market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i)}, by=actor)
        assert scheduler.start()

        status = lambda: market.load(pid, Procurement).status_code  # noqa: E731
        wait_for(lambda: status() == "contracting", timeout=90)  # closed, selected, publicised, awarded

        events = Counter(type(e).__name__ for e in market.history(pid))
        assert events["SignupClosed"] == events["WinnerSelected"] == events["Awarded"] == 1
        by_name = {type(e).__name__: e for e in market.history(pid)}
        publicity_end = by_name["WinnerSelected"].publicity_end["at"]
        assert by_name["SignupClosed"].at >= by_name["Drafted"].notice["signup_closes_at"]
        assert by_name["Awarded"].at >= publicity_end  # never before the 公示期 ended, in business time
    finally:
        scheduler.stop()
        read_models.close()
        market.close()

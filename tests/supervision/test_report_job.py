"""The monthly reports under the accelerated clock: a simulated year, a restart in the middle, one leader."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.supervision import SupervisionReport
from market.bootstrap import build_market
from market.clock import SHANGHAI, AcceleratedClock, FixedClock
from market.oversight.jobs import OversightScheduler
from market.oversight.reporting import due_reports, months_between
from market.settings import Settings
from projections.catalog import open_read_models
from projections.supervision_reports import report_page
from tests.builders import World
from tests.conftest import _url_for
from tests.scheduler.conftest import wait_for

START = datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)  # a Monday
ONE_DAY_IN_A_TENTH_OF_A_SECOND = 86400 * 10
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


def a_market_opened_in_january(database_url: str) -> None:
    """A procurement published in 长沙 on START, with three sign-ups (built on a fixed clock)."""
    market = build_market(Settings(database_url=database_url), clock=FixedClock(START))
    world = World(market)
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement(opens=START)
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - 100 * i)}, by=actor)
    market.close()


def issued_months(read_models) -> list[str]:
    read_models.catch_up(["supervision_reports"])
    with read_models.connect() as conn:
        return sorted(r["month"] for r in report_page(conn, limit=200)["items"])


def test_months_between_and_what_is_due():
    assert months_between("2025-11", datetime(2026, 2, 3).date())[-1].isoformat() == "2026-02-01"
    assert len(months_between("2025-11", datetime(2026, 2, 3).date())) == 4
    assert months_between("2026-03", datetime(2026, 2, 3).date()) == []


def test_a_simulated_year_issues_twelve_reports_once_each_across_a_restart(database_url):
    a_market_opened_in_january(database_url)
    market = build_market(Settings(database_url=database_url),
                          clock=AcceleratedClock(START, ONE_DAY_IN_A_TENTH_OF_A_SECOND))  # fmt: skip
    read_models = open_read_models(database_url, market)
    started: list[OversightScheduler] = []

    def scheduler() -> OversightScheduler:
        started.append(OversightScheduler(market, read_models, interval_seconds=0.05, oversight_interval_seconds=0.05))
        return started[-1]

    try:
        before, standby = scheduler(), scheduler()
        assert before.start() and not standby.start()  # one leader; the other process stands by
        wait_for(lambda: len(issued_months(read_models)) >= 5, timeout=120)  # January to May
        before.stop()
        assert market.clock.now() < datetime(2026, 7, 1, tzinfo=SHANGHAI)  # stopped in June (a month = 3 s)
        assert issued_months(read_models) == MONTHS[:5]

        wait_for(lambda: market.clock.now() >= datetime(2026, 8, 3, tzinfo=SHANGHAI), timeout=60)
        missed = due_reports(read_models, market.clock.now())  # June and July ended while none ran
        assert [(region, month.isoformat()[:7]) for region, month in missed] == [("430100", "2026-06"),
                                                                                  ("430100", "2026-07")]
        assert issued_months(read_models) == MONTHS[:5]

        after = scheduler()
        assert after.start()  # its first run issues what fell due during the downtime
        assert [r["month"] for r in after.issued[:2]] == ["2026-06", "2026-07"]
        wait_for(lambda: len(issued_months(read_models)) >= 12, timeout=240)
        after.stop()
        assert issued_months(read_models) == MONTHS
    finally:
        for s in started:
            s.stop()
        read_models.close()

    by_process = [r["month"] for r in before.issued + after.issued]
    assert sorted(by_process) == sorted(set(by_process)) and set(MONTHS) <= set(by_process)  # none twice or missed
    assert standby.issued == []
    for month in MONTHS:  # each a single fact, issued after its month ended and never again
        (issued,) = market.history(SupervisionReport.create_id("430100", month))
        assert type(issued).__name__ == "Issued" and issued.region == "430100" and issued.month == month
        year, m = int(month[:4]), int(month[5:])
        assert issued.at >= datetime(year + m // 12, m % 12 + 1, 1, tzinfo=SHANGHAI)
        assert issued.figures["month"] == month and issued.digest and issued.actor["role"] == "system"
    market.close()

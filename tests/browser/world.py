"""The console's test world: the demo market on a fresh database, flags raised, demo accounts open.

The demo starts on Monday 2026-10-12 (not the CLI's March) so that its eleven weeks end in late
December and leave deadlines in 2027, a year the calendar has no data for yet (provisional
deadlines, which publishing 2027's holidays recomputes). A full oversight scan raises the
demo's flags, as the nightly scan would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from market.bootstrap import build_market, build_projections
from market.cli_serve import DEMO_PASSWORD, DemoAccount, open_demo_accounts
from market.clock import SHANGHAI, FixedClock
from market.demo import DemoSummary, build_demo
from market.oversight.scan import full_scan
from market.settings import Settings

DEMO_START = datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI)
TOKEN_SECRET = "console-test-secret-0123456789abcdef0123456789"


@dataclass(frozen=True)
class ConsoleWorld:
    settings: Settings  # for the served app: business time resumes at the demo's "now"
    summary: DemoSummary
    accounts: dict[str, DemoAccount]  # by role value
    password: str = DEMO_PASSWORD


def build_console_world(database_url: str, *, seed: int = 2024) -> ConsoleWorld:
    settings = Settings(database_url=database_url, token_secret=TOKEN_SECRET)
    market = build_market(settings, clock=FixedClock(DEMO_START))
    try:
        summary = build_demo(market, seed=seed)
        accounts = {a.role.value: a for a in open_demo_accounts(market)}
        read_models = build_projections(settings, market)
        try:
            read_models.catch_up()
            full_scan(market, read_models)
        finally:
            read_models.close()
    finally:
        market.close()
    served = Settings(database_url=database_url, token_secret=TOKEN_SECRET, clock_start=summary.now,
                      run_scheduler=False)  # fmt: skip
    return ConsoleWorld(served, summary, accounts)

"""Events are a storage contract: every one says who and when, and replays from storage."""

from __future__ import annotations

from datetime import datetime

from market.bootstrap import build_market
from market.clock import SHANGHAI, FixedClock
from market.demo import build_demo
from market.settings import Settings

START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def test_every_event_of_the_demo_market_records_its_actor_and_business_time(tmp_path):
    market = build_market(Settings(database_url=f"sqlite:///{tmp_path}/events.db"), clock=FixedClock(START))
    build_demo(market, seed=7)
    events = [market.mapper.to_domain_event(n) for n in market.recorder.select_notifications(start=1, limit=100_000)]

    missing = [f"{type(e).__qualname__} v{e.originator_version}" for e in events
               if not (isinstance(getattr(e, "actor", None), dict) and e.actor.get("id") and e.actor.get("role")
                       and isinstance(getattr(e, "at", None), datetime) and e.at.tzinfo is not None)]  # fmt: skip
    assert len(events) > 500
    assert missing == []
    market.close()

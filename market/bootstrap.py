"""The composition root: builds the market from settings, nothing at import time."""

from __future__ import annotations

from market.app import Market
from market.clock import Clock
from market.identity import PersonDigester
from market.settings import Settings


def build_market(settings: Settings | None = None, *, clock: Clock | None = None) -> Market:
    settings = settings or Settings()
    market = Market(
        env=settings.event_store_env(),
        clock=clock,
        digester=PersonDigester(settings.person_digest_key.encode()),
        retry_attempts=settings.retry_attempts,
        region=settings.region,
    )
    market.seed_calendar()
    return market

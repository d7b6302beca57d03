"""The composition root: builds the market from settings, nothing at import time."""

from __future__ import annotations

from market.app import Market
from market.clock import SHANGHAI, AcceleratedClock, Clock, SystemClock
from market.identity import PersonDigester
from market.privacy.keys import open_person_keys, person_keys_url
from market.settings import Settings
from projections.catalog import open_read_models
from projections.engine import ReadModels


def build_clock(settings: Settings) -> Clock:
    """The real clock, or an accelerated one for demos and drills (MARKET_CLOCK_ACCELERATION)."""
    if settings.clock_acceleration == 1.0 and settings.clock_start is None:
        return SystemClock()
    start = settings.clock_start or SystemClock().now()
    if start.tzinfo is None:
        start = start.replace(tzinfo=SHANGHAI)
    return AcceleratedClock(start, settings.clock_acceleration)


def build_market(settings: Settings | None = None, *, clock: Clock | None = None) -> Market:
    settings = settings or Settings()
    clock = clock or build_clock(settings)
    market = Market(
        env=settings.event_store_env(),
        clock=clock,
        digester=PersonDigester(settings.person_digest_key.encode()),
        retry_attempts=settings.retry_attempts,
        region=settings.region,
        person_keys=open_person_keys(settings.person_keys_url or person_keys_url(settings.database_url)),
    )
    market.seed_calendar()
    return market


def build_projections(settings: Settings, market: Market) -> ReadModels:
    """The read models over ``market``'s log: engine, migrated schema, registered projections.

    Start following with ``projections.runner.ProjectionRunner(read_models).start()``.
    """
    return open_read_models(settings.database_url, market)


def build_scheduler(settings: Settings, market: Market, read_models: ReadModels, *, interval_seconds: float | None = None):
    """The one scheduler of a deployment: deadlines, oversight scans, chain checkpoints and verification.

    Start it with ``.start()``; only the process that wins the leader lock runs the jobs.
    """
    from market.integrity.guard import IntegrityGuard
    from market.oversight.jobs import OversightScheduler

    return OversightScheduler(
        market, read_models, interval_seconds=interval_seconds or settings.scheduler_interval_seconds,
        integrity=IntegrityGuard.from_settings(settings, market),
    )  # fmt: skip

"""The deadline scheduler on SQLite and PostgreSQL, with its read models."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from market.scheduler import DeadlineScheduler
from projections.catalog import open_read_models
from tests.conftest import _url_for


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def read_models(market, database_url):
    rm = open_read_models(database_url, market)
    yield rm
    rm.close()


@pytest.fixture
def start_scheduler(market, read_models) -> Iterator[Callable[[], DeadlineScheduler]]:
    started: list[DeadlineScheduler] = []

    def start() -> DeadlineScheduler:
        scheduler = DeadlineScheduler(market, read_models, interval_seconds=0.05)
        assert scheduler.start()
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        scheduler.stop()


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait for the scheduler to have done something (not a timing assertion: the bound is generous)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the scheduler did not get there in time")
        time.sleep(0.02)

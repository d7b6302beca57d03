"""Fixtures: the planted-scheme scenario, built once on SQLite and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from market.app import Market
from market.bootstrap import build_market
from market.clock import FixedClock
from market.settings import Settings
from projections.catalog import open_read_models
from projections.engine import ReadModels
from projections.supervision_flags import flags
from tests.supervision.scenario import START, Scenario


@dataclass
class Supervised:
    market: Market
    read_models: ReadModels
    clock: FixedClock
    scenario: Scenario

    def flags(self, **filters: Any) -> list[dict[str, Any]]:
        """Every flag as the read model has it now (caught up first)."""
        self.read_models.catch_up()
        with self.read_models.connect() as conn:
            return flags(conn, limit=100_000, **filters)

    def open_keys(self) -> set[tuple[str, str]]:
        return {(f["code"], f["key"]) for f in self.flags(status="open")}

    def events_of(self, aggregate_id: Any) -> list[Any]:
        return self.market.history(aggregate_id)

    def event_at(self, position: int) -> Any:
        """The stored event at this notification id (evidence must point at real events)."""
        (notification,) = self.market.recorder.select_notifications(start=position, limit=1)
        assert notification.id == position
        return self.market.mapper.to_domain_event(notification)


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Scenario, datetime]:
    root = tmp_path_factory.mktemp("scenario")
    url = f"sqlite:///{root}/events.db"
    clock = FixedClock(START - timedelta(days=7))
    market = build_market(Settings(database_url=url), clock=clock)
    scenario = Scenario(market, clock)
    scenario.register()
    scenario.run()
    read_models = open_read_models(url, market)
    read_models.catch_up()
    read_models.close()
    market.close()
    return root, scenario, clock.now()


@pytest.fixture
def supervised(scenario_template, tmp_path: Path) -> Iterator[Supervised]:
    root, template, end = scenario_template
    for path in root.iterdir():
        if path.is_file() and ".db" in path.name:
            shutil.copy(path, tmp_path / path.name)
    url = f"sqlite:///{tmp_path}/events.db"
    clock = FixedClock(end)
    market = build_market(Settings(database_url=url), clock=clock)
    read_models = open_read_models(url, market)
    yield Supervised(market, read_models, clock, template.attach(market, clock))
    read_models.close()
    market.close()

"""Fixtures for the public pages: the whole service (API and pages) over a market on SQLite and
PostgreSQL, with a TestClient that runs its lifespan, and the demo market built once per module."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from market.bootstrap import build_market
from market.clock import SHANGHAI, FixedClock
from market.demo import DemoSummary, build_demo
from market.settings import Settings
from projections.catalog import open_read_models
from tests.conftest import POSTGRES_URL, _admin_dsn, _url_for
from tests.disclosure.html import Page, read

TOKEN_SECRET = "test-token-secret-0123456789abcdef0123456789"
DEMO_START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


class Site:
    """The service seen by a browser without an account."""

    def __init__(self, client: TestClient, market) -> None:
        self.client, self.market = client, market

    def get(self, path: str, **params: Any):
        runner = self.client.app.state.runner
        if runner is not None:
            runner.wait_until_caught_up()
        return self.client.get(path, params=params or None)

    def page(self, path: str, **params: Any) -> Page:
        """A page that must answer 200 with valid HTML."""
        response = self.get(path, **params)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
        return read(response.text)


def _serve(market, database_url: str) -> Iterator[Site]:
    read_models = open_read_models(database_url, market)
    app = create_app(Settings(database_url=database_url, token_secret=TOKEN_SECRET), market=market,
                     read_models=read_models, start_scheduler=False)  # fmt: skip
    try:
        with TestClient(app) as client:
            yield Site(client, market)
    finally:
        read_models.close()


@pytest.fixture
def site(market, database_url: str) -> Iterator[Site]:
    yield from _serve(market, database_url)


@dataclass
class Demo:
    site: Site
    summary: DemoSummary


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Demo]:
    """The demo market (80 procurements in every state) behind the service, built once per module."""
    database, url = None, f"sqlite:///{tmp_path_factory.mktemp('demo')}/events.db"
    if request.param == "postgres":
        if not request.getfixturevalue("postgres_available"):
            pytest.skip("PostgreSQL unreachable (set CI=true to make this a failure)")
        database = f"market_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        url = f"{POSTGRES_URL.rsplit('/', 1)[0]}/{database}"
    market = build_market(Settings(database_url=url), clock=FixedClock(DEMO_START))
    try:
        summary = build_demo(market, seed=2024)
        for site in _serve(market, url):
            yield Demo(site, summary)
    finally:
        market.close()
        if database:
            with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

"""Fixtures for API tests: the app over a market on SQLite and PostgreSQL (a fresh database per
test), with a TestClient that runs its lifespan (the projection runner follows the log)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from api.app import create_app
from market.commands import accounts
from market.settings import Settings
from projections.catalog import open_read_models
from tests.api.world import Api, ApiWorld
from tests.conftest import _url_for

# The production hasher costs ~0.2 s a hash; tests open and log in dozens of accounts, so they use
# argon2id with the cost turned down (test_accounts checks the production parameters).
CHEAP = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
TOKEN_SECRET = "test-token-secret-0123456789abcdef0123456789"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch) -> None:
    monkeypatch.setattr(accounts, "password_hasher", lambda: CHEAP)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def api_world(market, world) -> ApiWorld:
    return ApiWorld(market, world)


@pytest.fixture
def api(market, database_url: str, api_world: ApiWorld) -> Iterator[Api]:
    read_models = open_read_models(database_url, market)
    settings = Settings(database_url=database_url, token_secret=TOKEN_SECRET)
    app = create_app(settings, market=market, read_models=read_models)
    try:
        with TestClient(app) as client:
            app.state.tokens.cache_seconds = 0.0  # a deactivated account is refused at once
            yield Api(client, market, api_world)
    finally:
        read_models.close()

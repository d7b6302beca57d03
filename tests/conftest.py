"""Shared fixtures: the market on each backend, changed only through the environment.

``market`` runs every application test on memory, SQLite and PostgreSQL.
PostgreSQL tests skip locally when the server is unreachable, but under
``CI=true`` they fail instead: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from market.bootstrap import build_market
from market.clock import FixedClock
from market.settings import Settings
from tests.builders import T0, World

POSTGRES_URL = os.environ.get("MARKET_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _admin_dsn() -> str:
    return POSTGRES_URL.replace("postgresql+psycopg2://", "postgresql://")


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        with psycopg.connect(_admin_dsn(), connect_timeout=3):
            return True
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL unreachable at {POSTGRES_URL} under CI=true: {exc}")
        return False


@pytest.fixture(scope="session")
def shared_person_keys_url(postgres_available: bool) -> Iterator[str]:
    """One person-key database for the session's throw-away markets (market/privacy/keys.py).

    By default each market keeps its keys in a database of its own, created on first use; a
    database costs about a second to create and drop, on every PostgreSQL test that registers an
    agency. The personal-data tests (tests/privacy) still use that default."""
    name = f"market_test_keys_{uuid.uuid4().hex[:12]}"
    yield f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"
    if postgres_available:
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_available: bool, shared_person_keys_url: str, monkeypatch) -> Iterator[str]:
    """A fresh, empty database per test, dropped afterwards."""
    if not postgres_available:
        pytest.skip("PostgreSQL unreachable (set CI=true to make this a failure)")
    name = f"market_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    monkeypatch.setenv("MARKET_PERSON_KEYS_URL", shared_person_keys_url)
    yield f"{base}/{name}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_keys" WITH (FORCE)')  # its own person keys, if made


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


def _url_for(backend: str, request: pytest.FixtureRequest, tmp_path) -> str:
    if backend == "memory":
        return "memory://"
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/events.db"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def market(database_url: str, clock: FixedClock):
    m = build_market(Settings(database_url=database_url), clock=clock)
    yield m
    m.close()


@pytest.fixture
def world(market) -> World:
    return World(market)

"""Fixtures for read-model tests: the market of tests/conftest.py plus its read models.

Projection tests run on SQLite and PostgreSQL (a fresh database per test), by
changing only the database URL; ``memory://`` is left to the market's own tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, select

from projections.catalog import open_read_models
from projections.engine import ReadModels
from projections.runner import ProjectionRunner
from tests.conftest import _url_for


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def read_models(market, database_url: str) -> Iterator[ReadModels]:
    rm = open_read_models(database_url, market)
    yield rm
    rm.close()


@pytest.fixture
def runner(read_models: ReadModels) -> Iterator[ProjectionRunner]:
    with ProjectionRunner(read_models, poll_interval=0.02) as r:
        yield r


@pytest.fixture
def caught_up(read_models: ReadModels):
    """Call to apply everything recorded so far; returns a fresh connection for queries."""
    opened: list[Connection] = []

    def catch_up() -> Connection:
        read_models.catch_up()
        conn = read_models.connect()
        opened.append(conn)
        return conn

    yield catch_up
    for conn in opened:
        conn.close()


def table_rows(conn: Connection, read_models: ReadModels, *, names: list[str] | None = None) -> dict[str, list[Any]]:
    """Every row of every projection table, sorted, for row-for-row comparisons."""
    dump = {}
    for name in names or list(read_models.projections):
        for table in read_models.get(name).tables:
            rows = conn.execute(select(table)).all()
            dump[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return dump

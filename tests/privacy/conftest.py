"""Personal-data tests run on SQLite and PostgreSQL (the stores whose files and dumps can be searched),
with the person keys in their default place."""

from __future__ import annotations

import pytest

from market.bootstrap import build_market
from market.clock import FixedClock
from market.privacy.keys import person_keys_url
from market.settings import Settings
from tests.conftest import _url_for


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def market(database_url: str, clock: FixedClock):
    """The market with its person keys where production keeps them by default: beside the store."""
    m = build_market(Settings(database_url=database_url, person_keys_url=person_keys_url(database_url)), clock=clock)
    yield m
    m.close()

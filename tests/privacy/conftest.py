"""Personal-data tests run on SQLite and PostgreSQL (the stores whose files and dumps can be searched)."""

from __future__ import annotations

import pytest

from tests.conftest import _url_for


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)

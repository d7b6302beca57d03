"""Console tests over HTTP (no browser): the service on the demo market in a SQLite file, one per
session, with a client per test that logs in as the role it needs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.browser.world import ConsoleWorld, build_console_world

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def console_world(tmp_path_factory) -> ConsoleWorld:
    return build_console_world(f"sqlite:///{tmp_path_factory.mktemp('console')}/market.db")


@pytest.fixture(scope="session")
def console_app(console_world: ConsoleWorld):
    app = create_app(console_world.settings)
    with TestClient(app, base_url="http://127.0.0.1"):  # runs the lifespan once for the session
        yield app


@pytest.fixture
def client(console_app) -> Iterator[TestClient]:
    """A fresh client (no cookies), without re-running the app's lifespan."""
    yield TestClient(console_app, base_url="http://127.0.0.1", follow_redirects=False)


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


def log_in(client: TestClient, username: str, password: str):
    token = csrf_of(client.get("/admin/login").text)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token})


@pytest.fixture
def regulator(client, console_world) -> TestClient:
    assert log_in(client, console_world.accounts["regulator"].username, console_world.password).status_code == 303
    return client


@pytest.fixture
def operator(client, console_world) -> TestClient:
    assert log_in(client, console_world.accounts["operator"].username, console_world.password).status_code == 303
    return client

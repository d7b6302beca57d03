"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by apt, never a
downloaded browser) against the real service, served by uvicorn in a thread, on a fresh PostgreSQL
database holding the demo market (SQLite when PostgreSQL is unreachable outside CI).

Under CI=true a missing Chromium or PostgreSQL fails these tests instead of skipping them.
Screenshots go to ``artifacts/screenshots/`` (or ``MARKET_SCREENSHOTS``), kept by CI as artefacts.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import uvicorn

from api.app import create_app
from tests.browser.world import ConsoleWorld, build_console_world
from tests.conftest import IN_CI, POSTGRES_URL, _admin_dsn

CHROMIUM = Path(os.environ.get("MARKET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("MARKET_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
VIEWPORT = {"width": 1366, "height": 768}  # the console must be usable on this screen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def console_database(tmp_path_factory) -> Iterator[str]:
    """A fresh PostgreSQL database for the session (SQLite locally when PostgreSQL is down)."""
    try:
        with psycopg.connect(_admin_dsn(), connect_timeout=3, autocommit=True) as conn:
            name = f"console_test_{os.getpid()}_{int(time.time())}"
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL unreachable at {POSTGRES_URL} under CI=true: {exc}")
        yield f"sqlite:///{tmp_path_factory.mktemp('console')}/market.db"
        return
    yield f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def world(console_database: str) -> ConsoleWorld:
    return build_console_world(console_database)


@pytest.fixture(scope="session")
def console(world: ConsoleWorld) -> Iterator[str]:
    """The service (API and console) on a free port: its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(world.settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))  # fmt: skip
    thread = threading.Thread(target=server.run, name="console-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the console's server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, console: str) -> Iterator[object]:
    """A fresh browser context (no cookies) at 1366×768, in Beijing time."""
    context = chromium.new_context(viewport=VIEWPORT, base_url=console, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, username: str, password: str) -> None:
    page.goto("/admin/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")

"""``market serve``: the demo market and accounts on a SQLite file, then uvicorn (not started here)."""

from __future__ import annotations

from datetime import datetime

from typer.testing import CliRunner

from domain.base import Role
from market.bootstrap import build_market
from market.cli import DEMO_START, app
from market.cli_serve import DEMO_PASSWORD
from market.settings import Settings

runner = CliRunner()


def test_serve_loads_the_demo_opens_an_account_per_role_and_starts_uvicorn(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/market.db"
    started = []
    monkeypatch.setattr("uvicorn.run", lambda target, **kw: started.append((target, kw)))
    env = {"MARKET_DATABASE_URL": url, "MARKET_CLOCK_START": None}

    first = runner.invoke(app, ["serve", "--port", "8123"], env=env)
    again = runner.invoke(app, ["serve", "--port", "8123"], env=env)

    assert first.exit_code == 0, first.output
    assert "http://127.0.0.1:8123/api" in first.output and "http://127.0.0.1:8123/docs" in first.output
    assert "Building the demo market" in first.output and "Building" not in again.output
    assert started[0] == ("api.app:create_app", {"factory": True, "host": "127.0.0.1", "port": 8123,
                                                 "log_level": "info"})  # fmt: skip
    expected = {"op-001": Role.OPERATOR, "reg-001": Role.REGULATOR, "owner01-admin": Role.OWNER_ADMIN,
                "owner01-agent1": Role.OWNER_DELEGATE, "agency01-user": Role.AGENCY}  # fmt: skip
    market = build_market(Settings(database_url=url))
    try:
        for username, role in expected.items():
            assert f" {username} " in first.output
            actor = market.authenticate(username, DEMO_PASSWORD)
            assert actor.role is role
            assert (actor.organisation_id is None) == (role in (Role.OPERATOR, Role.REGULATOR))
    finally:
        market.close()
    assert again.output.count(DEMO_PASSWORD) == 1  # the same accounts, printed again


def test_demo_business_time_resumes_from_the_newest_event(tmp_path, monkeypatch):
    from market.cli_serve import prepare

    url = f"sqlite:///{tmp_path}/market.db"
    start, cast = prepare(Settings(database_url=url), seed=2024)
    assert start > DEMO_START and isinstance(start, datetime)
    assert {a.role for a in cast} == {Role.OPERATOR, Role.REGULATOR, Role.OWNER_ADMIN, Role.OWNER_DELEGATE, Role.AGENCY}

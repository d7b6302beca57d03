"""``market verify`` and ``market export-chain`` against a SQLite file, then the offline tool."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from market.bootstrap import build_market
from market.cli import app
from market.clock import FixedClock
from market.settings import Settings
from tests.builders import T0, World

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_chain.py"
runner = CliRunner()


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path}/market.db"
    market = build_market(Settings(database_url=url), clock=FixedClock(T0))
    try:
        world = World(market)
        pid = world.open_procurement()
        world.admitted_agency(2)
    finally:
        market.close()
    env = {"MARKET_DATABASE_URL": url, "MARKET_CHECKPOINT_KEY_FILE": str(tmp_path / "key.pem")}
    return env, str(pid), tmp_path


def cli(env, *args):
    return runner.invoke(app, list(args), env=env)


def test_verify_on_an_untouched_store_says_clean_and_exits_0(store):
    env, _, _ = store
    done = cli(env, "verify")

    assert done.exit_code == 0, done.output
    assert "CLEAN" in done.output and "await the next checkpoint" in done.output


def test_export_chain_writes_a_file_the_offline_tool_calls_genuine(store):
    env, pid, tmp = store
    out = tmp / "export.json"

    exported = cli(env, "export-chain", pid, "--out", str(out))
    offline = subprocess.run([sys.executable, "-I", "-S", str(TOOL), str(out)], capture_output=True, text=True)

    assert exported.exit_code == 0, exported.output
    assert offline.returncode == 0 and "GENUINE" in offline.stdout
    assert "CLEAN" in cli(env, "verify").output and "signed checkpoints (last at" in cli(env, "verify").output


def test_verify_on_a_tampered_store_says_where_and_exits_1(store):
    env, _, tmp = store
    with sqlite3.connect(tmp / "market.db") as conn:
        (last,) = conn.execute("SELECT MAX(rowid) FROM stored_events").fetchone()
        conn.execute("UPDATE stored_events SET topic = topic || ' ' WHERE rowid = ?", (last - 1,))

    done = cli(env, "verify")

    assert done.exit_code == 1
    assert f"TAMPERED at position {last - 1}: altered" in done.output


def test_export_chain_of_an_unknown_procurement_exits_1(store):
    env, _, tmp = store
    done = cli(env, "export-chain", "00000000-0000-4000-8000-000000000000", "--out", str(tmp / "x.json"))

    assert done.exit_code == 1 and "Not found" in done.output

"""The ``market`` command line, run against a demo market in a SQLite file."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from market.bootstrap import build_market
from market.cli import DEMO_START, app
from market.clock import FixedClock
from market.demo import DemoSummary, build_demo
from market.draw_secrets import DrawSecret
from market.settings import Settings

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"
runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[str, DemoSummary]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli')}/market.db"
    market = build_market(Settings(database_url=url), clock=FixedClock(DEMO_START))
    try:
        return url, build_demo(market, seed=2024)
    finally:
        market.close()


def market_cli(url: str, *args: str):
    return runner.invoke(app, list(args), env={"MARKET_DATABASE_URL": url})


def closed_lowest_price(summary: DemoSummary) -> str:
    return summary.example("closed", "lowest_price").id


def test_demo_command_builds_a_sqlite_file_and_prints_the_summary(tmp_path):
    url = f"sqlite:///{tmp_path}/market.db"
    first = market_cli(url, "demo", "--seed", "3")
    again = market_cli(url, "demo", "--seed", "3")  # a SQLite file is rebuilt by default

    assert first.exit_code == 0, first.output
    assert "采购需求状态 Procurements by status" in first.output and "market history" in first.output
    assert again.exit_code == 0 and again.output == first.output


def test_demo_command_without_reset_refuses_a_database_that_holds_events(tmp_path):
    url = f"sqlite:///{tmp_path}/market.db"
    assert market_cli(url, "demo").exit_code == 0
    refused = market_cli(url, "demo", "--no-reset")
    assert refused.exit_code == 1
    assert "already holds events" in refused.output and "已有数据" in refused.output


def test_history_shows_each_event_with_time_actor_role_and_data(demo):
    url, summary = demo
    result = market_cli(url, "history", closed_lowest_price(summary))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    events = [line for line in lines if line.startswith("v")]
    assert events[0].startswith("v1  2026-") and events[0].endswith("Procurement.Drafted")
    assert events[-1].endswith("Procurement.Evaluated")
    for role in ("(owner_", "(operator 运营机构)", "(agency 中介机构)", "(system 系统)"):
        assert any(role in line for line in events), role
    data = [json.loads(line) for line in lines if line.startswith("    ")]
    assert len(data) == len(events)
    assert "notice" in data[0] and "actor" not in data[0] and "originator_id" not in data[0]


def test_history_keeps_the_draw_secret_sealed(demo):
    url, summary = demo
    pid = summary.example("signup_open").id
    result = market_cli(url, "history", str(DrawSecret.create_id(pid)))
    assert result.exit_code == 0, result.output
    assert "DrawSecret.Sealed" in result.output and "sealed" in result.output
    assert '"secret": "(' in result.output  # the placeholder, not the hex secret


@pytest.mark.parametrize("unknown", [str(uuid.uuid4()), "not-an-id"])
def test_history_of_an_unknown_id_exits_1(demo, unknown):
    result = market_cli(demo[0], "history", unknown)
    assert result.exit_code == 1
    assert "Not found" in result.output


def test_verify_draw_says_genuine_for_a_lowest_price_selection(demo):
    url, summary = demo
    result = market_cli(url, "verify-draw", closed_lowest_price(summary))
    assert result.exit_code == 0, result.output
    assert "真实有效 / GENUINE" in result.output and "lowest_price" in result.output


def test_verify_draw_says_genuine_for_every_selection_of_the_demo(demo):
    url, summary = demo
    selected = [p for p in summary.procurements if p.status not in (
        "draft", "pending_review", "returned", "published", "signup_open", "signup_closed", "voided")]  # fmt: skip
    results = {p.id: market_cli(url, "verify-draw", p.id) for p in selected}
    assert {pid: r.exit_code for pid, r in results.items()} == dict.fromkeys(results, 0)


def test_verify_draw_before_any_selection_exits_1(demo):
    url, summary = demo
    result = market_cli(url, "verify-draw", summary.example("signup_open").id)
    assert result.exit_code == 1
    assert "No selection result" in result.output


def test_verify_draw_detects_a_result_tampered_in_the_event_store(demo, tmp_path):
    url, summary = demo
    pid = closed_lowest_price(summary)
    copy = tmp_path / "tampered.db"
    shutil.copy(url.removeprefix("sqlite:///"), copy)
    with sqlite3.connect(copy) as db:
        (state,) = db.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? AND topic LIKE '%WinnerSelected'",
            (uuid.UUID(pid).hex,),
        ).fetchone()
        record = json.loads(state)["result"]
        loser = next(e["agency_id"] for e in record["entries"] if e["agency_id"] != record["outcome"]["winner"])
        forged = state.replace(f'"winner":"{record["outcome"]["winner"]}"'.encode(), f'"winner":"{loser}"'.encode())
        db.execute("UPDATE stored_events SET state = ? WHERE state = ?", (forged, state))

    result = market_cli(f"sqlite:///{copy}", "verify-draw", pid)
    assert result.exit_code == 1
    assert "不一致 / MISMATCH" in result.output and "winner" in result.output


def test_verify_draw_exports_a_record_the_standalone_tool_accepts_and_a_forgery_it_rejects(demo, tmp_path):
    url, summary = demo
    exported = tmp_path / "result.json"
    assert market_cli(url, "verify-draw", closed_lowest_price(summary), "--export", str(exported)).exit_code == 0
    record = json.loads(exported.read_text(encoding="utf-8"))
    cheapest = min(record["entries"], key=lambda e: float(e["price"]))
    cheapest["price"] = "1.00"  # a forged list: the cheapest quote was not what was frozen at the close
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    genuine = subprocess.run([sys.executable, str(TOOL), str(exported)], capture_output=True, text=True)
    mismatch = subprocess.run([sys.executable, str(TOOL), str(forged)], capture_output=True, text=True)

    assert genuine.returncode == 0 and "GENUINE" in genuine.stdout
    assert mismatch.returncode == 1 and "MISMATCH" in mismatch.stdout and "list hash" in mismatch.stdout


def test_projections_follow_keeps_the_read_models_caught_up_until_terminated(demo, tmp_path):
    """The read models' own process, for API processes started with MARKET_RUN_PROJECTIONS=false."""
    import os
    import signal
    import time

    from projections.catalog import open_read_models

    shutil.copy(demo[0].removeprefix("sqlite:///"), tmp_path / "market.db")  # the demo's events, no read models
    url = f"sqlite:///{tmp_path}/market.db"
    market = build_market(Settings(database_url=url))
    read_models = open_read_models(url, market)
    assert all(s.lag > 0 for s in read_models.status())
    follower = subprocess.Popen(
        [sys.executable, "-c", "from market.cli import main; main()", "projections", "follow"],
        env={**os.environ, "MARKET_DATABASE_URL": url}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while any(s.lag for s in read_models.status()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [s.name for s in read_models.status() if s.lag] == []
        assert follower.poll() is None  # still following
    finally:
        follower.send_signal(signal.SIGTERM)
        output = follower.communicate(timeout=30)[0].decode()
        read_models.close()
        market.close()
    assert follower.returncode == 0, output
    assert "Following the log" in output

"""Chain rows are written by the recorder, in the events' own transaction, in commit order."""

from __future__ import annotations

import importlib.util
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError

from domain.base import Actor, Role
from market.app import Market
from market.bootstrap import build_market
from market.clock import FixedClock
from market.integrity.guard import IntegrityGuard
from market.integrity.recorders import ChainBroken
from market.settings import Settings
from tests.builders import OPERATOR, T0, World, agency_profile, uscc

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_chain.py"


def test_every_stored_record_has_exactly_one_chain_row(guard, procurement, tamper):
    events = tamper.positions()
    chained = [r[0] for r in tamper.sql("SELECT position FROM {chain} ORDER BY position")]

    assert chained == events


def test_a_save_that_fails_writes_no_chain_row(market, world, tamper, guard):
    agency_id, _ = world.admitted_agency(2)
    first, second = market.repository.get(agency_id), market.repository.get(agency_id)
    for copy in (first, second):
        copy.suspend(until=T0 + timedelta(days=30), reason="未按时提交报告", by=OPERATOR, now=T0)
    market.save(first)
    with pytest.raises(IntegrityError):
        market.save(second)  # the same version: refused, and its chain row with it

    assert len(tamper.sql("SELECT position FROM {chain}")) == len(tamper.positions())
    assert guard.verify().clean


def test_concurrent_writers_leave_one_unbroken_chain(market, world, guard):
    errors: list[BaseException] = []

    def register(worker: int) -> None:
        try:
            for i in range(8):
                n = 100 + worker * 10 + i
                market.register_agency(uscc(n), agency_profile(n), by=OPERATOR)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    report = guard.verify()
    assert errors == []
    assert report.clean, report.finding
    assert report.head == market.recorder.max_notification_id()
    assert report.records == len(list(market.recorder.select_notifications(start=1, limit=10_000)))


def test_the_standalone_tool_computes_the_stored_digests(guard, procurement, tamper):
    spec = importlib.util.spec_from_file_location("verify_chain", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    with guard.store.reader() as reader:
        pairs = list(zip(reader.records(), reader.links()))

    assert pairs and all(
        tool.record_digest(r.originator_id, r.originator_version, r.topic, r.state) == k.digest for r, k in pairs
    )


def test_a_chain_head_ahead_of_the_events_refuses_further_writes(tmp_path):
    """SQLite reuses the rowid of a deleted last row: the chain must not silently absorb it."""
    url = f"sqlite:///{tmp_path}/events.db"
    market = build_market(Settings(database_url=url), clock=FixedClock(T0))
    try:
        World(market)
        conn = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
        conn.execute("DELETE FROM stored_events WHERE rowid = (SELECT MAX(rowid) FROM stored_events)")
        conn.close()
        with pytest.raises(ChainBroken):
            market.register_agency(uscc(7), agency_profile(7), by=Actor("agency-user-7", Role.AGENCY, None))
    finally:
        market.close()


def test_the_memory_store_keeps_no_chain_and_no_guard(clock):
    settings = Settings(database_url="memory://")
    market = build_market(settings, clock=clock)
    try:
        World(market).open_procurement()
        assert IntegrityGuard.from_settings(settings, market) is None
    finally:
        market.close()


def test_a_market_built_without_chaining_writes_no_chain_table(tmp_path, clock):
    class Unchained(Market):
        chain_events = False

    market = Unchained(env=Settings(database_url=f"sqlite:///{tmp_path}/plain.db").event_store_env(), clock=clock)
    try:
        tables = {r[0] for r in sqlite3.connect(tmp_path / "plain.db").execute("SELECT name FROM sqlite_master")}
        assert "stored_events" in tables and "stored_events_chain" not in tables
    finally:
        market.close()

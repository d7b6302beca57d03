"""A small market on SQLite and PostgreSQL, its integrity guard, and raw-SQL tampering."""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg
import pytest

from market.integrity.guard import IntegrityGuard
from tests.builders import World
from tests.conftest import _url_for


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def key_file(tmp_path):
    return tmp_path / "keys" / "checkpoint-key.pem"


@pytest.fixture
def guard(market, key_file) -> IntegrityGuard:
    return IntegrityGuard(market, key_file=key_file)


@pytest.fixture
def procurement(world: World):
    """One open procurement among the world's registers: (procurement id, its first and last positions)."""
    before = world.market.recorder.max_notification_id()
    pid = world.open_procurement()
    world.admitted_agency(2)  # records after it, so the procurement sits mid-chain
    return pid, before + 1


class Tamper:
    """What someone with write access to the database could do, in plain SQL."""

    def __init__(self, database_url: str) -> None:
        if database_url.startswith("sqlite"):
            self.conn: Any = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
            self.ph, self.events, self.pos = "?", "stored_events", "rowid"
        else:
            self.conn = psycopg.connect(database_url, autocommit=True)
            self.ph, self.events, self.pos = "%s", "market_events", "notification_id"
        self.chain, self.checkpoints = f"{self.events}_chain", f"{self.events}_checkpoints"

    def sql(self, statement: str, *params: Any) -> list[Any]:
        cur = self.conn.execute(statement.format(ph=self.ph, events=self.events, pos=self.pos, chain=self.chain,
                                                 checkpoints=self.checkpoints), params)  # fmt: skip
        return cur.fetchall() if cur.description else []

    def row(self, position: int) -> tuple[Any, ...]:
        return tuple(self.sql("SELECT originator_id, originator_version, topic, state FROM {events} WHERE {pos} = {ph}",
                              position)[0])  # fmt: skip

    def positions(self) -> list[int]:
        return [r[0] for r in self.sql("SELECT {pos} FROM {events} ORDER BY {pos}")]

    def flip_state_byte(self, position: int, index: int = 10) -> None:
        state = bytearray(self.row(position)[3])
        state[index] ^= 0x01
        self.sql("UPDATE {events} SET state = {ph} WHERE {pos} = {ph}", bytes(state), position)

    def delete(self, position: int) -> None:
        self.sql("DELETE FROM {events} WHERE {pos} = {ph}", position)

    def insert_forged(self, like: int, originator_id: Any) -> int:
        _, _, topic, state = self.row(like)
        oid = originator_id.hex if self.ph == "?" else originator_id
        self.sql("INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES ({ph},1,{ph},{ph})",
                 oid, topic, state)  # fmt: skip
        return self.positions()[-1]

    def swap_contents(self, a: int, b: int) -> None:
        _, _, topic_a, state_a = self.row(a)
        _, _, topic_b, state_b = self.row(b)
        self.sql("UPDATE {events} SET topic = {ph}, state = {ph} WHERE {pos} = {ph}", topic_b, state_b, a)
        self.sql("UPDATE {events} SET topic = {ph}, state = {ph} WHERE {pos} = {ph}", topic_a, state_a, b)

    def swap_positions(self, a: int, b: int) -> None:
        self.sql("UPDATE {events} SET {pos} = -1 WHERE {pos} = {ph}", a)
        self.sql("UPDATE {events} SET {pos} = {ph} WHERE {pos} = {ph}", a, b)
        self.sql("UPDATE {events} SET {pos} = {ph} WHERE {pos} = -1", b)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def tamper(market, database_url):
    t = Tamper(database_url)
    yield t
    t.close()

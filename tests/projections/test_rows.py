"""A batch's rows: read once, changed in memory, written with a few statements per table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import JSON, Boolean, Column, Integer, LargeBinary, MetaData, Numeric, String, Table, event, select

from projections.database import UTCDateTime
from projections.rows import Rows

METADATA = MetaData()  # a scratch table, never one of the read models
ITEMS = Table("rm_test_items", METADATA, Column("group_id", String(8), primary_key=True),
              Column("n", Integer, primary_key=True), Column("label", String(20)))  # fmt: skip


@pytest.fixture
def engine(read_models):
    METADATA.create_all(read_models.engine)
    yield read_models.engine
    METADATA.drop_all(read_models.engine)


@pytest.fixture
def statements(engine):
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    yield seen
    event.remove(engine, "before_cursor_execute", listener)


def stored(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(ITEMS)))


def test_changes_reach_the_database_only_at_flush_and_in_few_statements(engine, statements):
    with engine.begin() as conn:
        rows = Rows(conn)
        for n in range(300):
            rows.insert(ITEMS, group_id="a", n=n, label=f"item {n}")
        rows.update(ITEMS, ("a", 7), label="seven")
        rows.delete(ITEMS, ("a", 8))
        assert stored(engine) == [] and not [s for s in statements if "rm_test_items" in s and "INSERT" in s]
        rows.flush()
    assert len(stored(engine)) == 299 and ("a", 7, "seven") in stored(engine)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) <= 3  # one executemany (or one multi-row INSERT) per kind, not one per row


def test_a_batch_reads_each_row_once_and_sees_its_own_changes(engine, statements):
    with engine.begin() as conn:
        seed = Rows(conn)
        for n in range(3):
            seed.insert(ITEMS, group_id="a", n=n, label="stored")
        seed.flush()

    with engine.begin() as conn:
        rows = Rows(conn)
        reads = len(statements)
        rows.preload(ITEMS, "group_id", ["a", "b"])
        assert len(statements) == reads  # a preload waits until a handler touches the table
        assert [r["n"] for r in rows.find(ITEMS, group_id="a")] == [0, 1, 2]
        assert rows.get(ITEMS, ("b", 1)) is None  # known absent: the preload covered group b
        rows.update(ITEMS, ("a", 0), label="changed")
        rows.delete(ITEMS, ("a", 1))
        rows.insert(ITEMS, group_id="a", n=9, label="new")
        rows.delete(ITEMS, ("a", 2))
        rows.insert(ITEMS, group_id="a", n=2, label="replaced")  # deleted, then back in the same batch
        assert {(r["n"], r["label"]) for r in rows.find(ITEMS, group_id="a")} == {
            (0, "changed"), (2, "replaced"), (9, "new"),
        }  # fmt: skip
        assert len(statements) == reads + 1  # the preload's one SELECT … IN; every answer above from memory
        with pytest.raises(KeyError):
            rows.insert(ITEMS, group_id="a", n=9, label="twice")
        rows.flush()
    assert stored(engine) == [("a", 0, "changed"), ("a", 2, "replaced"), ("a", 9, "new")]


def test_a_missing_row_is_not_updated_into_existence(engine):
    with engine.begin() as conn:
        rows = Rows(conn)
        assert rows.update(ITEMS, ("z", 1), label="ghost") is None
        rows.delete(ITEMS, ("z", 2))
        rows.flush()
    assert stored(engine) == []


def test_a_preload_of_a_table_no_handler_touches_costs_no_query(engine, statements):
    with engine.begin() as conn:
        rows = Rows(conn)
        before = len(statements)
        rows.preload(ITEMS, "group_id", ["a", "b"])
        rows.flush()
    assert [s for s in statements[before:] if "rm_test_items" in s] == []


AWKWARD = Table(
    "rm_test_awkward", METADATA, Column("id", Integer, primary_key=True), Column("text", String(40)),
    Column("flag", Boolean), Column("amount", Numeric(12, 2)), Column("at", UTCDateTime), Column("doc", JSON),
    Column("blob", LargeBinary),
)  # fmt: skip


def test_bulk_writes_store_exactly_what_insert_stores_whatever_the_text_holds(engine, monkeypatch):
    """COPY on PostgreSQL (SQLite has none: both passes INSERT there, and the values must still survive)."""
    from projections import rows as rows_module

    values = [
        {"text": "tab\there\nnewline\\back\\N", "flag": True, "amount": Decimal("12.50"),
         "at": datetime(2024, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8))),
         "doc": {"名称": "环评\t\"引号\"", "n": [1, None]}, "blob": b"\x00\\\t"},
        {"text": "\\N", "flag": False, "amount": None, "at": None, "doc": None, "blob": None},
        {"text": None, "flag": None, "amount": Decimal("0"), "at": None, "doc": [], "blob": b""},
    ]
    results = {}
    for copy_from in (1, 10**9):  # every row by COPY, then every row by INSERT
        monkeypatch.setattr(rows_module, "COPY_FROM", copy_from)
        with engine.begin() as conn:
            conn.execute(AWKWARD.delete())
            rows = Rows(conn)
            for i, v in enumerate(values):
                rows.insert(AWKWARD, id=i, **v)
            rows.flush()
        with engine.connect() as conn:
            results[copy_from] = [tuple(r) for r in conn.execute(select(AWKWARD).order_by(AWKWARD.c.id))]
    assert results[1] == results[10**9]
    assert results[1][1][1] == "\\N" and results[1][2][1] is None  # the text \N is text, not NULL

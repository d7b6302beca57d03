"""The read-model database: one SQLAlchemy engine derived from ``MARKET_DATABASE_URL``.

* ``sqlite:///dir/market.db`` → ``sqlite:///dir/market-read.db``: eventsourcing owns
  the event store's file and expects one writer per file, so the read models get
  a sibling file of their own.
* ``postgresql://…`` → the same database through psycopg2; every read-model table
  is prefixed ``rm_`` so that it never meets the library's tables.
* ``memory://`` or an in-memory SQLite store → a temporary SQLite file, removed
  when the engine is disposed (an in-memory SQLite database cannot be shared
  safely between the follower thread and readers).
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from uuid import UUID

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.types import TypeDecorator

PREFIX = "rm_"

# One MetaData for every read-model table; constraint names are fixed so that
# Alembic migrations and drop/recreate during a rebuild agree on them.
METADATA = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC, returned aware (UTC) on every backend.

    SQLite keeps no offset: comparing a +08:00 value with a UTC one as text would
    be wrong, so everything is normalised to UTC on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("read models store timezone-aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def read_model_url(database_url: str) -> str | None:
    """The SQLAlchemy URL of the read models, or None for a temporary database."""
    url = urlparse(database_url)
    if url.scheme == "memory":
        return None
    if url.scheme == "sqlite":
        raw = unquote(url.path[1:] if url.path.startswith("/") else url.path)
        if raw in ("", ":memory:"):
            return None
        path = Path(raw)
        sibling = path.with_name(f"{path.stem}-read{path.suffix or '.db'}")
        return f"sqlite:///{sibling}"
    if url.scheme in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        return "postgresql+psycopg2://" + database_url.split("://", 1)[1]
    raise ValueError(f"unsupported MARKET_DATABASE_URL scheme: {url.scheme}")


def create_read_engine(database_url: str, *, echo: bool = False) -> Engine:
    """The read-model engine for a ``MARKET_DATABASE_URL`` (see the module docstring)."""
    url = read_model_url(database_url)
    temporary: str | None = None
    if url is None:
        fd, temporary = tempfile.mkstemp(prefix="market-read-", suffix=".db")
        os.close(fd)
        url = f"sqlite:///{temporary}"
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_transactions(engine)
        if temporary:
            _remove_on_dispose(engine, temporary)
        return engine
    # values_plus_batch: a batch's UPDATEs and DELETEs go in pages (psycopg2's execute_batch),
    # not one round trip per row (projections/rows.py flushes a batch with executemany).
    return create_engine(url, echo=echo, pool_size=5, max_overflow=10, pool_pre_ping=True,
                         executemany_mode="values_plus_batch")


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, emit BEGIN (the SQLAlchemy docs' pysqlite recipe).

    pysqlite would begin lazily at the first write, so a projection that reads its
    tracking position and then writes could race another writer. A connection
    with the execution option ``immediate=True`` takes the write lock at BEGIN
    instead, which serialises writers the way ``SELECT … FOR UPDATE`` does on
    PostgreSQL. DDL inside such a transaction is transactional too.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: readers never block the follower. synchronous=NORMAL: a power cut
        # may lose the last commits, which a catch-up from the tracked position
        # repairs, since read models are rebuildable from events.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _remove_on_dispose(engine: Engine, path: str) -> None:
    original = engine.dispose

    def dispose(close: bool = True) -> None:
        original(close)
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    engine.dispose = dispose  # type: ignore[method-assign]


# --- values as stored -----------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Event data made JSON-safe (datetimes as ISO text, Decimals and UUIDs as strings)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def cents(amount: Any) -> int | None:
    """Money as integer fen (分): exact on both backends, and rangeable in SQL."""
    if amount in (None, ""):
        return None
    return int((Decimal(str(amount)) * 100).to_integral_value())


def yuan(fen: int | None) -> str | None:
    """Integer fen back to the domain's two-decimal text."""
    return None if fen is None else str((Decimal(fen) / 100).quantize(Decimal("0.01")))


def budget_bounds(budget: dict[str, Any]) -> tuple[int | None, int | None]:
    """(min, max) of a notice's budget in fen; a TBD budget has neither."""
    if budget.get("kind") == "fixed":
        return cents(budget["amount"]), cents(budget["amount"])
    if budget.get("kind") == "range":
        return cents(budget["min"]), cents(budget["max"])
    return None, None


def region_prefix(code: str) -> str:
    """行政区划代码 → the prefix shared by everything inside it (430000 → 43, 430100 → 4301)."""
    code = str(code).strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code

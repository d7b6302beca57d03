"""Exactly-once application of events to a projection.

``rm_tracking`` holds, per projection, the notification id of the last event
applied. ``apply`` runs inside the caller's transaction: it locks the
projection's tracking row, skips every event at or below the tracked position
(a re-delivery), applies the rest to the batch's rows, flushes them and moves
the position, so the rows and the position commit together or not at all.
Two writers of one projection (the live runner and a rebuild, or two
processes) are serialised by the row lock: ``SELECT … FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Integer, String, Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from projections.base import Projection
from projections.database import METADATA
from projections.rows import Rows

TRACKING = Table(
    "rm_tracking",
    METADATA,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),  # last notification id applied
    Column("version", Integer, nullable=False),  # the projection version that built the rows
)


class TrackingConflict(RuntimeError):
    """The tracked position moved under a locked row: never expected, so roll back."""


def register(conn: Connection, projection: Projection) -> None:
    """Create the projection's tracking row at position 0 if it has none."""
    # ON CONFLICT DO NOTHING: two processes may start at once (both backends support it).
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(
        dialect_insert(TRACKING)
        .values(projection=projection.name, position=0, version=projection.version)
        .on_conflict_do_nothing(index_elements=["projection"])
    )


def lock(conn: Connection, name: str) -> int:
    """The tracked position, with the row locked until the transaction ends."""
    row = conn.execute(
        select(TRACKING.c.position).where(TRACKING.c.projection == name).with_for_update()
    ).first()
    if row is None:
        raise LookupError(f"projection {name!r} is not registered in rm_tracking")
    return int(row.position)


def lock_many(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    """The tracked positions of those of ``names`` nobody else holds, locked in name order.

    A row another transaction holds (a rebuild elsewhere) is skipped, not waited for
    (``SKIP LOCKED``); SQLite's ``BEGIN IMMEDIATE`` already made this the only writer.
    """
    rows = conn.execute(
        select(TRACKING.c.projection, TRACKING.c.position)
        .where(TRACKING.c.projection.in_(sorted(names)))
        .order_by(TRACKING.c.projection)
        .with_for_update(skip_locked=True)
    )
    return {row.projection: int(row.position) for row in rows}


def apply(
    conn: Connection, projection: Projection, items: Iterable[tuple[int, Any]], *, locked_at: int | None = None,
    rows: Rows | None = None, move: bool = True,
) -> int:
    """Apply ``(position, event)`` pairs in ascending order; return the new position.

    An event of ``None`` advances the position without handling anything (events
    this projection ignores). Pass ``locked_at`` when the caller already holds the
    lock and read the position in this transaction. A rebuild passes its own ``rows``,
    kept across batches. With ``move=False`` the caller moves the position itself
    (``move_many``), in the same transaction.
    """
    start = lock(conn, projection.name) if locked_at is None else locked_at
    position, fresh = start, []
    for item_position, event in items:
        if item_position <= position:
            continue  # already applied: re-delivered, or repeated within the batch
        fresh.append((item_position, event))
        position = item_position
    rows = Rows(conn) if rows is None else rows
    projection.prepare(rows, [e for _, e in fresh if e is not None])
    for item_position, event in fresh:
        if event is not None:
            rows.position = item_position
            projection.handle(event, rows)
    rows.flush()
    if move and position != start:
        moved = conn.execute(
            update(TRACKING)
            .where(TRACKING.c.projection == projection.name, TRACKING.c.position == start)
            .values(position=position)
        )
        if moved.rowcount != 1:
            raise TrackingConflict(f"{projection.name}: position moved from {start} while locked")
    return position


def move_many(conn: Connection, moves: list[tuple[str, int, int]]) -> None:
    """Move several locked positions, ``(name, from, to)``, in one statement (executemany).

    Each row moves only from the position its caller read under the lock; if one had
    moved anyway (never expected), the transaction is rolled back.
    """
    moves = [(name, start, to) for name, start, to in moves if to != start]
    if not moves:
        return
    moved = conn.execute(
        update(TRACKING)
        .where(TRACKING.c.projection == bindparam("m_name"), TRACKING.c.position == bindparam("m_from"))
        .values(position=bindparam("m_to")),
        [{"m_name": name, "m_from": start, "m_to": to} for name, start, to in moves],
    )
    counted = len(moves) == 1 or conn.dialect.supports_sane_multi_rowcount
    if counted and moved.rowcount != len(moves):
        raise TrackingConflict(f"{', '.join(n for n, _, _ in moves)}: a position moved while locked")


def reset(conn: Connection, projection: Projection) -> None:
    """Back to position 0 at the current version (a rebuild's first step, lock held)."""
    conn.execute(
        update(TRACKING).where(TRACKING.c.projection == projection.name).values(position=0, version=projection.version)
    )


def positions(conn: Connection) -> dict[str, tuple[int, int]]:
    """Every registered projection's ``(position, version)``."""
    rows = conn.execute(select(TRACKING.c.projection, TRACKING.c.position, TRACKING.c.version))
    return {row.projection: (int(row.position), int(row.version)) for row in rows}

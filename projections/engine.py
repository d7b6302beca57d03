"""Catch-up, rebuild and status of the read models over the Market's notification log.

Every batch is one transaction that (1) locks the projection's tracking row,
(2) reads the next ``BATCH`` notifications after the tracked position from the
event store, (3) applies them to the batch's rows, written with a few bulk
statements (``projections/rows.py``), and (4) moves the position. Reading *after*
taking the lock means that whoever holds the lock applies exactly the log's
events following the position, so no writer can skip or repeat one, however
runners and rebuilds interleave. Pages of 500 events per transaction project
tens of thousands of events a second, against one or two thousand with a
transaction per event (architecture §4).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from eventsourcing.domain import DomainEvent
from eventsourcing.utils import _topic_cache, construct_topic
from sqlalchemy import Connection, Engine

from projections import tracking
from projections.base import Projection
from projections.decoding import read_side_mapper
from projections.rows import Rows

BATCH = 500
# A rebuild owns its empty tables: bigger transactions, and every row kept in memory
# between them (``Rows(complete=True)``) so that it never reads the tables back,
# up to a bound past which it falls back to reading them like a live batch.
REBUILD_BATCH = 5_000
REBUILD_CACHE_ROWS = 500_000
Progress = Callable[[int, int], None]  # (position reached, head position)


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    version: int  # of the code
    built_version: int  # that wrote the current rows
    position: int
    head: int
    error: str | None = None

    @property
    def lag(self) -> int:
        return max(0, self.head - self.position)

    @property
    def stale(self) -> bool:
        """Built by another version of the handlers: needs a rebuild."""
        return self.built_version != self.version


class ReadModels:
    """The read-model database, the projections on it, and the Market they follow."""

    def __init__(
        self, engine: Engine, app: Application, projections: Sequence[Projection], *, events_table: str | None = None,
    ) -> None:  # fmt: skip
        names = [p.name for p in projections]
        if len(set(names)) != len(names):
            raise ValueError(f"projection names must be unique: {names}")
        self.engine = engine
        self.app = app
        self.projections = {p.name: p for p in projections}
        # One writer per projection inside this process; other processes are kept
        # out by the tracking row lock.
        self._locks = {name: threading.Lock() for name in self.projections}
        self._topics: dict[str, list[str]] = {}
        self.errors: dict[str, str] = {}  # set by a runner when a projection fails
        # The event store's table, when it lies in the read models' own PostgreSQL database
        # (``catalog.open_read_models``): batches then read it on their own connection, in
        # their own transaction, as plain rows. The recorder's read builds a dict per row and
        # took a quarter of a rebuild (bench/projections.py).
        self.events_table = events_table
        self._mapper = read_side_mapper(app.mapper)  # same events, decoded faster (projections/decoding.py)

    # --- set-up -----------------------------------------------------------------

    def register(self) -> None:
        """Give every projection a tracking row (the schema must be migrated first)."""
        with self.engine.begin() as conn:
            for projection in self.projections.values():
                tracking.register(conn, projection)

    def get(self, name: str) -> Projection:
        try:
            return self.projections[name]
        except KeyError:
            raise LookupError(f"unknown projection {name!r}; known: {', '.join(self.projections)}") from None

    def connect(self) -> Connection:
        """A connection for query functions: ``with read_models.connect() as conn: …``."""
        return self.engine.connect()

    # --- following --------------------------------------------------------------

    def head(self) -> int:
        """The notification id of the newest event in the Market's log (0 when empty)."""
        return self.app.recorder.max_notification_id() or 0

    def catch_up(self, names: Iterable[str] | None = None, *, progress: Progress | None = None) -> dict[str, int]:
        """Apply everything recorded so far, batch by batch; return the positions reached."""
        reached = {}
        for name in names or list(self.projections):
            with self._locks[name]:
                reached[name] = self._catch_up_locked(self.get(name), progress)
        return reached

    def catch_up_batch(self, name: str, *, blocking: bool = True) -> tuple[int, int] | None:
        """One transaction of at most ``BATCH`` events: ``(position, events read)``.

        With ``blocking=False`` returns None at once if this process is already
        writing the projection (a rebuild), so a runner can get on with the others.
        """
        lock = self._locks[name]
        if not lock.acquire(blocking=blocking):
            return None
        try:
            return self._batch(self.get(name))
        finally:
            lock.release()

    def follow(self, names: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Several projections' next batch in one transaction: the live runner's step.

        Each wake-up of a live runner brings a few new events for many projections. A
        transaction per projection cost five statements each, most of the API process's
        time under load (bench/http_signup.py). Here the tracking rows are locked
        together, the log is read once for the union of their topics, each event is
        decoded once, and every projection's rows and position are written in the one
        transaction. It is all or nothing: if a handler fails, nothing is written and the
        caller falls back to one transaction per projection, which isolates the failure.
        Returns ``name → (position reached, events read)`` for the projections it held;
        those being written elsewhere (a rebuild) are left out.
        """
        held = [name for name in sorted(set(names)) if self._locks[name].acquire(blocking=False)]
        try:
            if not held:
                return {}
            with self.engine.connect() as conn:
                conn.execution_options(immediate=True)  # SQLite: take the write lock at BEGIN
                with conn.begin():
                    positions = tracking.lock_many(conn, held)
                    if not positions:
                        return {}
                    return self._apply(conn, positions, BATCH)
        finally:
            for name in held:
                self._locks[name].release()

    def _catch_up_locked(self, projection: Projection, progress: Progress | None) -> int:
        head = self.head()
        while True:
            position, count = self._batch(projection)
            if progress:
                progress(position, max(head, position))
            if count < BATCH:
                return position

    def _batch(self, projection: Projection, *, limit: int = BATCH, rows: Rows | None = None) -> tuple[int, int]:
        """One transaction: the next ``limit`` events this projection handles, applied."""
        with self.engine.connect() as conn:
            conn.execution_options(immediate=True)  # SQLite: take the write lock at BEGIN
            with conn.begin():
                position = tracking.lock(conn, projection.name)
                return self._apply(conn, {projection.name: position}, limit, rows)[projection.name]

    def _apply(
        self, conn: Connection, positions: dict[str, int], limit: int, rows: Rows | None = None
    ) -> dict[str, tuple[int, int]]:
        """Apply to each locked projection the events after its position: ``name → (reached, read)``.

        The log is read once for the union of the projections' topics
        (``topic = ANY(…)``, the way the library's own followers filter: most read
        models handle a few event classes, and an event nobody here projects costs
        nothing to skip in the database), and each event is decoded once and shared:
        handlers never change an event. The read stops at the head of the log as it
        was before the read, so when fewer than ``limit`` events come back every
        position moves to that head: every event up to it has been seen, handled or
        not. Notification ids commit in order (the recorder takes the table's
        EXCLUSIVE lock to insert; SQLite has one writer), so no event at or below the
        head can appear later. A rebuild passes its own ``rows`` (one projection).
        """
        head = self.head()
        wanted = {name: set(self.topics(self.get(name))) for name in positions}
        notifications = self._read(conn, min(positions.values()), head, limit, sorted(set().union(*wanted.values())))
        reach = head if len(notifications) < limit else notifications[-1].id
        if rows is not None:
            rows.conn = conn
        decoded: dict[int, Any] = {}
        result, moves = {}, []
        for name, position in positions.items():
            items = []
            for n in notifications:
                if n.id > position and n.topic in wanted[name]:
                    if n.id not in decoded:
                        decoded[n.id] = self._mapper.to_domain_event(n)
                    items.append((n.id, decoded[n.id]))
            if reach > position:
                items.append((reach, None))  # the rest of the log up to here: nothing to handle
            reached = tracking.apply(conn, self.get(name), items, locked_at=position, rows=rows, move=False)
            moves.append((name, position, reached))
            result[name] = (reached, len(notifications))
        tracking.move_many(conn, moves)  # every row was locked by the caller: nobody else moved one
        return result

    def _read(self, conn: Connection, after: int, head: int, limit: int, topics: list[str]) -> Sequence[Notification]:
        """The notifications of ``topics`` after ``after`` up to ``head``, at most ``limit``, in order."""
        if not topics or head <= after:
            return []
        if self.events_table is None:
            return self.app.recorder.select_notifications(
                start=after, limit=limit, stop=head, topics=topics, inclusive_of_start=False
            )
        rows = conn.exec_driver_sql(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            f" FROM {self.events_table} WHERE notification_id > %(after)s AND notification_id <= %(head)s"
            " AND topic = ANY(%(topics)s) ORDER BY notification_id LIMIT %(limit)s",
            {"after": after, "head": head, "topics": topics, "limit": limit},
        )
        return [
            Notification(id=i, originator_id=o, originator_version=v, topic=t, state=bytes(state))
            for i, o, v, t, state in rows
        ]

    def topics(self, projection: Projection) -> list[str]:
        """The stored topics of every event class the projection handles.

        Each event is stored under its class's topic (``module:QualName``), so these
        are the topics of all the event classes defined (the library's redefined
        ones included, see ``base.is_event``) that the projection has a handler
        for, and of any topic registered for a renamed class that resolves to one.
        """
        if projection.name not in self._topics:
            classes: set[type] = set()
            pending: list[type] = [DomainEvent]
            while pending:
                kind = pending.pop()
                if kind not in classes:
                    classes.add(kind)
                    pending.extend(kind.__subclasses__())
            handled = {kind for kind in classes if projection.handles(kind)}
            topics = {construct_topic(kind) for kind in handled}
            topics.update(topic for topic, obj in list(_topic_cache.items()) if obj in handled)
            self._topics[projection.name] = sorted(topics)
        return self._topics[projection.name]

    # --- rebuild ----------------------------------------------------------------

    def rebuild(self, name: str, *, progress: Progress | None = None) -> int:
        """Drop and recreate the projection's tables, reset its position, replay all events.

        Readers see the tables empty and then filling up while it runs.
        """
        projection = self.get(name)
        with self._locks[name]:
            with self.engine.connect() as conn:
                conn.execution_options(immediate=True)
                with conn.begin():
                    # Lock the tracking row before touching the tables: a runner
                    # in another process takes them in the same order, so the
                    # two wait for each other instead of deadlocking.
                    tracking.lock(conn, name)
                    projection.drop_tables(conn)
                    projection.create_tables(conn)
                    tracking.reset(conn, projection)
            if progress:
                progress(0, self.head())
            position = self._replay_locked(projection, progress)
            self._analyze(projection)
            return position

    def _analyze(self, projection: Projection) -> None:
        """Give PostgreSQL's planner statistics of the refilled tables at once.

        Autovacuum gets round to it minutes later; until then the planner takes the
        tables for empty and scans them whole (measured by bench/oversight_scale.py:
        100–200 ms instead of 2–6 ms for red_top_links.touched).
        """
        if self.engine.dialect.name != "postgresql":
            return
        with self.engine.connect() as conn:
            for table in projection.tables:
                conn.exec_driver_sql(f"ANALYZE {conn.dialect.identifier_preparer.format_table(table)}")
            conn.commit()

    def _replay_locked(self, projection: Projection, progress: Progress | None) -> int:
        """Fill the emptied tables from the start of the log, in big batches from memory."""
        head = self.head()
        rows: Rows | None = Rows(None, complete=True)
        while True:
            if rows is not None and rows.size() > REBUILD_CACHE_ROWS:
                rows = None  # too big to keep: the next batches read rows back, as live ones do
            position, count = self._batch(projection, limit=REBUILD_BATCH, rows=rows)
            if progress:
                progress(position, max(head, position))
            if count < REBUILD_BATCH:
                return position

    def rebuild_stale(self, *, progress: Callable[[str, int, int], None] | None = None) -> list[str]:
        """Rebuild every projection whose rows were built by another version of it."""
        stale = [s.name for s in self.status() if s.stale]
        for name in stale:
            self.rebuild(name, progress=(lambda p, h, n=name: progress(n, p, h)) if progress else None)
        return stale

    # --- status -----------------------------------------------------------------

    def status(self) -> list[ProjectionStatus]:
        """Each projection's position, the head of the log, and the lag between them."""
        head = self.head()
        with self.engine.connect() as conn:
            stored = tracking.positions(conn)
        result = []
        for name, projection in self.projections.items():
            position, built = stored.get(name, (0, projection.version))
            result.append(
                ProjectionStatus(
                    name=name, version=projection.version, built_version=built, position=position,
                    head=head, error=self.errors.get(name),
                )
            )  # fmt: skip
        return result

    def positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: pos for name, (pos, _) in tracking.positions(conn).items() if name in self.projections}

    def close(self) -> None:
        self.engine.dispose()

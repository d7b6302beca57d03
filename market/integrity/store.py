"""Reading the events, the chain and the checkpoints in one consistent snapshot, and storing checkpoints.

Verification reads two tables; a commit landing between the two reads would look like an
event without its link. So every read happens in one snapshot: a read transaction on SQLite
(WAL), a ``REPEATABLE READ, READ ONLY`` transaction on PostgreSQL. Rows are read in pages,
so a large store never sits in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder

from market.integrity.chain import Link, Record
from market.integrity.recorders import ChainedPostgresRecorder, ChainedSQLiteRecorder

PAGE = 2000


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: the chain's link at ``position`` was ``link`` at ``signed_at``."""

    position: int
    link: bytes
    signed_at: str  # ISO 8601, UTC
    signature: bytes  # Ed25519 over chain.checkpoint_message(position, link, signed_at)
    key_id: str  # the signing key's id (keys.key_id of its public key)


def _link(row: Any) -> Link:
    return Link(row["position"], row["prev_position"], bytes(row["digest"]), bytes(row["link"]))


class ChainReader:
    """Queries over one snapshot; ``ph`` is the driver's placeholder."""

    def __init__(self, cursor: Any, *, ph: str, events: str, chain: str, checkpoints: str, position: str,
                 to_id: Any, from_id: Any) -> None:  # fmt: skip
        self.c, self.ph = cursor, ph
        self.events, self.chain, self.checkpoints_table, self.position = events, chain, checkpoints, position
        self.to_id, self.from_id = to_id, from_id

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        self.c.execute(sql, tuple(params))
        return self.c.fetchall()

    def _record(self, row: Any) -> Record:
        return Record(row["position"], str(self.to_id(row["originator_id"])), row["originator_version"],
                      row["topic"], bytes(row["state"]))  # fmt: skip

    def records(self, after: int = 0, upto: int | None = None) -> Iterator[Record]:
        """Every stored event with ``after < position <= upto``, in position order."""
        p, ph = self.position, self.ph
        bound = f" AND {p} <= {ph}" if upto is not None else ""
        sql = (f"SELECT {p} AS position, originator_id, originator_version, topic, state FROM {self.events} "
               f"WHERE {p} > {ph}{bound} ORDER BY {p} LIMIT {PAGE}")  # fmt: skip
        while True:
            rows = self._rows(sql, [after] + ([upto] if upto is not None else []))
            yield from map(self._record, rows)
            if len(rows) < PAGE:
                return
            after = rows[-1]["position"]

    def links(self, after: int = 0, upto: int | None = None) -> Iterator[Link]:
        ph = self.ph
        bound = f" AND position <= {ph}" if upto is not None else ""
        sql = f"SELECT * FROM {self.chain} WHERE position > {ph}{bound} ORDER BY position LIMIT {PAGE}"
        while True:
            rows = self._rows(sql, [after] + ([upto] if upto is not None else []))
            yield from map(_link, rows)
            if len(rows) < PAGE:
                return
            after = rows[-1]["position"]

    def link_at(self, position: int) -> Link | None:
        rows = self._rows(f"SELECT * FROM {self.chain} WHERE position = {self.ph}", [position])
        return _link(rows[0]) if rows else None

    def link_before(self, position: int) -> Link | None:
        """The chain row just before ``position``."""
        sql = f"SELECT position FROM {self.chain} WHERE position < {self.ph} ORDER BY position DESC LIMIT 1"
        rows = self._rows(sql, [position])
        return self.link_at(rows[0]["position"]) if rows else None

    def head(self) -> Link | None:
        rows = self._rows(f"SELECT position FROM {self.chain} ORDER BY position DESC LIMIT 1")
        return self.link_at(rows[0]["position"]) if rows else None

    def last_record_position(self) -> int:
        rows = self._rows(f"SELECT MAX({self.position}) AS m FROM {self.events}")
        return rows[0]["m"] or 0

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._rows(f"SELECT * FROM {self.checkpoints_table} ORDER BY position")
        return [Checkpoint(r["position"], bytes(r["link"]), r["signed_at"], bytes(r["signature"]), r["key_id"])
                for r in rows]  # fmt: skip

    def records_of(self, originator_ids: Iterable[UUID]) -> list[Record]:
        """Every stored event of these aggregates, in position order."""
        ids = [self.from_id(i) for i in originator_ids]
        marks = ",".join([self.ph] * len(ids))
        sql = (f"SELECT {self.position} AS position, originator_id, originator_version, topic, state "
               f"FROM {self.events} WHERE originator_id IN ({marks}) ORDER BY {self.position}")  # fmt: skip
        return [self._record(r) for r in self._rows(sql, ids)] if ids else []


class ChainStore:
    """The chain tables beside one application's events table."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self.recorder = recorder
        if isinstance(recorder, ChainedSQLiteRecorder):
            self.dialect = "sqlite"
            self._tables = (recorder.events_table_name, recorder.chain_table, recorder.checkpoints_table)
        elif isinstance(recorder, ChainedPostgresRecorder):
            self.dialect = "postgres"
            schema = recorder.datastore.schema
            self._tables = tuple(f'"{schema}"."{t}"' for t in (recorder.events_table_name, recorder.chain_table,
                                                                recorder.checkpoints_table))  # fmt: skip
        else:
            raise TypeError(f"{type(recorder).__name__} keeps no hash chain (the memory store has none)")

    @staticmethod
    def supports(recorder: ApplicationRecorder) -> bool:
        return isinstance(recorder, (ChainedSQLiteRecorder, ChainedPostgresRecorder))

    @contextmanager
    def reader(self) -> Iterator[ChainReader]:
        events, chain, checkpoints = self._tables
        if self.dialect == "sqlite":
            recorder: Any = self.recorder
            with recorder.datastore.transaction(commit=False) as c:
                yield ChainReader(c, ph="?", events=events, chain=chain, checkpoints=checkpoints, position="rowid",
                                  to_id=recorder.convert_originator_id, from_id=lambda i: i.hex)  # fmt: skip
            return
        with self.recorder.datastore.get_connection() as conn, conn.transaction():  # type: ignore[attr-defined]
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            with conn.cursor() as c:
                yield ChainReader(c, ph="%s", events=events, chain=chain, checkpoints=checkpoints,
                                  position="notification_id", to_id=lambda i: i, from_id=lambda i: i)  # fmt: skip

    def add_checkpoint(self, cp: Checkpoint) -> None:
        """Store a checkpoint; one for the same position already stored is kept."""
        _, _, table = self._tables
        values = (cp.position, cp.link, cp.signed_at, cp.signature, cp.key_id)
        recorder: Any = self.recorder
        if self.dialect == "sqlite":
            with recorder.datastore.transaction(commit=True) as c:
                c.execute(f"INSERT OR IGNORE INTO {table} VALUES (?,?,?,?,?)", values)
        else:
            with recorder.datastore.transaction(commit=True) as c:
                c.execute(f"INSERT INTO {table} VALUES (%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING", values)

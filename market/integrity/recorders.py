"""Application recorders that write each record's chain row in the transaction that stores it.

The library's own recorders store the events; these subclasses add one step inside the same
database transaction, once the notification ids (the positions) are known: read the chain
head, compute the new links (``market.integrity.chain``) and insert them. So an event can
never be committed without its link, and the chain follows commit order:

* **SQLite** has one writer at a time: after the insert, this transaction holds the write
  lock, so the head it reads is the previous record's.
* **PostgreSQL**: the library takes an EXCLUSIVE lock on the events table before inserting
  (that is what makes notification ids follow commit order), so no other writer can move
  the head; the insert statement itself reads it and writes the chain rows (one statement).

They are chosen through the library's ``APPLICATION_RECORDER_TOPIC`` setting
(``chained_env``), which ``MarketCore`` applies to its own environment. A database trigger
would chain raw-SQL inserts too, forgeries included; see docs/tamper-evidence.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import PersistenceError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier, Literal

from market.integrity.chain import EVENT_TAG, GENESIS, Link, extend


class ChainBroken(PersistenceError):
    """The chain head is not behind the new records: the store was altered outside the recorder."""


def _chain_rows(head: Any, ids: Sequence[int], stored_events: Sequence[StoredEvent]) -> list[Link]:
    prev_position, prev_link = (head["position"], bytes(head["link"])) if head else (0, GENESIS)
    if ids and prev_position >= ids[0]:
        raise ChainBroken(f"chain head {prev_position} is not before new position {ids[0]}: run `market verify`")
    records = [(i, s.originator_id, s.originator_version, s.topic, s.state) for i, s in zip(ids, stored_events)]
    return extend(prev_position, prev_link, records)


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events") -> None:
        self.chain_table = f"{events_table_name}_chain"
        self.checkpoints_table = f"{events_table_name}_checkpoints"
        super().__init__(datastore, events_table_name)
        self._select_head = f"SELECT position, link FROM {self.chain_table} ORDER BY position DESC LIMIT 1"
        self._insert_links = f"INSERT INTO {self.chain_table} VALUES (?,?,?,?)"

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.chain_table} (position INTEGER PRIMARY KEY, "
            "prev_position INTEGER NOT NULL, digest BLOB NOT NULL, link BLOB NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.checkpoints_table} (position INTEGER PRIMARY KEY, "
            "link BLOB NOT NULL, signed_at TEXT NOT NULL, signature BLOB NOT NULL, key_id TEXT NOT NULL)",
        ]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        ids = super()._insert_events(c, stored_events, **kwargs) or []
        if ids:
            c.execute(self._select_head)
            rows = _chain_rows(c.fetchone(), ids, stored_events)
            c.executemany(self._insert_links, [(r.position, r.prev_position, r.digest, r.link) for r in rows])
        return ids


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    """The chain is computed by the INSERT statement itself: one statement, no extra round trip.

    The library runs ``insert_events_statement`` right after taking its EXCLUSIVE table lock;
    here that statement inserts the events, reads the chain head, hashes the new records
    (PostgreSQL's ``sha256``, the same bytes as ``chain.record_digest``/``chain.next_link``,
    which tests/integrity cross-checks) and inserts their chain rows. Each extra statement in
    psycopg's pipeline cost about 0.1 ms of client time; this way a command pays none.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        if datastore.enable_db_functions:  # that path inserts through a stored function, bypassing the chain
            raise ProgrammingError("the chained recorder needs POSTGRES_ENABLE_DB_FUNCTIONS off (architecture §4)")
        self.chain_table = f"{events_table_name}_chain"
        self.checkpoints_table = f"{events_table_name}_checkpoints"
        for name in (self.chain_table, self.checkpoints_table):
            self.check_identifier_length(name)
        schema, chain = Identifier(datastore.schema), Identifier(self.chain_table)
        self.sql_create_statements += [
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} (position bigint PRIMARY KEY, "
                "prev_position bigint NOT NULL, digest bytea NOT NULL, link bytea NOT NULL)"
            ).format(schema, chain),
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} (position bigint PRIMARY KEY, link bytea NOT NULL, "
                "signed_at text NOT NULL, signature bytea NOT NULL, key_id text NOT NULL)"
            ).format(schema, Identifier(self.checkpoints_table)),
        ]
        self.insert_events_statement = SQL(_CHAINED_INSERT).format(
            schema=schema, table=Identifier(events_table_name), chain=chain,
            stored_event_type=Identifier(self.stored_event_type_name),
            tag=Literal(EVENT_TAG), genesis=Literal(GENESIS),
        )  # fmt: skip


# digest = sha256(tag || u32 len || originator id text || u64 version || u32 len || topic || u32 len || state)
# link   = sha256(previous link || u64 position || digest), over the new rows in position order.
_CHAINED_INSERT = """
WITH RECURSIVE
new AS (
    INSERT INTO {schema}.{table} AS t (originator_id, originator_version, topic, state)
    SELECT originator_id, originator_version, topic, state FROM unnest(%s::{schema}.{stored_event_type}[])
    RETURNING notification_id, originator_id, originator_version, topic, state
),
d AS (
    SELECT row_number() OVER (ORDER BY notification_id) AS n, notification_id AS position,
           sha256({tag} || int4send(octet_length(convert_to(originator_id::text, 'UTF8')))
                  || convert_to(originator_id::text, 'UTF8') || int8send(originator_version)
                  || int4send(octet_length(convert_to(topic, 'UTF8'))) || convert_to(topic, 'UTF8')
                  || int4send(octet_length(state)) || state) AS digest
    FROM new
),
head AS (
    SELECT position, link FROM (
        (SELECT position, link FROM {schema}.{chain} ORDER BY position DESC LIMIT 1)
        UNION ALL SELECT 0::bigint, {genesis}
    ) h ORDER BY position DESC LIMIT 1
),
c AS (
    SELECT d.n, d.position, head.position AS prev_position, d.digest,
           sha256(head.link || int8send(d.position) || d.digest) AS link
    FROM d, head WHERE d.n = 1
    UNION ALL
    SELECT d.n, d.position, c.position, d.digest, sha256(c.link || int8send(d.position) || d.digest)
    FROM c JOIN d ON d.n = c.n + 1
)
INSERT INTO {schema}.{chain} (position, prev_position, digest, link)
SELECT position, prev_position, digest, link FROM c ORDER BY n
RETURNING position AS notification_id
"""


RECORDERS = {
    "eventsourcing.sqlite": get_topic(ChainedSQLiteRecorder),
    "eventsourcing.postgres": get_topic(ChainedPostgresRecorder),
}


def chained_env(env: Any) -> Any:
    """Select the chained recorder for this persistence module (memory keeps the plain one)."""
    topic = RECORDERS.get(env.get("PERSISTENCE_MODULE") or "")
    if topic and not env.get("APPLICATION_RECORDER_TOPIC"):
        env["APPLICATION_RECORDER_TOPIC"] = topic
    return env

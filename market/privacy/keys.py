"""The key store: one AES-256 key per person (data subject), outside the event store.

Crypto-shredding works only if a destroyed key is gone for good, so the keys never
share a database, a file or a backup with the events (docs/personal-data.md):

* **SQLite**: a file of its own beside the store (``var/market.db`` → ``var/market-keys.db``),
  in rollback-journal mode (no WAL file that could keep a page with a destroyed key) and with
  ``secure_delete`` on, so that a deleted key's bytes are overwritten with zeros.
* **PostgreSQL**: a database of its own (``…/market`` → ``…/market_keys``, created when first
  needed), so that ``pg_dump market`` and the event store's backups never carry a key. After a
  key is deleted its table is rewritten (``VACUUM FULL``) so no dead row keeps it in the files.
* **memory**: a dict, for tests and ``memory://`` markets.

``MARKET_PERSON_KEYS_URL`` names another place (another server, say). Keys are looked up by the
person's ID digest; none is ever cached, so an erasure holds at once in every process.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse, urlunparse

import psycopg
from psycopg import errors as pg_errors

KEY_BYTES = 32  # AES-256-GCM


def _now() -> str:
    return datetime.now(UTC).isoformat()


class PersonKeys(Protocol):
    location: str

    def keys_for(self, subjects: Iterable[str], *, create: bool = False) -> dict[str, bytes]:
        """The keys of these persons that exist (and, with ``create``, new ones for the others)."""

    def destroy(self, subject: str) -> bool:
        """Destroy a person's key; True if there was one."""

    def close(self) -> None: ...


class MemoryPersonKeys:
    location = "memory"

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def keys_for(self, subjects: Iterable[str], *, create: bool = False) -> dict[str, bytes]:
        with self._lock:
            if create:
                for s in subjects:
                    self._keys.setdefault(s, os.urandom(KEY_BYTES))
            return {s: self._keys[s] for s in subjects if s in self._keys}

    def destroy(self, subject: str) -> bool:
        with self._lock:
            return self._keys.pop(subject, None) is not None

    def close(self) -> None:
        pass


class SQLitePersonKeys:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():  # readable by its owner only, like the checkpoint key
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        with closing(self._connect()) as c:
            c.execute("PRAGMA journal_mode = DELETE")
            c.execute("CREATE TABLE IF NOT EXISTS person_keys (subject TEXT PRIMARY KEY, key BLOB NOT NULL, "
                      "created_at TEXT NOT NULL) WITHOUT ROWID")  # fmt: skip

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA secure_delete = ON")
        return conn

    def keys_for(self, subjects: Iterable[str], *, create: bool = False) -> dict[str, bytes]:
        wanted = sorted(set(subjects))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        with closing(self._connect()) as c:
            c.execute("BEGIN IMMEDIATE" if create else "BEGIN")
            if create:
                c.executemany("INSERT OR IGNORE INTO person_keys VALUES (?,?,?)",
                              [(s, os.urandom(KEY_BYTES), _now()) for s in wanted])  # fmt: skip
            rows = c.execute(f"SELECT subject, key FROM person_keys WHERE subject IN ({marks})", wanted).fetchall()
            c.execute("COMMIT")
        return {s: bytes(k) for s, k in rows}

    def destroy(self, subject: str) -> bool:
        with closing(self._connect()) as c:
            deleted = c.execute("DELETE FROM person_keys WHERE subject = ?", (subject,)).rowcount
        return deleted > 0

    def close(self) -> None:
        pass


class PostgresPersonKeys:
    def __init__(self, url: str) -> None:
        self.url = url.replace("postgresql+psycopg2://", "postgresql://").replace("postgresql+psycopg://", "postgresql://")
        parsed = urlparse(self.url)
        self.dbname = unquote(parsed.path.lstrip("/"))
        self.location = urlunparse(parsed._replace(netloc=parsed.hostname or "", query=""))  # no password shown
        self._ready = False
        self._lock = threading.Lock()

    def _connect(self) -> psycopg.Connection:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._create_database()
                    self._ready = True
        return psycopg.connect(self.url, connect_timeout=5)

    def _create_database(self) -> None:
        """Create the key database (and its table) on first use; production may provision it itself."""
        try:
            conn = psycopg.connect(self.url, connect_timeout=5, autocommit=True)
        except psycopg.OperationalError:
            server = urlunparse(urlparse(self.url)._replace(path="/postgres"))
            with psycopg.connect(server, connect_timeout=5, autocommit=True) as admin:
                try:
                    admin.execute(f'CREATE DATABASE "{self.dbname}"')
                except pg_errors.DuplicateDatabase:
                    pass  # another process created it first
            conn = psycopg.connect(self.url, connect_timeout=5, autocommit=True)
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS person_keys (subject text PRIMARY KEY, key bytea NOT NULL, "
                         "created_at text NOT NULL)")  # fmt: skip

    def keys_for(self, subjects: Iterable[str], *, create: bool = False) -> dict[str, bytes]:
        wanted = sorted(set(subjects))
        if not wanted:
            return {}
        with self._connect() as conn:
            if create:
                with conn.cursor() as c:
                    c.executemany("INSERT INTO person_keys VALUES (%s,%s,%s) ON CONFLICT (subject) DO NOTHING",
                                  [(s, os.urandom(KEY_BYTES), _now()) for s in wanted])  # fmt: skip
            rows = conn.execute("SELECT subject, key FROM person_keys WHERE subject = ANY(%s)", (wanted,)).fetchall()
        return {s: bytes(k) for s, k in rows}

    def destroy(self, subject: str) -> bool:
        with self._connect() as conn:
            conn.autocommit = True
            deleted = conn.execute("DELETE FROM person_keys WHERE subject = %s", (subject,)).rowcount
            conn.execute("VACUUM FULL person_keys")  # no dead row keeps the key in the table's files
        return deleted > 0

    def close(self) -> None:
        pass


def person_keys_url(database_url: str) -> str:
    """Where the keys live by default: beside the event store, never in it."""
    url = urlparse(database_url)
    if url.scheme == "sqlite":
        raw = unquote(url.path[1:] if url.path.startswith("/") else url.path)
        if raw in ("", ":memory:"):
            return "memory://"
        store = Path(raw)
        keys = store.with_name(f"{store.stem}-keys{store.suffix or '.db'}")
        return f"sqlite:///{keys}"
    if url.scheme.startswith("postgres"):
        return urlunparse(url._replace(path=f"/{url.path.lstrip('/') or 'postgres'}_keys"))
    return "memory://"


def open_person_keys(url: str) -> PersonKeys:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return SQLitePersonKeys(unquote(parsed.path[1:] if parsed.path.startswith("/") else parsed.path))
    if parsed.scheme.startswith("postgres"):
        return PostgresPersonKeys(url)
    if parsed.scheme == "memory":
        return MemoryPersonKeys()
    raise ValueError(f"unsupported MARKET_PERSON_KEYS_URL scheme: {parsed.scheme}")

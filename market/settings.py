"""One settings object, read from the environment (prefix ``MARKET_``) once.

``MARKET_DATABASE_URL`` configures both sides: the event store and the read
models. ``sqlite:///var/market.db`` (the default) keeps events in that file;
``postgresql://user@host:5432/db`` uses PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MARKET_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/market.db"
    # Keyed digests of ID numbers. Production sets its own secret and keeps it
    # out of the database; the default serves only the demo and tests.
    person_digest_key: str = "demo-only-person-digest-key-change-me"
    # One key per person (crypto-shredding), never in the event store: empty = beside it, a
    # sibling "-keys" SQLite file or a "_keys" PostgreSQL database (docs/personal-data.md).
    person_keys_url: str = ""
    region: str = "430000"
    retry_attempts: int = 60  # a command retried this often on concurrent writes, then 409
    demo_seed: int = 2024
    # Business time runs this many times faster than real time, from clock_start
    # (demos and drills; ProZorro calls it the accelerator). 1 = the real clock.
    clock_acceleration: float = 1.0
    clock_start: datetime | None = None
    scheduler_interval_seconds: float = 5.0
    # The API process also runs the scheduler (the leader lock keeps it to one per
    # deployment); set false where a separate `market scheduler` process runs it.
    run_scheduler: bool = True
    # The API process also follows the log into the read models; set false where a
    # separate `market projections follow` process does (the API then waits for a read's
    # X-Consistent-After position by reading the tracked positions). Keeping the
    # projections out of the API process leaves its one interpreter lock to requests
    # (bench/http_signup.py) and lets uvicorn run several workers.
    run_projections: bool = True
    # Tamper evidence (docs/tamper-evidence.md). The Ed25519 key that signs chain checkpoints lives
    # in this file, never in the database; a demo key is generated here when missing.
    checkpoint_key_file: Path = Path("var/checkpoint-key.pem")
    checkpoint_public_keys: str = ""  # retired keys' public keys (hex, comma-separated), still trusted
    checkpoint_interval_seconds: float = 300.0
    verify_interval_seconds: float = 3600.0
    # Signs the API's bearer tokens (JWT, HS256). Production sets its own secret of 32+ bytes.
    token_secret: str = "demo-only-token-secret-change-me-in-production"
    token_expiry_minutes: int = 120

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing library's persistence settings for this database."""
        url = urlparse(self.database_url)
        if url.scheme == "sqlite":
            # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy reads them.
            raw = unquote(url.path[1:] if url.path.startswith("/") else url.path)
            if raw in ("", ":memory:"):
                return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:"}
            path = Path(raw)
            path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        if url.scheme in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
            return {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": url.path.lstrip("/") or "postgres",
                "POSTGRES_HOST": url.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": unquote(url.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(url.password or ""),
                "POSTGRES_POOL_SIZE": "5",
                "POSTGRES_MAX_OVERFLOW": "20",
                "POSTGRES_LOCK_TIMEOUT": "5",
                "POSTGRES_CONNECT_TIMEOUT": "5",
            }
        if url.scheme == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        raise ValueError(f"unsupported MARKET_DATABASE_URL scheme: {url.scheme}")

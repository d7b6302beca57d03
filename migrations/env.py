"""Alembic environment for the read models.

Run programmatically by ``projections.schema.upgrade`` with a connection in
``config.attributes["connection"]``, or from the command line with
``MARKET_DATABASE_URL`` (mapped to the read-model database).
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from projections.catalog import METADATA
from projections.database import create_read_engine
from projections.schema import VERSION_TABLE, include_name

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=METADATA, version_table=VERSION_TABLE, include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        # Our SQLite engine emits BEGIN itself (projections/database.py), so its DDL is
        # transactional too: a failed migration leaves nothing half done.
        transactional_ddl=True,
    )  # fmt: skip
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Several processes (API workers, the follower) may start at once:
            # one migrates, the others wait here and then find nothing to do.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('market-read-model-migrations'))")
        context.run_migrations()


def run_online() -> None:
    shared = config.attributes.get("connection")
    if shared is not None:
        run(shared)
        return
    if config.config_file_name:  # the command line: log what is done, as alembic.ini says
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = create_read_engine(os.environ.get("MARKET_DATABASE_URL", "sqlite:///var/market.db"))
    try:
        with engine.connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: the URL decides the dialect")
run_online()

"""The read-model schema: Alembic's head equals the tables a rebuild recreates; URLs map as documented."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from projections import schema
from projections.catalog import PROJECTIONS
from projections.database import METADATA, create_read_engine, read_model_url, region_prefix


def test_the_migrations_create_exactly_the_tables_the_projections_define(read_models):
    with read_models.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": schema.VERSION_TABLE, "include_name": schema.include_name}
        )
        assert compare_metadata(context, METADATA) == []
        tables = set(inspect(conn).get_table_names())
    assert {t.name for t in METADATA.sorted_tables} <= tables
    head = ScriptDirectory.from_config(schema.alembic_config()).get_current_head()
    assert schema.current(read_models.engine) == head


def test_upgrading_again_is_a_no_op(read_models):
    before = schema.current(read_models.engine)
    schema.upgrade(read_models.engine)
    assert schema.current(read_models.engine) == before


def test_every_read_model_table_is_prefixed_and_owned_by_one_projection():
    owners = [t.name for cls in PROJECTIONS for t in cls.tables]
    assert len(owners) == len(set(owners))
    assert set(owners) | {"rm_tracking"} == {t.name for t in METADATA.sorted_tables}
    assert all(name.startswith("rm_") for name in owners)


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("sqlite:///var/market.db", "sqlite:///var/market-read.db"),
        ("sqlite:////srv/zjcs/events.sqlite", "sqlite:////srv/zjcs/events-read.sqlite"),
        ("postgresql://u:p@db:5432/market", "postgresql+psycopg2://u:p@db:5432/market"),
        ("postgresql+psycopg://u@db/market", "postgresql+psycopg2://u@db/market"),
        ("memory://", None),
        ("sqlite:///:memory:", None),
    ],
)
def test_the_read_models_live_beside_the_event_store(database_url, expected):
    assert read_model_url(database_url) == expected


def test_a_temporary_read_database_is_removed_with_its_engine():
    from pathlib import Path

    engine = create_read_engine("memory://")
    path = Path(engine.url.database)
    schema.upgrade(engine)
    assert path.exists()
    engine.dispose()
    assert not path.exists()


def test_unsupported_urls_are_refused():
    with pytest.raises(ValueError, match="unsupported"):
        read_model_url("mysql://db/market")


@pytest.mark.parametrize(("code", "prefix"), [("430000", "43"), ("430100", "4301"), ("431000", "4310"),
                                              ("430102", "430102")])  # fmt: skip
def test_a_region_code_matches_everything_inside_it(code, prefix):
    assert region_prefix(code) == prefix

"""The machinery: exactly-once batches, rebuilds equal to live following, status and lag."""

from __future__ import annotations

import pytest
from eventsourcing.sqlite import SQLiteApplicationRecorder
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from domain.agency import Agency
from domain.procurement import Procurement
from projections import engine as engine_module
from projections import rows as rows_module
from projections import tracking
from projections.base import Projection, handles
from projections.database import METADATA
from projections.rows import Rows
from tests.projections.conftest import table_rows
from tests.projections.scenarios import busy_market

STATUS_TABLES = {  # the read models that keep one row per procurement with its state
    "public_notices": "rm_pub_notices", "owner_workspace": "rm_ow_procurements",
    "agency_workspace": "rm_aw_procurements", "procurement_search": "rm_search_procurements",
}  # fmt: skip
TEST_METADATA = MetaData()  # not the read models' MetaData: Alembic must never see this table


def notifications(market, start: int = 0) -> list[tuple[int, object]]:
    return [(n.id, market.mapper.to_domain_event(n))
            for n in market.recorder.select_notifications(start=start, limit=10_000, inclusive_of_start=False)]


def test_a_rebuild_from_zero_equals_the_live_followed_tables_row_for_row(market, world, clock, read_models, runner):
    busy = busy_market(market, world, clock)  # while the runner follows, batch by batch
    runner.wait_until_caught_up(timeout=30)
    with read_models.connect() as conn:
        live = table_rows(conn, read_models)
    assert sum(len(rows) for rows in live.values()) > 100  # the scenario filled every read model

    for name in read_models.projections:
        read_models.rebuild(name)
    with read_models.connect() as conn:
        rebuilt = table_rows(conn, read_models)

    assert rebuilt == live
    assert all(s.lag == 0 and not s.stale for s in read_models.status())
    with read_models.connect() as conn:
        for key, pid in busy.procurements.items():
            expected = market.load(pid, Procurement).status_code
            for name in STATUS_TABLES.values():
                t = METADATA.tables[name]
                got = conn.execute(select(t.c.status).where(t.c.procurement_id == str(pid))).scalar()
                assert got == expected, (key, name)


@pytest.mark.parametrize(
    "bulk",
    [
        {"COPY_FROM": 1, "REWRITE_FROM": 1},  # every insert by COPY (PostgreSQL), every update rewritten
        {"COPY_FROM": 10**9, "REWRITE_FROM": 10**9},  # every row by INSERT and UPDATE statements
    ],
    ids=["bulk", "per-row"],
)
@pytest.mark.parametrize("cache_rows", [engine_module.REBUILD_CACHE_ROWS, 0], ids=["cached", "reads-back"])
def test_every_write_path_of_a_rebuild_gives_the_live_rows(
    market, world, clock, read_models, runner, monkeypatch, bulk, cache_rows
):  # fmt: skip
    busy_market(market, world, clock)
    runner.wait_until_caught_up(timeout=30)
    with read_models.connect() as conn:
        live = table_rows(conn, read_models)
    for name, value in bulk.items():
        monkeypatch.setattr(rows_module, name, value)
    monkeypatch.setattr(engine_module, "REBUILD_CACHE_ROWS", cache_rows)  # 0: gives up the cache at once
    monkeypatch.setattr(engine_module, "REBUILD_BATCH", 40)  # many batches, rows carried between them

    for name in read_models.projections:
        read_models.rebuild(name)

    with read_models.connect() as conn:
        assert table_rows(conn, read_models) == live


def test_re_delivering_events_changes_nothing(market, world, clock, read_models):
    busy_market(market, world, clock)
    read_models.catch_up()
    with read_models.connect() as conn:
        before, positions = table_rows(conn, read_models), read_models.positions()
    delivered = notifications(market)

    for projection in read_models.projections.values():
        with read_models.engine.begin() as conn:
            # the whole log again, then one event twice, at or below the tracked position
            assert tracking.apply(conn, projection, delivered) == positions[projection.name]
            assert tracking.apply(conn, projection, [delivered[40], delivered[40]]) == positions[projection.name]

    with read_models.connect() as conn:
        assert table_rows(conn, read_models) == before
    assert read_models.positions() == positions


def test_catching_up_twice_applies_nothing_the_second_time(market, world, clock, read_models):
    busy_market(market, world, clock)
    first = read_models.catch_up()
    with read_models.connect() as conn:
        before = table_rows(conn, read_models)
    assert read_models.catch_up() == first
    with read_models.connect() as conn:
        assert table_rows(conn, read_models) == before


FAILING = Table("rm_test_failing", TEST_METADATA, Column("agency_id", String(36), primary_key=True),
                Column("n", Integer))  # fmt: skip


class FailsOnAdmission(Projection):
    """Writes a row per registration, then fails on an admission: the batch must roll back."""

    name = "fails_on_admission"
    tables = (FAILING,)

    @handles(Agency.Registered)
    def registered(self, e, rows: Rows) -> None:
        rows.insert(FAILING, agency_id=str(e.originator_id), n=1)
        rows.flush()  # written to the database already: the rollback must undo it

    @handles(Agency.Admitted)
    def admitted(self, e, rows: Rows) -> None:
        raise RuntimeError("handler bug")


def test_a_failing_handler_rolls_back_the_rows_and_the_position_of_its_batch(market, world, read_models):
    world.admitted_agency(2)  # Registered, then Admitted in the same batch
    projection = FailsOnAdmission()
    with read_models.engine.begin() as conn:
        projection.create_tables(conn)
        tracking.register(conn, projection)
    broken = engine_module.ReadModels(read_models.engine, market, [projection])

    with pytest.raises(RuntimeError, match="handler bug"):
        broken.catch_up()

    with read_models.connect() as conn:
        assert conn.execute(select(FAILING)).all() == []
    assert broken.positions() == {"fails_on_admission": 0}
    with read_models.engine.begin() as conn:
        projection.drop_tables(conn)


def test_catch_up_and_rebuild_read_the_log_in_batches(market, world, clock, read_models, monkeypatch):
    busy_market(market, world, clock)
    monkeypatch.setattr(engine_module, "REBUILD_BATCH", 20)
    head = read_models.head()
    seen: list[tuple[int, int]] = []

    read_models.rebuild("agency_directory", progress=lambda position, total: seen.append((position, total)))

    # Batches count the events the projection reads, those of the topics it handles.
    topics = set(read_models.topics(read_models.get("agency_directory")))
    handled = sum(1 for n in market.recorder.select_notifications(start=1, limit=10_000) if n.topic in topics)
    positions = [p for p, _ in seen]
    assert 0 < handled < head
    assert positions[0] == 0 and positions[-1] == head
    assert positions == sorted(positions) and len(positions) == 2 + handled // 20
    assert all(total == head for _, total in seen)


def test_a_projection_reads_only_its_topics_and_covers_every_event_it_handles(market, world, clock, read_models):
    busy_market(market, world, clock)
    stored = market.recorder.select_notifications(start=1, limit=10_000)
    fed = 0
    for name, projection in read_models.projections.items():
        topics = set(read_models.topics(projection))
        handled = {n.topic for n in stored if projection.handles(type(market.mapper.to_domain_event(n)))}
        assert handled <= topics, name  # a missing topic would silently drop events
        fed += bool(handled)
    assert fed >= len(read_models.projections) - 3  # the oversight read models have no flags or cases here


def test_the_position_reaches_the_head_when_the_newest_events_are_not_handled(market, world, read_models):
    registrations = RegistrationsOnly()
    with read_models.engine.begin() as conn:
        registrations.create_tables(conn)
        tracking.register(conn, registrations)
    only = engine_module.ReadModels(read_models.engine, market, [registrations])
    world.admitted_agency(2)  # Registered (handled), then Admitted and more (not handled)
    world.open_procurement()

    reached = only.catch_up()

    assert reached == {"registrations_only": only.head()}
    assert [s.lag for s in only.status()] == [0]
    with read_models.connect() as conn:
        assert len(conn.execute(select(REGISTRATIONS)).all()) == 1
    with read_models.engine.begin() as conn:
        registrations.drop_tables(conn)


REGISTRATIONS = Table("rm_test_registrations", TEST_METADATA, Column("agency_id", String(36), primary_key=True))


class RegistrationsOnly(Projection):
    name = "registrations_only"
    tables = (REGISTRATIONS,)

    @handles(Agency.Registered)
    def registered(self, e, rows: Rows) -> None:
        rows.insert(REGISTRATIONS, agency_id=str(e.originator_id))


def test_status_reports_position_head_and_lag_and_a_stale_version(market, world, read_models, monkeypatch):
    world.admitted_agency(2)
    head = read_models.head()
    lagging = {s.name: s for s in read_models.status()}
    assert lagging["public_notices"].position == 0 and lagging["public_notices"].lag == head

    read_models.catch_up(["public_notices"])
    status = {s.name: s for s in read_models.status()}
    assert status["public_notices"].lag == 0 and status["agency_directory"].lag == head

    monkeypatch.setattr(type(read_models.get("agency_directory")), "version", 2)
    assert [s.name for s in read_models.status() if s.stale] == ["agency_directory"]
    assert read_models.rebuild_stale() == ["agency_directory"]
    status = {s.name: s for s in read_models.status()}
    assert not status["agency_directory"].stale and status["agency_directory"].lag == 0


def test_an_unknown_projection_name_is_refused(read_models):
    with pytest.raises(LookupError, match="unknown projection"):
        read_models.rebuild("no_such_read_model")


def test_the_runner_follows_new_events_and_waits_until_caught_up(market, world, read_models, runner):
    from projections import operator_queues

    runner.wait_until_caught_up(timeout=10)
    agency_id, _ = world.admitted_agency(2)
    runner.wait_until_caught_up(timeout=10)
    with read_models.connect() as conn:
        decided = operator_queues.decided(conn, kind="registration")
    assert [row["subject_id"] for row in decided] == [str(agency_id)]
    # PostgreSQL (and the in-memory store) wake the runner by LISTEN/NOTIFY; SQLite is polled.
    assert runner.live == (not isinstance(market.recorder, SQLiteApplicationRecorder))


def test_a_failing_projection_is_reported_while_the_others_keep_following(market, world, read_models):
    from projections.runner import ProjectionRunner

    projection = FailsOnAdmission()
    with read_models.engine.begin() as conn:
        projection.create_tables(conn)
    mixed = engine_module.ReadModels(read_models.engine, market, [*read_models.projections.values(), projection])
    mixed.register()
    try:
        with ProjectionRunner(mixed, poll_interval=0.02) as runner:
            world.admitted_agency(2)
            with pytest.raises(TimeoutError, match="fails_on_admission"):
                runner.wait_until_caught_up(timeout=1.5)
            status = {s.name: s for s in mixed.status()}
            assert "handler bug" in status["fails_on_admission"].error
            assert all(s.lag == 0 for n, s in status.items() if n != "fails_on_admission")
    finally:
        with read_models.engine.begin() as conn:
            projection.drop_tables(conn)


def test_following_together_applies_each_projection_once_and_leaves_out_one_being_rebuilt(market, world, read_models):
    world.admitted_agency(2)
    world.open_procurement()
    head = read_models.head()
    names = list(read_models.projections)

    with read_models._locks["agency_directory"]:  # as a rebuild in this process holds it
        first = read_models.follow(names)
    again = read_models.follow(names)

    assert "agency_directory" not in first
    assert {name: position for name, (position, _) in first.items()} == {n: head for n in names if n != "agency_directory"}
    assert {name: position for name, (position, _) in again.items()} == {n: head for n in names}
    assert read_models.positions() == {n: head for n in names}

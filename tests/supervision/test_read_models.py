"""The supervision read models on SQLite and PostgreSQL: working-day stages, award buckets, rebuilds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select

from domain.procurement import Procurement
from market.oversight.scan import full_scan
from projections.catalog import open_read_models
from projections.agency_conduct import AWARDS as CONDUCT
from projections.bidding_patterns import AGENCY_MONTHS, PAIRS, SIGNUPS, signups_of
from projections.bidding_patterns import procurements as bidding_rows
from projections.market_concentration import AWARDS, market_figures
from projections.stage_delays import DELAYS, delay_rows
from projections.supervision_flags import FLAGS
from tests.conftest import _url_for
from tests.projections.scenarios import DOC, SCORES, busy_market, closed_and_selected, winner_of

SUPERVISION = ("market_concentration", "stage_delays", "bidding_patterns", "agency_conduct", "supervision_flags")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def read_models(market, database_url) -> Iterator:
    rm = open_read_models(database_url, market)
    yield rm
    rm.close()


def contracted(market, world, clock, agencies):
    """A procurement awarded and under contract: (id, winner's actor)."""
    pid = closed_and_selected(market, world, clock, agencies)
    clock.advance(timedelta(days=7))
    market.award(pid)
    _, winner = winner_of(market, pid, agencies)
    market.file_contract(pid, {"contract_no": "HT-1", "amount": "27500", "document_sha256": DOC}, by=winner)
    market.confirm_contract(pid, by=world.owner)
    return pid, winner


def row_of(read_models, table, pid) -> dict:
    read_models.catch_up()
    with read_models.connect() as conn:
        return dict(conn.execute(select(table).where(table.c.procurement_id == str(pid))).one()._mapping)


def test_stages_count_working_days_on_the_published_calendar_and_keep_their_evidence(market, world, clock, read_models):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pid, winner = contracted(market, world, clock, agencies)
    due = market.load(pid, Procurement).service_due  # 20 w.d. across 清明 (4–6 April 2026)
    calendar = market.calendar()
    clock.set(calendar.add_working_days(due - timedelta(microseconds=1), 3).at - timedelta(hours=14))
    market.submit_deliverable(pid, {"title": "报告", "sha256": DOC}, by=winner)
    clock.advance(timedelta(days=1))
    market.accept_deliverable(pid, by=world.owner)
    market.evaluate(pid, SCORES, "", by=world.owner)

    row = row_of(read_models, DELAYS, pid)
    assert row["overrun_wd"] == 3 and row["status"] == "closed"
    expected = calendar.working_days_between(row["contract_at"], row["delivered_at"].replace(hour=16) + timedelta(hours=8))
    assert row["contract_delivery_wd"] == expected == 23  # 20 allowed + 3 late; the holiday is not counted
    assert (row["delivery_acceptance_wd"], row["acceptance_evaluation_wd"]) == (1, 0)
    assert {step: e["event"] for step, e in row["evidence"].items()} == {
        "published": "Published", "awarded": "Awarded", "contract": "ContractConfirmed",
        "delivered": "DeliverableSubmitted", "accepted": "DeliverableAccepted", "evaluated": "Evaluated"}  # fmt: skip
    with read_models.connect() as conn:
        assert [r["procurement_id"] for r in delay_rows(conn, agency_id=row["agency_id"])] == [str(pid)]


def test_award_buckets_follow_the_contract_amount_and_leave_when_the_engagement_ends(market, world, clock, read_models):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pid, winner = contracted(market, world, clock, agencies)
    read_models.catch_up()
    with read_models.connect() as conn:
        before = market_figures(conn, "HP-01", "430100", clock.now())
    award = row_of(read_models, AWARDS, pid)

    market.abandon(pid, "人员变动无法履约", by=winner)
    read_models.catch_up()
    with read_models.connect() as conn:
        after = market_figures(conn, "HP-01", "430100", clock.now())

    assert (before.current.requests, before.current.awards, before.current.value_fen) == (1, 1, 2_750_000)
    assert award["counted"] and award["value_fen"] == 2_750_000 and award["award_position"] > 0
    assert (after.current.requests, after.current.awards, after.current.agencies) == (1, 0, {})


def test_a_rebuild_reproduces_the_supervision_read_models_row_for_row(market, world, clock, read_models):
    busy = busy_market(market, world, clock)
    contracted(market, world, clock, busy.agencies[:4])
    clock.advance(timedelta(days=200))  # long overdue: the scan raises a flag to project
    full_scan(market, read_models)
    read_models.catch_up()
    tables = [t for name in SUPERVISION for t in read_models.get(name).tables if t.name != "rm_oversight_scans"]
    with read_models.connect() as conn:
        live = {t.name: sorted(map(tuple, conn.execute(select(t)).all()), key=repr) for t in tables}
    assert live[FLAGS.name] and live[DELAYS.name] and live[AWARDS.name]
    assert live[SIGNUPS.name] and live[PAIRS.name] and live[CONDUCT.name]

    for name in SUPERVISION:
        read_models.rebuild(name)
    with read_models.connect() as conn:
        rebuilt = {t.name: sorted(map(tuple, conn.execute(select(t)).all()), key=repr) for t in tables}

    assert rebuilt == live


def test_a_bid_struck_out_by_an_upheld_objection_leaves_the_bids_and_the_re_selection_counts_once(
        market, world, clock, read_models):  # fmt: skip
    busy = busy_market(market, world, clock)
    pid, struck = str(busy.procurements["objected"]), busy.extra["excluded"]
    read_models.catch_up()

    with read_models.connect() as conn:
        signups = {s["agency_id"]: s for s in signups_of(conn, [pid])[pid]}
        (row,) = [r for r in bidding_rows(conn) if r["procurement_id"] == pid]
        listed = conn.execute(select(func.count()).where(SIGNUPS.c.agency_id == struck,
                                                         SIGNUPS.c.month.is_not(None))).scalar_one()
        counted = conn.execute(select(func.sum(AGENCY_MONTHS.c.bids)).where(AGENCY_MONTHS.c.agency_id == struck)
                               ).scalar_one()  # fmt: skip

    assert (signups[struck]["excluded"], signups[struck]["valid"]) == (True, False)
    assert row["winner_id"] == market.load(UUID(pid), Procurement).winner_id != struck
    assert row["selection_event"] == "WinnerSelected" and counted == listed  # a re-run is not a second bid

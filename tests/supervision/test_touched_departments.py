"""Which departments an incremental scan re-judges: those with an award among the events it covers.

``red_top_links.touched`` finds them with one indexed query per table (the award's
participation row, or its procurement row, changed in the range); these tests pin
what it returns on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from projections import red_top_links as rt
from projections.catalog import open_read_models
from tests.conftest import _url_for
from tests.projections.scenarios import closed_and_selected, winner_of


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return _url_for(request.param, request, tmp_path)


@pytest.fixture
def read_models(market, database_url) -> Iterator:
    rm = open_read_models(database_url, market)
    yield rm
    rm.close()


def touched(read_models, after: int, upto: int) -> tuple[set[str], set[str]]:
    read_models.catch_up(["red_top_links"])
    with read_models.connect() as conn:
        return rt.touched(conn, after, upto)


def test_an_award_touches_its_department_and_only_the_range_that_holds_it(market, world, clock, read_models):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    pid = closed_and_selected(market, world, clock, agencies)
    selected = market.recorder.max_notification_id()
    bidders, departments = touched(read_models, 0, selected)
    assert bidders == {str(a) for a, _ in agencies} and departments == set()  # sign-ups, but no award yet
    clock.advance(timedelta(days=7))

    market.award(pid)
    awarded = market.recorder.max_notification_id()

    bidders, departments = touched(read_models, selected, awarded)
    assert departments == {str(world.department_id)}
    assert bidders == {str(winner_of(market, pid, agencies)[0])}  # its participation row changed
    assert touched(read_models, awarded, awarded) == (set(), set())


def test_a_department_is_touched_once_however_many_of_its_matters_are_awarded(market, world, clock, read_models):
    agencies = [world.admitted_agency(n) for n in range(2, 6)]
    first = closed_and_selected(market, world, clock, agencies)
    second = closed_and_selected(market, world, clock, agencies)
    before = market.recorder.max_notification_id()
    clock.advance(timedelta(days=7))

    market.award(first)
    market.award(second)

    _, departments = touched(read_models, before, market.recorder.max_notification_id())
    assert departments == {str(world.department_id)}

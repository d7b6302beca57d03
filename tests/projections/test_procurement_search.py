"""The regulator's search: every filter, paging, and no view of sign-ups before the close."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.procurement import Procurement
from projections import procurement_search as search
from tests.projections.scenarios import busy_market


def ids(page) -> set[str]:
    return {row["procurement_id"] for row in page["items"]}


@pytest.fixture
def busy(market, world, clock):
    return busy_market(market, world, clock)


def test_filters_narrow_the_search(market, world, clock, busy, caught_up):
    conn = caught_up()
    p = {k: str(v) for k, v in busy.procurements.items()}
    everything = search.search(conn, limit=100)
    assert everything["total"] == len(p) == len(everything["items"])

    assert ids(search.search(conn, status="publicity")) == {p["objected"], p["picked"]}
    assert ids(search.search(conn, status=["voided", "terminated"])) == {p["voided"], p["terminated"]}
    assert ids(search.search(conn, method="direct")) == {p["terminated"]}
    assert ids(search.search(conn, method="credit_merit")) == {p["picked"]}
    assert search.search(conn, item_code="HP-01", limit=100)["total"] == len(p)
    assert search.search(conn, item_code="HP-99")["total"] == 0
    assert search.search(conn, region="430000", limit=100)["total"] == len(p)
    assert search.search(conn, region="440000")["total"] == 0
    assert search.search(conn, department_id=str(world.department_id), limit=100)["total"] == len(p)
    assert search.search(conn, owner_id=str(world.owner_id), limit=100)["total"] == len(p)
    assert search.search(conn, text="修改后")["items"][0]["procurement_id"] == p["in_review"]

    row = next(r for r in everything["items"] if r["procurement_id"] == p["closed"])
    assert row["owner_name"] == "长沙市某区城投公司" and row["department_name"] == "长沙市生态环境局"
    assert row["service_item_name"] == "环境影响评价报告编制" and row["winner_name"].startswith("湖南第")
    assert row["amount"] == "27000.00"  # the contract amount, once there is one


def test_an_agency_is_found_where_it_took_part_once_the_list_is_frozen(market, world, clock, busy, caught_up):
    conn = caught_up()
    p = {k: str(v) for k, v in busy.procurements.items()}
    excluded = busy.extra["excluded"]
    took_part = ids(search.search(conn, agency_id=excluded, limit=100))
    assert p["closed"] in took_part and p["objected"] not in took_part  # struck out by the upheld objection
    assert p["open"] not in ids(search.search(conn, agency_id=str(busy.agencies[0][0]), limit=100))  # sealed

    winner = market.load(busy.procurements["closed"], Procurement).winner_id
    assert {r["agency_id"] for r in search.participants(conn, p["closed"]) if r["won"]} == {winner}
    assert search.participants(conn, p["open"]) == []


def test_dates_and_amounts_bound_the_search(market, world, clock, busy, caught_up):
    clock.advance(timedelta(hours=1))
    later = world.open_procurement(opens=clock.now() + timedelta(days=1), budget={"kind": "fixed", "amount": "88000"})
    conn = caught_up()
    assert ids(search.search(conn, date_field="published_at", date_from=clock.now(), limit=100)) == {str(later)}
    drafted_before = search.search(conn, date_field="drafted_at", date_to=clock.now(), limit=100)
    assert str(later) not in ids(drafted_before) and drafted_before["total"] == len(busy.procurements)

    assert ids(search.search(conn, amount_min="80000")) == {str(later)}  # a fixed budget of 88,000
    exactly = search.search(conn, amount_min=Decimal("27000"), amount_max="27000", limit=100)
    assert str(busy.procurements["closed"]) in ids(exactly)
    assert search.search(conn, amount_max="1")["total"] == 0
    with pytest.raises(ValueError):
        search.search(conn, date_field="signed_up_at")


def test_pages_cover_the_results_once(market, world, clock, busy, caught_up):
    conn = caught_up()
    total = search.search(conn)["total"]
    seen = []
    for offset in range(0, total, 4):
        page = search.search(conn, limit=4, offset=offset)
        assert page["total"] == total
        seen += [r["procurement_id"] for r in page["items"]]
    assert len(seen) == len(set(seen)) == total

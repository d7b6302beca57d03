"""The agency directory: registered data in force, qualifications, services, sanctions, ratings."""

from __future__ import annotations

from datetime import timedelta

from domain.procurement import Procurement
from projections import agency_directory as directory
from tests.builders import OPERATOR, REGULATOR, id_number
from tests.projections.scenarios import busy_market, winner_of


def test_an_admitted_agency_is_listed_with_its_qualifications_and_services(market, world, caught_up):
    agency_id, _ = world.admitted_agency(2)
    page = directory.agency(caught_up(), agency_id)
    assert page["status"] == "admitted" and page["name"] == "湖南第2环境咨询有限公司"
    assert page["qualifications"] == [
        {"category": "环境影响评价", "level": "甲级", "certificate_no": "Q00002", "valid_until": "2030-12-31"}
    ]
    assert page["services"] == [{"item_code": "HP-01", "time_limit_days": 20, "fee_reference": "按市场价"}]
    assert page["practitioners_count"] == 1 and page["rating"] is None and page["evaluations"] == 0
    assert "法人" not in repr(page) and "id_digest" not in repr(page)  # persons stay out


def test_a_change_counts_only_once_approved_and_keeps_persons_out(market, world, caught_up):
    agency_id, actor = world.admitted_agency(2)
    market.submit_agency_change(agency_id, {
        "name": "湖南新名称咨询有限公司",
        "services": [{"item_code": "HP-02", "time_limit_days": 15, "fee_reference": "面议"}],
        "legal_representative": {"name": "新法人", "id_number": id_number(77)},
    }, by=actor)  # fmt: skip
    pending = directory.agency(caught_up(), agency_id)
    assert pending["name"] == "湖南第2环境咨询有限公司" and pending["services"][0]["item_code"] == "HP-01"
    assert set(pending["pending_change"]) == {"name", "services"} and "新法人" not in repr(pending)

    market.approve_agency_change(agency_id, by=OPERATOR)
    conn = caught_up()
    approved = directory.agency(conn, agency_id)
    assert approved["name"] == "湖南新名称咨询有限公司" and approved["pending_change"] is None
    assert [s["item_code"] for s in approved["services"]] == ["HP-02"]
    assert directory.agencies(conn, item_code="HP-02")[0]["agency_id"] == str(agency_id)
    assert directory.agencies(conn, item_code="HP-01") == []


def test_suspensions_show_whether_they_are_in_force(market, world, clock, caught_up):
    agency_id, _ = world.admitted_agency(2)
    market.suspend_agency(agency_id, until=clock.now() + timedelta(days=30), reason="资料造假",
                          service_items=["HP-01"], by=REGULATOR)  # fmt: skip
    conn = caught_up()
    [suspension] = directory.agency(conn, agency_id, now=clock.now())["suspensions"]
    assert suspension["in_force"] and suspension["service_items"] == ["HP-01"]
    assert directory.suspended_items(conn, agency_id, clock.now()) == ["HP-01"]
    assert directory.suspended_items(conn, agency_id, clock.now() + timedelta(days=31)) is None

    market.lift_agency_suspension(agency_id, "整改完成", by=REGULATOR)
    conn = caught_up()
    assert directory.suspended_items(conn, agency_id, clock.now()) is None
    assert directory.agency(conn, agency_id, now=clock.now())["suspensions"][0]["lifted_at"] == clock.now()


def test_ratings_average_the_owners_evaluations_and_abandonments_count_against(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    winner_id, _ = winner_of(market, busy.procurements["closed"], busy.agencies[:4])
    rated = directory.agency(conn, winner_id)
    assert rated["rating"] == 90.0 and rated["evaluations"] == 1  # (90+80+95+85+100)/5
    abandoner = market.load(busy.procurements["terminated"], Procurement).winner_id
    assert directory.agency(conn, abandoner)["abandonments"] == 1

    listed = directory.agencies(conn, status="admitted")
    assert {a["agency_id"] for a in listed} == {str(a) for a, _ in busy.agencies}
    assert directory.agencies(conn, status="pending_review")[0]["agency_id"] == str(busy.extra["pending_agency"])
    renamed = directory.agencies(conn, name="(集团)")
    assert [a["agency_id"] for a in renamed] == [str(busy.agencies[0][0])]
    assert directory.agencies(conn, region="430000", limit=2, offset=0)[0]["name"] < directory.agencies(
        conn, region="430000", limit=2, offset=1)[0]["name"]  # fmt: skip
    assert directory.agencies(conn, qualification="环境影响评价", status="admitted") == listed

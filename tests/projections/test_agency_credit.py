"""The agency credit read model: standing, explanation and history, each naming real events by position."""

from __future__ import annotations

from datetime import timedelta

from domain.credit import CreditFile
from projections import agency_credit, agency_directory
from tests.builders import REGULATOR
from tests.credit.given import confirmed_case

DAY = timedelta(days=1)


def event_at(market, position: int):
    (notification,) = market.recorder.select_notifications(start=position, limit=1)
    assert notification.id == position
    return market.mapper.to_domain_event(notification)


def test_standing_and_explanation_agree_with_the_event_store_and_name_the_events_behind_them(market, world, clock,
                                                                                            caught_up):  # fmt: skip
    agency_id, _ = world.admitted_agency(2)
    case_id = confirmed_case(market, agency_id, "V05")
    market.impose_sanction(agency_id, "warning", reason="超期未说明", by=REGULATOR)
    conn = caught_up()

    standing = agency_credit.standing(conn, str(agency_id), clock.now())
    assert (standing["score"], standing["grade"], standing["as_of"]) == (97, "A", clock.now())
    assert (standing["score"], standing["grade"]) == (market.credit_standing(agency_id).score, "A")
    explained = agency_credit.explanation(conn, str(agency_id), clock.now())
    (violation,) = explained["counted"]
    assert (violation["code"], violation["points"], violation["window_days"]) == ("V05", -3, 365)
    assert violation["counts_until"] == clock.now() + 365 * DAY
    made_by = event_at(market, violation["event"]["position"])
    assert (type(made_by).__name__, made_by.originator_id) == ("ViolationRecorded", CreditFile.create_id(agency_id))
    assert made_by.record["record_id"] == violation["record_id"]
    source = event_at(market, violation["source"]["position"])
    assert (type(source).__name__, str(source.originator_id), source.code) == ("ViolationRecorded", case_id, "V05")
    (warning,) = explained["sanctions"]
    assert warning["sanction"] == "warning" and type(event_at(market, warning["event"]["position"])).__name__ == (
        "SanctionImposed")


def test_history_lists_each_change_with_its_events_and_the_window_that_ran_out(market, world, clock, caught_up):
    agency_id, _ = world.admitted_agency(2)
    confirmed_case(market, agency_id, "V01")
    recorded_at = clock.now()
    conn = caught_up()

    assert agency_credit.standing(conn, str(agency_id), recorded_at + 400 * DAY)["score"] == 100
    changes = agency_credit.history(conn, str(agency_id), recorded_at + 400 * DAY)

    assert [(c["at"], c["score"], c["delta"], c["because"][0]["change"]) for c in changes] == [
        (recorded_at, 95, -5, "recorded"), (recorded_at + 365 * DAY, 100, 5, "window_ended"),
    ]  # fmt: skip
    first, ended = (c["because"][0] for c in changes)
    assert first["event"] == ended["event"]  # a window that runs out names the record's own event
    assert type(event_at(market, first["source"]["position"])).__name__ == "ViolationRecorded"


def test_the_directory_shows_the_grade_and_a_catalogue_change_reaches_the_read_model(market, world, clock, caught_up):
    (fined, _), (clean, _) = world.admitted_agency(2), world.admitted_agency(3)
    confirmed_case(market, fined, "V01")
    confirmed_case(market, fined, "V03")  # 92
    conn = caught_up()
    listed = {a["agency_id"]: (a["credit_score"], a["credit_grade"]) for a in agency_directory.agencies(conn, now=clock.now())}
    assert listed == {str(fined): (92, "A"), str(clean): (100, "A")}

    market.change_credit_catalogue(scoring={"grade_a": 95}, reason="提高A级门槛", by=REGULATOR)
    conn = caught_up()

    assert agency_directory.agency(conn, str(fined), now=clock.now())["credit_grade"] == "B"
    assert agency_credit.standing(conn, str(fined), clock.now())["catalogue_version"] == 2

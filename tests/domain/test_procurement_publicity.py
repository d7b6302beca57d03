"""Procurement, publicity: the owner's pick from a short list, objections (质疑), deadline recomputation."""

from datetime import date, datetime

import pytest

from domain.calendar import SHANGHAI, WorkingDayCalendar
from domain.errors import ReasonRequired
from domain.procurement import errors as E
from domain.selection.errors import NotOnShortList
from tests.builders import OPERATOR, REGULATOR, SYSTEM, T0
from tests.domain.given import (CALENDAR, DAY, HOUR, OWNER, PUBLICITY_ENDS, SECRET, SELECTION_AT, P,
                                agency_id, agency_user, only, procurement_in)

DURING = SELECTION_AT + HOUR
LOSER_ID = agency_id(3)
LOSER = agency_user(LOSER_ID)


def assert_refused(p, error, command):
    with pytest.raises(error) as caught:
        command(p)
    assert p.collect_events() == []
    return caught.value


def objected():
    """Publicity with one pending objection by the agency that quoted highest."""
    p = procurement_in(P.PUBLICITY)
    objection = p.file_objection(LOSER_ID, ["中选报价低于成本"], [], by=LOSER, now=DURING)
    p.collect_events()
    return p, objection


# --- 信用择优: the owner's pick --------------------------------------------------------------


def test_pick_from_shortlist_records_the_winner_with_the_owners_reason():
    p = procurement_in(P.SHORTLISTED)
    p.pick_from_shortlist(agency_id(2), " 方案更贴合项目 ", calendar=CALENDAR, by=OWNER, now=SELECTION_AT)
    e = only(p.collect_events(), "PickedFromShortlist")
    assert e.result["outcome"]["winner"] == agency_id(2) == p.winner_id
    assert e.result["outcome"]["figures"]["owner_pick"] == {"agency_id": agency_id(2), "reason": "方案更贴合项目"}
    assert e.publicity_end["working_days"] == 3 and p.status is P.PUBLICITY


@pytest.mark.parametrize(("agency", "reason", "error"), [
    (agency_id(9), "理由", NotOnShortList), (agency_id(1), " ", ReasonRequired),
], ids=["not-on-short-list", "no-reason"])  # fmt: skip
def test_pick_from_shortlist_off_the_list_or_without_reason_is_refused(agency, reason, error):
    assert_refused(procurement_in(P.SHORTLISTED), error,
            lambda p: p.pick_from_shortlist(agency, reason, calendar=CALENDAR, by=OWNER, now=SELECTION_AT))


@pytest.mark.parametrize("by", [SYSTEM, agency_user(agency_id(1))], ids=["platform", "agency"])
def test_pick_from_shortlist_by_anyone_but_the_owner_is_refused(by):
    assert_refused(procurement_in(P.SHORTLISTED), E.NotTheOwner,
            lambda p: p.pick_from_shortlist(agency_id(1), "理由", calendar=CALENDAR, by=by, now=SELECTION_AT))


# --- objections (质疑) -------------------------------------------------------------------------


def test_file_objection_by_a_participant_records_reasons_and_evidence():
    p = procurement_in(P.PUBLICITY)
    objection = p.file_objection(LOSER_ID, ["中选报价低于成本"], [{"title": "成本测算表", "sha256": "cd" * 32}],
                                 by=LOSER, now=DURING)  # fmt: skip
    e = only(p.collect_events(), "ObjectionFiled")
    assert (e.objection_id, e.agency_id, e.reasons) == (objection, LOSER_ID, ["中选报价低于成本"])
    assert e.evidence == [{"title": "成本测算表", "sha256": "cd" * 32}]


def test_file_objection_by_an_agency_that_did_not_sign_up_is_refused():
    outsider = agency_id(9)
    assert_refused(procurement_in(P.PUBLICITY), E.NotSignedUp,
            lambda p: p.file_objection(outsider, ["不公"], [], by=agency_user(outsider), now=DURING))


def test_file_objection_for_another_agency_is_refused():
    assert_refused(procurement_in(P.PUBLICITY), E.WrongRole,
            lambda p: p.file_objection(agency_id(2), ["不公"], [], by=LOSER, now=DURING))


def test_file_objection_once_publicity_has_ended_is_refused():
    p = procurement_in(P.PUBLICITY)
    end = p.deadlines["publicity_end"]["at"]
    error = assert_refused(p, E.ObjectionPeriodOver, lambda p: p.file_objection(LOSER_ID, ["晚了"], [], by=LOSER, now=end))
    assert error.code == "objection_period_over"


def test_award_with_an_objection_pending_is_refused():
    p, objection = objected()
    error = assert_refused(p, E.ObjectionPending, lambda p: p.award(calendar=CALENDAR, by=SYSTEM, now=PUBLICITY_ENDS))
    assert error.detail == objection


def test_dismiss_objection_records_it_and_the_award_may_follow():
    p, objection = objected()
    p.dismiss_objection(objection, "成本说明合理", by=OPERATOR, now=DURING + DAY)
    assert only(p.collect_events(), "ObjectionDismissed").reason == "成本说明合理"
    p.award(calendar=CALENDAR, by=SYSTEM, now=PUBLICITY_ENDS)
    only(p.collect_events(), "Awarded")


def test_uphold_objection_excluding_the_winner_reopens_selection_on_the_smaller_list():
    p, objection = objected()
    struck = p.winner_id
    p.uphold_objection(objection, "报价低于成本且无说明", exclude_agency_id=struck, by=REGULATOR, now=DURING + DAY)
    e = only(p.collect_events(), "ObjectionUpheld")
    assert e.excluded_agency_id == struck and struck not in {x["agency_id"] for x in e.entries}
    assert (p.status, p.winner_id, p.list_hash) == (P.SIGNUP_CLOSED, None, e.list_hash)
    p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=DURING + DAY)
    assert only(p.collect_events(), "SelectionFailed").result["outcome"]["failure_reason"] == "too_few_bidders"


def test_uphold_objection_with_failure_fails_the_request():
    p, objection = objected()
    p.uphold_objection(objection, "程序违法", fail=True, by=OPERATOR, now=DURING + DAY)
    assert only(p.collect_events(), "ObjectionUpheld").failed is True
    assert p.status is P.FAILED


def test_uphold_objection_without_a_remedy_is_refused():
    p, objection = objected()
    error = assert_refused(p, E.ObjectionRemedyRequired,
                    lambda p: p.uphold_objection(objection, "属实", by=OPERATOR, now=DURING))
    assert error.code == "objection_remedy_required"


@pytest.mark.parametrize("decide", ["uphold", "dismiss"])
def test_decide_objection_by_the_owner_is_refused(decide):
    p, objection = objected()
    assert_refused(p, E.WrongRole, lambda p: p.uphold_objection(objection, "x", fail=True, by=OWNER, now=DURING)
            if decide == "uphold" else p.dismiss_objection(objection, "x", by=OWNER, now=DURING))


def test_decide_an_objection_twice_or_an_unknown_one_is_refused():
    p, objection = objected()
    p.dismiss_objection(objection, "不属实", by=OPERATOR, now=DURING)
    p.collect_events()
    assert_refused(p, E.ObjectionAlreadyDecided, lambda p: p.dismiss_objection(objection, "再驳回", by=OPERATOR, now=DURING))
    assert_refused(p, E.UnknownObjection, lambda p: p.dismiss_objection("no-such-id", "x", by=OPERATOR, now=DURING))


# --- deadlines counted on an unpublished year ------------------------------------------------


def test_recompute_deadlines_once_the_year_is_published_moves_provisional_ones_once():
    p = procurement_in(P.PUBLICITY)  # 公示 end counted Monday to Friday: 2026-03-12 00:00
    calendar = WorkingDayCalendar.create("全国", by=SYSTEM, now=T0)
    calendar.publish_year(2026, [date(2026, 3, 10)], [], "测试用安排", by=OPERATOR, now=T0)
    assert p.recompute_deadlines(calendar=calendar, by=SYSTEM, now=DURING) == ["publicity_end"]
    e = only(p.collect_events(), "DeadlineRecomputed")
    assert (e.kind, e.deadline["at"], e.deadline["provisional"]) == (
        "publicity_end", datetime(2026, 3, 13, tzinfo=SHANGHAI), False)
    assert p.recompute_deadlines(calendar=calendar, by=SYSTEM, now=DURING) == []
    assert p.collect_events() == []

"""中选公示, 质疑 and the methods that need the owner at selection time, through the market."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.procurement import Procurement
from domain.procurement.errors import ObjectionPending, ObjectionPeriodOver, PublicityNotOver
from domain.selection import verify
from market.clock import SHANGHAI
from tests.builders import OPERATOR


def signed_up(market, world, clock, n=4, **notice_kw):
    agencies = [world.admitted_agency(i) for i in range(2, 2 + n)]
    pid = world.open_procurement(**notice_kw)
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i * 1000)}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    return pid, agencies


def test_award_waits_for_the_publicity_period_and_for_pending_objections(market, world, clock):
    pid, agencies = signed_up(market, world, clock)
    market.run_selection(pid)
    loser_id, loser = agencies[0]

    with pytest.raises(PublicityNotOver):
        market.award(pid)
    objection = market.file_objection(pid, loser_id, ["中选机构资质证书已过期"], [{"title": "证书截图", "sha256": "c" * 64}], by=loser)
    clock.advance(timedelta(days=7))
    with pytest.raises(ObjectionPending):
        market.award(pid)
    with pytest.raises(ObjectionPeriodOver):
        market.file_objection(pid, agencies[1][0], ["迟到的质疑"], by=agencies[1][1])

    market.dismiss_objection(pid, objection["objection_id"], "经核查资质有效", by=OPERATOR)
    assert market.award(pid)["status"] == "contracting"


def test_an_upheld_objection_reruns_the_selection_without_the_offending_sign_up(market, world, clock):
    pid, agencies = signed_up(market, world, clock)
    first = market.run_selection(pid)
    winner_id = first["winner"]
    objector_id, objector = agencies[0]
    objection = market.file_objection(pid, objector_id, ["中选机构与审批部门存在利害关系"], by=objector)

    rerun = market.uphold_objection(pid, objection["objection_id"], "质疑成立", exclude_agency_id=winner_id, by=OPERATOR)

    assert rerun["status"] == "publicity" and rerun["winner"] not in (None, winner_id)
    names = [type(e).__name__ for e in market.history(pid)]
    assert names[-3:] == ["ObjectionFiled", "ObjectionUpheld", "WinnerSelected"]
    record = market.history(pid)[-1].result
    assert winner_id not in {e["agency_id"] for e in record["entries"]}
    assert verify(record) == (True, [])


def test_an_objection_upheld_with_failure_fails_the_request(market, world, clock):
    pid, agencies = signed_up(market, world, clock)
    market.run_selection(pid)
    objection = market.file_objection(pid, agencies[0][0], ["公告内容违规"], by=agencies[0][1])
    market.uphold_objection(pid, objection["objection_id"], "公告违规,项目流标", fail=True, by=OPERATOR)
    assert market.load(pid, Procurement).status_code == "failed"


def test_credit_merit_shortlists_and_the_owner_picks_with_a_reason(market, world, clock):
    pid, agencies = signed_up(market, world, clock, n=5, method="credit_merit")
    shortlisted = market.run_selection(pid)
    assert shortlisted["status"] == "shortlisted"
    short_list = market.load(pid, Procurement).outcome["figures"]["short_list"]

    picked = market.pick_from_shortlist(pid, short_list[-1], "方案最贴合项目需求", by=world.owner)

    assert picked["status"] == "publicity"
    record = market.history(pid)[-1].result
    assert record["outcome"]["winner"] == short_list[-1]
    assert verify(record) == (True, [])


def test_proposal_scoring_needs_declared_evaluators_and_scores(market, world, clock):
    pid, agencies = signed_up(market, world, clock, n=3, method="proposal_scoring")
    scores = {str(a): {"response": str(30 + i), "staff": "25"} for i, (a, _) in enumerate(agencies)}
    choice = {"scores": scores, "evaluators": ["专家甲", "专家乙"],
              "declarations": [{"evaluator_id": "专家甲", "no_conflict": True}, {"evaluator_id": "专家乙", "no_conflict": True}]}  # fmt: skip

    result = market.run_selection(pid, choice=choice, by=world.owner)

    assert result["status"] == "publicity" and result["winner"] in scores
    assert verify(market.history(pid)[-1].result) == (True, [])


def test_a_provisional_2027_deadline_is_recomputed_when_the_operator_publishes_2027(market, world, clock):
    clock.set(datetime(2026, 12, 24, 9, 0, tzinfo=SHANGHAI))
    opens = clock.now()
    pid, agencies = signed_up(market, world, clock, opens=opens)  # closes 2026-12-27
    clock.set(datetime(2026, 12, 30, 9, 0, tzinfo=SHANGHAI))
    market.run_selection(pid)
    provisional = market.load(pid, Procurement).deadlines["publicity_end"]
    assert provisional["provisional"] is True  # 2027 is not published yet: weekends only

    market.publish_holiday_year(2027, [date(2027, 1, 1), date(2027, 1, 4)], [], "国办发明电〔2026〕示例号", by=OPERATOR)
    assert market.recompute_deadlines(pid)["recomputed"] == ["publicity_end"]
    final = market.load(pid, Procurement).deadlines["publicity_end"]
    assert final["provisional"] is False and final["at"] > provisional["at"]
    assert market.recompute_deadlines(pid)["recomputed"] == []

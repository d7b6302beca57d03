"""A busy market for read-model tests: most paths a procurement and an agency can take."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from domain.base import Actor, Role
from domain.procurement import Procurement
from tests.builders import OPERATOR, REGULATOR, agency_profile, notice, uscc

SCORES = {"quality": 90, "timeliness": 80, "attitude": 95, "fee": 85, "conduct": 100}
DOC = "d" * 64


@dataclass
class Busy:
    agencies: list[tuple[UUID, Actor]]
    procurements: dict[str, UUID] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def sign_up_all(market, pid, agencies, base: int = 30000) -> None:
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(base - i * 1000)}, by=actor)


def closed_and_selected(market, world, clock, agencies, **notice_kw) -> UUID:
    pid = world.open_procurement(opens=clock.now(), **notice_kw)
    sign_up_all(market, pid, agencies)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    return pid


def winner_of(market, pid, agencies) -> tuple[UUID, Actor]:
    winner = market.load(pid, Procurement).winner_id
    return next(a for a in agencies if str(a[0]) == winner)


def busy_market(market, world, clock) -> Busy:
    """Drive the market through completed, failed, republished, objected, voided and abandoned requests."""
    agencies = [world.admitted_agency(n) for n in range(2, 7)]
    busy = Busy(agencies)
    m, p = market, busy.procurements

    # A returned registration, resubmitted; a change of name approved; one returned; a suspension.
    applicant = Actor("applicant-9", Role.AGENCY)
    late = UUID(m.register_agency(uscc(9), agency_profile(9), by=applicant)["agency_id"])
    m.return_agency(late, ["营业执照扫描件不清晰"], by=OPERATOR)
    m.resubmit_agency(late, agency_profile(9), by=Actor("applicant-9", Role.AGENCY, str(late)))
    busy.extra["pending_agency"] = late
    first_id, first = agencies[0]
    m.submit_agency_change(first_id, {"name": "湖南第2环境咨询(集团)有限公司"}, by=first)
    m.approve_agency_change(first_id, by=OPERATOR)
    m.submit_agency_change(first_id, {"phone": "0731-88888888"}, by=first)
    m.return_agency_change(first_id, ["电话无法接通"], by=OPERATOR)
    m.suspend_agency(agencies[4][0], until=clock.now() + timedelta(days=60), reason="虚假材料", by=REGULATOR)

    # A notice returned and resubmitted, then left in review.
    draft = UUID(m.draft_procurement(world.owner_id, _notice(clock), by=world.owner)["procurement_id"])
    m.submit_procurement(draft, by=world.owner)
    m.return_procurement(draft, ["预算依据不足"], by=OPERATOR)
    m.amend_procurement(draft, {**_notice(clock), "project_name": "修改后的项目"}, by=world.owner)
    m.submit_procurement(draft, by=world.owner)
    p["in_review"] = draft

    # Completed: lowest price, extension granted, deliverable rejected once, evaluated.
    live = agencies[:4]
    done = closed_and_selected(m, world, clock, live)
    clock.advance(timedelta(days=7))
    m.award(done)
    winner_id, winner = winner_of(m, done, live)
    m.file_contract(done, {"contract_no": "HT-2026-001", "amount": "27000", "document_sha256": DOC}, by=winner)
    m.confirm_contract(done, by=world.owner)
    m.request_extension(done, 5, "现场踏勘推迟", by=winner)
    m.grant_extension(done, by=world.owner)
    m.submit_deliverable(done, {"title": "环境影响报告书", "sha256": DOC}, by=winner)
    m.reject_deliverable(done, ["缺少噪声监测数据"], by=world.owner)
    m.submit_deliverable(done, {"title": "环境影响报告书(修改)", "sha256": DOC}, by=winner)
    m.accept_deliverable(done, by=world.owner)
    m.evaluate(done, SCORES, "按时完成", by=world.owner)
    p["closed"] = done

    # An upheld objection strikes out the winner and the platform re-runs the draw.
    objected = closed_and_selected(m, world, clock, live)
    first_winner = m.load(objected, Procurement).winner_id
    objector_id, objector = next(a for a in live if str(a[0]) != first_winner)
    objection = m.file_objection(objected, objector_id, ["中选机构存在利害关系"], by=objector)
    m.uphold_objection(objected, objection["objection_id"], "质疑成立", exclude_agency_id=UUID(first_winner), by=OPERATOR)
    dismissed = m.file_objection(objected, objector_id, ["再次质疑"], by=objector)
    m.dismiss_objection(objected, dismissed["objection_id"], "理由不成立", by=OPERATOR)
    p["objected"] = objected
    busy.extra["excluded"] = first_winner

    # Failed for too few bidders, republished as round 2 (left in draft).
    failed = world.open_procurement(opens=clock.now())
    sign_up_all(m, failed, live[:1])
    clock.advance(timedelta(days=3))
    m.close_signup(failed)
    m.run_selection(failed)
    p["failed"] = failed
    p["round2"] = UUID(m.republish(failed, {"fund_source": "social"}, by=world.owner)["procurement_id"])

    # Direct selection by the owner, then the winner abandons: terminated.
    direct = world.open_procurement(opens=clock.now(), method="direct", fund="social")
    sign_up_all(m, direct, live[:2])
    m.withdraw_signup(direct, live[1][0], by=live[1][1])
    clock.advance(timedelta(days=3))
    m.close_signup(direct)
    m.run_selection(direct, choice={"chosen": str(live[0][0])}, by=world.owner)
    m.abandon(direct, "人员变动无法履约", by=live[0][1])
    p["terminated"] = direct

    # Credit merit: short-listed, the owner picks; still in publicity.
    merit = closed_and_selected(m, world, clock, live, method="credit_merit")
    short = m.load(merit, Procurement).outcome["figures"]["short_list"]
    m.pick_from_shortlist(merit, UUID(short[-1]), "方案最贴合项目需求", by=world.owner)
    p["picked"] = merit

    # Voided while sign-up is open; and one still open, with a revised quote.
    voided = world.open_procurement(opens=clock.now())
    sign_up_all(m, voided, live[:2])
    m.void_procurement(voided, "noDemand", "项目取消", by=world.owner)
    p["voided"] = voided
    still_open = world.open_procurement(opens=clock.now())
    sign_up_all(m, still_open, live[:3], base=40000)
    m.revise_quote(still_open, live[0][0], {"kind": "amount", "value": "35000"}, by=live[0][1])
    p["open"] = still_open

    # Published ahead of its sign-up window; and one whose window the clock then opens.
    p["published"] = world.open_procurement(opens=clock.now() + timedelta(days=2))
    p["opened_later"] = world.open_procurement(opens=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=2))
    m.open_signup(p["opened_later"])
    return busy


def _notice(clock) -> dict[str, Any]:
    return notice(opens=clock.now() + timedelta(days=1))

"""红顶中介 (domain.md §9.5): planted links to the approving department flagged with evidence, look-alikes not.

A small market: department D1 (approves HP-01) with its affiliated unit U1, and
department D2 (approves HP-02). Five HP-01 procurements; in the first every
agency signs up, in the other four the linked winner and two look-alikes.

Planted: a shareholder who is D1 staff (RH2); a practitioner who left U1 10 months
before (RH3); D1's phone (RH4); ownership agency ← holding company ← U1 (RH1);
one agency winning all five of D1's matters. Look-alikes: a legal representative
who left D1 30 months before; D2's phone on an agency bidding for D1's matter; a
holding company owned by a private person.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from uuid import UUID

import pytest

from domain.base import Actor, Role
from domain.procurement import Procurement
from market.bootstrap import build_market
from market.clock import SHANGHAI, FixedClock
from market.oversight.red_top import months_before
from market.oversight.scan import full_scan
from market.settings import Settings
from projections.catalog import open_read_models
from projections.supervision_flags import flags
from tests.builders import OPERATOR, agency_profile, id_number, notice, uscc
from tests.supervision.scenario import START

STAFF, LEFT_RECENTLY, LEFT_LONG_AGO = id_number(901), id_number(902), id_number(903)
REQUIREMENT = {"mode": "all", "qualifications": [{"category": "环境影响评价", "min_level": "乙级"}]}
U1_USCC = uscc(950, "12430100")
D1_PHONE, D2_PHONE = "0731-88880001", "0731-88880002"


class World:
    def __init__(self, tmp_path) -> None:
        url = f"sqlite:///{tmp_path}/events.db"
        self.clock = FixedClock(START - timedelta(days=7))
        self.market = build_market(Settings(database_url=url), clock=self.clock)
        self.read_models = open_read_models(url, self.market)
        self.agencies: dict[str, str] = {}
        self.actors: dict[str, Actor] = {}
        self.pids: list[str] = []

    def close(self) -> None:
        self.read_models.close()
        self.market.close()

    def registers(self) -> None:
        m = self.market
        dept = lambda code, name, kind, **kw: UUID(m.establish_department(code, name, kind, "430100", by=OPERATOR,
                                                                           **kw)["department_id"])  # fmt: skip
        self.d1 = dept("D1", "湖南省生态环境厅", "approving_department", contacts={"phone": D1_PHONE, "address": "长沙市八一路1号"})
        self.u1 = dept("U1", "湖南省环境科学研究院", "affiliated_unit", parent_id=self.d1, uscc=U1_USCC,
                       contacts={"email": "u1@hnhb.gov.cn"})  # fmt: skip
        self.d2 = dept("D2", "湖南省自然资源厅", "approving_department", contacts={"phone": D2_PHONE})
        m.define_service_item("HP-01", "环评报告", "环评审批", self.d1, REQUIREMENT, by=OPERATOR)
        m.define_service_item("HP-02", "测绘报告", "用地审批", self.d2, REQUIREMENT, by=OPERATOR)
        long_ago = START.replace(year=2012)
        m.appoint_staff(self.d1, STAFF, "处长甲", "处长", since=long_ago, by=OPERATOR)
        m.appoint_staff(self.u1, LEFT_RECENTLY, "工程师乙", "高级工程师", since=long_ago, by=OPERATOR)
        m.record_staff_departure(self.u1, LEFT_RECENTLY, left=months_before(START, 10), by=OPERATOR)
        m.appoint_staff(self.d1, LEFT_LONG_AGO, "科长丙", "科长", since=long_ago, by=OPERATOR)
        m.record_staff_departure(self.d1, LEFT_LONG_AGO, left=months_before(START, 30), by=OPERATOR)

        holding = lambda name, code, share: {"kind": "organisation", "name": name, "uscc": code, "share": share}
        person = lambda name, number, share: {"kind": "person", "name": name, "id_number": number, "share": share}
        planted = {
            "person": {"shareholders": [person("股东甲", STAFF, "100")]},
            "revolving": {"practitioners": [{"name": "工程师乙", "id_number": LEFT_RECENTLY, "certificate_no": "HP9"}]},
            "phone": {"phone": D1_PHONE},
            "holding": {"shareholders": [holding("湖南省环境科学研究院", U1_USCC, "60"), person("股东丁", id_number(904), "40")]},
            "owned": {"shareholders": [holding("湖南环科控股有限公司", uscc(103), "100")]},
            "old": {"legal_representative": {"name": "科长丙", "id_number": LEFT_LONG_AGO}},
            "phone2": {"phone": D2_PHONE},
            "private_holding": {},  # held by a private person (the builder's default)
            "privately_owned": {"shareholders": [holding("湖南私营控股有限公司", uscc(107), "100")]},
        }
        for n, (name, changes) in enumerate(planted.items()):
            actor = Actor(f"agency-{name}", Role.AGENCY)
            profile = {**agency_profile(100 + n, items=["HP-01", "HP-02"]), **changes}
            aid = m.register_agency(uscc(100 + n), profile, by=actor)["agency_id"]
            m.admit_agency(UUID(aid), by=OPERATOR)
            self.agencies[name], self.actors[name] = aid, Actor(f"agency-{name}", Role.AGENCY, aid)
        assert (list(planted).index("holding"), list(planted).index("private_holding")) == (3, 7)

    def procurement(self, index: int, bidders: list[str]) -> str:
        """An HP-01 procurement the first bidder wins (lowest price), awarded."""
        m, owner_id, owner = self.market, self.owner_id, self.owner
        now = self.clock.now()
        body = notice("HP-01", opens=now, closes=now + timedelta(days=3), project_code=f"2025-430000-77-01-{index:06d}")
        pid = UUID(m.draft_procurement(owner_id, body, by=owner)["procurement_id"])
        m.submit_procurement(pid, by=owner)
        m.publish_procurement(pid, by=OPERATOR)
        self.clock.set(now + timedelta(hours=1))
        for rank, name in enumerate(bidders):
            m.sign_up(pid, UUID(self.agencies[name]), {"kind": "amount", "value": str(30000 + 1000 * rank)},
                      by=self.actors[name])  # fmt: skip
        self.clock.set(now + timedelta(days=3))
        m.close_signup(pid)
        m.run_selection(pid)
        p = m.load(pid, Procurement)
        assert p.winner_id == self.agencies[bidders[0]]
        self.clock.set(p.deadlines["publicity_end"]["at"] + timedelta(hours=9))
        m.award(pid)
        self.clock.set(self.clock.now() + timedelta(days=1))
        return str(pid)

    def run(self) -> None:
        self.registers()
        admin = {"account": "owner-admin-0", "name": "业主管理员"}
        self.owner_id = UUID(self.market.register_owner(uscc(300, "11430100"), "业主单位", "state_owned", "430100",
                                                        admin, by=OPERATOR)["owner_id"])  # fmt: skip
        self.owner = Actor("owner-admin-0", Role.OWNER_ADMIN, str(self.owner_id))
        self.clock.set(START)
        everyone = ["person", "phone", "owned", "revolving", "old", "phone2", "privately_owned"]
        self.pids.append(self.procurement(0, everyone))
        for i in range(1, 5):
            self.pids.append(self.procurement(i, ["person", "old", "phone2"]))

    def flags(self) -> dict[tuple[str, str], dict]:
        self.read_models.catch_up()
        with self.read_models.connect() as conn:
            return {(f["code"], f["key"]): f for f in flags(conn, limit=10_000, status="open")}

    def event_at(self, position: int):
        (notification,) = self.market.recorder.select_notifications(start=position, limit=1)
        assert notification.id == position
        return self.market.mapper.to_domain_event(notification)

    def expected(self) -> set[tuple[str, str]]:
        a, p0 = self.agencies, self.pids[0]
        found = {("RED_TOP_PERSON", f"{a['person']}|{pid}") for pid in self.pids}
        found |= {("RED_TOP_REVOLVING_DOOR", f"{a['revolving']}|{p0}"), ("RED_TOP_CONTACT", f"{a['phone']}|{p0}"),
                  ("RED_TOP_OWNERSHIP", f"{a['owned']}|{p0}"),
                  ("RED_TOP_DEPARTMENT_SHARE", f"{self.d1}|{a['person']}")}  # fmt: skip
        return found


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("red_top"))
    w.run()
    w.report = full_scan(w.market, w.read_models)
    w.found = w.flags()
    yield w
    w.close()


def red_top(found):
    return {k: f for k, f in found.items() if k[0].startswith("RED_TOP_")}


def evidence_kinds(w, flag) -> dict[str, set[str]]:
    """Event kind → aggregates, checking each item is the stored event it names."""
    kinds: dict[str, set[str]] = {}
    for item in flag["evidence"]:
        stored = w.event_at(item["position"])
        assert type(stored).__name__ == item["event"]
        assert str(stored.originator_id) == item["aggregate_id"] and stored.originator_version == item["version"]
        kinds.setdefault(item["event"], set()).add(item["aggregate_id"])
    return kinds


def test_every_planted_link_is_flagged_and_no_look_alike(world, record_property):
    found = red_top(world.found)
    expected = world.expected()
    hits = set(found) & expected
    precision, recall = len(hits) / len(found), len(hits) / len(expected)
    print(f"\nred-top scenario: {len(found)} flags, {len(expected)} planted: precision {precision:.2f}, recall {recall:.2f}")
    record_property("precision", precision)
    record_property("recall", recall)
    assert set(found) == expected
    innocent = {world.agencies[n] for n in ("old", "phone2", "privately_owned", "holding", "private_holding")}
    assert not [f for f in found.values() if f["agency_id"] in innocent]


def test_a_shareholder_on_the_department_staff_is_flagged_with_role_unit_and_evidence(world):
    a, p0 = world.agencies["person"], world.pids[0]
    flag = world.found[("RED_TOP_PERSON", f"{a}|{p0}")]
    assert (flag["agency_id"], flag["department_id"], flag["procurement_id"]) == (a, str(world.d1), p0)
    (match,) = flag["figures"]["matches"]
    digest = world.market.digester.digest(STAFF)
    assert match["role"] == "shareholder" and match["unit_id"] == str(world.d1) and match["left"] is None
    assert match["person"] == digest[:8] and match["since"].startswith("2012-")
    assert flag["severity"] == "high"
    assert evidence_kinds(world, flag) == {"Registered": {a}, "StaffAppointed": {str(world.d1)}, "SignedUp": {p0},
                                           "Awarded": {p0}}  # fmt: skip
    text = repr(flag)
    assert digest not in text and STAFF not in text and "处长甲" not in text and "股东甲" not in text


def test_a_practitioner_who_left_an_affiliated_unit_within_24_months_is_a_revolving_door(world):
    a, p0 = world.agencies["revolving"], world.pids[0]
    flag = world.found[("RED_TOP_REVOLVING_DOOR", f"{a}|{p0}")]
    assert (flag["agency_id"], flag["department_id"], flag["procurement_id"]) == (a, str(world.d1), p0)
    (match,) = flag["figures"]["matches"]
    assert (match["role"], match["unit_id"], match["unit_kind"]) == ("practitioner", str(world.u1), "affiliated_unit")
    assert match["left"] is not None and flag["parameters"] == {"revolving_door_months": 24}
    assert evidence_kinds(world, flag) == {"Registered": {a}, "StaffAppointed": {str(world.u1)},
                                           "StaffLeft": {str(world.u1)}, "SignedUp": {p0}}  # fmt: skip
    assert ("RED_TOP_PERSON", f"{a}|{p0}") not in world.found  # no longer staff


def test_a_shared_phone_with_the_approving_department_is_flagged(world):
    a, p0 = world.agencies["phone"], world.pids[0]
    flag = world.found[("RED_TOP_CONTACT", f"{a}|{p0}")]
    assert flag["figures"]["matches"] == [{"contact": "phone", "unit_id": str(world.d1), "unit_kind": "approving_department"}]
    assert evidence_kinds(world, flag) == {"Registered": {a}, "Established": {str(world.d1)}, "SignedUp": {p0}}


def test_an_ownership_chain_through_a_holding_company_to_the_unit_is_flagged(world):
    a, holding, p0 = world.agencies["owned"], world.agencies["holding"], world.pids[0]
    flag = world.found[("RED_TOP_OWNERSHIP", f"{a}|{p0}")]
    (match,) = flag["figures"]["matches"]
    assert match["unit_id"] == str(world.u1) and match["levels"] == 2
    assert [(h["agency_id"], h["holder_uscc"], h["share"]) for h in match["chain"]] == [
        (a, uscc(103), "100"), (holding, U1_USCC, "60")]
    assert evidence_kinds(world, flag) == {"Registered": {a, holding}, "Established": {str(world.u1)},
                                           "SignedUp": {p0}}  # fmt: skip


def test_an_abnormal_share_of_one_departments_matters_is_flagged(world):
    a = world.agencies["person"]
    flag = world.found[("RED_TOP_DEPARTMENT_SHARE", f"{world.d1}|{a}")]
    assert (flag["agency_id"], flag["department_id"]) == (a, str(world.d1))
    assert (flag["figures"]["awards"], flag["figures"]["department_awards"], flag["figures"]["share"]) == (5, 5, 1.0)
    assert evidence_kinds(world, flag) == {"Awarded": set(world.pids)}


def test_a_second_full_scan_adds_nothing(world):
    head = world.market.recorder.max_notification_id()
    again = full_scan(world.market, world.read_models)
    assert again.actions == Counter() and world.market.recorder.max_notification_id() == head
    raised = sum(n for (code, action), n in world.report.actions.items() if code.startswith("RED_TOP_") and action == "raised")
    assert raised == len(world.expected())

"""The demo's registers: departments and staff, the catalogue, owners, agencies.

Everything goes through the market's commands, as an operator, regulator, owner
or agency would issue them; ID numbers are made with ``make_id_number`` and
digested by the market, never stored.
"""

from __future__ import annotations

import hashlib

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from domain.base import Actor, Role, make_credit_code
from market.demo.names import AGENCIES, DEPARTMENTS, DISTRICTS, GIVEN, ITEMS, OWNERS, REGION, SURNAMES
from market.demo.names import AgencySpec, ItemSpec, OwnerSpec
from market.identity import make_id_number

OPERATOR = Actor("op-001", Role.OPERATOR)  # 运营机构审核员
REGULATOR = Actor("reg-001", Role.REGULATOR)  # 管理机构
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 alphabet
ROADS = ("麓谷大道", "芙蓉中路", "湘江中路", "万家丽路", "韶山南路")


@dataclass
class OwnerCast:
    spec: OwnerSpec
    id: UUID
    admin: Actor
    delegates: list[Actor]

    @property
    def fund_source(self) -> str:
        # Government units and state-owned enterprises spend state funds (国有/财政资金).
        return "social" if self.spec.unit_type == "private" else "state"


@dataclass
class AgencyCast:
    spec: AgencySpec
    id: UUID
    uscc: str
    actor: Actor
    profile: dict


@dataclass
class Cast:
    """Who is on the demo's stage, with the ids and actors the procurements need."""

    departments: dict[str, UUID] = field(default_factory=dict)
    items: dict[str, ItemSpec] = field(default_factory=dict)
    owners: list[OwnerCast] = field(default_factory=list)
    agencies: list[AgencyCast] = field(default_factory=list)

    def eligible(self, item_code: str) -> list[AgencyCast]:
        """Agencies that may sign up for the item: admitted and not sanctioned."""
        able = ("admitted", "resubmitted", "change_pending")
        return [a for a in self.agencies if item_code in a.spec.items and a.spec.fate in able]

    def agency(self, agency_id: str) -> AgencyCast:
        return next(a for a in self.agencies if str(a.id) == agency_id)


class People:
    """Deterministic names, ID numbers and credit codes from the demo's random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = 0

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def id_number(self, district: str) -> str:
        self.serial += 1
        born = f"{self.rng.randint(1962, 1996)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
        return make_id_number(f"{DISTRICTS[district]}{born}{self.serial % 1000:03d}")

    def person(self, district: str) -> dict:
        return {"name": self.name(), "id_number": self.id_number(district)}

    def credit_code(self, kind: str, district: str) -> str:
        body = "".join(self.rng.choice(_USCC_CHARS) for _ in range(9))
        return make_credit_code(f"{kind}{DISTRICTS[district]}{body}")


def cast_registers(market, people: People, tick: Callable[[], datetime]) -> Cast:
    """Register departments, the catalogue, owners and agencies; ``tick`` moves the clock on.

    The agencies' applications are then waiting for ``review_agencies``.
    """
    cast = Cast()
    _departments(market, people, tick, cast)
    for item in ITEMS:
        tick()
        market.define_service_item(
            item.code, item.name, item.approval_matter, cast.departments[item.department], item.requirement,
            self_preparable=item.self_preparable, by=OPERATOR,
        )  # fmt: skip
        cast.items[item.code] = item
    _owners(market, people, tick, cast)
    _register_agencies(market, people, tick, cast)
    return cast


def _departments(market, people: People, tick, cast: Cast) -> None:
    for dept in DEPARTMENTS:
        tick()
        district = "天心区"
        dept_id = UUID(market.establish_department(
            dept.code, dept.name, "approving_department", REGION, uscc=people.credit_code("11", district),
            contacts={"phone": f"0731-88{people.rng.randint(100000, 999999)}", "address": f"长沙市{district}"},
            by=OPERATOR,
        )["department_id"])  # fmt: skip
        cast.departments[dept.code] = dept_id
        since = tick() - timedelta(days=365 * people.rng.randint(2, 12))
        for position in ("局长", "审批科科长", "审批科科员"):
            tick()
            market.appoint_staff(dept_id, people.id_number(district), people.name(), position, since=since, by=OPERATOR)
        for n, unit in enumerate(dept.units, start=1):
            tick()
            market.establish_department(
                f"{dept.code}-U{n}", unit, "affiliated_unit", REGION, parent_id=dept_id,
                uscc=people.credit_code("12", district), by=OPERATOR,
            )  # fmt: skip
    # A former section chief who left (红顶中介 revolving door: kept on record for 24 months).
    leaver = people.id_number("岳麓区")
    dept_id = cast.departments["HBJ"]
    since = tick() - timedelta(days=2000)
    market.appoint_staff(dept_id, leaver, people.name(), "审批科副科长", since=since, by=OPERATOR)
    market.record_staff_departure(dept_id, leaver, left=tick() - timedelta(days=200), by=OPERATOR)


def _owners(market, people: People, tick, cast: Cast) -> None:
    kinds = {"government": "11", "state_owned": "91", "private": "91"}
    for n, spec in enumerate(OWNERS, start=1):
        tick()
        admin = {"account": f"owner{n:02d}-admin", "name": people.name()}
        owner_id = UUID(market.register_owner(
            people.credit_code(kinds[spec.unit_type], spec.district), spec.name, spec.unit_type,
            DISTRICTS[spec.district], admin, by=OPERATOR,
        )["owner_id"])  # fmt: skip
        admin_actor = Actor(admin["account"], Role.OWNER_ADMIN, str(owner_id))
        delegates = []
        for d in range(1, spec.delegates + 1):
            tick()
            account = f"owner{n:02d}-agent{d}"
            market.add_delegate(owner_id, {"account": account, "name": people.name()}, by=admin_actor)
            delegates.append(Actor(account, Role.OWNER_DELEGATE, str(owner_id)))
        cast.owners.append(OwnerCast(spec, owner_id, admin_actor, delegates))


def _mobile(id_number: str) -> str:
    """A demo mobile number derived from the person (no draw from the seeded generator, so the rest
    of the demo stays as it was): sealed in the events, masked in views (docs/personal-data.md)."""
    return f"139{int(hashlib.sha256(id_number.encode()).hexdigest(), 16) % 10**8:08d}"


def _profile(spec: AgencySpec, n: int, people: People) -> dict:
    rng = people.rng
    holders = [people.person(spec.district) for _ in range(rng.randint(1, 2))]
    shares = ["100"] if len(holders) == 1 else ["60", "40"]
    return {
        "name": spec.name,
        "agency_type": spec.kind,
        "region": DISTRICTS[spec.district],
        "address": f"长沙市{spec.district}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
        "phone": f"0731-8{rng.randint(1000000, 9999999)}",
        "email": f"service{n:02d}@agency{n:02d}.example.cn",
        "legal_representative": {**holders[0], "phone": _mobile(holders[0]["id_number"])},
        "shareholders": [{"kind": "person", **h, "share": s} for h, s in zip(holders, shares)],
        "practitioners": [
            {**people.person(spec.district), "certificate_no": f"ZY{n:02d}{k:03d}{rng.randint(1000, 9999)}"}
            for k in range(rng.randint(2, 4))
        ],
        "qualifications": [
            {"category": category, "level": level, "certificate_no": f"ZZ-{n:02d}-{i}-{rng.randint(10000, 99999)}",
             "valid_until": f"{rng.randint(2027, 2030)}-12-31"}
            for i, (category, level) in enumerate(spec.qualifications)
        ],
        "services": [
            {"item_code": code, "time_limit_days": rng.randint(10, 25), "fee_reference": "按市场调节价,详见报价"}
            for code in spec.items
        ],
    }  # fmt: skip


def _register_agencies(market, people: People, tick, cast: Cast) -> None:
    for n, spec in enumerate(AGENCIES, start=1):
        tick()
        kind = "12" if spec.kind == "public_institution" else "91"
        uscc = people.credit_code(kind, spec.district)
        profile = _profile(spec, n, people)
        applicant = Actor(f"agency{n:02d}-user", Role.AGENCY)
        agency_id = UUID(market.register_agency(uscc, profile, by=applicant)["agency_id"])
        actor = Actor(applicant.id, Role.AGENCY, str(agency_id))
        cast.agencies.append(AgencyCast(spec, agency_id, uscc, actor, profile))


def review_agencies(market, tick: Callable[[], datetime], cast: Cast) -> None:
    """The operator's formal check (≤ 2 w.d., 湘政办发〔2020〕46号), then changes and sanctions."""
    for agency in cast.agencies:
        fate = agency.spec.fate
        tick()
        if fate == "pending":
            continue
        if fate in ("returned", "resubmitted"):
            market.return_agency(agency.id, ["营业执照副本扫描件不清晰", "未提供从业人员社保缴纳证明"], by=OPERATOR)
            if fate == "returned":
                continue
            tick()
            market.resubmit_agency(agency.id, agency.profile, by=agency.actor)
        market.admit_agency(agency.id, by=OPERATOR)
    first = cast.agencies[0]
    tick()
    market.submit_agency_change(first.id, {"phone": "0731-85550101"}, by=first.actor)
    tick()
    market.approve_agency_change(first.id, by=OPERATOR)
    for agency in cast.agencies:
        fate = agency.spec.fate
        now = tick()
        if fate == "change_pending":
            market.submit_agency_change(agency.id, {"address": "长沙市雨花区万家丽中路二段88号"}, by=agency.actor)
        elif fate == "suspended":
            market.suspend_agency(
                agency.id, until=now + timedelta(days=180), reason="出具的报告存在重大质量问题,暂停承接业务六个月",
                by=REGULATOR,
            )  # fmt: skip
        elif fate == "expelled":
            market.expel_agency(agency.id, "串通报价,经查实列入中介超市黑名单", by=REGULATOR)
        elif fate == "exited":
            market.exit_agency(agency.id, "公司业务调整,申请退出中介超市", by=agency.actor)

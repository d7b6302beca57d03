"""Test data builders: a small market with a department, an item, an owner and agencies."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.base import Actor, Role, make_credit_code
from market.clock import SHANGHAI
from market.identity import make_id_number

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
OPERATOR = Actor("op-1", Role.OPERATOR)
REGULATOR = Actor("reg-1", Role.REGULATOR)
SYSTEM = Actor.system()


def uscc(n: int, prefix: str = "91430100") -> str:
    return make_credit_code(f"{prefix}{n:09d}"[:17])


def id_number(n: int) -> str:
    return make_id_number(f"43010219800101{n:03d}"[:17])


def agency_profile(n: int, *, items: list[str] = ("HP-01",), level: str = "甲级", valid_until: str = "2030-12-31", category: str = "环境影响评价") -> dict[str, Any]:
    return {
        "name": f"湖南第{n}环境咨询有限公司",
        "agency_type": "enterprise",
        "region": "430100",
        "address": f"长沙市岳麓区麓谷大道{n}号",
        "phone": f"0731-8{n:07d}",
        "email": f"agency{n}@example.cn",
        "legal_representative": {"name": f"法人{n}", "id_number": id_number(n)},
        "shareholders": [{"kind": "person", "name": f"股东{n}", "id_number": id_number(n + 500), "share": "100"}],
        "practitioners": [{"name": f"工程师{n}", "id_number": id_number(n + 300), "certificate_no": f"HP{n:05d}"}],
        "qualifications": [{"category": category, "level": level, "certificate_no": f"Q{n:05d}", "valid_until": valid_until}],
        "services": [{"item_code": code, "time_limit_days": 20, "fee_reference": "按市场价"} for code in items],
    }


def notice(item: str = "HP-01", *, method: str = "lowest_price", fund: str = "state", opens: datetime = T0,
           closes: datetime | None = None, selection: datetime | None = None, **extra: Any) -> dict[str, Any]:
    closes = closes or opens + timedelta(days=3)
    body = {
        "project_code": "2026-430100-77-01-000001",
        "project_name": "长沙某产业园建设项目",
        "total_investment": "120000000",
        "service_item_code": item,
        "region": "430100",
        "fund_source": fund,
        "budget": {"kind": "range", "min": "10000", "max": "50000"},
        "service_time_limit_days": 20,
        "method": method,
        "method_params": {"justification": "应急抢险,经集体研究直接选取"} if method == "direct" else {},
        "signup_opens_at": opens,
        "signup_closes_at": closes,
        "selection_at": selection or closes,
    }
    body.update(extra)
    return body


def stored_as_version_1(market, aggregate_id: Any, event_name: str, *added: str) -> Any:
    """The aggregate's stored ``event_name`` as version 1 of its class stored it: without the
    fields version 2 added, and without a class version (tests of upcasting)."""
    (stored,) = [s for s in market.recorder.select_events(aggregate_id) if s.topic.endswith(f".{event_name}")]
    transcoder = market.mapper.transcoder
    state = transcoder.decode(stored.state)
    for name in (*added, "class_version"):
        del state[name]
    return replace(stored, state=transcoder.encode(state))


class World:
    """A market seeded with one department, one catalogue item, one owner."""

    def __init__(self, market) -> None:
        self.market = market
        m = market
        self.department_id = UUID(m.establish_department("HB", "长沙市生态环境局", "approving_department", "430100", by=OPERATOR)["department_id"])
        m.define_service_item(
            "HP-01", "环境影响评价报告编制", "建设项目环境影响评价文件审批", self.department_id,
            {"mode": "all", "qualifications": [{"category": "环境影响评价", "min_level": "乙级"}]}, by=OPERATOR,
        )
        owner_uscc = uscc(1, "11430100")
        self.owner_id = UUID(m.register_owner(owner_uscc, "长沙市某区城投公司", "state_owned", "430100",
                                              {"account": "owner-admin", "name": "张管理"}, by=OPERATOR)["owner_id"])
        self.owner = Actor("owner-admin", Role.OWNER_ADMIN, str(self.owner_id))

    def admitted_agency(self, n: int, **profile_kw: Any) -> tuple[UUID, Actor]:
        m = self.market
        code = uscc(n)
        applicant = Actor(f"agency-user-{n}", Role.AGENCY, None)
        agency_id = UUID(m.register_agency(code, agency_profile(n, **profile_kw), by=applicant)["agency_id"])
        m.admit_agency(agency_id, by=OPERATOR)
        return agency_id, Actor(f"agency-user-{n}", Role.AGENCY, str(agency_id))

    def open_procurement(self, **notice_kw: Any) -> UUID:
        m = self.market
        pid = UUID(m.draft_procurement(self.owner_id, notice(**notice_kw), by=self.owner)["procurement_id"])
        m.submit_procurement(pid, by=self.owner)
        m.publish_procurement(pid, by=OPERATOR)
        return pid

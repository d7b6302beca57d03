"""The demo's credit (信用) stage: a few agencies with records, so the directory shows more than grade A.

At the demo's "now", the 管理机构 confirms violations against two winners of closed
procurements, each from a verified complaint (投诉举报) entered as a flag so that a case
can be opened from it, and the approving department rates their services. One ends with
grade B and a three-month suspension (two bad records, 惠州 [19]); the other, on the
信用中国 blacklist as well, with grade C and expelled. A third agency gets a warning.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.base import Actor, Role
from domain.procurement import Procurement
from domain.supervision import Finding, Severity
from market.clock import FixedClock
from market.demo.cases import Case
from market.demo.registry import REGULATOR

# (violation code, what the complaint said), per agency; the points are the catalogue's (domain.md §8).
RECORDS = (
    (("V05", "成果提交超过合同时限10个工作日以上"), ("V01", "中选后未按时签订合同")),
    (("V08", "被列入信用中国严重失信主体名单"), ("V02", "超出合同约定收取编制费"), ("V01", "中选后放弃中选结果"),
     ("V03", "未按合同约定派驻项目负责人"), ("V07", "合同未载明服务时限和收费标准")),
)  # fmt: skip
DEPARTMENT_SCORES = ({"quality": 55, "timeliness": 45}, {"quality": 30, "timeliness": 35})


def stage_credit(market, clock: FixedClock, start: datetime, cases: list[Case]) -> None:
    """Records against the winners of the first closed procurements with distinct winners, one a minute
    from ``start`` (the last day's end of business: after every procurement step)."""
    clock.set(start)
    tick = lambda: clock.advance(timedelta(minutes=1))  # noqa: E731
    closed: dict[str, Procurement] = {}
    for case in (r for c in cases for r in c.all_rounds()):
        p = market.load(case.pid, Procurement)
        if p.status_code == "closed" and p.winner_id not in closed:
            closed[p.winner_id] = p
    winners = list(closed.items())[: len(RECORDS) + 1]
    for (agency_id, p), records, scores in zip(winners, RECORDS, DEPARTMENT_SCORES):
        department = Actor("dept-demo", Role.DEPARTMENT, str(p.notice["department_id"]))
        market.rate_service(p.id, scores, by=department)
        for code, complaint in records:
            tick()
            _confirm(market, agency_id, p, code, complaint)
        tick()
    if len(winners) > len(RECORDS):
        market.impose_sanction(winners[-1][0], "warning", reason="多次未按时上传合同,予以警告", by=REGULATOR)


def _confirm(market, agency_id: str, p: Procurement, code: str, complaint: str) -> dict[str, Any]:
    finding = Finding(
        key=f"{p.id}|{agency_id}|{code}", scope=f"procurement:{p.id}", severity=Severity.HIGH,
        subjects={"agency_id": agency_id, "procurement_id": str(p.id), "service_item": p.notice["service_item_code"]},
        figures={"complaint": complaint},
    )  # fmt: skip
    flag_id = market.record_finding("COMPLAINT", "demo-1", {}, finding)["flag_id"]
    case_id = market.open_case(flag_id, by=REGULATOR)["case_id"]
    market.add_case_note(case_id, f"核查属实:{complaint}", by=REGULATOR)
    return market.confirm_case(case_id, [complaint], code, by=REGULATOR)

"""What the demo built, read back from the market, with a Chinese summary table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table

from domain.procurement.status import ProcurementStatus
from domain.selection import METHODS

AGENCY_STANDINGS = {
    "admitted": "已入驻", "pending_review": "待审核", "returned": "已退回", "change_pending": "变更待审核",
    "suspended": "暂停中", "expelled": "已清退", "exited": "已退出",
}  # fmt: skip
FUNDS = {"state": "财政/国有资金", "social": "社会资金"}
# What the demo's selection results and objections show (each is checked by the tests).
SELECTION_FEATURES = {
    "random_draw": "随机抽取 random draw",
    "coefficient_draw": "合理价下浮系数抽取 reasonable-price coefficient drawn",
    "lowest_price_tie": "最低价同价抽签 lowest-price tie drawn",
    "short_list_draw": "信用择优小名单加权抽取 weighted short-list draw",
    "owner_pick": "业主从小名单选定 owner's pick from the short list",
    "proposal_scored": "方案择优评分 proposals scored by declared evaluators",
    "too_few_bidders": "报名不足流标 failed, too few sign-ups",
    "objection_upheld": "质疑成立 objection upheld",
    "objection_dismissed": "质疑不成立 objection dismissed",
    "objection_pending": "质疑待处理 objection pending",
}


def selection_features(result: dict | None, objections: dict[str, dict]) -> list[str]:
    """The SELECTION_FEATURES one procurement shows: its latest selection result and its objections."""
    out = []
    if result is not None:
        o = result["outcome"]
        ops = {step["op"] for step in o["transcript"]}
        selected = o["status"] == "selected"
        out += [key for key, shown in (
            ("random_draw", selected and o["method"] == "random"),
            ("coefficient_draw", selected and o["method"] == "reasonable_price"),
            ("lowest_price_tie", selected and o["method"] == "lowest_price" and "draw" in ops),
            ("short_list_draw", o["method"] == "credit_merit" and "weighted_draw" in ops),
            ("owner_pick", "owner_pick" in (o["figures"] or {})),
            ("proposal_scored", selected and o["method"] == "proposal_scoring"),
            ("too_few_bidders", o["failure_reason"] == "too_few_bidders"),
        ) if shown]  # fmt: skip
    for objection in objections.values():
        decision = objection["decision"]
        out.append("objection_pending" if decision is None else
                   "objection_upheld" if decision["upheld"] else "objection_dismissed")  # fmt: skip
    return out


@dataclass(frozen=True)
class DemoProcurement:
    id: str
    project_name: str
    item: str
    owner: str
    status: str
    method: str
    fund_source: str
    round_no: int
    previous_id: str | None  # the failed round this one republishes (重新采购)


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    started_at: datetime  # business time of the first event
    now: datetime  # business time the demo ends at (the clock is left there)
    procurements: tuple[DemoProcurement, ...]
    agencies: dict[str, int]  # by standing (AGENCY_STANDINGS)
    owners: int
    delegates: int
    service_items: int
    departments: int  # approving departments and affiliated units
    events: int  # everything in the event store, the calendar's included
    selections: dict[str, int]  # by SELECTION_FEATURES: draws, picks, scores, failures, objections
    credit_grades: dict[str, int] = field(default_factory=dict)  # agencies by credit grade (信用等级) at "now"

    @property
    def by_status(self) -> dict[str, int]:
        """Counts per procurement status, in the order of the state table."""
        counts = Counter(p.status for p in self.procurements)
        return {s.value: counts[s.value] for s in ProcurementStatus if counts[s.value]}

    @property
    def by_method(self) -> dict[str, int]:
        counts = Counter(p.method for p in self.procurements)
        return {code: counts[code] for code in METHODS if counts[code]}

    @property
    def by_fund(self) -> dict[str, int]:
        return dict(sorted(Counter(p.fund_source for p in self.procurements).items()))

    @property
    def agency_count(self) -> int:
        return sum(self.agencies.values())

    def example(self, status: str, method: str | None = None) -> DemoProcurement | None:
        return next(
            (p for p in self.procurements if p.status == status and (method is None or p.method == method)), None
        )

    def render(self) -> RenderableType:
        """Tables for the console: overview, procurements by status and by method, example ids."""
        overview = Table(title=f"中介超市演示数据 Demo market (seed {self.seed})", show_header=False)
        overview.add_column("项目 Item")
        overview.add_column("数量 Count", justify="right")
        overview.add_row("业务时间 Business time", f"{self.started_at:%Y-%m-%d} → {self.now:%Y-%m-%d %H:%M}")
        overview.add_row("审批部门及所属单位 Departments and units", str(self.departments))
        overview.add_row("中介服务事项 Service items", str(self.service_items))
        overview.add_row("项目业主 Owners (经办人 delegates)", f"{self.owners} ({self.delegates})")
        overview.add_row("中介机构 Agencies", str(self.agency_count))
        for standing, count in self.agencies.items():
            if count:
                overview.add_row(f"  {AGENCY_STANDINGS[standing]} {standing}", str(count))
        for grade, count in self.credit_grades.items():
            overview.add_row(f"  信用等级 credit grade {grade}", str(count))
        overview.add_row("采购需求 Procurements", str(len(self.procurements)))
        for fund, count in self.by_fund.items():
            overview.add_row(f"  {FUNDS[fund]} {fund} funds", str(count))
        overview.add_row("事件 Events stored", str(self.events))

        statuses = Table(title="采购需求状态 Procurements by status")
        for column in ("状态 Status", "中文", "数量 Count", "示例 Example id"):
            statuses.add_column(column, justify="right" if column.startswith("数量") else "left")
        for status, count in self.by_status.items():
            sample = self.example(status)
            statuses.add_row(status, ProcurementStatus(status).label, str(count), sample.id if sample else "")

        methods = Table(title="选取方式 Selection methods")
        methods.add_column("方式 Method")
        methods.add_column("中文")
        methods.add_column("数量 Count", justify="right")
        for code, count in self.by_method.items():
            methods.add_row(code, METHODS[code].zh, str(count))

        features = Table(title="选取结果与质疑 Selection results and objections")
        features.add_column("内容 What")
        features.add_column("数量 Count", justify="right")
        for key, count in self.selections.items():
            features.add_row(SELECTION_FEATURES[key], str(count))
        return Group(overview, statuses, methods, features)

"""What the demo built, read back from the market, with a Chinese summary table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
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
        return Group(overview, statuses, methods)

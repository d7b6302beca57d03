"""How the public pages write times, money and codes: Beijing time, yuan with thousands
separators, and the Chinese label of every code a page shows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from domain.procurement.status import LABELS, ProcurementStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the platform's business time zone (UTC+8, no daylight saving)
NOTHING = "—"

METHODS = {
    "direct": "直接选取", "random": "随机抽取", "lowest_price": "竞价选取(最低价)",
    "reasonable_price": "竞价选取(最优价)", "credit_merit": "信用择优", "proposal_scoring": "方案择优",
}  # fmt: skip
FUND_SOURCES = {"state": "财政性资金/国有资金", "social": "社会资金"}
OUTCOMES = {"selected": "中选", "shortlisted": "待业主择定", "failed": "流标", "annulled": "已撤销(质疑成立)"}
FAILURE_REASONS = {"too_few_bidders": "有效报名或报价不足", "objection_upheld": "质疑成立"}
VOID_REASONS = {  # ProZorro's cancellation reasons (domain.md §4.1)
    "noDemand": "采购需求取消", "unFixable": "存在无法更正的问题", "forceMajeure": "不可抗力",
    "expensesCut": "资金削减", "noOffer": "无人响应",
}  # fmt: skip
AGENCY_TYPES = {
    "enterprise": "企业法人", "public_institution": "事业单位", "social_organisation": "社会组织",
    "partnership": "合伙企业", "sole_trader": "个体工商户",
}  # fmt: skip
AGENCY_STATUSES = {"admitted": "已入驻", "expelled": "已清退", "exited": "已退出"}


def local_time(moment: datetime | str | None) -> str:
    """2026-05-21 18:00 (北京时间)."""
    if moment is None or moment == "":
        return NOTHING
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:  # the read models store UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def deadline(moment: datetime | str | None) -> str:
    """A deadline at midnight reads as 24:00 of the day before: "N working days after T" ends at
    24:00 of the N-th working day (《民法典》第二百零一、二百零三条), which is what people expect to see."""
    text = local_time(moment)
    if text.endswith(" 00:00"):
        day = datetime.strptime(text[:10], "%Y-%m-%d").toordinal() - 1
        return f"{datetime.fromordinal(day):%Y-%m-%d} 24:00"
    return text


def yuan(amount: Any) -> str:
    """41000 → ¥41,000.00."""
    if amount is None or amount == "":
        return NOTHING
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return f"¥{value:,.2f}"


def budget(raw: dict[str, Any] | None) -> str:
    """A notice's budget: fixed price, ceiling and floor, or to be agreed."""
    raw = raw or {}
    if raw.get("kind") == "fixed":
        return f"{yuan(raw.get('amount'))}(固定价)"
    if raw.get("kind") == "range":
        floor = f"最低限价 {yuan(raw['min'])}," if Decimal(str(raw.get("min") or 0)) > 0 else ""
        return f"{floor}最高限价 {yuan(raw.get('max'))}"
    return "待定"


def status_label(status: str | None) -> str:
    try:
        return LABELS[ProcurementStatus(status)]
    except ValueError:
        return status or NOTHING


def label(table: dict[str, str], code: str | None) -> str:
    return table.get(code or "", code or NOTHING)


FILTERS = {
    "local_time": local_time, "deadline": deadline, "yuan": yuan, "budget": budget, "status_label": status_label,
    "method": lambda c: label(METHODS, c), "fund": lambda c: label(FUND_SOURCES, c),
    "outcome": lambda c: label(OUTCOMES, c), "failure": lambda c: label(FAILURE_REASONS, c),
    "void_reason": lambda c: label(VOID_REASONS, c), "agency_type": lambda c: label(AGENCY_TYPES, c),
    "agency_status": lambda c: label(AGENCY_STATUSES, c),
}  # fmt: skip

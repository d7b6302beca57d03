"""The content of a 选取公告 (selection notice) and its validation.

Fields follow real notices (广东、海州区): project code and name, total
investment, the approval matter and department the service is for, fund
source, amount, service time limit, qualification requirements, avoided
agencies with reasons, selection method and its parameters, sign-up window
and selection time.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Any

from domain.base import require_aware, require_text
from domain.errors import InvalidInput
from domain.procurement.errors import ForbiddenClause, JustificationRequired
from domain.qualifications import normalise_requirement

CENT = Decimal("0.01")


class FundSource(Enum):
    STATE = "state"  # 财政性资金 / 国有资金
    SOCIAL = "social"  # 社会资金


class BudgetKind(Enum):
    FIXED = "fixed"  # 固定价
    RANGE = "range"  # 最高限价/最低限价
    TBD = "tbd"  # 待定 (not priceable in advance)


METHODS = ("direct", "random", "lowest_price", "reasonable_price", "credit_merit", "proposal_scoring")
PRICE_METHODS = ("lowest_price", "reasonable_price", "proposal_scoring")
# The owner acts at 选取时间 for these (designation, scoring); the platform runs the others.
OWNER_RUN_METHODS = ("direct", "proposal_scoring")

# 非禁即入 and the 限额管理 ban (国办发〔2015〕31号): a notice may not restrict
# region, ownership or the number of agencies (brief §6 rule 5).
_FORBIDDEN = re.compile(r"(限本地|本地注册|限于本[市省县区]|仅限.{0,6}(国有|本地|市内|省内)|限.{0,4}家以内|入库.{0,4}家)")


def money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise InvalidInput(field=field, detail=value) from None
    if amount < 0:
        raise InvalidInput(field=field, detail=value)
    return amount


def _budget(raw: dict[str, Any] | None) -> dict[str, Any]:
    raw = raw or {}
    try:
        kind = BudgetKind(raw.get("kind")).value
    except ValueError:
        raise InvalidInput(field="budget.kind", detail=raw.get("kind")) from None
    if kind == "fixed":
        return {"kind": kind, "amount": str(money(raw.get("amount"), "budget.amount"))}
    if kind == "range":
        low, high = money(raw.get("min", 0), "budget.min"), money(raw.get("max"), "budget.max")
        if high <= 0 or low > high:
            raise InvalidInput(field="budget.max", detail=f"{low}–{high}")
        return {"kind": kind, "min": str(low), "max": str(high)}
    return {"kind": kind}


def _avoided(raw: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    return [
        {"agency_id": require_text(a.get("agency_id"), "avoided.agency_id"),
         "reason": require_text(a.get("reason"), "avoided.reason")}
        for a in raw or []
    ]  # fmt: skip


def validate_notice(raw: dict[str, Any]) -> dict[str, Any]:
    """Normalise a notice, or raise the first fault found."""
    method = raw.get("method")
    if method not in METHODS:
        raise InvalidInput(field="method", detail=method)
    try:
        fund_source = FundSource(raw.get("fund_source")).value
    except ValueError:
        raise InvalidInput(field="fund_source", detail=raw.get("fund_source")) from None
    opens = require_aware(_time(raw, "signup_opens_at"), "signup_opens_at")
    closes = require_aware(_time(raw, "signup_closes_at"), "signup_closes_at")
    selection_at = require_aware(_time(raw, "selection_at"), "selection_at")
    if closes <= opens:
        raise InvalidInput(field="signup_closes_at", detail="must be after signup_opens_at")
    if selection_at < closes:
        raise InvalidInput(field="selection_at", detail="must not be before signup_closes_at")
    days = raw.get("service_time_limit_days")
    if not isinstance(days, int) or days <= 0:
        raise InvalidInput(field="service_time_limit_days", detail=days)
    params = dict(raw.get("method_params") or {})
    if method == "direct" and not str(params.get("justification") or "").strip():
        raise JustificationRequired(field="method_params.justification")
    description = str(raw.get("description") or "")
    if match := _FORBIDDEN.search(description):
        raise ForbiddenClause(field="description", detail=match.group(0))
    investment = raw.get("total_investment")
    return {
        "project_code": require_text(raw.get("project_code"), "project_code"),
        "project_name": require_text(raw.get("project_name"), "project_name"),
        "total_investment": None if investment in (None, "") else str(money(investment, "total_investment")),
        "service_item_code": require_text(raw.get("service_item_code"), "service_item_code"),
        "approval_matter": require_text(raw.get("approval_matter"), "approval_matter"),
        "department_id": require_text(raw.get("department_id"), "department_id"),
        "region": require_text(raw.get("region"), "region"),
        "fund_source": fund_source,
        "budget": _budget(raw.get("budget")),
        "service_time_limit_days": days,
        "requirement": normalise_requirement(raw.get("requirement")),
        "avoided": _avoided(raw.get("avoided")),
        "method": method,
        "method_params": params,
        "signup_opens_at": opens,
        "signup_closes_at": closes,
        "selection_at": selection_at,
        "description": description,
    }


def _time(raw: dict[str, Any], field: str) -> datetime:
    value = raw.get(field)
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(field=field, detail=value) from None


def resolve_quote(quote: dict[str, Any] | None, budget: dict[str, Any]) -> dict[str, Any] | None:
    """A quote is an amount, or a 下浮率 r applied to the budget: price = base × (1 − r)."""
    if not quote:
        return None
    kind = quote.get("kind", "amount")
    if kind == "amount":
        return {"kind": kind, "value": str(money(quote.get("value"), "quote.value")),
                "price": str(money(quote.get("value"), "quote.value"))}  # fmt: skip
    if kind == "discount_rate":
        try:
            rate = Decimal(str(quote.get("value")))
        except InvalidOperation:
            raise InvalidInput(field="quote.value", detail=quote.get("value")) from None
        if not Decimal(0) <= rate < Decimal(1):
            raise InvalidInput(field="quote.value", detail="a discount rate is in [0, 1)")
        base = budget.get("max") or budget.get("amount")
        if base is None:
            raise InvalidInput(field="quote.kind", detail="a discount needs a fixed or maximum price")
        price = (Decimal(base) * (1 - rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        return {"kind": kind, "value": str(rate), "price": str(price)}
    raise InvalidInput(field="quote.kind", detail=kind)

"""监管参数与选取规则: the flag thresholds and the selection rule sets in force, changed only by
events (``ThresholdsChanged``, ``RuleSetAdopted``), with the history of every change. The domain
decides who may change what (thresholds: 管理机构; rule sets: 管理机构 or 运营机构)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.datastructures import FormData

from admin.session import AnyUser, CsrfChecked
from admin.templating import SHANGHAI
from admin.web import back, command, market, page
from domain.errors import NotFound
from domain.rulebook import RuleBook
from domain.supervision import DEFAULTS, SupervisionSettings
from market.audit import Sealing, event_view

router = APIRouter(prefix="/admin/parameters")
TIMETABLE_NAMES = {"publicity": "公示期", "contract": "签约期限", "acceptance": "签收期限", "evaluation": "评价期限"}


def _history(request: Request, aggregate_id, names: tuple[str, ...]) -> list[dict]:
    m = market(request)
    try:
        events = m.history(aggregate_id)
    except NotFound:
        return []
    sealing = Sealing(m)
    return [event_view(e, sealing) for e in reversed(events) if type(e).__name__ in names]


@router.get("")
def parameters(request: Request, user: AnyUser):
    """参数与规则: what is in force and every change."""
    m = market(request)
    rules, timetable = m.rules_in_force()
    return page(request, "parameters.html", thresholds=m.thresholds(), defaults=DEFAULTS,
                threshold_history=_history(request, SupervisionSettings.create_id(m.region), ("ThresholdsChanged",)),
                rules=rules, timetable=timetable, timetable_names=TIMETABLE_NAMES,
                rule_history=_history(request, RuleBook.create_id(m.region), ("RuleSetAdopted",)))  # fmt: skip


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


async def _form(request: Request) -> FormData:
    """The whole form: the threshold fields are named after the thresholds in force (``t_<name>``)."""
    return await request.form()


@router.post("/thresholds", dependencies=[CsrfChecked])
def change_thresholds(request: Request, user: AnyUser, form: Annotated[FormData, Depends(_form)]):
    """调整预警阈值 (only the changed values are sent; the event keeps the old ones beside them).

    A plain ``def``: the market blocks, so FastAPI runs this in its thread pool; only reading
    the form, in the dependency, awaits."""
    current = market(request).thresholds()
    changes = {}
    try:
        for name in DEFAULTS:
            raw = str(form.get(f"t_{name}", "")).strip()
            if raw and _number(raw) != current[name]:
                changes[name] = _number(raw)
    except ValueError:
        return back("/admin/parameters", "阈值须为数字。", "error")
    reason = str(form.get("reason", ""))[:500]
    _, error = command(request, user, "change_thresholds", changes, reason=reason)
    return back("/admin/parameters", error or f"已调整 {len(changes)} 项阈值。", "error" if error else "ok")


@router.post("/rule-sets", dependencies=[CsrfChecked])
def adopt_rule_set(
    request: Request, user: AnyUser, version: Annotated[str, Form(min_length=1, max_length=64)],
    effective_from: Annotated[str, Form(max_length=40)], reason: Annotated[str, Form(max_length=500)],
    publicity: Annotated[int, Form(ge=1, le=365)], contract: Annotated[int, Form(ge=1, le=365)],
    acceptance: Annotated[int, Form(ge=1, le=365)], evaluation: Annotated[int, Form(ge=1, le=365)],
    rules: Annotated[str, Form(max_length=20_000)] = "",
):  # fmt: skip
    """发布选取规则版本: new notices follow the version in force; published ones keep theirs."""
    try:
        start = datetime.fromisoformat(effective_from)
        changed_rules = json.loads(rules) if rules.strip() else {}
    except ValueError:
        return back("/admin/parameters", "生效时间或规则(JSON)格式不正确。", "error")
    if not isinstance(changed_rules, dict):
        return back("/admin/parameters", "规则须为 JSON 对象。", "error")
    start = start if start.tzinfo else start.replace(tzinfo=SHANGHAI)
    timetable = {"publicity": publicity, "contract": contract, "acceptance": acceptance, "evaluation": evaluation}
    _, error = command(request, user, "adopt_rule_set", version.strip(), effective_from=start, rules=changed_rules,
                       timetable=timetable, reason=reason.strip())  # fmt: skip
    return back("/admin/parameters", error or f"已发布规则版本 {version.strip()}。", "error" if error else "ok")



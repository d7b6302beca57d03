"""监管审计 (regulators): an object's event history, its state at any version or time, the
difference between two versions, and the global event log by position. Read from the event
store; sealed quotes, draw secrets and password hashes stay hidden (``api/audit.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.audit import Sealing, diff, event_view, state_view, version_at
from api.auth import RegulatorActor
from api.deps import AggregateId, Market
from api.errors import responses
from api.schemas.common import Moment, QueryInt
from api.schemas.views import AggregateDiff, AggregateState, AuditEvent, LogPage
from domain.errors import InvalidInput, NotFound

router = APIRouter(prefix="/api/regulator", tags=["监管审计 audit"], responses=responses(401, 403, 404, 422))


def _version(events: list[Any], version: int, field: str) -> int:
    if version > events[-1].originator_version:
        raise NotFound(field=field, detail=f"the latest version is {events[-1].originator_version}")
    return version


@router.get("/aggregates/{aggregate_id}/events", response_model=list[AuditEvent], summary="对象的事件历史")
def events(aggregate_id: AggregateId, actor: RegulatorActor, market: Market) -> Any:
    """一个对象的全部事件:时间、操作人、角色、事件、数据,旧的在前."""
    sealing = Sealing(market)
    return [event_view(e, sealing) for e in market.history(aggregate_id)]


@router.get("/aggregates/{aggregate_id}/state", response_model=AggregateState, summary="对象在某版本或某时的状态")
def state(
    aggregate_id: AggregateId, actor: RegulatorActor, market: Market,
    version: Annotated[QueryInt | None, Query(ge=1, le=2**31, description="版本号(从 1 开始)")] = None,
    at: Annotated[Moment | None, Query(description="时间(含时区):该时刻的状态")] = None,
) -> Any:  # fmt: skip
    """由事件重建的对象状态:指定版本 version,或时刻 at;都不指定则为最新状态."""
    if version is not None and at is not None:
        raise InvalidInput(field="at", detail="give version or at, not both")
    history = market.history(aggregate_id)
    if at is not None:
        chosen = version_at(history, at)
    elif version is not None:
        chosen = _version(history, version, "version")
    else:
        chosen = history[-1].originator_version
    return state_view(market, aggregate_id, chosen, Sealing(market))


@router.get("/aggregates/{aggregate_id}/diff", response_model=AggregateDiff, summary="两个版本之间的差异")
def changes(
    aggregate_id: AggregateId, actor: RegulatorActor, market: Market,
    from_: Annotated[QueryInt, Query(alias="from", ge=1, le=2**31, description="起始版本")],
    to: Annotated[QueryInt, Query(ge=1, le=2**31, description="结束版本")],
) -> Any:  # fmt: skip
    """两个版本之间变化的字段及新旧值."""
    history = market.history(aggregate_id)
    sealing = Sealing(market)
    before = state_view(market, aggregate_id, _version(history, from_, "from"), sealing)
    after = state_view(market, aggregate_id, _version(history, to, "to"), sealing)
    return {"aggregate_id": str(aggregate_id), "from_version": from_, "to_version": to,
            "changes": diff(before["state"], after["state"])}  # fmt: skip


@router.get("/events", response_model=LogPage, responses=responses(), summary="全局事件日志")
def log(
    actor: RegulatorActor, market: Market,
    after: Annotated[QueryInt, Query(ge=0, le=2**62, description="游标:上一页的 next_after,首次为 0")] = 0,
    limit: Annotated[QueryInt, Query(ge=1, le=1000, description="每页条数")] = 100,
) -> Any:  # fmt: skip
    """按全局位置排序的全部事件,按 next_after 翻页."""
    notifications = market.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
    sealing = Sealing(market)
    items = []
    for n in notifications:
        try:
            event = market.mapper.to_domain_event(n)
        except Exception:  # a topic no code knows any more: show where it is, not its data
            items.append({"position": n.id, "aggregate_id": str(n.originator_id), "aggregate": n.topic,
                          "version": n.originator_version, "event": n.topic, "at": "", "data": {}})  # fmt: skip
            continue
        items.append(event_view(event, sealing, position=n.id))
    return {"items": items, "next_after": notifications[-1].id if notifications else after}

"""What routes get injected: the market, a read-model connection, the idempotency key.

Reads follow writes through the projection runner. A write answers with the
log position it reached (``X-Event-Position``); a read that sends it back as
``X-Consistent-After`` waits (briefly) until every read model has caught up
with it, so a client can read its own writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header, Path, Request, Response
from sqlalchemy import Connection

from api.schemas.common import QueryInt
from domain.base import Actor

READ_WAIT_SECONDS = 5.0


def get_market(request: Request):
    return request.app.state.market


def read_connection(
    request: Request,
    consistent_after: Annotated[QueryInt | None, Header(
        alias="X-Consistent-After", ge=0, le=2**62, description="等读模型追上这个事件位置后再读(写操作返回的 X-Event-Position)",
    )] = None,  # fmt: skip
) -> Iterator[Connection]:
    runner = request.app.state.runner
    if consistent_after and runner is not None:
        head = request.app.state.read_models.head()
        try:
            runner.wait_until_caught_up(min(consistent_after, head), timeout=READ_WAIT_SECONDS)
        except TimeoutError:
            pass  # answer with what is there; the client can ask again
    with request.app.state.read_models.connect() as conn:
        yield conn


IdempotencyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$",
    description="幂等键:重复提交同一请求只执行一次,返回第一次的结果",
)]  # fmt: skip


def scoped_key(key: str | None, actor: Actor | None) -> str | None:
    """Idempotency keys are per account, so one client can never replay or block another's."""
    if key is None:
        return None
    return f"{actor.id if actor else 'public'}:{key}"


def written(request: Request, response: Response, result: Any) -> Any:
    """A write's answer, with the log position it reached (for ``X-Consistent-After``)."""
    response.headers["X-Event-Position"] = str(request.app.state.market.written_position())
    return result


Market = Annotated[Any, Depends(get_market)]
ProcurementId = Annotated[UUID, Path(description="采购需求编号")]
AgencyId = Annotated[UUID, Path(description="中介机构编号")]
AggregateId = Annotated[UUID, Path(description="对象编号(任一聚合:采购需求、中介机构、账号等)")]
Reads = Annotated[Connection, Depends(read_connection)]


def run(request: Request, response: Response, actor: Actor, key: str | None, command: str, *args: Any, **kw: Any) -> Any:
    """Issue one market command as ``actor``, with the caller's idempotency key; answer its result."""
    method = getattr(request.app.state.market, command)
    result = method(*args, by=actor, idempotency_key=scoped_key(key, actor), **kw)
    return written(request, response, result)

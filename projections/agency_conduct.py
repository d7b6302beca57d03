"""Agency conduct (履约行为, domain.md §8 violation catalogue): what a winner did with its award.

One row per awarded procurement: the winner, when the award came and when its
contract was due (the ``Awarded`` event's deadline), when the contract was
confirmed, whether the winner walked away before it (放弃中选: ``Terminated``
before ``ContractConfirmed``, V01), and every return of its deliverable
(``DeliverableRejected``, V04), each with its event as evidence. An engagement
the owner or operator voids is marked ended: no conduct of the agency's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Connection, Integer, String, Table, select

from domain.procurement import Procurement as P
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime
from projections.rows import Rows

AWARDS = Table(
    "rm_conduct_awards", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False), Column("service_item", String(32)), Column("region", String(12)),
    Column("agency_id", String(36), index=True),  # the winner, once awarded
    Column("status", String(10), nullable=False),  # open, contracted, abandoned, voided, ended
    Column("awarded_at", UTCDateTime), Column("contract_due_at", UTCDateTime), Column("contract_at", UTCDateTime),
    Column("abandoned_at", UTCDateTime, index=True), Column("rejections", Integer, nullable=False),
    Column("evidence", JSON, nullable=False),  # awarded, contract, abandoned, rejections: [...] → {position, …}
    Column("position", BigInteger, nullable=False, index=True),
)  # fmt: skip


def _evidence(rows: Rows, e: Any) -> dict[str, Any]:
    return {"position": rows.position, "aggregate_id": str(e.originator_id), "version": e.originator_version,
            "event": type(e).__name__}  # fmt: skip


class AgencyConduct(Projection):
    name = "agency_conduct"
    version = 1
    tables = (AWARDS,)
    preload = ((AWARDS, "procurement_id"),)

    def _step(self, rows: Rows, e: Any, step: str | None, **values: Any) -> None:
        row = rows.get(AWARDS, str(e.originator_id))
        if row is None:
            return
        evidence = dict(row["evidence"])
        if step == "rejections":
            evidence[step] = [*evidence.get(step, []), _evidence(rows, e)]
        elif step is not None:
            evidence[step] = _evidence(rows, e)
        rows.update(AWARDS, row["procurement_id"], evidence=evidence, position=rows.position, **values)

    @handles(P.Drafted, P.Amended)
    def noticed(self, e: Any, rows: Rows) -> None:
        n, pid = e.notice, str(e.originator_id)
        values = {"service_item": n.get("service_item_code"), "region": n.get("region")}
        if rows.get(AWARDS, pid) is None:
            rows.insert(AWARDS, procurement_id=pid, owner_id=e.owner_id, status="open", rejections=0, evidence={},
                        position=rows.position, **values)  # fmt: skip
        else:
            rows.update(AWARDS, pid, **values)

    @handles(P.Awarded)
    def awarded(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "awarded", agency_id=e.agency_id, awarded_at=e.at, contract_due_at=e.contract_due["at"])

    @handles(P.ContractConfirmed)
    def contracted(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "contract", contract_at=e.at, status="contracted")

    @handles(P.Terminated)
    def terminated(self, e: Any, rows: Rows) -> None:
        row = rows.get(AWARDS, str(e.originator_id))
        if row is None:
            return
        if row["contract_at"] is None:  # 放弃中选: walked away from the win before the contract
            self._step(rows, e, "abandoned", abandoned_at=e.at, status="abandoned", agency_id=e.agency_id)
        else:  # 中止服务 after the contract: not an abandoned win
            self._step(rows, e, "terminated", status="ended")

    @handles(P.Voided)
    def voided(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "voided", status="voided")

    @handles(P.DeliverableRejected)
    def returned(self, e: Any, rows: Rows) -> None:
        row = rows.get(AWARDS, str(e.originator_id))
        if row is not None:
            self._step(rows, e, "rejections", rejections=row["rejections"] + 1)


# --- queries ----------------------------------------------------------------------------


def _dicts(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


def awards(conn: Connection, *, after: int | None = None, upto: int | None = None) -> list[dict[str, Any]]:
    """Awarded engagements: all, or those changed at positions in (after, upto]."""
    a = AWARDS.c
    where = [a.agency_id.is_not(None)]
    if after is not None:
        where += [a.position > after, a.position <= upto]
    return _dicts(conn, select(AWARDS).where(*where).order_by(a.procurement_id))


def agencies(conn: Connection) -> list[str]:
    """Every agency that ever abandoned a win (the only agencies the rolling-window screen can find)."""
    a = AWARDS.c
    q = select(a.agency_id).where(a.abandoned_at.is_not(None)).distinct().order_by(a.agency_id)
    return list(conn.execute(q).scalars())


def abandonments(conn: Connection, agency_id: str, since: datetime) -> list[dict[str, Any]]:
    """The agency's wins it walked away from since ``since``, oldest first."""
    a = AWARDS.c
    q = select(AWARDS).where(a.agency_id == agency_id, a.abandoned_at >= since).order_by(a.abandoned_at)
    return _dicts(conn, q)

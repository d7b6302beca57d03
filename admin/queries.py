"""Reads the console needs beyond the read models' own query functions: free-text search,
severity order, counts for the dashboard, and names. Pure reads over the read models'
tables (the read models stay the only writers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, or_, select

from projections.agency_directory import AGENCIES, EVALUATIONS
from projections.procurement_search import PROCUREMENTS
from projections.stage_delays import DELAYS
from projections.supervision_flags import FLAGS

SEVERITY_RANK = case(
    {"critical": 0, "high": 1, "medium": 2, "low": 3}, value=FLAGS.c.severity, else_=4
)  # worst first


def flag_list(
    conn: Connection, *, code: str | None, severity: str | None, status: str | None, q: str | None,
    limit: int, offset: int,
) -> list[dict[str, Any]]:  # fmt: skip
    """Flags, the most severe and the newest first; ``q`` matches the code, scope or subjects."""
    f = FLAGS.c
    stmt = select(FLAGS)
    for column, value in ((f.code, code), (f.severity, severity), (f.status, status)):
        if value:
            stmt = stmt.where(column == value)
    if q:
        names = select(AGENCIES.c.agency_id).where(AGENCIES.c.name.contains(q))
        stmt = stmt.where(or_(f.code.contains(q.upper()), f.scope.contains(q), f.key.contains(q),
                              f.service_item == q, f.procurement_id == q, f.agency_id.in_(names)))  # fmt: skip
    stmt = stmt.order_by(SEVERITY_RANK, f.raised_at.desc(), f.flag_id).limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def open_flag_counts(conn: Connection) -> list[dict[str, Any]]:
    """Open flags by code and severity."""
    f = FLAGS.c
    stmt = (select(f.code, f.severity, func.count().label("n")).where(f.status == "open")
            .group_by(f.code, f.severity).order_by(f.code, f.severity))  # fmt: skip
    return [dict(r._mapping) for r in conn.execute(stmt)]


def agency_names(conn: Connection, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    rows = conn.execute(select(AGENCIES.c.agency_id, AGENCIES.c.name).where(AGENCIES.c.agency_id.in_(wanted)))
    return {r.agency_id: r.name for r in rows}


def overdue(conn: Connection, now: datetime, *, limit: int = 20) -> list[dict[str, Any]]:
    """Services past their due time and not delivered, the longest overdue first."""
    d = DELAYS.c
    stmt = (select(DELAYS).where(d.status == "open", d.service_due_at < now, d.delivered_at.is_(None))
            .order_by(d.service_due_at).limit(limit))  # fmt: skip
    return [dict(r._mapping) for r in conn.execute(stmt)]


def procurement_list(conn: Connection, *, q: str | None, status: str | None, limit: int, offset: int) -> list[dict]:
    p = PROCUREMENTS.c
    stmt = select(PROCUREMENTS)
    if status:
        stmt = stmt.where(p.status == status)
    if q:
        stmt = stmt.where(or_(p.project_name.contains(q), p.project_code.contains(q), p.procurement_id == q))
    stmt = stmt.order_by(p.drafted_at.desc(), p.procurement_id).limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def evaluations_of(conn: Connection, agency_id: str) -> list[dict[str, Any]]:
    e = EVALUATIONS.c
    stmt = select(EVALUATIONS).where(e.agency_id == str(agency_id)).order_by(e.at.desc())
    return [dict(r._mapping) for r in conn.execute(stmt)]

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


def review_queue(conn: Connection, *, kind: str | None, q: str | None, limit: int, offset: int) -> list[dict]:
    """What awaits the operator, oldest first; ``q`` matches the title, the USCC or the item code."""
    from projections.operator_queues import KINDS, QUEUE

    c = QUEUE.c
    stmt = select(QUEUE).where(c.waiting.is_(True))
    if kind:
        stmt = stmt.where(c.kind == kind)
    if q:
        stmt = stmt.where(or_(c.title.contains(q), c.uscc == q.upper(), c.item_code == q, c.subject_id == q))
    stmt = stmt.order_by(c.submitted_at, c.kind, c.subject_id).limit(limit).offset(offset)
    return [{**dict(r._mapping), "kind_label": KINDS[r.kind]} for r in conn.execute(stmt)]


def deadlines_from(conn: Connection, since: datetime, *, limit: int = 200) -> list[dict[str, Any]]:
    """Open deadlines due at or after ``since`` (e.g. in a year the calendar has not published)."""
    from projections.due_deadlines import DUE
    from projections.lifecycle import DEADLINES

    rows = conn.execute(select(DUE, PROCUREMENTS.c.project_name)
                        .outerjoin(PROCUREMENTS, PROCUREMENTS.c.procurement_id == DUE.c.procurement_id)
                        .where(or_(*(DUE.c[kind] >= since for kind in DEADLINES))))  # fmt: skip
    found = [
        {"procurement_id": r.procurement_id, "project_name": r.project_name, "status": r.status, "kind": kind,
         "due_at": r._mapping[kind]}
        for r in rows for kind in DEADLINES if r._mapping[kind] is not None and r._mapping[kind] >= since
    ]  # fmt: skip
    return sorted(found, key=lambda d: (d["due_at"], d["procurement_id"]))[:limit]


def wins_of(conn: Connection, agency_id: str, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """The agency's awards (counted or not), newest first, with the project's name."""
    from projections.market_concentration import AWARDS

    a = AWARDS.c
    stmt = (select(AWARDS, PROCUREMENTS.c.project_name)
            .outerjoin(PROCUREMENTS, PROCUREMENTS.c.procurement_id == a.procurement_id)
            .where(a.agency_id == str(agency_id)).order_by(a.awarded_at.desc(), a.procurement_id)
            .limit(limit).offset(offset))  # fmt: skip
    return [dict(r._mapping) for r in conn.execute(stmt)]


def shares_of(conn: Connection, agency_id: str, months: list[str]) -> list[dict[str, Any]]:
    """The agency's share of each market (service item × region) it won in over ``months``."""
    from projections.market_concentration import MARKET_MONTHS, SHARES

    s, m = SHARES.c, MARKET_MONTHS.c
    mine = conn.execute(select(s.service_item, s.region, func.sum(s.awards).label("awards"),
                               func.sum(s.value_fen).label("value_fen"))
                        .where(s.agency_id == str(agency_id), s.month.in_(months))
                        .group_by(s.service_item, s.region)).all()  # fmt: skip
    out = []
    for row in mine:
        total = conn.execute(select(func.sum(m.awards), func.sum(m.value_fen))
                             .where(m.service_item == row.service_item, m.region == row.region,
                                    m.month.in_(months))).one()  # fmt: skip
        awards, value = int(total[0] or 0), int(total[1] or 0)
        out.append({"service_item": row.service_item, "region": row.region, "awards": int(row.awards),
                    "value_fen": int(row.value_fen), "market_awards": awards, "market_value_fen": value,
                    "share_count": row.awards / awards if awards else None,
                    "share_value": row.value_fen / value if value else None})  # fmt: skip
    return sorted(out, key=lambda r: -(r["share_value"] or 0))


def agency_list(conn: Connection, *, q: str | None, status: str | None, limit: int, offset: int) -> list[dict]:
    from projections import agency_directory

    return agency_directory.agencies(conn, status=status or None, name=q or None, limit=limit, offset=offset)


def monthly_shares(conn: Connection, months: list[str]) -> list[dict[str, Any]]:
    """Per (service item, region, month, agency): awards and value, for the months given."""
    from projections.market_concentration import SHARES

    s = SHARES.c
    stmt = select(s.service_item, s.region, s.month, s.agency_id, s.awards, s.value_fen).where(s.month.in_(months))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def admitted_agencies(conn: Connection) -> list[str]:
    a = AGENCIES.c
    return list(conn.execute(select(a.agency_id).where(a.status == "admitted").order_by(a.agency_id)).scalars())


def winners(conn: Connection, procurement_ids: Iterable[str]) -> dict[str, str]:
    """The selected agency of each procurement that has one (an objection usually targets it)."""
    p = PROCUREMENTS.c
    ids = sorted(set(procurement_ids))
    if not ids:
        return {}
    stmt = select(p.procurement_id, p.winner_id).where(p.procurement_id.in_(ids), p.winner_id.is_not(None))
    rows = conn.execute(stmt)
    return {r.procurement_id: r.winner_id for r in rows}

"""Regulator cases (监管案件): every case as it stands, for the regulator's case list.

One row per case: the flag it came from, the flag's subjects (copied into the
``Opened`` event, so no other read model is needed), who investigates it, how
many notes it has, and the decision (confirmed with a violation code, or
dismissed) with its reasons. A case's full history is read from the event
store (api/routers/supervision.py), not kept here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Connection, Integer, String, Table, func, select

from domain.supervision import Case
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime, region_prefix
from projections.rows import Rows

SUBJECTS = ("agency_id", "owner_id", "department_id", "procurement_id", "service_item", "region")

CASES = Table(
    "rm_cases", METADATA,
    Column("case_id", String(36), primary_key=True),
    Column("flag_id", String(36), nullable=False, index=True), Column("code", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True), Column("assignee", String(64)),
    Column("agency_id", String(36), index=True), Column("owner_id", String(36)), Column("department_id", String(36)),
    Column("procurement_id", String(36)), Column("service_item", String(32)), Column("region", String(12)),
    Column("opened_by", String(64), nullable=False), Column("opened_at", UTCDateTime, nullable=False),
    Column("notes", Integer, nullable=False),
    Column("outcome", String(12)), Column("violation_code", String(8)), Column("points", Integer),
    Column("reasons", JSON), Column("decided_at", UTCDateTime),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),  # the case's aggregate version this row reflects
)  # fmt: skip


class SupervisionCases(Projection):
    name = "supervision_cases"
    version = 1
    tables = (CASES,)
    preload = ((CASES, "case_id"),)

    def _set(self, rows: Rows, e: Any, **values: Any) -> dict[str, Any] | None:
        return rows.update(CASES, str(e.originator_id), changed_at=e.at, version=e.originator_version, **values)

    @handles(Case.Opened)
    def opened(self, e: Any, rows: Rows) -> None:
        rows.insert(
            CASES, case_id=str(e.originator_id), flag_id=e.flag_id, code=e.code, status="open",
            opened_by=e.actor["id"], opened_at=e.at, notes=0, changed_at=e.at, version=e.originator_version,
            **{s: e.subjects.get(s) for s in SUBJECTS},
        )  # fmt: skip

    @handles(Case.Assigned)
    def assigned(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, assignee=e.to, status="investigating")

    @handles(Case.NoteAdded)
    def note_added(self, e: Any, rows: Rows) -> None:
        row = rows.get(CASES, str(e.originator_id))
        if row is not None:
            self._set(rows, e, notes=row["notes"] + 1)

    @handles(Case.Confirmed)
    def confirmed(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, status="confirmed", outcome="confirmed", violation_code=e.violation_code,
                  reasons=list(e.reasons), decided_at=e.at)  # fmt: skip

    @handles(Case.ViolationRecorded)
    def violation_recorded(self, e: Any, rows: Rows) -> None:
        """The agency the violation is recorded against may differ from the flag's (named at confirmation)."""
        self._set(rows, e, agency_id=e.agency_id, points=e.points)

    @handles(Case.Dismissed)
    def dismissed(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, status="dismissed", outcome="dismissed", reasons=list(e.reasons), decided_at=e.at)


# --- queries ----------------------------------------------------------------------------


def _where(status: str | None, code: str | None, region: str | None, opened_from: datetime | None,
           opened_to: datetime | None, subjects: dict[str, Any]) -> list[Any]:  # fmt: skip
    c = CASES.c
    where = [c[name] == value for name, value in (("status", status), ("code", code)) if value]
    where += [c[name] == str(value) for name, value in subjects.items() if name in (*SUBJECTS, "assignee") and value]
    if region:
        where.append(c.region.startswith(region_prefix(region)))
    if opened_from is not None:
        where.append(c.opened_at >= opened_from)
    if opened_to is not None:
        where.append(c.opened_at < opened_to)
    return where


def case_page(
    conn: Connection, *, status: str | None = None, code: str | None = None, region: str | None = None,
    opened_from: datetime | None = None, opened_to: datetime | None = None, limit: int = 50, offset: int = 0,
    **subjects: Any,
) -> dict[str, Any]:  # fmt: skip
    """Cases filtered by status, code, region (and everything inside it), subjects, assignee; newest first."""
    where = _where(status, code, region, opened_from, opened_to, subjects)
    c = CASES.c
    total = conn.execute(select(func.count()).select_from(CASES).where(*where)).scalar_one()
    q = select(CASES).where(*where).order_by(c.opened_at.desc(), c.case_id).limit(limit).offset(offset)
    return {"items": [dict(r._mapping) for r in conn.execute(q)], "total": total, "limit": limit, "offset": offset}


def case(conn: Connection, case_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(CASES).where(CASES.c.case_id == str(case_id))).first()
    return dict(row._mapping) if row else None


def decided_between(conn: Connection, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Cases decided (confirmed or dismissed) in [start, end)."""
    c = CASES.c
    q = select(CASES).where(c.decided_at >= start, c.decided_at < end).order_by(c.decided_at, c.case_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def opened_between(conn: Connection, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Cases opened in [start, end)."""
    c = CASES.c
    q = select(CASES).where(c.opened_at >= start, c.opened_at < end).order_by(c.opened_at, c.case_id)
    return [dict(r._mapping) for r in conn.execute(q)]

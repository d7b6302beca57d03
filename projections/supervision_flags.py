"""Supervision flags (监管预警): every flag as it stands, for the regulator's queue and for the scans.

The oversight scans reconcile what the detectors find with the flags open here
(raise the new, update the changed, clear the gone); the event store still
decides, so a lagging row can at worst cause a command that changes nothing.

``rm_oversight_scans`` holds the scans' bookmarks (the log position the last
incremental scan covered, when the last full scan ran). It belongs to this read
model because the scans reconcile against it; the handlers never write it, and a
rebuild resets it, after which the next scans re-evaluate everything: idempotent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Connection, Index, Integer, String, Table, func, select
from sqlalchemy.dialects import postgresql, sqlite

from domain.supervision import Case, Flag
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime, region_prefix
from projections.rows import Rows

SUBJECTS = ("agency_id", "owner_id", "department_id", "procurement_id", "service_item", "region")

FLAGS = Table(
    "rm_flags", METADATA,
    Column("flag_id", String(36), primary_key=True),
    Column("code", String(32), nullable=False), Column("key", String(200), nullable=False),
    Column("period", String(32), nullable=False), Column("scope", String(120), nullable=False),
    Column("status", String(8), nullable=False, index=True), Column("severity", String(8), nullable=False),
    Column("label", String(12)), Column("case_id", String(36)),
    Column("agency_id", String(36), index=True), Column("owner_id", String(36), index=True),
    Column("department_id", String(36)), Column("procurement_id", String(36), index=True),
    Column("service_item", String(32)), Column("region", String(12)),
    Column("detector_version", String(16), nullable=False), Column("parameters", JSON, nullable=False),
    Column("figures", JSON, nullable=False), Column("evidence", JSON, nullable=False),
    Column("raised_at", UTCDateTime, nullable=False), Column("changed_at", UTCDateTime, nullable=False),
    Column("cleared_at", UTCDateTime),
    Column("version", Integer, nullable=False),  # the flag's aggregate version this row reflects
    Index(None, "code", "scope"),
)  # fmt: skip

SCANS = Table(
    "rm_oversight_scans", METADATA,
    Column("scan", String(32), primary_key=True),  # "incremental" or "full"
    Column("position", BigInteger, nullable=False),  # the log position the scan covered
    Column("scanned_at", UTCDateTime, nullable=False),  # business time of the scan
    Column("thresholds", String(64), nullable=False),  # digest of the thresholds it judged with
)  # fmt: skip


class SupervisionFlags(Projection):
    name = "supervision_flags"
    version = 1
    tables = (FLAGS, SCANS)
    preload = ((FLAGS, "flag_id"),)

    def _set(self, rows: Rows, e: Any, **values: Any) -> None:
        rows.update(FLAGS, str(e.originator_id), changed_at=e.at, version=e.originator_version, **values)

    @handles(Flag.Raised)
    def raised(self, e: Any, rows: Rows) -> None:
        rows.insert(
            FLAGS, flag_id=str(e.originator_id), code=e.code, key=e.key, period=e.period, scope=e.scope,
            status="open", severity=e.severity, detector_version=e.detector_version, parameters=e.parameters,
            figures=e.figures, evidence=e.evidence, raised_at=e.at, changed_at=e.at, version=e.originator_version,
            **{s: e.subjects.get(s) for s in SUBJECTS},
        )  # fmt: skip

    @handles(Flag.Updated, Flag.Reopened)
    def found_again(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, status="open", severity=e.severity, detector_version=e.detector_version,
                  parameters=e.parameters, figures=e.figures, evidence=e.evidence, cleared_at=None)  # fmt: skip

    @handles(Flag.Cleared)
    def cleared(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, status="cleared", cleared_at=e.at)

    @handles(Flag.Labelled)
    def labelled(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, status="closed", label=e.label, case_id=e.case_id)

    @handles(Case.Opened)
    def case_opened(self, e: Any, rows: Rows) -> None:
        rows.update(FLAGS, e.flag_id, case_id=str(e.originator_id))


# --- queries ----------------------------------------------------------------------------


def flags_in(conn: Connection, code: str, scopes: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """This code's flags (any status) by id, in these scopes or all of them."""
    f = FLAGS.c
    q = select(FLAGS).where(f.code == code)
    found: dict[str, dict[str, Any]] = {}
    if scopes is None:
        batches: list[list[str] | None] = [None]
    else:
        wanted = sorted(set(scopes))
        batches = [wanted[i : i + 500] for i in range(0, len(wanted), 500)]
    for batch in batches:
        query = q if batch is None else q.where(f.scope.in_(batch))
        found.update({r.flag_id: dict(r._mapping) for r in conn.execute(query)})
    return found


def flags(
    conn: Connection, *, code: str | None = None, status: str | None = None, severity: str | None = None,
    limit: int = 100, offset: int = 0, **subjects: str,
) -> list[dict[str, Any]]:  # fmt: skip
    """Flags filtered by code, status, severity and subjects (agency_id=…, owner_id=…), newest first."""
    f = FLAGS.c
    where = [f[name] == value for name, value in (("code", code), ("status", status), ("severity", severity)) if value]
    where += [f[name] == str(value) for name, value in subjects.items() if name in SUBJECTS and value]
    q = select(FLAGS).where(*where).order_by(f.raised_at.desc(), f.flag_id).limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(q)]


def flag_page(
    conn: Connection, *, code: str | None = None, status: str | None = None, severity: str | None = None,
    label: str | None = None, region: str | None = None, raised_from: datetime | None = None,
    raised_to: datetime | None = None, limit: int = 50, offset: int = 0, **subjects: str,
) -> dict[str, Any]:  # fmt: skip
    """The regulator's queue: ``flags``' filters plus label, region (and everything inside it) and the
    time raised in [raised_from, raised_to); newest first, with the total for paging."""
    f = FLAGS.c
    where = [f[name] == value for name, value in (("code", code), ("status", status), ("severity", severity),
                                                  ("label", label)) if value]  # fmt: skip
    where += [f[name] == str(value) for name, value in subjects.items() if name in SUBJECTS and value]
    if region:
        where.append(f.region.startswith(region_prefix(region)))
    if raised_from is not None:
        where.append(f.raised_at >= raised_from)
    if raised_to is not None:
        where.append(f.raised_at < raised_to)
    total = conn.execute(select(func.count()).select_from(FLAGS).where(*where)).scalar_one()
    q = select(FLAGS).where(*where).order_by(f.raised_at.desc(), f.flag_id).limit(limit).offset(offset)
    return {"items": [dict(r._mapping) for r in conn.execute(q)], "total": total, "limit": limit, "offset": offset}


def raised_between(conn: Connection, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Flags first raised in [start, end), whatever became of them since."""
    f = FLAGS.c
    q = select(FLAGS).where(f.raised_at >= start, f.raised_at < end).order_by(f.raised_at, f.flag_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def flag(conn: Connection, flag_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(FLAGS).where(FLAGS.c.flag_id == str(flag_id))).first()
    return dict(row._mapping) if row else None


# --- the scans' bookmarks -------------------------------------------------------------------


def bookmark(conn: Connection, scan: str) -> dict[str, Any] | None:
    """The last such scan: ``position`` covered, business time ``scanned_at``, ``thresholds`` digest."""
    row = conn.execute(select(SCANS).where(SCANS.c.scan == scan)).first()
    return dict(row._mapping) if row else None


def save_bookmark(conn: Connection, scan: str, position: int, scanned_at: datetime, thresholds: str) -> None:
    """Record a finished scan (an upsert, in the caller's transaction)."""
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    values = {"position": position, "scanned_at": scanned_at, "thresholds": thresholds}
    stmt = dialect_insert(SCANS).values(scan=scan, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["scan"], set_=values))

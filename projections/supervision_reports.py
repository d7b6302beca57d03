"""Monthly supervision reports (监管月报) issued so far: which region-months exist, for the list and the job.

The report's figures stay in its ``Issued`` event (domain/supervision/reports.py);
this read model holds one row per issued report with a few headline numbers, so
the regulator's list and the oversight job's "what is still to issue" need no
replay. The job never trusts it for uniqueness: the event store refuses a
second report of a region-month by its derived id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Connection, Index, String, Table, func, select

from domain.supervision import SupervisionReport
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime, region_prefix
from projections.rows import Rows

REPORTS = Table(
    "rm_supervision_reports", METADATA,
    Column("report_id", String(36), primary_key=True),
    Column("region", String(12), nullable=False), Column("month", String(7), nullable=False),
    Column("issued_at", UTCDateTime, nullable=False), Column("digest", String(64), nullable=False),
    Column("headline", JSON, nullable=False),  # a few totals from the figures, for the list
    Column("position", BigInteger, nullable=False),
    Index(None, "region", "month", unique=True),
)  # fmt: skip


class SupervisionReports(Projection):
    name = "supervision_reports"
    version = 1
    tables = (REPORTS,)

    @handles(SupervisionReport.Issued)
    def issued(self, e: Any, rows: Rows) -> None:
        rows.insert(REPORTS, report_id=str(e.originator_id), region=e.region, month=e.month, issued_at=e.at,
                    digest=e.digest, headline=dict(e.figures.get("headline") or {}), position=rows.position)  # fmt: skip


# --- queries ----------------------------------------------------------------------------


def report_page(conn: Connection, *, region: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Issued reports of a region (and everything inside it), newest month first."""
    r = REPORTS.c
    where = [r.region.startswith(region_prefix(region))] if region else []
    total = conn.execute(select(func.count()).select_from(REPORTS).where(*where)).scalar_one()
    q = select(REPORTS).where(*where).order_by(r.month.desc(), r.region).limit(limit).offset(offset)
    return {"items": [dict(x._mapping) for x in conn.execute(q)], "total": total, "limit": limit, "offset": offset}


def issued(conn: Connection) -> set[tuple[str, str]]:
    """Every (region, month) with an issued report."""
    return {(x.region, x.month) for x in conn.execute(select(REPORTS.c.region, REPORTS.c.month))}

"""Which timers fall due when (到期事项): what the deadline engine asks about.

One row per procurement with its state, the notice's clock times and the
deadlines its events set. The read model only *finds* candidates: the market
re-checks each one against the procurement itself before acting, so a row that
lags behind the events can delay an action but never cause a wrong one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, String, Table, or_, select

from domain.procurement import Procurement as P
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime
from projections.lifecycle import DEADLINES, ProcurementLifecycle
from projections.rows import Rows

DUE = Table(
    "rm_due_deadlines", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("status", String(24), nullable=False, index=True),
    Column("method", String(32)),
    Column("signup_opens_at", UTCDateTime), Column("signup_closes_at", UTCDateTime), Column("selection_at", UTCDateTime),
    *(Column(kind, UTCDateTime, index=True) for kind in DEADLINES),
    Column("updated_at", UTCDateTime),
)  # fmt: skip

# The timer a state starts, and the notice column it is read from.
CLOCK_DRIVEN = {
    "published": ("signup_opens", "signup_opens_at"),
    "signup_open": ("signup_closes", "signup_closes_at"),
    "signup_closed": ("selection", "selection_at"),
}


class DueDeadlines(ProcurementLifecycle, Projection):
    name = "due_deadlines"
    version = 1
    lifecycle_table = DUE
    tables = (DUE,)

    preload = ((DUE, "procurement_id"),)

    @handles(P.Drafted)
    def _drafted(self, e: Any, rows: Rows) -> None:
        rows.insert(DUE, procurement_id=str(e.originator_id), status="draft", updated_at=e.at, **_times(e.notice))

    @handles(P.Amended)
    def _amended(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, **_times(e.notice))


def _times(notice: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": notice["method"],
        "signup_opens_at": notice["signup_opens_at"],
        "signup_closes_at": notice["signup_closes_at"],
        "selection_at": notice["selection_at"],
    }


def due_candidates(conn: Connection, until: datetime) -> list[tuple[str, str, datetime]]:
    """Every (procurement, timer kind, due time) at or before ``until``, oldest first."""
    t = DUE
    clock_rows = conn.execute(
        select(t.c.procurement_id, t.c.status, t.c.signup_opens_at, t.c.signup_closes_at, t.c.selection_at)
        .where(t.c.status.in_(list(CLOCK_DRIVEN)))
    )  # fmt: skip
    found = []
    for row in clock_rows:
        kind, column = CLOCK_DRIVEN[row.status]
        at = getattr(row, column)
        if at is not None and at <= until:
            found.append((row.procurement_id, kind, at))
    deadline_rows = conn.execute(select(t).where(or_(*(t.c[kind] <= until for kind in DEADLINES))))
    for row in deadline_rows:
        for kind in DEADLINES:
            at = row._mapping[kind]
            if at is not None and at <= until:
                found.append((row.procurement_id, kind, at))
    return sorted(found, key=lambda item: item[2])

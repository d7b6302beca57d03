"""Stage delays (耗时长, domain.md §9.3): how many working days each step of a procurement took.

One row per procurement: publication → award → contract → delivery (against the
committed time limit, extensions included) → acceptance → evaluation, with the
extensions granted and the events that are the evidence of each step.

Working days follow the region's 工作日历 as the log itself publishes it: the
calendar's ``YearArrangementPublished`` events are folded into a table here, so
each duration is computed with the calendar as it stood at that point of the log
and a rebuild reproduces every row (one calendar per Market log:
market/commands/calendar.py). Counting follows domain/calendar.py: a step from
T to U takes the working days after T's date up to and including U's date.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, BigInteger, Column, Connection, Float, Integer, String, Table, select

from domain.calendar import WorkingDayCalendar
from domain.procurement import Procurement as P
from domain.supervision.metrics import percentile
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime, region_prefix
from projections.rows import Rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Each stage runs from one moment to the next (domain.md §9.3, issue 5).
SPANS = {
    "publication_award": ("published_at", "awarded_at"), "award_contract": ("awarded_at", "contract_at"),
    "contract_delivery": ("contract_at", "delivered_at"), "delivery_acceptance": ("delivered_at", "accepted_at"),
    "acceptance_evaluation": ("accepted_at", "evaluated_at"),
}  # fmt: skip
STAGES = tuple(SPANS)
_TIMES = ("published_at", "awarded_at", "contract_at", "service_due_at", "delivered_at", "accepted_at", "evaluated_at")

DELAYS = Table(
    "rm_delay_procurements", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False, index=True), Column("department_id", String(36), index=True),
    Column("service_item", String(32)), Column("region", String(12)), Column("agency_id", String(36), index=True),
    Column("status", String(8), nullable=False),  # open, closed (evaluated) or ended (voided, terminated)
    Column("time_limit_wd", Integer),  # the notice's committed service time limit
    *(Column(name, UTCDateTime) for name in _TIMES),
    *(Column(f"{stage}_wd", Integer) for stage in STAGES),
    Column("overrun_wd", Integer),  # working days the delivery came after the (extended) due date
    Column("extensions", Integer, nullable=False), Column("extension_wd", Integer, nullable=False),
    Column("extension_ratio", Float, nullable=False), Column("rejections", Integer, nullable=False),
    Column("evidence", JSON, nullable=False),  # step → {position, aggregate_id, version, event}
    Column("position", BigInteger, nullable=False, index=True),  # the last event that touched the row
)  # fmt: skip

CALENDAR = Table(
    "rm_delay_calendar", METADATA,
    Column("name", String(16), primary_key=True),  # "working_days": the log's one calendar
    Column("arrangements", JSON, nullable=False),  # year → {holidays, makeup_workdays, source}
    Column("digest", String(64), nullable=False),
)  # fmt: skip

_CALENDARS: dict[str, WorkingDayCalendar] = {}  # built calendars by digest (pure functions of the rows)


def _next_midnight(at: datetime) -> datetime:
    day: date = at.astimezone(SHANGHAI).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def elapsed_wd(calendar: Any, start: datetime | None, end: datetime | None) -> int | None:
    """Working days after ``start``'s date up to and including ``end``'s date."""
    if start is None or end is None:
        return None
    return calendar.working_days_between(start, _next_midnight(end)) if end > start else 0


def overrun_wd(calendar: Any, due_at: datetime, at: datetime) -> int:
    """Working days past a deadline (its exclusive bound ``due_at``), the day of ``at`` included."""
    if at < due_at:
        return 0
    return calendar.working_days_between(due_at - timedelta(microseconds=1), _next_midnight(at))


def overrun_at(row: dict[str, Any], now: datetime, calendar: Any) -> int | None:
    """Final once delivered, running while in service; None before a contract or after an end without one."""
    if row["service_due_at"] is None:
        return None
    if row["delivered_at"] is not None:
        return row["overrun_wd"]
    return overrun_wd(calendar, row["service_due_at"], now) if row["status"] == "open" else None


def calendar_from(arrangements: dict[str, dict[str, Any]]) -> WorkingDayCalendar:
    """A calendar holding these year arrangements (built in memory, never saved)."""
    at = datetime(2000, 1, 1, tzinfo=SHANGHAI)
    cal = WorkingDayCalendar.create("read-model", by={"id": "read-model", "role": "system"}, now=at)
    for year, a in sorted(arrangements.items()):
        cal.publish_year(int(year), [date.fromisoformat(d) for d in a["holidays"]],
                         [date.fromisoformat(d) for d in a["makeup_workdays"]], a["source"],
                         by={"id": "read-model", "role": "system"}, now=at)  # fmt: skip
    return cal


def _evidence(rows: Rows, e: Any) -> dict[str, Any]:
    return {"position": rows.position, "aggregate_id": str(e.originator_id), "version": e.originator_version,
            "event": type(e).__name__}  # fmt: skip


class StageDelays(Projection):
    name = "stage_delays"
    version = 1
    tables = (DELAYS, CALENDAR)
    preload = ((DELAYS, "procurement_id"),)

    # --- the calendar, as the log publishes it ------------------------------------------

    @handles(WorkingDayCalendar.YearArrangementPublished)
    def year_published(self, e: Any, rows: Rows) -> None:
        current = rows.get(CALENDAR, "working_days")
        arrangements = dict(current["arrangements"]) if current else {}
        arrangements[str(e.year)] = {"holidays": list(e.holidays), "makeup_workdays": list(e.makeup_workdays),
                                     "source": e.source}  # fmt: skip
        digest = hashlib.sha256(json.dumps(arrangements, sort_keys=True).encode()).hexdigest()
        if current is None:
            rows.insert(CALENDAR, name="working_days", arrangements=arrangements, digest=digest)
        else:
            rows.update(CALENDAR, "working_days", arrangements=arrangements, digest=digest)

    def _calendar(self, rows: Rows) -> WorkingDayCalendar:
        row = rows.get(CALENDAR, "working_days")
        digest = row["digest"] if row else ""
        if digest not in _CALENDARS:
            if len(_CALENDARS) > 64:
                _CALENDARS.clear()
            _CALENDARS[digest] = calendar_from(row["arrangements"] if row else {})
        return _CALENDARS[digest]

    # --- the procurement's steps --------------------------------------------------------

    def _step(self, rows: Rows, e: Any, step: str | None = None, **values: Any) -> dict[str, Any] | None:
        """Update the row, record the event as the step's evidence, and recompute the durations."""
        row = rows.get(DELAYS, str(e.originator_id))
        if row is None:
            return None
        evidence = dict(row["evidence"])
        if step in ("extensions", "rejections", "overdue"):
            item = _evidence(rows, e)
            if step == "overdue":  # which deadline, and yellow or red
                item.update(kind=e.kind, level=e.level)
            evidence[step] = [*evidence.get(step, []), item]
        elif step is not None:
            evidence[step] = _evidence(rows, e)
        merged = {**row, **values}
        cal = self._calendar(rows)
        durations = {f"{stage}_wd": elapsed_wd(cal, merged[a], merged[b]) for stage, (a, b) in SPANS.items()}
        if merged["delivered_at"] is not None and merged["service_due_at"] is not None:
            durations["overrun_wd"] = overrun_wd(cal, merged["service_due_at"], merged["delivered_at"])
        else:
            durations["overrun_wd"] = None
        return rows.update(DELAYS, row["procurement_id"], **values, **durations, evidence=evidence,
                           position=rows.position)  # fmt: skip

    @handles(P.Drafted, P.Amended)
    def noticed(self, e: Any, rows: Rows) -> None:
        n = e.notice
        notice = {"department_id": n["department_id"], "service_item": n["service_item_code"], "region": n["region"],
                  "time_limit_wd": n["service_time_limit_days"]}  # fmt: skip
        if rows.get(DELAYS, str(e.originator_id)) is None:
            rows.insert(DELAYS, procurement_id=str(e.originator_id), owner_id=e.owner_id, status="open",
                        extensions=0, extension_wd=0, extension_ratio=0.0, rejections=0, evidence={},
                        position=rows.position, **notice)  # fmt: skip
        else:
            self._step(rows, e, **notice)

    @handles(P.Published)
    def published(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "published", published_at=e.at)

    @handles(P.Awarded)
    def awarded(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "awarded", awarded_at=e.at, agency_id=e.agency_id)

    @handles(P.ContractConfirmed)
    def contract_confirmed(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "contract", contract_at=e.at, service_due_at=e.service_due["at"])

    @handles(P.ExtensionGranted)
    def extension_granted(self, e: Any, rows: Rows) -> None:
        row = rows.get(DELAYS, str(e.originator_id))
        if row is not None:
            days = row["extension_wd"] + e.days
            ratio = round(days / row["time_limit_wd"], 4) if row["time_limit_wd"] else 0.0
            self._step(rows, e, "extensions", extensions=row["extensions"] + 1, extension_wd=days,
                       extension_ratio=ratio, service_due_at=e.new_due["at"])  # fmt: skip

    @handles(P.DeadlineRecomputed)
    def recomputed(self, e: Any, rows: Rows) -> None:
        if e.kind == "service_due":
            self._step(rows, e, service_due_at=e.deadline["at"])

    @handles(P.DeliverableSubmitted)
    def delivered(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "delivered", delivered_at=e.at)

    @handles(P.DeliverableRejected)
    def rejected(self, e: Any, rows: Rows) -> None:
        """Returned for rework: back in service, the clock running against the same due date."""
        row = rows.get(DELAYS, str(e.originator_id))
        if row is not None:
            self._step(rows, e, "rejections", delivered_at=None, rejections=row["rejections"] + 1)

    @handles(P.DeliverableAccepted)
    def accepted(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "accepted", accepted_at=e.at)

    @handles(P.Evaluated)
    def evaluated(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "evaluated", evaluated_at=e.at, status="closed")

    @handles(P.Voided, P.Terminated)
    def ended(self, e: Any, rows: Rows) -> None:
        self._step(rows, e, "ended", status="ended")

    @handles(P.OverdueRecorded)
    def overdue(self, e: Any, rows: Rows) -> None:
        """红黄牌 warnings are evidence too, and a red one is the moment an overrun starts."""
        self._step(rows, e, "overdue")


# --- queries ----------------------------------------------------------------------------


def delay_rows(conn: Connection, *, since: datetime | None = None, **equal: Any) -> list[dict[str, Any]]:
    """Rows whose columns equal ``equal`` (e.g. ``agency_id=…``), with a contract since ``since`` if given."""
    d = DELAYS.c
    where = [d[k] == v for k, v in equal.items()] + ([d.contract_at >= since] if since is not None else [])
    q = select(DELAYS).where(*where).order_by(d.contract_at, d.procurement_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def all_rows(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(DELAYS).order_by(DELAYS.c.procurement_id))]


def agencies(conn: Connection) -> list[str]:
    d = DELAYS.c
    q = select(d.agency_id).where(d.agency_id.is_not(None)).distinct().order_by(d.agency_id)
    return list(conn.execute(q).scalars())


def touched(conn: Connection, after: int, upto: int) -> list[dict[str, Any]]:
    """Rows changed at positions in (after, upto]."""
    d = DELAYS.c
    q = select(DELAYS).where(d.position > after, d.position <= upto).order_by(d.procurement_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def contracts_since(rows: list[dict[str, Any]], since: datetime | None) -> list[dict[str, Any]]:
    return [r for r in rows if r["contract_at"] is not None and (since is None or r["contract_at"] >= since)]


def statistics(
    rows: list[dict[str, Any]], *, now: datetime, calendar: Any, since: datetime | None = None, warn_wd: int = 0
) -> dict[str, Any]:
    """Median, P90 and counts of each stage, and the overrun rate, over these procurements' contracts.

    A contract counts towards the rate once it is delivered or past due; it is late
    when its overrun exceeds ``warn_wd`` (§9.3: > 0 warns).
    """
    contracts = contracts_since(rows, since)
    stages = {}
    for stage in STAGES:
        values = [r[f"{stage}_wd"] for r in contracts if r[f"{stage}_wd"] is not None]
        stages[stage] = {"n": len(values), "median": percentile(values, 0.5), "p90": percentile(values, 0.9)}
    judged = [(r, o) for r in contracts if (o := overrun_at(r, now, calendar)) is not None
              and (r["delivered_at"] is not None or now >= r["service_due_at"])]  # fmt: skip
    late = [(r, o) for r, o in judged if o > warn_wd]
    overruns = [o for _, o in late]
    return {
        "stages": stages, "contracts": len(judged), "late": len(late),
        "overrun_rate": round(len(late) / len(judged), 4) if judged else None,
        "overrun_median": percentile(overruns, 0.5), "overrun_p90": percentile(overruns, 0.9),
        "late_procurements": [r["procurement_id"] for r, _ in late],
    }  # fmt: skip


def stage_statistics(
    conn: Connection, *, now: datetime, calendar: Any, since: datetime | None = None, warn_wd: int = 0, **subject: str
) -> dict[str, Any]:
    """``statistics`` for one agency, owner or department: ``agency_id=…``, ``owner_id=…`` or ``department_id=…``."""
    if len(subject) != 1 or not set(subject) <= {"agency_id", "owner_id", "department_id"}:
        raise ValueError("one of agency_id, owner_id or department_id")
    rows = delay_rows(conn, since=since, **subject)
    return statistics(rows, now=now, calendar=calendar, since=since, warn_wd=warn_wd)


def regional_rows(conn: Connection, region: str) -> list[dict[str, Any]]:
    """Every procurement of a region and everything inside it (430000 → all of Hunan)."""
    d = DELAYS.c
    q = select(DELAYS).where(d.region.startswith(region_prefix(region))).order_by(d.procurement_id)
    return [dict(r._mapping) for r in conn.execute(q)]

"""The agency directory (中介机构名录): who they are, what they may do, how they performed.

Registered data as in force (a change counts only after the operator approves
it), qualifications, services offered, suspensions, and the standing that
owners and regulators weigh: the average of owners' evaluations (一事一评), the
number of abandoned awards, and the credit score and grade (from ``agency_credit``). Persons (legal representative, shareholders,
practitioners) are left out; only the number of practitioners is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Connection, Float, Integer, String, Table, Text, and_, func, or_, select

from domain.agency import Agency
from domain.procurement import Procurement
from projections import agency_credit
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime, jsonable, region_prefix
from projections.rows import Rows

AGENCIES = Table(
    "rm_dir_agencies", METADATA,
    Column("agency_id", String(36), primary_key=True),
    Column("uscc", String(18), nullable=False, unique=True), Column("name", String(200), nullable=False),
    Column("agency_type", String(32)), Column("region", String(12), index=True), Column("address", String(300)),
    Column("phone", String(32)), Column("email", String(200)),
    Column("status", String(24), nullable=False, index=True),
    Column("registered_at", UTCDateTime), Column("admitted_at", UTCDateTime), Column("status_changed_at", UTCDateTime),
    Column("practitioners_count", Integer, nullable=False),
    Column("pending_change", JSON),  # fields awaiting the operator's check, persons stripped
    Column("abandonments", Integer, nullable=False),  # 放弃中选 / 中止服务 records ([29] V01)
)  # fmt: skip

QUALIFICATIONS = Table(
    "rm_dir_qualifications", METADATA,
    Column("agency_id", String(36), primary_key=True), Column("seq", Integer, primary_key=True),
    Column("category", String(100), nullable=False, index=True), Column("level", String(16), nullable=False),
    Column("certificate_no", String(100)), Column("valid_until", String(10)),  # ISO date
)  # fmt: skip

SERVICES = Table(
    "rm_dir_services", METADATA,
    Column("agency_id", String(36), primary_key=True), Column("item_code", String(32), primary_key=True),
    Column("time_limit_days", Integer), Column("fee_reference", Text),
)  # fmt: skip

SUSPENSIONS = Table(
    "rm_dir_suspensions", METADATA,
    Column("agency_id", String(36), primary_key=True), Column("version", Integer, primary_key=True),
    Column("until", UTCDateTime, nullable=False), Column("service_items", JSON),  # [] = the whole agency
    Column("reason", Text), Column("at", UTCDateTime), Column("lifted_at", UTCDateTime),
)  # fmt: skip

AWARDS = Table(  # which agency won what, to credit the evaluation to it
    "rm_dir_awards", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("agency_id", String(36), nullable=False, index=True),
)  # fmt: skip

EVALUATIONS = Table(
    "rm_dir_evaluations", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("agency_id", String(36), nullable=False, index=True),
    Column("overall", Float, nullable=False), Column("scores", JSON), Column("at", UTCDateTime),
)  # fmt: skip

_DIRECTORY_FIELDS = ("name", "agency_type", "region", "address", "phone", "email", "qualifications", "services",
                     "practitioners")  # fmt: skip


def _profile_values(profile: dict[str, Any]) -> dict[str, Any]:
    values = {k: profile[k] for k in ("name", "agency_type", "region", "address", "phone", "email") if k in profile}
    if "practitioners" in profile:
        values["practitioners_count"] = len(profile["practitioners"])
    return values


class AgencyDirectory(Projection):
    name = "agency_directory"
    version = 1
    tables = (AGENCIES, QUALIFICATIONS, SERVICES, SUSPENSIONS, AWARDS, EVALUATIONS)
    preload = ((AGENCIES, "agency_id"), (AWARDS, "procurement_id"))

    def _set(self, rows: Rows, agency_id: Any, **values: Any) -> dict[str, Any] | None:
        return rows.update(AGENCIES, str(agency_id), **values)

    def _replace_lists(self, rows: Rows, agency_id: str, profile: dict[str, Any]) -> None:
        for table, field in ((QUALIFICATIONS, "qualifications"), (SERVICES, "services")):
            if field not in profile:
                continue
            for old in rows.find(table, agency_id=agency_id):
                rows.delete(table, (agency_id, old["seq"] if table is QUALIFICATIONS else old["item_code"]))
            for seq, item in enumerate(profile[field]):
                rows.insert(table, agency_id=agency_id, **({"seq": seq} if table is QUALIFICATIONS else {}), **item)

    @handles(Agency.Registered)
    def registered(self, e: Any, rows: Rows) -> None:
        aid = str(e.originator_id)
        rows.insert(AGENCIES, agency_id=aid, uscc=e.uscc, status="pending_review", registered_at=e.at,
                    status_changed_at=e.at, abandonments=0, **_profile_values(e.profile))  # fmt: skip
        self._replace_lists(rows, aid, e.profile)

    @handles(Agency.Resubmitted)
    def resubmitted(self, e: Any, rows: Rows) -> None:
        self._set(rows, e.originator_id, status="pending_review", status_changed_at=e.at, **_profile_values(e.profile))
        self._replace_lists(rows, str(e.originator_id), e.profile)

    @handles(Agency.Admitted)
    def admitted(self, e: Any, rows: Rows) -> None:
        self._set(rows, e.originator_id, status="admitted", admitted_at=e.at, status_changed_at=e.at)

    @handles(Agency.Returned, Agency.Expelled, Agency.Exited)
    def status_changed(self, e: Any, rows: Rows) -> None:
        status = {"Returned": "returned", "Expelled": "expelled", "Exited": "exited"}[type(e).__name__]
        self._set(rows, e.originator_id, status=status, status_changed_at=e.at, pending_change=None)

    @handles(Agency.ChangeSubmitted)
    def change_submitted(self, e: Any, rows: Rows) -> None:
        pending = {k: v for k, v in e.changes.items() if k in _DIRECTORY_FIELDS}
        if "practitioners" in pending:  # only how many: practitioners are persons
            pending["practitioners"] = [{} for _ in pending["practitioners"]]
        self._set(rows, e.originator_id, pending_change=jsonable(pending))

    @handles(Agency.ChangeApproved, Agency.ChangeReturned)
    def change_decided(self, e: Any, rows: Rows) -> None:
        aid = str(e.originator_id)
        agency = rows.get(AGENCIES, aid)
        pending: dict[str, Any] = {}
        if agency is not None and is_event(e, Agency.ChangeApproved):
            pending = agency["pending_change"] or {}
        self._set(rows, aid, pending_change=None, **_profile_values(pending))
        self._replace_lists(rows, aid, pending)

    @handles(Agency.Suspended)
    def suspended(self, e: Any, rows: Rows) -> None:
        rows.insert(SUSPENSIONS, agency_id=str(e.originator_id), version=e.originator_version, until=e.until,
                    service_items=list(e.service_items), reason=e.reason, at=e.at)  # fmt: skip

    @handles(Agency.SuspensionLifted)
    def suspension_lifted(self, e: Any, rows: Rows) -> None:
        # As the aggregate does: every suspension still running at that moment ends.
        for s in rows.find(SUSPENSIONS, agency_id=str(e.originator_id)):
            if s["lifted_at"] is None and s["until"] > e.at:
                rows.update(SUSPENSIONS, (s["agency_id"], s["version"]), lifted_at=e.at)

    @handles(Agency.Abandoned)
    def abandoned(self, e: Any, rows: Rows) -> None:
        agency = rows.get(AGENCIES, str(e.originator_id))
        if agency is not None:
            self._set(rows, e.originator_id, abandonments=agency["abandonments"] + 1)

    @handles(Procurement.WinnerSelected, Procurement.PickedFromShortlist, Procurement.ObjectionUpheld)
    def winner_changed(self, e: Any, rows: Rows) -> None:
        # An upheld objection annuls the winner; a re-run or the owner's pick names a new one.
        pid = str(e.originator_id)
        rows.delete(AWARDS, pid)
        if not is_event(e, Procurement.ObjectionUpheld):
            rows.insert(AWARDS, procurement_id=pid, agency_id=e.result["outcome"]["winner"])

    @handles(Procurement.Evaluated)
    def evaluated(self, e: Any, rows: Rows) -> None:
        pid = str(e.originator_id)
        award = rows.get(AWARDS, pid)
        if award is not None:
            rows.insert(EVALUATIONS, procurement_id=pid, agency_id=award["agency_id"], overall=float(e.overall),
                        scores=dict(e.scores), at=e.at)  # fmt: skip


# --- queries (pure reads) ------------------------------------------------------------

_RATINGS = (
    select(EVALUATIONS.c.agency_id, func.avg(EVALUATIONS.c.overall).label("rating"),
           func.count().label("evaluations"))
    .group_by(EVALUATIONS.c.agency_id)
    .subquery()
)  # fmt: skip


def _listing():
    return select(
        AGENCIES.c.agency_id, AGENCIES.c.uscc, AGENCIES.c.name, AGENCIES.c.agency_type, AGENCIES.c.region,
        AGENCIES.c.status, AGENCIES.c.admitted_at, AGENCIES.c.abandonments,
        _RATINGS.c.rating, func.coalesce(_RATINGS.c.evaluations, 0).label("evaluations"),
    ).outerjoin(_RATINGS, _RATINGS.c.agency_id == AGENCIES.c.agency_id)  # fmt: skip


def agencies(
    conn: Connection, *, status: str | list[str] | None = None, item_code: str | None = None,
    region: str | None = None, name: str | None = None, qualification: str | None = None,
    limit: int = 50, offset: int = 0, now: datetime | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Agencies with their rating (average evaluation), credit score and grade at ``now``, by name."""
    q = _listing()
    if status:
        q = q.where(AGENCIES.c.status.in_([status] if isinstance(status, str) else status))
    if item_code:
        offered = select(SERVICES.c.agency_id).where(SERVICES.c.item_code == item_code)
        q = q.where(AGENCIES.c.agency_id.in_(offered))
    if qualification:
        held = select(QUALIFICATIONS.c.agency_id).where(QUALIFICATIONS.c.category == qualification)
        q = q.where(AGENCIES.c.agency_id.in_(held))
    if region:
        q = q.where(AGENCIES.c.region.startswith(region_prefix(region)))
    if name:
        q = q.where(or_(AGENCIES.c.name.contains(name), AGENCIES.c.uscc == name.upper()))
    q = q.order_by(AGENCIES.c.name, AGENCIES.c.agency_id).limit(limit).offset(offset)
    return _with_credit(conn, [_rounded(dict(r._mapping)) for r in conn.execute(q)], now)


def agency(conn: Connection, agency_id: str, *, now: datetime | None = None) -> dict[str, Any] | None:
    """One agency's directory page; with ``now``, each suspension says whether it is in force."""
    aid = str(agency_id)
    row = conn.execute(
        select(AGENCIES, _RATINGS.c.rating, func.coalesce(_RATINGS.c.evaluations, 0).label("evaluations"))
        .outerjoin(_RATINGS, _RATINGS.c.agency_id == AGENCIES.c.agency_id)
        .where(AGENCIES.c.agency_id == aid)
    ).first()  # fmt: skip
    if row is None:
        return None
    view = _rounded(dict(row._mapping))
    view["qualifications"] = qualifications(conn, aid)
    view["services"] = [dict(r._mapping) for r in conn.execute(
        select(SERVICES.c.item_code, SERVICES.c.time_limit_days, SERVICES.c.fee_reference)
        .where(SERVICES.c.agency_id == aid).order_by(SERVICES.c.item_code)
    )]  # fmt: skip
    view["suspensions"] = suspensions(conn, aid, now=now)
    return _with_credit(conn, [view], now)[0]


def qualifications(conn: Connection, agency_id: str) -> list[dict[str, Any]]:
    """In the shape ``domain.qualifications.meets`` takes."""
    q = (select(QUALIFICATIONS.c.category, QUALIFICATIONS.c.level, QUALIFICATIONS.c.certificate_no,
                QUALIFICATIONS.c.valid_until)
         .where(QUALIFICATIONS.c.agency_id == str(agency_id)).order_by(QUALIFICATIONS.c.seq))  # fmt: skip
    return [dict(r._mapping) for r in conn.execute(q)]


def suspensions(conn: Connection, agency_id: str, *, now: datetime | None = None) -> list[dict[str, Any]]:
    s = SUSPENSIONS.c
    q = select(s.until, s.service_items, s.reason, s.at, s.lifted_at).where(s.agency_id == str(agency_id))
    rows = [dict(r._mapping) for r in conn.execute(q.order_by(s.version))]
    if now is not None:
        for r in rows:
            r["in_force"] = r["lifted_at"] is None and r["until"] > now
    return rows


def suspended_items(conn: Connection, agency_id: str, now: datetime) -> list[str] | None:
    """Items suspended now: None if none, [] if the whole agency is suspended."""
    s = SUSPENSIONS.c
    rows = conn.execute(
        select(s.service_items).where(and_(s.agency_id == str(agency_id), s.lifted_at.is_(None), s.until > now))
    ).scalars().all()  # fmt: skip
    if not rows:
        return None
    if any(not items for items in rows):
        return []
    return sorted({item for items in rows for item in items})


def _with_credit(conn: Connection, views: list[dict[str, Any]], now: datetime | None) -> list[dict[str, Any]]:
    """Each agency's credit score and grade (信用等级) at ``now``. Computed when asked, by the credit
    read model: a grade changes when a violation's window runs out, which no event marks."""
    found = agency_credit.standings(conn, [v["agency_id"] for v in views], now)
    for view in views:
        view["credit_score"], view["credit_grade"] = found[view["agency_id"]]["score"], found[view["agency_id"]]["grade"]
    return views


def _rounded(view: dict[str, Any]) -> dict[str, Any]:
    if view.get("rating") is not None:
        view["rating"] = round(float(view["rating"]), 1)
    return view

"""The operator's review queues (运营机构待办), oldest first: registrations and changes of
registered data (the formal check is due within 2 working days, 湘政办发〔2020〕46号
运行细则), notices awaiting review, and objections (质疑) awaiting decision.

One row per (kind, subject). A row stays after the decision, with the decision,
so that review times can be measured; ``waiting`` says whether it is in the queue.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Connection, String, Table, func, select

from domain.agency import Agency
from domain.procurement import Procurement
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime, region_prefix
from projections.rows import Rows

QUEUE = Table(
    "rm_op_queue", METADATA,
    Column("kind", String(16), primary_key=True),  # registration | change | notice | objection
    Column("subject_id", String(36), primary_key=True),  # the agency, procurement or objection
    Column("procurement_id", String(36)),  # an objection's procurement
    Column("title", String(200)), Column("uscc", String(18)), Column("item_code", String(32)),
    Column("region", String(12)),
    Column("waiting", Boolean, nullable=False, index=True),
    Column("resubmission", Boolean, nullable=False),  # back after being returned
    Column("submitted_at", UTCDateTime), Column("submitted_by", String(64)),
    Column("fields", JSON),  # a change: the registered-data fields it replaces; an objection: its reasons
    Column("proposed_name", String(200)),  # a change that renames the agency
    Column("agency_id", String(36)),  # an objection: the objecting agency
    Column("decision", String(16)), Column("decided_at", UTCDateTime), Column("decided_by", String(64)),
)  # fmt: skip

KINDS = {"registration": "入驻申请", "change": "信息变更", "notice": "选取公告", "objection": "质疑"}


class OperatorQueues(Projection):
    name = "operator_queues"
    version = 1
    tables = (QUEUE,)
    preload = ((QUEUE, "subject_id"),)

    def _enqueue(self, rows: Rows, kind: str, e: Any, **values: Any) -> None:
        key, subject = (kind, str(e.originator_id)), str(e.originator_id)
        values = dict(waiting=True, submitted_at=e.at, submitted_by=e.actor["id"], decision=None, decided_at=None,
                      decided_by=None, **values)  # fmt: skip
        if rows.get(QUEUE, key) is None:
            rows.insert(QUEUE, kind=kind, subject_id=subject, **values)
        else:
            rows.update(QUEUE, key, **values)

    def _decide(self, rows: Rows, key: tuple[str, str], e: Any, decision: str) -> None:
        row = rows.get(QUEUE, key)
        if row is not None and row["waiting"]:
            rows.update(QUEUE, key, waiting=False, decision=decision, decided_at=e.at, decided_by=e.actor["id"])

    # --- agencies -----------------------------------------------------------------

    @handles(Agency.Registered, Agency.Resubmitted)
    def registration(self, e: Any, rows: Rows) -> None:
        p = e.profile
        uscc = {"uscc": e.uscc} if is_event(e, Agency.Registered) else {}
        self._enqueue(rows, "registration", e, title=p["name"], region=p["region"],
                      resubmission=is_event(e, Agency.Resubmitted), **uscc)  # fmt: skip

    @handles(Agency.Admitted, Agency.Returned)
    def registration_decided(self, e: Any, rows: Rows) -> None:
        decision = "admitted" if is_event(e, Agency.Admitted) else "returned"
        self._decide(rows, ("registration", str(e.originator_id)), e, decision)

    @handles(Agency.ChangeSubmitted)
    def change(self, e: Any, rows: Rows) -> None:
        reg = rows.get(QUEUE, ("registration", str(e.originator_id))) or {}
        self._enqueue(rows, "change", e, title=reg.get("title"), uscc=reg.get("uscc"), region=reg.get("region"),
                      resubmission=False, fields=sorted(e.changes), proposed_name=e.changes.get("name"))  # fmt: skip

    @handles(Agency.ChangeApproved, Agency.ChangeReturned)
    def change_decided(self, e: Any, rows: Rows) -> None:
        approved, aid = is_event(e, Agency.ChangeApproved), str(e.originator_id)
        self._decide(rows, ("change", aid), e, "approved" if approved else "returned")
        change = rows.get(QUEUE, ("change", aid))
        if approved and change is not None and change["proposed_name"]:
            # Later change requests are titled with the name now in force.
            rows.update(QUEUE, ("registration", aid), title=change["proposed_name"])

    @handles(Agency.Expelled, Agency.Exited)
    def agency_gone(self, e: Any, rows: Rows) -> None:
        decision = "expelled" if is_event(e, Agency.Expelled) else "exited"
        self._decide(rows, ("registration", str(e.originator_id)), e, decision)
        self._decide(rows, ("change", str(e.originator_id)), e, decision)

    # --- notices ------------------------------------------------------------------

    @handles(Procurement.Drafted, Procurement.Amended)
    def notice_drafted(self, e: Any, rows: Rows) -> None:
        n = e.notice
        values = dict(title=n["project_name"], item_code=n["service_item_code"], region=n["region"])
        if is_event(e, Procurement.Drafted):
            rows.insert(QUEUE, kind="notice", subject_id=str(e.originator_id), waiting=False, resubmission=False,
                        **values)  # fmt: skip
        else:
            rows.update(QUEUE, ("notice", str(e.originator_id)), **values)

    @handles(Procurement.Submitted)
    def notice_submitted(self, e: Any, rows: Rows) -> None:
        notice = rows.get(QUEUE, ("notice", str(e.originator_id))) or {}
        self._enqueue(rows, "notice", e, resubmission=notice.get("decision") == "returned")

    @handles(Procurement.Published, Procurement.Returned, Procurement.Voided, Procurement.Terminated)
    def notice_decided(self, e: Any, rows: Rows) -> None:
        decision = {"Published": "published", "Returned": "returned", "Voided": "voided",
                    "Terminated": "terminated"}[type(e).__name__]  # fmt: skip
        self._decide(rows, ("notice", str(e.originator_id)), e, decision)
        if decision in ("voided", "terminated"):
            # Objections still pending are moot: nothing is left to award.
            for objection in rows.find(QUEUE, kind="objection", procurement_id=str(e.originator_id)):
                self._decide(rows, ("objection", objection["subject_id"]), e, decision)

    # --- objections ---------------------------------------------------------------

    @handles(Procurement.ObjectionFiled)
    def objection_filed(self, e: Any, rows: Rows) -> None:
        notice = rows.get(QUEUE, ("notice", str(e.originator_id))) or {}
        rows.insert(
            QUEUE, kind="objection", subject_id=e.objection_id, procurement_id=str(e.originator_id),
            title=notice.get("title"), item_code=notice.get("item_code"), region=notice.get("region"),
            agency_id=e.agency_id, fields=list(e.reasons), waiting=True, resubmission=False, submitted_at=e.at,
            submitted_by=e.actor["id"],
        )  # fmt: skip

    @handles(Procurement.ObjectionUpheld, Procurement.ObjectionDismissed)
    def objection_decided(self, e: Any, rows: Rows) -> None:
        decision = "upheld" if is_event(e, Procurement.ObjectionUpheld) else "dismissed"
        self._decide(rows, ("objection", e.objection_id), e, decision)


# --- queries (pure reads) ------------------------------------------------------------


def queue(
    conn: Connection, *, kind: str | None = None, region: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """What awaits review, oldest submission first."""
    q = QUEUE.c
    stmt = select(QUEUE).where(q.waiting.is_(True))
    if kind:
        stmt = stmt.where(q.kind == kind)
    if region:
        stmt = stmt.where(q.region.startswith(region_prefix(region)))
    stmt = stmt.order_by(q.submitted_at, q.kind, q.subject_id).limit(limit).offset(offset)
    return [{**dict(r._mapping), "kind_label": KINDS[r.kind]} for r in conn.execute(stmt)]


def counts(conn: Connection) -> dict[str, int]:
    """Queue length per kind (every kind present, zero when empty)."""
    q = QUEUE.c
    found = dict(conn.execute(select(q.kind, func.count()).where(q.waiting.is_(True)).group_by(q.kind)).all())
    return {kind: found.get(kind, 0) for kind in KINDS}


def decided(conn: Connection, *, kind: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Recent decisions, newest first (review times: decided_at − submitted_at)."""
    q = QUEUE.c
    stmt = select(QUEUE).where(q.decided_at.is_not(None))
    if kind:
        stmt = stmt.where(q.kind == kind)
    stmt = stmt.order_by(q.decided_at.desc(), q.kind, q.subject_id).limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(stmt)]

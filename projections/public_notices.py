"""What the public may see: 选取公告, 中选公示 and contracts — and only that.

* A notice appears once published (drafts are kept here, never returned by a query).
* **Sealed sign-ups.** While sign-up is open ``SignedUp`` and ``SignupWithdrawn``
  move a counter and nothing else: no table here holds who signed up or at what
  price before ``SignupClosed`` publishes the frozen list.
* Results carry the winner and the whole draw record, which anyone can re-verify;
  contracts appear once both parties confirmed them. No person data at all.

``feed`` is the open-data change feed: one row per public change, keyed by the
event's notification id, so that a client paging by it never misses or repeats.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Connection, Integer, String, Table, Text, and_, or_, select

from domain.procurement import Procurement as P
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime, budget_bounds, cents, jsonable, region_prefix
from projections.lifecycle import ProcurementLifecycle
from projections.names import NameBook, name_table
from projections.rows import Rows

NOTICES = Table(
    "rm_pub_notices", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False), Column("owner_name", String(200)),
    Column("project_code", String(64)), Column("project_name", String(200)),
    Column("total_investment", String(32)),
    Column("service_item_code", String(32), index=True), Column("service_item_name", String(200)),
    Column("approval_matter", String(200)),
    Column("department_id", String(36)), Column("department_name", String(200)),
    Column("region", String(12), index=True), Column("fund_source", String(16)), Column("method", String(32)),
    Column("budget", JSON), Column("budget_min_fen", BigInteger), Column("budget_max_fen", BigInteger),
    Column("service_time_limit_days", Integer), Column("requirement", JSON), Column("avoided", JSON),
    Column("description", Text),
    Column("signup_opens_at", UTCDateTime), Column("signup_closes_at", UTCDateTime, index=True),
    Column("selection_at", UTCDateTime), Column("publicity_end", UTCDateTime),  # 公示期满, objections until then
    Column("commitment", String(64)),  # SHA-256 of the draw secret, published with the notice
    Column("round_no", Integer), Column("previous_id", String(36)), Column("next_id", String(36)),
    Column("status", String(24), nullable=False, index=True),
    Column("published_at", UTCDateTime),  # NULL: not public (yet)
    Column("signup_count", Integer, nullable=False),
    Column("signup_closed_at", UTCDateTime), Column("list_hash", String(64)),
    Column("updated_at", UTCDateTime),
)  # fmt: skip

ENTRIES = Table(  # the frozen list, written at SignupClosed and not before
    "rm_pub_entries", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("agency_id", String(36), primary_key=True),
    Column("uscc", String(18)), Column("price", String(32)), Column("credit_score", Integer),
)  # fmt: skip

RESULTS = Table(
    "rm_pub_results", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("outcome", String(16), nullable=False),  # selected | shortlisted | failed | annulled
    Column("method", String(32)), Column("winner_id", String(36)), Column("failure_reason", String(64)),
    Column("record", JSON),  # the verifiable draw record, as published
    Column("selected_at", UTCDateTime), Column("awarded_at", UTCDateTime),
)  # fmt: skip

CONTRACTS = Table(
    "rm_pub_contracts", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("contract_no", String(64)), Column("amount", String(32)), Column("amount_fen", BigInteger),
    Column("winner_id", String(36)), Column("filed_at", UTCDateTime), Column("confirmed_at", UTCDateTime),
)  # fmt: skip

FEED = Table(
    "rm_pub_feed", METADATA,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("procurement_id", String(36), nullable=False), Column("kind", String(24), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)  # fmt: skip

NAMES = name_table("rm_pub_names")


def _notice_values(notice: dict[str, Any]) -> dict[str, Any]:
    low, high = budget_bounds(notice["budget"])
    keys = ("project_code", "project_name", "total_investment", "service_item_code", "approval_matter",
            "department_id", "region", "fund_source", "method", "service_time_limit_days", "description",
            "signup_opens_at", "signup_closes_at", "selection_at")  # fmt: skip
    return {
        **{k: notice.get(k) for k in keys},
        "budget": jsonable(notice["budget"]), "budget_min_fen": low, "budget_max_fen": high,
        "requirement": jsonable(notice["requirement"]), "avoided": jsonable(notice["avoided"]),
    }  # fmt: skip


class PublicNotices(NameBook, ProcurementLifecycle, Projection):
    name = "public_notices"
    version = 1
    names = NAMES
    lifecycle_table = NOTICES
    tables = (NOTICES, ENTRIES, RESULTS, CONTRACTS, FEED, NAMES)
    preload = ((NOTICES, "procurement_id"), (RESULTS, "procurement_id"), (CONTRACTS, "procurement_id"))

    def _feed(self, rows: Rows, e: Any, kind: str) -> None:
        """A row of the open-data feed, for changes of notices that are public."""
        pid = str(e.originator_id)
        if (rows.get(NOTICES, pid) or {}).get("published_at"):
            rows.insert(FEED, position=rows.position, procurement_id=pid, kind=kind, at=e.at)

    def _notice(self, rows: Rows, notice: dict[str, Any]) -> dict[str, Any]:
        values = _notice_values(notice)
        return {**values, "service_item_name": self.name_of(rows, "item", values["service_item_code"]),
                "department_name": self.name_of(rows, "department", values["department_id"])}  # fmt: skip

    @handles(P.Drafted)
    def drafted(self, e: Any, rows: Rows) -> None:
        rows.insert(
            NOTICES, procurement_id=str(e.originator_id), owner_id=e.owner_id,
            owner_name=self.name_of(rows, "owner", e.owner_id), round_no=e.round_no, previous_id=e.previous_id,
            status="draft", signup_count=0, updated_at=e.at, **self._notice(rows, e.notice),
        )  # fmt: skip

    @handles(P.Amended)
    def amended(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, **self._notice(rows, e.notice))

    @handles(P.Published)
    def published(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, commitment=e.commitment, published_at=e.at)
        self._feed(rows, e, "published")

    @handles(P.SignupOpened, P.Voided, P.Terminated, P.Evaluated, P.Republished)
    def public_change(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, **({"next_id": e.new_id} if is_event(e, P.Republished) else {}))
        self._feed(rows, e, _FEED_KIND[type(e).__name__])

    @handles(P.SignedUp, P.SignupWithdrawn)
    def signups_counted(self, e: Any, rows: Rows) -> None:
        # Only the count: who signed up, and at what price, stays sealed until the close.
        row = rows.get(NOTICES, str(e.originator_id))
        self._set(rows, e, signup_count=row["signup_count"] + (1 if is_event(e, P.SignedUp) else -1))

    @handles(P.SignupClosed)
    def signup_closed(self, e: Any, rows: Rows) -> None:
        pid = str(e.originator_id)
        for entry in e.entries:
            rows.insert(ENTRIES, procurement_id=pid, agency_id=entry["agency_id"], uscc=entry["uscc"],
                        price=entry.get("price"), credit_score=entry.get("credit_score"))  # fmt: skip
        self._set(rows, e, signup_closed_at=e.at, list_hash=e.list_hash, signup_count=len(e.entries))
        self._feed(rows, e, "signup_closed")

    @handles(P.WinnerSelected, P.Shortlisted, P.SelectionFailed, P.PickedFromShortlist)
    def selected(self, e: Any, rows: Rows) -> None:
        # A selection re-run after an upheld objection, or the owner's pick from a
        # short list, replaces the result shown so far.
        pid, outcome = str(e.originator_id), e.result["outcome"]
        rows.delete(RESULTS, pid)
        rows.insert(RESULTS, procurement_id=pid, outcome=outcome["status"], method=outcome["method"],
                    winner_id=outcome.get("winner"), failure_reason=outcome.get("failure_reason"),
                    record=jsonable(e.result), selected_at=e.at)  # fmt: skip
        self._set(rows, e)
        self._feed(rows, e, "result")

    @handles(P.ObjectionUpheld)
    def objection_upheld(self, e: Any, rows: Rows) -> None:
        pid = str(e.originator_id)
        if e.excluded_agency_id:
            rows.delete(ENTRIES, (pid, e.excluded_agency_id))
        rows.update(RESULTS, pid, outcome="failed" if e.failed else "annulled", winner_id=None,
                    failure_reason="objection_upheld")  # fmt: skip
        self._set(rows, e, list_hash=e.list_hash, signup_count=len(e.entries))
        self._feed(rows, e, "objection_upheld")

    @handles(P.Awarded)
    def awarded(self, e: Any, rows: Rows) -> None:
        rows.update(RESULTS, str(e.originator_id), awarded_at=e.at)
        self._set(rows, e)
        self._feed(rows, e, "awarded")

    @handles(P.ContractFiled)
    def contract_filed(self, e: Any, rows: Rows) -> None:
        pid, c = str(e.originator_id), e.contract
        result = rows.get(RESULTS, pid) or {}
        rows.insert(CONTRACTS, procurement_id=pid, contract_no=c["contract_no"], amount=c["amount"],
                    amount_fen=cents(c["amount"]), winner_id=result.get("winner_id"), filed_at=e.at)  # fmt: skip
        self._set(rows, e)

    @handles(P.ContractConfirmed)
    def contract_confirmed(self, e: Any, rows: Rows) -> None:
        rows.update(CONTRACTS, str(e.originator_id), confirmed_at=e.at)
        self._set(rows, e)
        self._feed(rows, e, "contract")


_FEED_KIND = {"SignupOpened": "signup_opened", "Voided": "voided", "Terminated": "terminated", "Evaluated": "closed",
              "Republished": "republished"}  # fmt: skip

# --- queries (pure reads) ------------------------------------------------------------

_LIST_COLUMNS = [c for c in NOTICES.c if c.name not in ("requirement", "avoided", "description")]


def notices(
    conn: Connection, *, status: str | list[str] | None = None, item_code: str | None = None,
    region: str | None = None, department_id: str | None = None, open_at: datetime | None = None,
    text: str | None = None, limit: int = 50, offset: int = 0,
) -> list[dict[str, Any]]:  # fmt: skip
    """Published notices, newest first; ``open_at`` keeps those open for sign-up at that moment,
    ``text`` those whose project name, project code or owner matches."""
    q = select(*_LIST_COLUMNS).where(NOTICES.c.published_at.is_not(None))
    if text:
        q = q.where(_matching(text))
    if status:
        q = q.where(NOTICES.c.status.in_([status] if isinstance(status, str) else status))
    if item_code:
        q = q.where(NOTICES.c.service_item_code == item_code)
    if region:
        q = q.where(NOTICES.c.region.startswith(region_prefix(region)))
    if department_id:
        q = q.where(NOTICES.c.department_id == department_id)
    if open_at is not None:
        q = q.where(and_(NOTICES.c.status == "signup_open", NOTICES.c.signup_closes_at > open_at))
    return _rows(conn, q.order_by(NOTICES.c.published_at.desc(), NOTICES.c.procurement_id).limit(limit).offset(offset))


def notice(conn: Connection, procurement_id: str) -> dict[str, Any] | None:
    """One published notice with what is public at this stage (count, or list after the close)."""
    row = conn.execute(
        select(NOTICES).where(NOTICES.c.procurement_id == str(procurement_id), NOTICES.c.published_at.is_not(None))
    ).first()
    if row is None:
        return None
    view = dict(row._mapping)
    view["signups"] = _entries(conn, view["procurement_id"]) if view["signup_closed_at"] else None
    view["result"] = result(conn, view["procurement_id"])
    view["contract"] = contract(conn, view["procurement_id"])
    return view


def _matching(text: str) -> Any:
    """A notice whose project name or owner contains ``text``, or whose project code is ``text``."""
    return or_(NOTICES.c.project_name.contains(text, autoescape=True), NOTICES.c.project_code == text,
               NOTICES.c.owner_name.contains(text, autoescape=True))  # fmt: skip


def _rows(conn: Connection, q: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(q)]


def _agency_named(column: Any) -> Any:
    return and_(NAMES.c.kind == "agency", NAMES.c.key == column)


def _entries(conn: Connection, pid: str) -> list[dict[str, Any]]:
    e = ENTRIES.c
    q = (select(e.agency_id, e.uscc, NAMES.c.name, e.price, e.credit_score)
         .outerjoin(NAMES, _agency_named(e.agency_id)).where(e.procurement_id == pid).order_by(e.uscc))  # fmt: skip
    return _rows(conn, q)


def result(conn: Connection, procurement_id: str) -> dict[str, Any] | None:
    """The 中选公示: outcome, winner and the verifiable draw record."""
    q = (select(RESULTS, NAMES.c.name.label("winner_name"), NAMES.c.uscc.label("winner_uscc"))
         .outerjoin(NAMES, _agency_named(RESULTS.c.winner_id)).where(RESULTS.c.procurement_id == str(procurement_id)))
    return next(iter(_rows(conn, q)), None)


def results(conn: Connection, *, text: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Results, newest first, with the notice's state and 公示期满 (objections until then)."""
    q = (
        select(RESULTS.c.procurement_id, NOTICES.c.project_name, NOTICES.c.service_item_name, RESULTS.c.outcome,
               RESULTS.c.method, RESULTS.c.winner_id, NAMES.c.name.label("winner_name"),
               RESULTS.c.failure_reason, RESULTS.c.selected_at, RESULTS.c.awarded_at, NOTICES.c.status,
               NOTICES.c.publicity_end)
        .join(NOTICES, NOTICES.c.procurement_id == RESULTS.c.procurement_id)
        .outerjoin(NAMES, _agency_named(RESULTS.c.winner_id))
    )  # fmt: skip
    if text:
        q = q.where(_matching(text))
    return _rows(conn, q.order_by(RESULTS.c.selected_at.desc(), RESULTS.c.procurement_id).limit(limit).offset(offset))


def contract(conn: Connection, procurement_id: str) -> dict[str, Any] | None:
    """A confirmed contract's public particulars (contract no., amount, winner)."""
    return next(iter(contracts(conn, procurement_id=str(procurement_id), limit=1)), None)


def contracts(
    conn: Connection, *, procurement_id: str | None = None, text: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict]:
    q = (
        select(CONTRACTS.c.procurement_id, NOTICES.c.project_name, CONTRACTS.c.contract_no, CONTRACTS.c.amount,
               CONTRACTS.c.winner_id, NAMES.c.name.label("winner_name"), CONTRACTS.c.confirmed_at)
        .join(NOTICES, NOTICES.c.procurement_id == CONTRACTS.c.procurement_id)
        .outerjoin(NAMES, _agency_named(CONTRACTS.c.winner_id)).where(CONTRACTS.c.confirmed_at.is_not(None))
    )  # fmt: skip
    if procurement_id:
        q = q.where(CONTRACTS.c.procurement_id == procurement_id)
    if text:
        q = q.where(or_(_matching(text), CONTRACTS.c.contract_no == text))
    q = q.order_by(CONTRACTS.c.confirmed_at.desc(), CONTRACTS.c.procurement_id).limit(limit).offset(offset)
    return _rows(conn, q)


def feed(conn: Connection, *, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Public changes after a cursor (a notification id), oldest first."""
    return _rows(conn, select(FEED).where(FEED.c.position > after).order_by(FEED.c.position).limit(limit))

"""The regulator's procurement search (监管查询): filter by state, item, region, department,
owner, agency, method, dates and amount, with paging.

Regulators see everything *after* the close (issue 4, sealed quotes), so the
agencies taking part are recorded from the frozen list at ``SignupClosed``, not
from the sealed sign-ups before it: an "agency" filter finds a procurement once
the list is frozen. The amount filtered on is the best figure known: the
contract amount, else the winning price, else the budget ceiling.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Connection, Integer, String, Table, and_, func, select

from domain.procurement import Procurement as P
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime, budget_bounds, cents, region_prefix, yuan
from projections.lifecycle import ProcurementLifecycle
from projections.names import NameBook, name_table
from projections.rows import Rows

PROCUREMENTS = Table(
    "rm_search_procurements", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False, index=True), Column("created_by", String(64)),
    Column("department_id", String(36), index=True), Column("service_item_code", String(32), index=True),
    Column("region", String(12), index=True), Column("method", String(32), index=True),
    Column("fund_source", String(16)), Column("status", String(24), nullable=False, index=True),
    Column("project_code", String(64)), Column("project_name", String(200)), Column("round_no", Integer),
    Column("previous_id", String(36)), Column("next_id", String(36)),
    Column("budget_min_fen", BigInteger), Column("budget_max_fen", BigInteger),
    Column("winning_price_fen", BigInteger), Column("contract_amount_fen", BigInteger),
    Column("signup_count", Integer, nullable=False), Column("winner_id", String(36), index=True),
    Column("objections", Integer, nullable=False),  # 质疑 filed
    Column("drafted_at", UTCDateTime, index=True), Column("submitted_at", UTCDateTime),
    Column("published_at", UTCDateTime, index=True), Column("signup_closes_at", UTCDateTime),
    Column("signup_closed_at", UTCDateTime), Column("selected_at", UTCDateTime), Column("awarded_at", UTCDateTime),
    Column("contract_confirmed_at", UTCDateTime), Column("ended_at", UTCDateTime),  # closed, voided or terminated
    Column("updated_at", UTCDateTime),
)  # fmt: skip

PARTICIPANTS = Table(
    "rm_search_participants", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("agency_id", String(36), primary_key=True),
    Column("won", Boolean, nullable=False),
)  # fmt: skip

NAMES = name_table("rm_search_names")
DATE_FIELDS = ("drafted_at", "published_at", "signup_closes_at", "selected_at", "awarded_at",
               "contract_confirmed_at", "ended_at")  # fmt: skip



def _notice_values(n: dict[str, Any]) -> dict[str, Any]:
    low, high = budget_bounds(n["budget"])
    keys = ("department_id", "service_item_code", "region", "method", "fund_source", "project_code", "project_name",
            "signup_closes_at")  # fmt: skip
    return {**{k: n[k] for k in keys}, "budget_min_fen": low, "budget_max_fen": high}


# Moments worth searching by, set when these events happen.
_STAMPS = {
    "Submitted": "submitted_at", "Published": "published_at", "SignupClosed": "signup_closed_at",
    "WinnerSelected": "selected_at", "Shortlisted": "selected_at", "SelectionFailed": "selected_at",
    "PickedFromShortlist": "selected_at", "Awarded": "awarded_at", "ContractConfirmed": "contract_confirmed_at",
    "Evaluated": "ended_at", "Voided": "ended_at", "Terminated": "ended_at",
}  # fmt: skip


class ProcurementSearch(NameBook, ProcurementLifecycle, Projection):
    name = "procurement_search"
    version = 1
    names = NAMES
    lifecycle_table = PROCUREMENTS
    tables = (PROCUREMENTS, PARTICIPANTS, NAMES)
    preload = ((PROCUREMENTS, "procurement_id"), (PARTICIPANTS, "procurement_id"))

    def _set(self, rows: Rows, e: Any, **values: Any) -> dict[str, Any] | None:
        stamp = _STAMPS.get(type(e).__name__)
        return super()._set(rows, e, **({stamp: e.at} if stamp else {}), **values)

    def _participants(self, rows: Rows, e: Any) -> list[dict[str, Any]]:
        return rows.find(PARTICIPANTS, procurement_id=str(e.originator_id))

    @handles(P.Drafted)
    def drafted(self, e: Any, rows: Rows) -> None:
        rows.insert(
            PROCUREMENTS, procurement_id=str(e.originator_id), owner_id=e.owner_id, created_by=e.created_by,
            status="draft", round_no=e.round_no, previous_id=e.previous_id, signup_count=0, objections=0,
            drafted_at=e.at, updated_at=e.at, **_notice_values(e.notice),
        )  # fmt: skip

    @handles(P.Amended)
    def amended(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, **_notice_values(e.notice))

    @handles(P.SignedUp, P.SignupWithdrawn, P.ObjectionFiled)
    def counted(self, e: Any, rows: Rows) -> None:
        row = rows.get(PROCUREMENTS, str(e.originator_id))
        if is_event(e, P.ObjectionFiled):
            self._set(rows, e, objections=row["objections"] + 1)
        else:  # the count only, until the close
            self._set(rows, e, signup_count=row["signup_count"] + (1 if is_event(e, P.SignedUp) else -1))

    @handles(P.SignupClosed)
    def signup_closed(self, e: Any, rows: Rows) -> None:
        for entry in e.entries:
            rows.insert(PARTICIPANTS, procurement_id=str(e.originator_id), agency_id=entry["agency_id"], won=False)
        self._set(rows, e, signup_count=len(e.entries))

    @handles(P.WinnerSelected, P.PickedFromShortlist)
    def winner_selected(self, e: Any, rows: Rows) -> None:
        winner = e.result["outcome"]["winner"]
        price = next((x.get("price") for x in e.result.get("entries", []) if x["agency_id"] == winner), None)
        for p in self._participants(rows, e):
            rows.update(PARTICIPANTS, (p["procurement_id"], p["agency_id"]), won=p["agency_id"] == winner)
        self._set(rows, e, winner_id=winner, winning_price_fen=cents(price))

    @handles(P.ObjectionUpheld)
    def objection_upheld(self, e: Any, rows: Rows) -> None:
        for p in self._participants(rows, e):
            key = (p["procurement_id"], p["agency_id"])
            if p["agency_id"] == e.excluded_agency_id:  # struck out of the list: it no longer takes part
                rows.delete(PARTICIPANTS, key)
            else:
                rows.update(PARTICIPANTS, key, won=False)
        self._set(rows, e, winner_id=None, winning_price_fen=None, signup_count=len(e.entries))

    @handles(P.ContractFiled)
    def contract_filed(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, contract_amount_fen=cents(e.contract["amount"]))

    @handles(P.Republished)
    def republished(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, next_id=e.new_id)


# --- queries (pure reads) ------------------------------------------------------------

_t = PROCUREMENTS.c
AMOUNT = func.coalesce(_t.contract_amount_fen, _t.winning_price_fen, _t.budget_max_fen)


def _name(kind: str, key: Any, label: str) -> Any:
    n = NAMES.alias(f"n_{label}")
    return n, and_(n.c.kind == kind, n.c.key == key), n.c.name.label(label)


def search(
    conn: Connection, *, status: str | list[str] | None = None, item_code: str | None = None,
    region: str | None = None, department_id: str | None = None, owner_id: str | None = None,
    agency_id: str | None = None, method: str | None = None, date_field: str = "published_at",
    date_from: datetime | None = None, date_to: datetime | None = None,
    amount_min: Decimal | str | None = None, amount_max: Decimal | str | None = None,
    text: str | None = None, limit: int = 50, offset: int = 0,
) -> dict[str, Any]:  # fmt: skip
    """One page of matching procurements, newest draft first, and the total count.

    Dates bound ``date_field`` (one of DATE_FIELDS) as [date_from, date_to);
    amounts are yuan, bounds included.
    """
    if date_field not in DATE_FIELDS:
        raise ValueError(f"date_field must be one of {DATE_FIELDS}")
    where = []
    if status:
        where.append(_t.status.in_([status] if isinstance(status, str) else status))
    for column, value in ((_t.service_item_code, item_code), (_t.department_id, department_id),
                          (_t.owner_id, owner_id), (_t.method, method)):  # fmt: skip
        if value:
            where.append(column == str(value))
    if region:
        where.append(_t.region.startswith(region_prefix(region)))
    if agency_id:
        p = PARTICIPANTS.c
        took_part = select(p.procurement_id).where(p.agency_id == str(agency_id))
        where.append(_t.procurement_id.in_(took_part))
    if date_from is not None:
        where.append(_t[date_field] >= date_from)
    if date_to is not None:
        where.append(_t[date_field] < date_to)
    if amount_min is not None:
        where.append(AMOUNT >= cents(amount_min))
    if amount_max is not None:
        where.append(AMOUNT <= cents(amount_max))
    if text:
        where.append(_t.project_name.contains(text) | (_t.project_code == text))
    total = conn.execute(select(func.count()).select_from(PROCUREMENTS).where(*where)).scalar() or 0
    owner, on_owner, owner_name = _name("owner", _t.owner_id, "owner_name")
    dept, on_dept, dept_name = _name("department", _t.department_id, "department_name")
    item, on_item, item_name = _name("item", _t.service_item_code, "service_item_name")
    winner, on_winner, winner_name = _name("agency", _t.winner_id, "winner_name")
    q = (select(PROCUREMENTS, AMOUNT.label("amount_fen"), owner_name, dept_name, item_name, winner_name)
         .outerjoin(owner, on_owner).outerjoin(dept, on_dept).outerjoin(item, on_item).outerjoin(winner, on_winner)
         .where(*where).order_by(_t.drafted_at.desc(), _t.procurement_id).limit(limit).offset(offset))  # fmt: skip
    items = []
    for row in conn.execute(q):
        view = dict(row._mapping)
        view["amount"] = yuan(view["amount_fen"])
        items.append(view)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def participants(conn: Connection, procurement_id: str) -> list[dict[str, Any]]:
    """The agencies on the frozen list (after the close only) and who won."""
    p = PARTICIPANTS.c
    q = (select(p.agency_id, NAMES.c.name, NAMES.c.uscc, p.won)
         .outerjoin(NAMES, and_(NAMES.c.kind == "agency", NAMES.c.key == p.agency_id))
         .where(p.procurement_id == str(procurement_id)).order_by(NAMES.c.uscc, p.agency_id))  # fmt: skip
    return [dict(r._mapping) for r in conn.execute(q)]


def display_names(conn: Connection, kind: str, keys: Iterable[str]) -> dict[str, str]:
    """Names by key of one kind (department, item, owner, agency), for reports and lists."""
    wanted = sorted({str(k) for k in keys if k})
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        q = select(NAMES.c.key, NAMES.c.name).where(NAMES.c.kind == kind, NAMES.c.key.in_(wanted[i : i + 500]))
        found.update({r.key: r.name for r in conn.execute(q)})
    return found

"""Bidding patterns (串通投标, domain.md §9.4): who bid what, when, from where, and with whom.

A read model of what the collusion screens (market/oversight/collusion.py) judge:
* per procurement: its market (service item × region), method, price band and
  sign-up deadline; at the selection its month, winner, number of valid bids and
  the two cover-bidding screens RD and CV (Imhof [43]), with the selection event
  as evidence;
* per sign-up: when, from which network address (``submitted_from``), the
  agency's phone, e-mail and address *as they stood at the sign-up* (each with the
  profile event that set it), withdrawal, and at the selection its price and
  whether that bid was valid;
* co-bidding counts: per pair of agencies and month, the procurements whose
  frozen lists held both, and per agency and month its bids, so that a ring
  screen reads pair counts for a window, never the procurements themselves.

A procurement is counted once, at its first selection outcome (a re-selection
after an upheld objection changes its winner, not its counts). Rows carry the
position of the last event that touched them, for the incremental scans.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Connection, Float, Index, Integer, String, Table, func, or_,
                        select)

from domain.agency import Agency
from domain.procurement import Procurement as P
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime, cents
from projections.red_top_links import CONTACT_KINDS, normalise_contact
from projections.rows import Rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Price screens judge price competitions only: a draw, a designation or a merit ranking
# does not turn on the quotes (§9.1: "exclude random draws and direct selection from price screens").
SCREENED_METHODS = ("lowest_price", "reasonable_price")

AGENCIES = Table(
    "rm_bid_agencies", METADATA,
    Column("agency_id", String(36), primary_key=True),
    Column("contacts", JSON, nullable=False),  # kind → {value (normalised), position, version, event}
    Column("pending", JSON),  # contact changes submitted and not yet decided
)  # fmt: skip

PROCUREMENTS = Table(
    "rm_bid_procurements", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False), Column("service_item", String(32)), Column("region", String(12)),
    Column("method", String(32)), Column("ceiling_fen", BigInteger), Column("floor_fen", BigInteger),
    Column("signup_closes_at", UTCDateTime),
    Column("status", String(12), nullable=False),  # open, selected, shortlisted or failed
    Column("month", String(7)), Column("selected_at", UTCDateTime), Column("winner_id", String(36)),
    Column("valid_bids", Integer), Column("rd", Float), Column("cv", Float),
    Column("selection_position", BigInteger), Column("selection_version", Integer),
    Column("selection_event", String(40)),
    Column("position", BigInteger, nullable=False, index=True),
    Index(None, "service_item", "region", "month"),
)  # fmt: skip

SIGNUPS = Table(
    "rm_bid_signups", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("agency_id", String(36), primary_key=True),
    Column("signed_up_at", UTCDateTime, nullable=False), Column("submitted_from", String(64)),
    Column("contacts", JSON, nullable=False),  # the agency's contacts at the sign-up, with their evidence
    Column("withdrawn", Boolean, nullable=False),
    Column("withdrawn_position", BigInteger), Column("withdrawn_version", Integer),
    Column("excluded", Boolean, nullable=False),  # struck out by an upheld objection (质疑成立)
    Column("month", String(7)),  # the procurement's selection month, once selected
    Column("price_fen", BigInteger), Column("valid", Boolean),
    Column("signup_position", BigInteger, nullable=False), Column("signup_version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False, index=True),
    Index(None, "agency_id", "month"),
)  # fmt: skip

PAIRS = Table(
    "rm_bid_pairs", METADATA,  # agency_a < agency_b
    Column("agency_a", String(36), primary_key=True), Column("agency_b", String(36), primary_key=True),
    Column("month", String(7), primary_key=True), Column("together", Integer, nullable=False),
    Index(None, "agency_b", "month"),
)  # fmt: skip

AGENCY_MONTHS = Table(
    "rm_bid_agency_months", METADATA,
    Column("agency_id", String(36), primary_key=True), Column("month", String(7), primary_key=True),
    Column("bids", Integer, nullable=False), Column("wins", Integer, nullable=False),
)  # fmt: skip


def month_of(at: Any) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m")


def screens(prices: list[int]) -> tuple[float | None, float | None]:
    """(RD, CV) of valid bids in fen (Imhof [43]; population σ).

    RD = (b₂ − b₁)/σ(losing bids), None with fewer than three bids or losing bids all
    equal; CV = σ/μ of all bids, None with fewer than three.
    """
    if len(prices) < 3:
        return None, None
    b = sorted(prices)
    losing = b[1:]
    mean_losing = sum(losing) / len(losing)
    sd_losing = math.sqrt(sum((x - mean_losing) ** 2 for x in losing) / len(losing))
    mean = sum(b) / len(b)
    sd = math.sqrt(sum((x - mean) ** 2 for x in b) / len(b))
    rd = round((b[1] - b[0]) / sd_losing, 4) if sd_losing > 0 else None
    return rd, round(sd / mean, 6) if mean > 0 else None


def _contact(rows: Rows, e: Any, event: str, value: Any, kind: str) -> dict[str, Any] | None:
    normal = normalise_contact(kind, value)
    if normal is None:
        return None
    return {"value": normal, "position": rows.position, "version": e.originator_version, "event": event}


class BiddingPatterns(Projection):
    name = "bidding_patterns"
    version = 1
    tables = (AGENCIES, PROCUREMENTS, SIGNUPS, PAIRS, AGENCY_MONTHS)
    preload = ((AGENCIES, "agency_id"), (PROCUREMENTS, "procurement_id"), (SIGNUPS, "procurement_id"))

    def prepare(self, rows: Rows, events: Sequence[Any]) -> None:
        """Also the batch's bidders' contacts and co-bidding buckets: one query per table, not one per pair."""
        super().prepare(rows, events)
        rows.preload(AGENCIES, "agency_id", {str(e.agency_id) for e in events if is_event(e, P.SignedUp)})
        pairs, months = set(), set()
        for e in events:
            if is_event(e, P.WinnerSelected, P.Shortlisted, P.SelectionFailed, P.PickedFromShortlist):
                month = month_of(e.at)
                bidders = sorted(x["agency_id"] for x in e.result.get("entries", []))
                pairs |= {(a, b, month) for a, b in combinations(bidders, 2)}
                months |= {(a, month) for a in bidders}
        rows.preload_keys(PAIRS, pairs)
        rows.preload_keys(AGENCY_MONTHS, months)

    # --- agencies' contacts -------------------------------------------------------------

    def _contacts(self, rows: Rows, e: Any, event: str, fields: dict[str, Any]) -> None:
        aid = str(e.originator_id)
        row = rows.get(AGENCIES, aid)
        contacts = dict(row["contacts"]) if row else {}
        for kind in CONTACT_KINDS:
            if kind in fields:
                item = _contact(rows, e, event, fields[kind], kind)
                if item is None:
                    contacts.pop(kind, None)
                elif (contacts.get(kind) or {}).get("value") != item["value"]:
                    contacts[kind] = item
        if row is None:
            rows.insert(AGENCIES, agency_id=aid, contacts=contacts, pending=None)
        else:
            rows.update(AGENCIES, aid, contacts=contacts)

    @handles(Agency.Registered, Agency.Resubmitted)
    def profiled(self, e: Any, rows: Rows) -> None:
        self._contacts(rows, e, type(e).__name__, e.profile)

    @handles(Agency.ChangeSubmitted)
    def change_submitted(self, e: Any, rows: Rows) -> None:
        if rows.get(AGENCIES, str(e.originator_id)) is not None:
            pending = {k: v for k, v in e.changes.items() if k in CONTACT_KINDS}
            rows.update(AGENCIES, str(e.originator_id), pending=pending)

    @handles(Agency.ChangeApproved, Agency.ChangeReturned)
    def change_decided(self, e: Any, rows: Rows) -> None:
        row = rows.get(AGENCIES, str(e.originator_id))
        if row is None:
            return
        pending = row["pending"] or {}
        rows.update(AGENCIES, str(e.originator_id), pending=None)
        if type(e).__name__ == "ChangeApproved" and pending:
            self._contacts(rows, e, "ChangeApproved", pending)

    # --- procurements and their sign-ups ---------------------------------------------------

    @handles(P.Drafted, P.Amended)
    def noticed(self, e: Any, rows: Rows) -> None:
        n, pid = e.notice, str(e.originator_id)
        budget = n.get("budget") or {}
        ranged = budget.get("kind") == "range"
        values = {"service_item": n.get("service_item_code"), "region": n.get("region"), "method": n.get("method"),
                  "ceiling_fen": cents(budget.get("max") if ranged else budget.get("amount")),
                  "floor_fen": cents(budget.get("min")) if ranged else None,
                  "signup_closes_at": n.get("signup_closes_at"), "position": rows.position}  # fmt: skip
        if rows.get(PROCUREMENTS, pid) is None:
            rows.insert(PROCUREMENTS, procurement_id=pid, owner_id=e.owner_id, status="open", **values)
        else:
            rows.update(PROCUREMENTS, pid, **values)

    @handles(P.SignedUp)
    def signed_up(self, e: Any, rows: Rows) -> None:
        pid, aid = str(e.originator_id), str(e.agency_id)
        agency = rows.get(AGENCIES, aid)
        values = {"signed_up_at": e.at, "submitted_from": e.submitted_from, "withdrawn": False,
                  "withdrawn_position": None, "withdrawn_version": None, "excluded": False,
                  "contacts": dict(agency["contacts"]) if agency else {}, "signup_position": rows.position,
                  "signup_version": e.originator_version, "position": rows.position}  # fmt: skip
        if rows.get(SIGNUPS, (pid, aid)) is None:
            rows.insert(SIGNUPS, procurement_id=pid, agency_id=aid, **values)
        else:  # signed up again after a withdrawal
            rows.update(SIGNUPS, (pid, aid), **values)
        rows.update(PROCUREMENTS, pid, position=rows.position)

    @handles(P.SignupWithdrawn)
    def withdrawn(self, e: Any, rows: Rows) -> None:
        pid = str(e.originator_id)
        if rows.update(SIGNUPS, (pid, str(e.agency_id)), withdrawn=True, withdrawn_position=rows.position,
                       withdrawn_version=e.originator_version, position=rows.position) is not None:  # fmt: skip
            rows.update(PROCUREMENTS, pid, position=rows.position)

    @handles(P.WinnerSelected, P.Shortlisted, P.SelectionFailed, P.PickedFromShortlist)
    def selected(self, e: Any, rows: Rows) -> None:
        pid = str(e.originator_id)
        row = rows.get(PROCUREMENTS, pid)
        if row is None:
            return
        outcome = e.result["outcome"]
        evidence = {"selection_position": rows.position, "selection_version": e.originator_version,
                    "selection_event": type(e).__name__, "position": rows.position}  # fmt: skip
        status = {"selected": "selected", "shortlisted": "shortlisted"}.get(outcome["status"], "failed")
        winner = outcome.get("winner") if status == "selected" else None
        first = row["month"] is None  # counted once: a re-selection (after 质疑) changes winner and bids only
        if not first:
            self._win(rows, row, -1)
        month = row["month"] or month_of(e.at)
        rejected = set((outcome.get("figures") or {}).get("rejected") or [])
        priced = {x["agency_id"]: cents(x["price"]) for x in e.result.get("entries", []) if x.get("price") is not None}
        bidders = sorted(x["agency_id"] for x in e.result.get("entries", []))
        for aid in bidders:
            price = priced.get(aid)
            rows.update(SIGNUPS, (pid, aid), month=month, price_fen=price,
                        valid=price is not None and aid not in rejected, position=rows.position)  # fmt: skip
        valid = [p for a, p in priced.items() if a not in rejected] if row["method"] in SCREENED_METHODS else []
        rd, cv = screens(valid)
        row = rows.update(PROCUREMENTS, pid, status=status, month=month, selected_at=row["selected_at"] or e.at,
                          winner_id=winner, valid_bids=len(valid) if row["method"] in SCREENED_METHODS else None,
                          rd=rd, cv=cv, **evidence)  # fmt: skip
        self._win(rows, row, +1)
        if not first:
            return
        for a, b in combinations(bidders, 2):
            pair = _bucket(rows, PAIRS, (a, b, month), together=0)
            rows.update(PAIRS, (a, b, month), together=pair["together"] + 1)
        for aid in bidders:
            bucket = _bucket(rows, AGENCY_MONTHS, (aid, month), bids=0, wins=0)
            rows.update(AGENCY_MONTHS, (aid, month), bids=bucket["bids"] + 1)

    def _win(self, rows: Rows, row: dict[str, Any], sign: int) -> None:
        if row["winner_id"]:
            key = (row["winner_id"], row["month"])
            bucket = _bucket(rows, AGENCY_MONTHS, key, bids=0, wins=0)
            rows.update(AGENCY_MONTHS, key, wins=bucket["wins"] + sign)

    @handles(P.ObjectionUpheld)
    def annulled(self, e: Any, rows: Rows) -> None:
        row = rows.get(PROCUREMENTS, str(e.originator_id))
        if row is not None and row["month"] is not None:
            self._win(rows, row, -1)
            rows.update(PROCUREMENTS, row["procurement_id"], winner_id=None, position=rows.position)
            if e.excluded_agency_id:  # struck out: no longer a bid of this procurement
                rows.update(SIGNUPS, (row["procurement_id"], str(e.excluded_agency_id)), excluded=True, valid=False,
                            position=rows.position)  # fmt: skip


def _bucket(rows: Rows, table: Table, key: tuple[Any, ...], **zero: int) -> dict[str, Any]:
    row = rows.get(table, key)
    if row is None:
        names = [c.name for c in table.primary_key.columns]
        row = rows.insert(table, **dict(zip(names, key, strict=True)), **zero)
    return row


# --- queries --------------------------------------------------------------------------


def _dicts(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


def evidence_of(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A row's event (``signup``, ``withdrawn`` or ``selection``) as a flag's evidence item."""
    event = {"signup": "SignedUp", "withdrawn": "SignupWithdrawn"}.get(prefix) or row["selection_event"]
    return {"position": row[f"{prefix}_position"], "aggregate_id": row["procurement_id"],
            "version": row[f"{prefix}_version"], "event": event}  # fmt: skip


def procurements(conn: Connection, *, after: int | None = None, upto: int | None = None,
                 months: list[str] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Procurements past their selection: changed at positions in (after, upto], or selected in ``months``."""
    p = PROCUREMENTS.c
    where = [p.month.is_not(None)]
    if after is not None:
        where += [p.position > after, p.position <= upto]
    if months is not None:
        where.append(p.month.in_(months))
    return _dicts(conn, select(PROCUREMENTS).where(*where).order_by(p.procurement_id))


def signups_of(conn: Connection, procurement_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Each procurement's sign-ups, in the order they came."""
    s, ids = SIGNUPS.c, sorted(set(procurement_ids))
    found: dict[str, list[dict[str, Any]]] = {pid: [] for pid in ids}
    for i in range(0, len(ids), 500):
        q = select(SIGNUPS).where(s.procurement_id.in_(ids[i : i + 500]))
        for row in _dicts(conn, q.order_by(s.signup_position)):
            found[row["procurement_id"]].append(row)
    return found


def market_screens(conn: Connection, service_item: str, region: str, months: list[str]) -> list[dict[str, Any]]:
    """RD and CV of every screened procurement of one market (item × region) in these months."""
    p = PROCUREMENTS.c
    q = (select(p.procurement_id, p.valid_bids, p.rd, p.cv)
         .where(p.service_item == service_item, p.region == region, p.month.in_(months),
                p.cv.is_not(None)))  # fmt: skip
    return _dicts(conn, q)


def strong_pairs(conn: Connection, months: list[str], minimum: int,
                 agencies: Iterable[str] | None = None) -> dict[tuple[str, str], int]:  # fmt: skip
    """Pairs of agencies whose lists held both ≥ ``minimum`` times in these months (of these agencies, if given)."""
    t = PAIRS.c
    q = select(t.agency_a, t.agency_b, func.sum(t.together)).where(t.month.in_(months))
    if agencies is not None:
        wanted = sorted(set(agencies))
        if not wanted:
            return {}
        q = q.where(or_(t.agency_a.in_(wanted), t.agency_b.in_(wanted)))
    q = q.group_by(t.agency_a, t.agency_b).having(func.sum(t.together) >= minimum)
    return {(a, b): int(n) for a, b, n in conn.execute(q)}


def bids_of(conn: Connection, agencies: Iterable[str], months: list[str]) -> dict[str, int]:
    """How many frozen lists each agency was on in these months."""
    t, wanted = AGENCY_MONTHS.c, sorted(set(agencies))
    q = (select(t.agency_id, func.sum(t.bids)).where(t.agency_id.in_(wanted), t.month.in_(months))
         .group_by(t.agency_id))  # fmt: skip
    return {a: int(n) for a, n in conn.execute(q)} if wanted else {}


def together(conn: Connection, members: list[str], months: list[str]) -> list[dict[str, Any]]:
    """The procurements in these months whose frozen lists held every member, in selection order."""
    s, p = SIGNUPS.c, PROCUREMENTS.c
    q = (select(s.procurement_id).where(s.agency_id.in_(members), s.month.in_(months))  # month: on the frozen list
         .group_by(s.procurement_id).having(func.count() == len(members)))  # fmt: skip
    ids = list(conn.execute(q).scalars())
    if not ids:
        return []
    return _dicts(conn, select(PROCUREMENTS).where(p.procurement_id.in_(ids)).order_by(p.selected_at, p.procurement_id))


def fractions(values: list[float]) -> dict[str, float]:
    """Quartiles by linear interpolation (numpy's default), as the fences use them [41]."""
    v = sorted(values)

    def q(f: float) -> float:
        x = (len(v) - 1) * f
        lo = math.floor(x)
        hi = min(lo + 1, len(v) - 1)
        return v[lo] + (v[hi] - v[lo]) * (x - lo)

    return {"q1": q(0.25), "median": q(0.5), "q3": q(0.75)}


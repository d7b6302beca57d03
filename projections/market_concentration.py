"""Market concentration (市场垄断, domain.md §9.2): who wins what, by service item × region × month.

A market m is a service item × region × rolling window of months (12 by default,
§10). Awards are kept one row per procurement (winner, value, owner, department,
the ``Awarded`` event's position as evidence) and summed into monthly buckets
per agency, per market and per owner × item, so that a window's shares are read
from at most (months × agencies) bucket rows however many procurements the
market holds: an incremental scan's cost stays flat as the market grows.

The value of an award is the contract amount once filed, else the winning price
(0 when neither is known: it still counts by number). An award whose engagement
ends without a service (``Voided`` after the award, ``Terminated``) leaves the
buckets again. Requests are procurements published in the month (§9.1 counts
them to skip markets with < 10 requests).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Boolean, Column, Connection, Index, Integer, String, Table, func, select

from domain.procurement import Procurement as P
from domain.supervision.metrics import MarketFigures, Window, window_months, window_of
from projections.base import Projection, handles
from projections.database import METADATA, UTCDateTime, cents
from projections.rows import Rows

SHANGHAI = ZoneInfo("Asia/Shanghai")

AWARDS = Table(
    "rm_conc_awards", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("service_item", String(32), nullable=False), Column("region", String(12), nullable=False),
    Column("owner_id", String(36), nullable=False), Column("department_id", String(36)),
    Column("method", String(32)),
    Column("winner_id", String(36)), Column("winning_price_fen", BigInteger), Column("contract_amount_fen", BigInteger),
    Column("agency_id", String(36)), Column("value_fen", BigInteger), Column("counted", Boolean, nullable=False),
    Column("award_month", String(7)), Column("awarded_at", UTCDateTime),
    Column("award_position", BigInteger), Column("award_version", Integer),
    Column("position", BigInteger, nullable=False, index=True),  # the last event that touched the row
    Index(None, "service_item", "region", "agency_id"), Index(None, "owner_id", "service_item", "agency_id"),
)  # fmt: skip

MARKET_MONTHS = Table(
    "rm_conc_market_months", METADATA,
    Column("service_item", String(32), primary_key=True), Column("region", String(12), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("requests", Integer, nullable=False), Column("awards", Integer, nullable=False),
    Column("value_fen", BigInteger, nullable=False),
)  # fmt: skip

SHARES = Table(
    "rm_conc_shares", METADATA,
    Column("service_item", String(32), primary_key=True), Column("region", String(12), primary_key=True),
    Column("month", String(7), primary_key=True), Column("agency_id", String(36), primary_key=True),
    Column("awards", Integer, nullable=False), Column("value_fen", BigInteger, nullable=False),
)  # fmt: skip

OWNER_SHARES = Table(
    "rm_conc_owner_shares", METADATA,
    Column("owner_id", String(36), primary_key=True), Column("service_item", String(32), primary_key=True),
    Column("month", String(7), primary_key=True), Column("agency_id", String(36), primary_key=True),
    Column("awards", Integer, nullable=False), Column("value_fen", BigInteger, nullable=False),
)  # fmt: skip


def month_of(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m")


class MarketConcentration(Projection):
    name = "market_concentration"
    version = 1
    tables = (AWARDS, MARKET_MONTHS, SHARES, OWNER_SHARES)
    preload = ((AWARDS, "procurement_id"),)

    def _touch(self, rows: Rows, e: Any, **values: Any) -> dict[str, Any] | None:
        return rows.update(AWARDS, str(e.originator_id), position=rows.position, **values)

    @handles(P.Drafted, P.Amended)
    def noticed(self, e: Any, rows: Rows) -> None:
        n = e.notice
        notice = {"service_item": n["service_item_code"], "region": n["region"], "department_id": n["department_id"],
                  "method": n["method"]}  # fmt: skip
        if rows.get(AWARDS, str(e.originator_id)) is None:
            rows.insert(AWARDS, procurement_id=str(e.originator_id), owner_id=e.owner_id, counted=False,
                        position=rows.position, **notice)  # fmt: skip
        else:
            self._touch(rows, e, **notice)

    @handles(P.Published)
    def published(self, e: Any, rows: Rows) -> None:
        row = self._touch(rows, e)
        if row is not None:
            key = (row["service_item"], row["region"], month_of(e.at))
            bucket = _bucket(rows, MARKET_MONTHS, key, requests=0)
            rows.update(MARKET_MONTHS, key, requests=bucket["requests"] + 1)

    @handles(P.WinnerSelected, P.PickedFromShortlist)
    def selected(self, e: Any, rows: Rows) -> None:
        winner = e.result["outcome"]["winner"]
        price = next((x.get("price") for x in e.result.get("entries", []) if x["agency_id"] == winner), None)
        self._touch(rows, e, winner_id=winner, winning_price_fen=cents(price))

    @handles(P.ObjectionUpheld)
    def annulled(self, e: Any, rows: Rows) -> None:
        self._touch(rows, e, winner_id=None, winning_price_fen=None)

    @handles(P.Awarded)
    def awarded(self, e: Any, rows: Rows) -> None:
        row = rows.get(AWARDS, str(e.originator_id))
        if row is None or row["counted"]:
            return
        value = row["contract_amount_fen"] or row["winning_price_fen"] or 0
        row = self._touch(rows, e, agency_id=e.agency_id, value_fen=value, counted=True, awarded_at=e.at,
                          award_month=month_of(e.at), award_position=rows.position,
                          award_version=e.originator_version)  # fmt: skip
        _count(rows, row, +1)

    @handles(P.ContractFiled)
    def contract_filed(self, e: Any, rows: Rows) -> None:
        amount = cents(e.contract["amount"])
        row = rows.get(AWARDS, str(e.originator_id))
        if row is None:
            return
        if row["counted"]:
            _count(rows, row, -1)
            row = self._touch(rows, e, contract_amount_fen=amount, value_fen=amount)
            _count(rows, row, +1)
        else:
            self._touch(rows, e, contract_amount_fen=amount)

    @handles(P.Voided, P.Terminated)
    def ended_without_service(self, e: Any, rows: Rows) -> None:
        row = rows.get(AWARDS, str(e.originator_id))
        if row is not None and row["counted"]:
            _count(rows, row, -1)
            self._touch(rows, e, counted=False)


def _bucket(rows: Rows, table: Table, key: tuple[Any, ...], **zero: int) -> dict[str, Any]:
    row = rows.get(table, key)
    if row is None:
        names = [c.name for c in table.primary_key.columns]
        row = rows.insert(table, **dict(zip(names, key, strict=True)), awards=0, value_fen=0, **zero)
    return row


def _count(rows: Rows, award: dict[str, Any], sign: int) -> None:
    """Add (or take back) one award in every bucket it belongs to."""
    item, month, agency, value = award["service_item"], award["award_month"], award["agency_id"], award["value_fen"]
    keys = (
        (MARKET_MONTHS, (item, award["region"], month), {"requests": 0}),
        (SHARES, (item, award["region"], month, agency), {}),
        (OWNER_SHARES, (award["owner_id"], item, month, agency), {}),
    )
    for table, key, zero in keys:
        bucket = _bucket(rows, table, key, **zero)
        awards, total = bucket["awards"] + sign, bucket["value_fen"] + sign * (value or 0)
        if awards == 0 and not bucket.get("requests"):
            rows.delete(table, key)
        else:
            rows.update(table, key, awards=awards, value_fen=total)


# --- queries --------------------------------------------------------------------------


def _totals(conn: Connection, table: Table, where: list[Any]) -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = {}
    for r in conn.execute(select(table.c.agency_id, table.c.awards, table.c.value_fen).where(*where)):
        t = totals.setdefault(r.agency_id, [0, 0])
        t[0] += r.awards
        t[1] += r.value_fen
    return {a: (n, v) for a, (n, v) in totals.items() if n > 0}


def market_figures(conn: Connection, service_item: str, region: str, now: datetime, months: int = 12) -> MarketFigures:
    """Shares, HHI, CR4 of one market in the window ending now and in the window before it."""
    both = window_months(now, 2 * months)
    windows = []
    for span in (both[months:], both[:months]):
        s, m = SHARES.c, MARKET_MONTHS.c
        totals = _totals(conn, SHARES, [s.service_item == service_item, s.region == region, s.month.in_(span)])
        requests = conn.execute(select(m.requests).where(m.service_item == service_item, m.region == region,
                                                         m.month.in_(span))).scalars().all()  # fmt: skip
        windows.append(window_of(span, totals, sum(requests)))
    return MarketFigures(service_item, region, windows[0], windows[1])


def owner_item_figures(conn: Connection, owner_id: str, service_item: str, now: datetime, months: int = 12) -> Window:
    """One owner's spend on one item in the window, by agency (lock-in, §9.2)."""
    span = window_months(now, months)
    o = OWNER_SHARES.c
    return window_of(span, _totals(conn, OWNER_SHARES, [o.owner_id == owner_id, o.service_item == service_item,
                                                        o.month.in_(span)]))  # fmt: skip


def award_evidence(
    conn: Connection, *, service_item: str, months: list[str], agency_ids: list[str], region: str | None = None,
    owner_id: str | None = None, limit: int = 200,
) -> list[dict[str, Any]]:  # fmt: skip
    """The ``Awarded`` events behind these agencies' shares: position, procurement and version."""
    a = AWARDS.c
    where = [a.service_item == service_item, a.agency_id.in_(agency_ids), a.award_month.in_(months), a.counted]
    if region is not None:
        where.append(a.region == region)
    if owner_id is not None:
        where.append(a.owner_id == owner_id)
    q = select(a.award_position, a.procurement_id, a.award_version).where(*where)
    return [{"position": r.award_position, "aggregate_id": r.procurement_id, "version": r.award_version,
             "event": "Awarded"} for r in conn.execute(q.order_by(a.award_position).limit(limit))]  # fmt: skip


def _pairs(conn: Connection, first: Any, second: Any) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in conn.execute(select(first, second).distinct().order_by(first, second))]


def markets(conn: Connection) -> list[tuple[str, str]]:
    """Every (service item, region) with a published request or an award."""
    return _pairs(conn, MARKET_MONTHS.c.service_item, MARKET_MONTHS.c.region)


def owner_items(conn: Connection) -> list[tuple[str, str]]:
    return _pairs(conn, OWNER_SHARES.c.owner_id, OWNER_SHARES.c.service_item)


def touched(conn: Connection, after: int, upto: int) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Markets and owner × items whose rows changed at positions in (after, upto]."""
    a = AWARDS.c
    q = select(a.service_item, a.region, a.owner_id).where(a.position > after, a.position <= upto)
    found = conn.execute(q).all()
    return {(r.service_item, r.region) for r in found}, {(r.owner_id, r.service_item) for r in found}


def first_months(conn: Connection) -> dict[str, str]:
    """Each region's first month with a published request or an award ("2026-03")."""
    m = MARKET_MONTHS.c
    q = select(m.region, func.min(m.month)).group_by(m.region).order_by(m.region)
    return {region: month for region, month in conn.execute(q)}

"""The agency's workspace (中介工作台): its sign-ups with its own quote, its wins, its deadlines,
and the procurements it may sign up for now.

Rows are per agency: a query must always be scoped to the asking agency, since
its own quote is the one thing no one else may see before the close.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, Connection, Integer, String, Table, select

from domain.procurement import Procurement as P
from domain.qualifications import meets
from projections import agency_directory as directory
from projections import public_notices as public
from projections.base import Projection, handles, is_event
from projections.database import METADATA, UTCDateTime, cents, jsonable
from projections.lifecycle import ProcurementLifecycle
from projections.rows import Rows

SIGNUPS = Table(
    "rm_aw_signups", METADATA,
    Column("procurement_id", String(36), primary_key=True), Column("agency_id", String(36), primary_key=True),
    Column("quote", JSON), Column("price_fen", BigInteger),  # the agency's own quote: visible to it alone
    Column("signed_up_at", UTCDateTime), Column("withdrawn_at", UTCDateTime),
    Column("on_list", Boolean),  # on the frozen list at the close (NULL before)
    # pending | withdrawn | won | not_selected | shortlisted | failed | excluded | voided
    Column("outcome", String(16), nullable=False),
)  # fmt: skip

PROCUREMENTS = Table(
    "rm_aw_procurements", METADATA,
    Column("procurement_id", String(36), primary_key=True),
    Column("project_name", String(200)), Column("service_item_code", String(32)), Column("method", String(32)),
    Column("status", String(24), nullable=False), Column("round_no", Integer),
    Column("signup_closes_at", UTCDateTime), Column("selection_at", UTCDateTime),
    Column("winner_id", String(36), index=True),
    Column("contract_no", String(64)), Column("contract_amount", String(32)),
    *(Column(kind, UTCDateTime) for kind in ("publicity_end", "contract_due", "service_due")),
    Column("extension_pending", Boolean, nullable=False),
    Column("updated_at", UTCDateTime),
)  # fmt: skip

class AgencyWorkspace(ProcurementLifecycle, Projection):
    name = "agency_workspace"
    version = 1
    lifecycle_table = PROCUREMENTS
    tables = (SIGNUPS, PROCUREMENTS)
    preload = ((PROCUREMENTS, "procurement_id"), (SIGNUPS, "procurement_id"))

    @handles(P.Drafted, P.Amended)
    def drafted(self, e: Any, rows: Rows) -> None:
        n = e.notice
        values = dict(project_name=n["project_name"], service_item_code=n["service_item_code"], method=n["method"],
                      signup_closes_at=n["signup_closes_at"], selection_at=n["selection_at"])  # fmt: skip
        if is_event(e, P.Drafted):
            rows.insert(PROCUREMENTS, procurement_id=str(e.originator_id), status="draft", round_no=e.round_no,
                        extension_pending=False, updated_at=e.at, **values)  # fmt: skip
        else:
            self._set(rows, e, **values)

    @handles(P.SignedUp, P.QuoteRevised, P.SignupWithdrawn)
    def signup_changed(self, e: Any, rows: Rows) -> None:
        key = (str(e.originator_id), e.agency_id)
        if is_event(e, P.SignupWithdrawn):
            rows.update(SIGNUPS, key, withdrawn_at=e.at, outcome="withdrawn")
            return
        quote = dict(quote=jsonable(e.quote), price_fen=cents((e.quote or {}).get("price")))
        if is_event(e, P.QuoteRevised):
            rows.update(SIGNUPS, key, **quote)
        elif rows.get(SIGNUPS, key) is not None:  # signing up again after a withdrawal
            rows.update(SIGNUPS, key, **quote, signed_up_at=e.at, withdrawn_at=None, outcome="pending")
        else:
            rows.insert(SIGNUPS, procurement_id=key[0], agency_id=key[1], **quote, signed_up_at=e.at,
                        outcome="pending")  # fmt: skip

    @handles(P.SignupClosed)
    def signup_closed(self, e: Any, rows: Rows) -> None:
        listed = {x["agency_id"] for x in e.entries}
        ineligible = {x["agency_id"] for x in e.excluded}  # no longer eligible at the close
        for s in rows.find(SIGNUPS, procurement_id=str(e.originator_id)):
            if s["withdrawn_at"] is None:
                key = (s["procurement_id"], s["agency_id"])
                rows.update(SIGNUPS, key, on_list=s["agency_id"] in listed)
                if s["agency_id"] in ineligible:
                    rows.update(SIGNUPS, key, outcome="excluded")
        self._set(rows, e)

    @handles(P.WinnerSelected, P.Shortlisted, P.SelectionFailed, P.PickedFromShortlist)
    def selected(self, e: Any, rows: Rows) -> None:
        # Also after a re-run (upheld objection) or the owner's pick: every listed sign-up is re-decided.
        outcome = e.result["outcome"]
        winner = outcome.get("winner") if outcome["status"] == "selected" else None
        for s in rows.find(SIGNUPS, procurement_id=str(e.originator_id)):
            if s["withdrawn_at"] is None and s["on_list"]:
                decided = "won" if s["agency_id"] == winner else _OUTCOME[outcome["status"]]
                rows.update(SIGNUPS, (s["procurement_id"], s["agency_id"]), outcome=decided)
        self._set(rows, e, winner_id=winner)

    @handles(P.ObjectionUpheld)
    def objection_upheld(self, e: Any, rows: Rows) -> None:
        for s in rows.find(SIGNUPS, procurement_id=str(e.originator_id)):
            key = (s["procurement_id"], s["agency_id"])
            if s["agency_id"] == e.excluded_agency_id:
                rows.update(SIGNUPS, key, on_list=False, outcome="excluded")
            elif s["withdrawn_at"] is None and s["on_list"]:
                rows.update(SIGNUPS, key, outcome="failed" if e.failed else "pending")
        self._set(rows, e, winner_id=None)

    @handles(P.Voided)
    def voided(self, e: Any, rows: Rows) -> None:
        for s in rows.find(SIGNUPS, procurement_id=str(e.originator_id)):
            if s["withdrawn_at"] is None:
                rows.update(SIGNUPS, (s["procurement_id"], s["agency_id"]), outcome="voided")
        self._set(rows, e)

    @handles(P.ContractFiled)
    def contract_filed(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, contract_no=e.contract["contract_no"], contract_amount=e.contract["amount"])

    @handles(P.ExtensionRequested, P.ExtensionGranted, P.ExtensionRefused)
    def extension(self, e: Any, rows: Rows) -> None:
        self._set(rows, e, extension_pending=is_event(e, P.ExtensionRequested))


_OUTCOME = {"selected": "not_selected", "shortlisted": "shortlisted", "failed": "failed"}


# --- queries (pure reads) ------------------------------------------------------------


def _joined(*where: Any) -> Any:
    p, s = PROCUREMENTS.c, SIGNUPS.c
    return (select(SIGNUPS, p.project_name, p.service_item_code, p.method, p.status, p.signup_closes_at,
                   p.selection_at, p.publicity_end, p.winner_id)
            .join(PROCUREMENTS, p.procurement_id == s.procurement_id).where(*where))  # fmt: skip


def signups(conn: Connection, agency_id: str, *, include_withdrawn: bool = False) -> list[dict[str, Any]]:
    """The agency's own sign-ups, with its own quote, newest first."""
    s = SIGNUPS.c
    q = _joined(s.agency_id == str(agency_id))
    if not include_withdrawn:
        q = q.where(s.withdrawn_at.is_(None))
    return [dict(r._mapping) for r in conn.execute(q.order_by(s.signed_up_at.desc(), s.procurement_id))]


def wins(conn: Connection, agency_id: str) -> list[dict[str, Any]]:
    """Procurements the agency won, with contract and service due date."""
    p = PROCUREMENTS.c
    q = select(PROCUREMENTS).where(p.winner_id == str(agency_id)).order_by(p.updated_at.desc(), p.procurement_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def deadlines(conn: Connection, agency_id: str, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """What falls due for the agency, soonest first.

    As a participant: sign-up closes, selection, end of the 公示期 (its last chance
    to object); as the winner: the contract and the service due dates.
    """
    aid, items = str(agency_id), []

    def add(row: dict[str, Any], kind: str, due_at: datetime | None) -> None:
        if due_at is not None:
            items.append({"procurement_id": row["procurement_id"], "project_name": row["project_name"],
                          "kind": kind, "due_at": due_at})  # fmt: skip

    for row in signups(conn, aid):
        if row["status"] == "signup_open":
            add(row, "signup_closes", row["signup_closes_at"])
        elif row["on_list"] and row["status"] == "signup_closed":
            add(row, "selection", row["selection_at"])
        elif row["on_list"] and row["status"] == "publicity":
            add(row, "publicity_end", row["publicity_end"])
    for row in wins(conn, aid):
        if row["status"] in ("contracting", "contract_filed"):
            add(row, "contract_due", row["contract_due"])
        elif row["status"] == "in_service":
            add(row, "service_due", row["service_due"])
    for item in items:
        item["overdue"] = now is not None and item["due_at"] <= now
    return sorted(items, key=lambda i: (i["due_at"], i["procurement_id"]))


def eligible_now(conn: Connection, agency_id: str, now: datetime) -> list[dict[str, Any]]:
    """Notices open for sign-up now that this agency may sign up for (brief §6), soonest close first.

    Joins the public notices with the directory: admitted, offers the item, not
    suspended for it, holds the qualifications the notice requires, not avoided,
    not signed up already. The command still decides; this is a list to browse.
    """
    aid = str(agency_id)
    info = directory.agency(conn, aid, now=now)
    if info is None or info["status"] != "admitted":
        return []
    suspended = directory.suspended_items(conn, aid, now)
    if suspended == []:
        return []
    offered = [s["item_code"] for s in info["services"] if s["item_code"] not in (suspended or [])]
    n = public.NOTICES.c
    open_now = (select(public.NOTICES)
                .where(n.published_at.is_not(None), n.status == "signup_open", n.signup_opens_at <= now,
                       n.signup_closes_at > now, n.service_item_code.in_(offered))
                .order_by(n.signup_closes_at, n.procurement_id))  # fmt: skip
    s = SIGNUPS.c
    mine = set(conn.execute(select(s.procurement_id).where(s.agency_id == aid, s.withdrawn_at.is_(None))).scalars())
    result = []
    for row in conn.execute(open_now):
        notice = dict(row._mapping)
        if notice["procurement_id"] in mine or any(a["agency_id"] == aid for a in notice["avoided"] or []):
            continue
        if meets(info["qualifications"], notice["requirement"] or {}, now):
            result.append(notice)
    return result

"""中介机构档案: registration and its changes, qualifications and their expiry, wins and market shares,
evaluations and credit history, and the agency's links to departments and officials as a graph."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from admin import credit, labels, links, queries
from admin.session import AnyUser
from admin.templating import SHANGHAI, Pager
from admin.web import market, page, reads
from domain.errors import NotFound
from market.audit import Sealing, event_view
from projections import agency_directory, supervision_cases, supervision_flags

router = APIRouter(prefix="/admin/agencies")
CREDIT_CHANGES = {"recorded": "记录", "repaired": "信用修复", "window_ended": "计分期满", "ended": "期满",
                  "expired": "记录到期"}  # fmt: skip
EXPIRING_DAYS = 90  # a qualification expiring within three months is shown as a warning
REGISTER_EVENTS = ("Registered", "Resubmitted", "Admitted", "Returned", "ChangeSubmitted", "ChangeApproved",
                   "ChangeReturned", "Suspended", "SuspensionLifted", "Expelled", "Exited")  # fmt: skip


def last_months(now: datetime, n: int = 12) -> list[str]:
    year, month = now.astimezone(SHANGHAI).year, now.astimezone(SHANGHAI).month
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


@router.get("")
def agency_list(
    request: Request, user: AnyUser, q: Annotated[str | None, Query(max_length=100)] = None,
    status: str | None = None, page_no: Annotated[int | None, Query(alias="page")] = None,
):  # fmt: skip
    """中介机构名录: search by name or USCC."""
    pager = Pager.of(page_no)
    with reads(request) as conn:
        rows, has_next = pager.cut(queries.agency_list(conn, q=q, status=status, limit=pager.fetch,
                                                       offset=pager.offset))  # fmt: skip
        standings = credit.grades(conn, [r["agency_id"] for r in rows], market(request).clock.now())
    return page(request, "agencies.html", rows=rows, standings=standings, pager=pager, has_next=has_next,
                filters={"q": q or "", "status": status or ""}, statuses=labels.AGENCY_STATUSES)  # fmt: skip


def _qualification_state(valid_until: str | None, today: date) -> str:
    if not valid_until:
        return "长期"
    until = date.fromisoformat(valid_until)
    if until < today:
        return "已过期"
    return "即将到期" if until <= today + timedelta(days=EXPIRING_DAYS) else "有效"


@router.get("/{agency_id}")
def profile(request: Request, user: AnyUser, agency_id: str, wins_page: Annotated[int | None, Query()] = None):
    """一家中介机构的档案."""
    m = market(request)
    now = m.clock.now()
    today = now.astimezone(SHANGHAI).date()
    pager = Pager.of(wins_page, size=10)
    with reads(request) as conn:
        agency = agency_directory.agency(conn, agency_id, now=now)
        if agency is None:
            raise HTTPException(404)
        for q in agency["qualifications"]:
            q["state"] = _qualification_state(q["valid_until"], today)
        wins, more_wins = pager.cut(queries.wins_of(conn, agency_id, limit=pager.fetch, offset=pager.offset))
        shares = queries.shares_of(conn, agency_id, last_months(now))
        evaluations = queries.evaluations_of(conn, agency_id)
        standing = credit.standing(conn, agency_id, now)
        credit_history = credit.history(conn, agency_id, now)
        graph = links.agency_graph(conn, agency_id, agency["name"])
        agency_flags = supervision_flags.flags(conn, agency_id=agency_id, limit=20)
        cases = supervision_cases.case_page(conn, agency_id=agency_id, limit=20)["items"]
    try:
        sealing = Sealing(m)
        register = [event_view(e, sealing) for e in m.history(agency_id) if type(e).__name__ in REGISTER_EVENTS]
    except NotFound:
        register = []
    return page(request, "agency.html", agency=agency, wins=wins, more_wins=more_wins, pager=pager, shares=shares,
                evaluations=evaluations, standing=standing, credit_history=credit_history, graph=graph,
                register=register, flags=agency_flags, cases=cases, changes=CREDIT_CHANGES,
                credit_ready=credit.agency_credit is not None)  # fmt: skip

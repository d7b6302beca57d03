"""采购时间线 (regulators and operators): every event of a procurement in order with its actor and
role, its state at any chosen moment, the difference between two moments, and for selections a
"verify" that re-computes the result from the candidate list shown on the page.

Reads the event store through ``market/audit.py``, so the same things stay sealed as in the API:
sign-ups and quotes until the close, the draw secret until the selection ran.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request

from admin import labels, queries
from admin.session import AnyUser, CsrfChecked
from admin.templating import SHANGHAI, Pager, render
from admin.web import market, page, reads
from domain.errors import NotFound
from domain.selection.verify import verify
from market.audit import Sealing, diff, event_view, jsonsafe, state_view, version_at

router = APIRouter(prefix="/admin/procurements")
events_router = APIRouter(prefix="/admin/events")  # the same timeline for any object: a case, a credit file, …
PROCUREMENT_KINDS = ("Procurement", "Tendering", "Publicity")
RESULT_EVENTS = ("WinnerSelected", "Shortlisted", "SelectionFailed", "PickedFromShortlist")
MAX_ENTRIES = 500


@router.get("")
def procurement_list(
    request: Request, user: AnyUser, q: Annotated[str | None, Query(max_length=100)] = None,
    status: str | None = None, page_no: Annotated[int | None, Query(alias="page")] = None,
):  # fmt: skip
    """采购项目: search by name, code or id; newest first."""
    pager = Pager.of(page_no)
    with reads(request) as conn:
        rows, has_next = pager.cut(queries.procurement_list(conn, q=q or None, status=status or None,
                                                            limit=pager.fetch, offset=pager.offset))  # fmt: skip
        names = queries.agency_names(conn, (r["winner_id"] for r in rows))
    return page(request, "procurements.html", rows=rows, names=names, pager=pager, has_next=has_next,
                filters={"q": q or "", "status": status or ""}, statuses=labels.PROCUREMENT_STATUSES)  # fmt: skip


def _history(request: Request, aggregate_id: str, *, procurement: bool = True) -> list[Any]:
    try:
        history = market(request).history(aggregate_id)
    except NotFound:
        raise HTTPException(404) from None
    if procurement and not _is_procurement(history):
        raise HTTPException(404)
    return history


def _is_procurement(history: list[Any]) -> bool:
    return type(history[0]).__qualname__.split(".")[0] in PROCUREMENT_KINDS


def _moment(text: str | None) -> datetime | None:
    """A ``datetime-local`` value, read as Beijing time."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def draw_record(history: list[Any]) -> dict[str, Any] | None:
    """The selection result in force: the last one published (a re-run replaces the first)."""
    records = [e.result for e in history if type(e).__name__ in RESULT_EVENTS and getattr(e, "result", None)]
    return jsonsafe(records[-1]) if records else None


@router.get("/{procurement_id}")
@events_router.get("/{procurement_id}")
def timeline(
    request: Request, user: AnyUser, procurement_id: str, at: Annotated[str | None, Query(max_length=40)] = None,
    highlight: int | None = None,
):  # fmt: skip
    """一个采购项目(或任一对象)的时间线, with its state at ``at`` (Beijing time) or now."""
    history = _history(request, procurement_id, procurement=request.url.path.startswith("/admin/procurements/"))
    m = market(request)
    sealing = Sealing(m)
    events = [event_view(e, sealing) for e in history]
    moment = _moment(at)
    try:
        version = version_at(history, moment) if moment else history[-1].originator_version
        state = state_view(m, history[0].originator_id, version, sealing)
    except NotFound:
        version, state = None, None
    record = draw_record(history) if _is_procurement(history) and sealing.secret_revealed(procurement_id) else None
    return page(request, "timeline.html", procurement_id=procurement_id, events=events, state=state, version=version,
                at=at or "", highlight=highlight, record=record, latest=history[-1].originator_version,
                kind=events[0]["aggregate"], base=request.url.path,
                title=((state or {}).get("state") or {}).get("notice", {}).get("project_name"))  # fmt: skip


@router.get("/{procurement_id}/diff")
@events_router.get("/{procurement_id}/diff")
def changes(
    request: Request, user: AnyUser, procurement_id: str, at_from: Annotated[str, Query(alias="from", max_length=40)],
    at_to: Annotated[str, Query(alias="to", max_length=40)],
):  # fmt: skip
    """两个时刻之间的差异 (a fragment for htmx)."""
    history = _history(request, procurement_id, procurement=request.url.path.startswith("/admin/procurements/"))
    m, sealing = market(request), Sealing(market(request))
    start, end = _moment(at_from), _moment(at_to)
    if start is None or end is None:
        return render(request, "_diff.html", error="请选择两个时刻。")
    try:
        before = state_view(m, history[0].originator_id, version_at(history, start), sealing)
    except NotFound:
        before = {"version": 0, "state": {}}
    try:
        after = state_view(m, history[0].originator_id, version_at(history, end), sealing)
    except NotFound:
        after = {"version": 0, "state": {}}
    return render(request, "_diff.html", error=None, before=before, after=after,
                  changes=diff(before["state"], after["state"]))  # fmt: skip


def _displayed(text: str) -> list[dict[str, Any]] | None:
    try:
        entries = json.loads(text)
    except ValueError:
        return None
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES or not all(isinstance(e, dict) for e in entries):
        return None
    return entries


@router.post("/{procurement_id}/verify-draw", dependencies=[CsrfChecked])
def verify_draw(
    request: Request, user: AnyUser, procurement_id: str, entries: Annotated[str, Form(max_length=200_000)]
):
    """复核选取: re-run the published selection on the candidate list as displayed on the page.

    Everything else comes from the stored record (commitment, secret, list hash, seed, outcome),
    so a list that differs from the frozen one, by one quote or one agency, fails the check.
    """
    history = _history(request, procurement_id)
    if not Sealing(market(request)).secret_revealed(procurement_id):
        return render(request, "_verdict.html", genuine=False, reasons=["尚未选取,无可复核的结果。"])
    record = draw_record(history)
    shown = _displayed(entries)
    if record is None or shown is None:
        return render(request, "_verdict.html", genuine=False, reasons=["页面上的名单格式不正确。"])
    genuine, reasons = verify({**record, "entries": shown})
    return render(request, "_verdict.html", genuine=genuine, reasons=reasons, record=record)

"""审核队列 (operators): agency registrations and changes, procurement notices and objections,
each approved or returned with reasons (the formal check is due within 2 working days,
湘政办发〔2020〕46号运行细则)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request

from admin import queries
from admin.session import CsrfChecked, Operator
from admin.templating import Pager
from admin.web import back, command, page, reads
from projections import operator_queues

router = APIRouter(prefix="/admin/queues")
Reasons = Annotated[str, Form(max_length=2000)]
# (kind, decision) → the market command and whether it takes reasons
DECISIONS = {
    ("registration", "approve"): ("admit_agency", False), ("registration", "return"): ("return_agency", True),
    ("change", "approve"): ("approve_agency_change", False), ("change", "return"): ("return_agency_change", True),
    ("notice", "approve"): ("publish_procurement", False), ("notice", "return"): ("return_procurement", True),
}  # fmt: skip
DONE = {"approve": "已审核通过。", "return": "已退回,理由已记录。"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.get("")
def review_queue(
    request: Request, user: Operator, kind: str | None = None, q: Annotated[str | None, Query(max_length=100)] = None,
    page_no: Annotated[int | None, Query(alias="page")] = None,
):  # fmt: skip
    """待审事项, oldest submission first, with the count of each kind."""
    pager = Pager.of(page_no)
    kind = kind if kind in operator_queues.KINDS else None
    with reads(request) as conn:
        rows, has_next = pager.cut(queries.review_queue(conn, kind=kind, q=q or None, limit=pager.fetch,
                                                        offset=pager.offset))  # fmt: skip
        winners = queries.winners(conn, (r["procurement_id"] for r in rows if r["kind"] == "objection"))
        names = queries.agency_names(conn, winners.values())
        counts = operator_queues.counts(conn)
        recent = operator_queues.decided(conn, limit=10)
    return page(request, "queues.html", rows=rows, winners=winners, names=names, counts=counts,
                kinds=operator_queues.KINDS, recent=recent, pager=pager, has_next=has_next,
                filters={"kind": kind or "", "q": q or ""})  # fmt: skip


# Declared before the generic decision route, which would otherwise take ``objection/…/decide``.
@router.post("/objection/{subject_id}/decide", dependencies=[CsrfChecked])
def objection(
    request: Request, user: Operator, subject_id: str, procurement_id: Annotated[str, Form(max_length=36)],
    outcome: Annotated[str, Form(pattern="^(dismiss|uphold|fail)$")], reason: Annotated[str, Form(max_length=2000)],
    exclude_agency_id: Annotated[str, Form(max_length=36)] = "",
):  # fmt: skip
    """质疑: 驳回, 支持并剔除被质疑的报名后重新选取, 或支持并宣布流标."""
    if outcome == "dismiss":
        _, error = command(request, user, "dismiss_objection", procurement_id, subject_id, reason.strip())
    else:
        _, error = command(request, user, "uphold_objection", procurement_id, subject_id, reason.strip(),
                           exclude_agency_id=(exclude_agency_id or None) if outcome == "uphold" else None,
                           fail=outcome == "fail")  # fmt: skip
    return back("/admin/queues", error or "质疑已处理。", "error" if error else "ok")


@router.post("/{kind}/{subject_id}/{decision}", dependencies=[CsrfChecked])
def decide(request: Request, user: Operator, kind: str, subject_id: str, decision: str, reasons: Reasons = ""):
    """通过或退回 (退回须写明理由)."""
    if (kind, decision) not in DECISIONS:
        raise HTTPException(404)
    name, with_reasons = DECISIONS[(kind, decision)]
    args = (subject_id, _lines(reasons)) if with_reasons else (subject_id,)
    _, error = command(request, user, name, *args)
    return back("/admin/queues", error or DONE[decision], "error" if error else "ok")

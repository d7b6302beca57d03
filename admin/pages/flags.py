"""预警队列与案件 (regulators): filter the flags, open one (figures, parameters, evidence), and
work its case: open, assign, note, confirm with a violation code or dismiss with reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request

from admin import labels, queries
from admin.session import CsrfChecked, Regulator
from admin.templating import Pager
from admin.web import back, command, market, page, reads
from domain.errors import NotFound
from domain.supervision import VIOLATIONS, Case
from projections import supervision_flags

router = APIRouter(prefix="/admin/flags")
Text = Annotated[str, Form(max_length=2000)]


def _reasons(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.get("")
def flag_queue(
    request: Request, user: Regulator, code: str | None = None, severity: str | None = None,
    status: str | None = "open", q: Annotated[str | None, Query(max_length=100)] = None,
    page_no: Annotated[int | None, Query(alias="page")] = None,
):  # fmt: skip
    """预警队列: the most severe first, filtered by type, severity, status and text."""
    pager = Pager.of(page_no)
    with reads(request) as conn:
        rows, has_next = pager.cut(queries.flag_list(conn, code=code or None, severity=severity or None,
                                                     status=status or None, q=q or None, limit=pager.fetch,
                                                     offset=pager.offset))  # fmt: skip
        names = queries.agency_names(conn, (r["agency_id"] for r in rows))
    return page(request, "flags.html", rows=rows, names=names, pager=pager, has_next=has_next,
                filters={"code": code or "", "severity": severity or "", "status": status or "", "q": q or ""},
                codes=labels.FLAG_CODES, severities=labels.SEVERITIES, statuses=labels.FLAG_STATUSES)  # fmt: skip


def _case(request: Request, case_id: str | None) -> Case | None:
    if not case_id:
        return None
    try:
        return market(request).load(case_id, Case)
    except NotFound:
        return None


@router.get("/{flag_id}")
def flag_page(request: Request, user: Regulator, flag_id: str):
    """一条预警: figures, the thresholds it was judged with, its evidence events, and its case."""
    with reads(request) as conn:
        flag = supervision_flags.flag(conn, flag_id)
        if flag is None:
            raise HTTPException(404)
        top = [t.get("agency_id") for t in (flag["figures"].get("top") or []) if isinstance(t, dict)]
        names = queries.agency_names(conn, [flag["agency_id"], *top])
    case = _case(request, flag["case_id"])
    suspects = [a for a in dict.fromkeys([flag["agency_id"], *top]) if a]
    return page(request, "flag.html", flag=flag, case=case, names=names, suspects=suspects, violations=VIOLATIONS)


@router.post("/{flag_id}/case", dependencies=[CsrfChecked])
def open_case(request: Request, user: Regulator, flag_id: str):
    """立案."""
    _, error = command(request, user, "open_case", flag_id, idempotency_key=f"console:open_case:{flag_id}")
    return back(f"/admin/flags/{flag_id}", error or "已立案。", "error" if error else "ok")


@router.post("/{flag_id}/case/assign", dependencies=[CsrfChecked])
def assign(request: Request, user: Regulator, flag_id: str, case_id: Annotated[str, Form()],
           to: Annotated[str, Form(min_length=1, max_length=64)]):  # fmt: skip
    """分派."""
    _, error = command(request, user, "assign_case", case_id, to.strip())
    return back(f"/admin/flags/{flag_id}", error or f"已分派给 {to.strip()}。", "error" if error else "ok")


@router.post("/{flag_id}/case/note", dependencies=[CsrfChecked])
def note(request: Request, user: Regulator, flag_id: str, case_id: Annotated[str, Form()], text: Text):
    """调查记录."""
    _, error = command(request, user, "add_case_note", case_id, text.strip())
    return back(f"/admin/flags/{flag_id}", error or "已记录。", "error" if error else "ok")


@router.post("/{flag_id}/case/confirm", dependencies=[CsrfChecked])
def confirm(request: Request, user: Regulator, flag_id: str, case_id: Annotated[str, Form()],
            violation_code: Annotated[str, Form(max_length=8)], reasons: Text,
            agency_id: Annotated[str, Form(max_length=36)] = ""):  # fmt: skip
    """认定违规: the violation is recorded against the agency."""
    _, error = command(request, user, "confirm_case", case_id, _reasons(reasons), violation_code,
                       agency_id=agency_id or None)  # fmt: skip
    return back(f"/admin/flags/{flag_id}", error or "已认定违规,违规记录已计入该机构。", "error" if error else "ok")


@router.post("/{flag_id}/case/dismiss", dependencies=[CsrfChecked])
def dismiss(request: Request, user: Regulator, flag_id: str, case_id: Annotated[str, Form()], reasons: Text):
    """不予认定."""
    _, error = command(request, user, "dismiss_case", case_id, _reasons(reasons))
    return back(f"/admin/flags/{flag_id}", error or "已不予认定。", "error" if error else "ok")

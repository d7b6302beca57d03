"""公开 (public disclosure): server-rendered pages, no login, mounted in the API's service.

    /                      首页
    /notices               报名中的选取公告 (?scope=all: every published notice)
    /results               中选结果(公示中和公示期满)
    /contracts             合同公开
    /agencies              中介机构名录与信用等级
    /agencies/{id}         一家机构的名录信息
    /procurements/{id}     一个项目的公告、报名情况、结果、合同和公开时间线

Every page reads the public read models and shows only what their queries return:
before the sign-up closes a notice has its number of sign-ups and nothing about who
or at what price (public_notices keeps nothing else); persons' data is masked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Connection

from disclosure import queries
from disclosure.formatting import FILTERS
from disclosure.masking import mask_email, mask_phone, mask_phones_in
from disclosure.queries import PageError, not_found
from projections import agency_directory, public_notices, public_timeline

HERE = Path(__file__).resolve().parent
STATIC_PATH = "/disclosure/static"

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

NOTICE_SCOPES = {"open": "报名中", "all": "全部公告"}
NO_GRADE = "暂无评级"  # not graded (yet), e.g. under one fiscal year on the platform ([32])


@contextmanager
def _reads(request: Request) -> Iterator[Connection]:
    with request.app.state.read_models.connect() as conn:
        yield conn


def _now(request: Request):
    return request.app.state.market.clock.now()


@cache
def _templates() -> Jinja2Templates:
    """The page templates, autoescaped (Jinja2Templates' default for .html), built on first use."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.trim_blocks = templates.env.lstrip_blocks = True
    templates.env.filters.update(FILTERS, phones_masked=mask_phones_in)
    templates.env.globals["static"] = STATIC_PATH
    return templates


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context = {"path": request.url.path, **context}
    return _templates().TemplateResponse(request, template, context, status_code=status)


def grade_of(row: dict[str, Any]) -> str:
    """The credit grade from the directory row, where the credit engine puts it."""
    return str(row["credit_grade"]) if row.get("credit_grade") else NO_GRADE


def _uuid(raw: str, what: str) -> str:
    try:
        return str(UUID(raw))
    except ValueError:
        raise not_found(what) from None


@router.get("/")
def home(request: Request) -> HTMLResponse:
    """首页."""
    with _reads(request) as conn:
        latest = public_notices.notices(conn, open_at=_now(request), limit=5)
    return _page(request, "home.html", latest=latest)


@router.get("/notices")
def notices(request: Request) -> HTMLResponse:
    """报名中的选取公告;报名截止前只公开报名数量."""
    params = request.query_params
    paging, q = queries.paging(params), queries.text(params)
    scope = queries.choice(params, "scope", NOTICE_SCOPES, "open")
    open_at = _now(request) if scope == "open" else None
    with _reads(request) as conn:
        rows = public_notices.notices(conn, open_at=open_at, text=q, limit=paging.fetch, offset=paging.offset)
    rows, pager = queries.pager("/notices", paging, rows, {"q": q, "scope": scope if scope != "open" else None})
    return _page(request, "notices.html", rows=rows, pager=pager, q=q, scope=scope, scopes=NOTICE_SCOPES)


@router.get("/results")
def results(request: Request) -> HTMLResponse:
    """中选结果:公示中的(含公示期满时间和质疑渠道)和公示期满的."""
    params = request.query_params
    paging, q = queries.paging(params), queries.text(params)
    with _reads(request) as conn:
        rows = public_notices.results(conn, text=q, limit=paging.fetch, offset=paging.offset)
    rows, pager = queries.pager("/results", paging, rows, {"q": q})
    return _page(request, "results.html", rows=rows, pager=pager, q=q)


@router.get("/contracts")
def contracts(request: Request) -> HTMLResponse:
    """合同公开:双方确认的合同."""
    params = request.query_params
    paging, q = queries.paging(params), queries.text(params)
    with _reads(request) as conn:
        rows = public_notices.contracts(conn, text=q, limit=paging.fetch, offset=paging.offset)
    rows, pager = queries.pager("/contracts", paging, rows, {"q": q})
    return _page(request, "contracts.html", rows=rows, pager=pager, q=q)


@router.get("/agencies")
def agencies(request: Request) -> HTMLResponse:
    """中介机构名录:已入驻的机构及其信用等级."""
    params = request.query_params
    paging, q = queries.paging(params), queries.text(params)
    with _reads(request) as conn:
        rows = agency_directory.agencies(conn, status="admitted", name=q, limit=paging.fetch, offset=paging.offset)
    rows, pager = queries.pager("/agencies", paging, rows, {"q": q})
    rows = [{**row, "grade": grade_of(row)} for row in rows]
    return _page(request, "agencies.html", rows=rows, pager=pager, q=q)


@router.get("/agencies/{agency_id}")
def agency(request: Request, agency_id: str) -> HTMLResponse:
    """一家机构的名录信息(不含任何个人信息,联系方式脱敏)."""
    aid = _uuid(agency_id, "中介机构")
    with _reads(request) as conn:
        page = agency_directory.public_agency(conn, aid, now=_now(request))
    if page is None:
        raise not_found("中介机构")
    page = {**page, "grade": grade_of(page), "phone": mask_phone(page.get("phone")),
            "email": mask_email(page.get("email"))}  # fmt: skip
    return _page(request, "agency.html", agency=page)


@router.get("/procurements/{procurement_id}")
def procurement(request: Request, procurement_id: str) -> HTMLResponse:
    """一个项目:公告、报名情况(截止前只有数量)、选取结果与公示、合同、公开时间线."""
    pid = _uuid(procurement_id, "采购项目")
    with _reads(request) as conn:
        notice = public_notices.notice(conn, pid)
        if notice is None:
            raise not_found("采购项目")
        timeline = public_timeline.timeline(conn, pid)
    return _page(request, "procurement.html", n=notice, timeline=timeline, now=_now(request))


def _error_page(request: Request, exc: PageError) -> HTMLResponse:
    return _page(request, "error.html", status=exc.status, error=exc)


def install(app: FastAPI) -> None:
    """Mount the public pages, their stylesheet and their error pages on ``app``."""
    app.include_router(router)
    app.mount(STATIC_PATH, StaticFiles(directory=str(HERE / "static")), name="disclosure-static")
    app.add_exception_handler(PageError, _error_page)

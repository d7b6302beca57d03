"""监管预警、案件与月报 (管理机构): the flag queue with its evidence, thresholds, cases, monthly reports.

Flags, thresholds and cases are for 管理机构 accounts only: a 行业主管部门 is itself a
subject of 红顶中介 flags (domain.md §9.5), and must not read the flags raised
against it or the investigation of them. The monthly reports hold only regional
totals and are open to both regulator roles. A flag's and a case's own state and
history are read from the event store (never behind), the lists from read models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from api.audit import Sealing, event_view, jsonsafe
from api.auth import ChiefRegulator, RegulatorActor
from api.deps import IdempotencyHeader, Market, Reads, run
from api.errors import responses
from api.schemas.common import Moment, QueryInt
from api.schemas.supervision import (AssignBody, CaseDetail, CasePage, CaseResult, ConfirmBody, DismissBody,
                                     FlagDetail, FlagPage, NoteBody, ReportPage, ThresholdChange, Thresholds)
from domain.supervision import Case, Flag, Severity
from market.oversight.report import MonthlyReport
from projections import supervision_cases, supervision_flags, supervision_reports

router = APIRouter(prefix="/api/regulator", tags=["监管预警 supervision"], responses=responses(401, 403, 422))
WRITE = responses(404, 409)
FlagId = Annotated[UUID, Path(description="预警编号")]
CaseId = Annotated[UUID, Path(description="监管案件编号")]
Key = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[\w.|-]+$", description="筛选条件")]
Id = Annotated[UUID | None, Query(description="筛选条件:对象编号")]
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="行政区划代码(含下级地区)")]
Bound = Annotated[Moment | None, Query(description="时间(含时区)")]
Limit = Annotated[QueryInt, Query(ge=1, le=200, description="每页条数")]
Offset = Annotated[QueryInt, Query(ge=0, le=100_000, description="偏移")]
RegionPath = Annotated[str, Path(pattern=r"^[0-9]{2,12}$", description="行政区划代码")]
MonthPath = Annotated[str, Path(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$", description="月份(YYYY-MM)")]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# --- flags (监管预警) --------------------------------------------------------------------------


@router.get("/flags", response_model=FlagPage, summary="监管预警列表")
def flags(
    actor: ChiefRegulator, conn: Reads, code: Key = None,
    severity: Annotated[Literal[tuple(s.value for s in Severity)] | None, Query(description="严重程度")] = None,  # type: ignore[valid-type]
    status: Annotated[Literal["open", "cleared", "closed"] | None, Query(description="状态")] = None,
    label: Annotated[Literal["confirmed", "dismissed"] | None, Query(description="案件结论")] = None,
    agency_id: Id = None, owner_id: Id = None, department_id: Id = None, procurement_id: Id = None,
    service_item: Key = None, region: RegionQuery = None, raised_from: Bound = None, raised_to: Bound = None,
    limit: Limit = 50, offset: Offset = 0,
) -> Any:  # fmt: skip
    """按类型、严重程度、状态、结论、所涉机构、业主、部门、采购需求、事项、地区和预警时间筛选,新的在前."""
    return supervision_flags.flag_page(
        conn, code=code, severity=severity, status=status, label=label, region=region, raised_from=raised_from,
        raised_to=raised_to, limit=limit, offset=offset, agency_id=_text(agency_id), owner_id=_text(owner_id),
        department_id=_text(department_id), procurement_id=_text(procurement_id), service_item=service_item,
    )  # fmt: skip


def _evidence(market: Any, items: list[dict[str, Any]], sealing: Sealing) -> list[dict[str, Any]]:
    """Each evidence item's stored event, looked up by its log position."""
    resolved = []
    for item in sorted(items, key=lambda e: int(e["position"])):
        position = int(item["position"])
        found = market.recorder.select_notifications(start=position, limit=1)
        if found and found[0].id == position:
            view = event_view(market.mapper.to_domain_event(found[0]), sealing, position=position)
            resolved.append({**view, "found": True})
        else:  # never expected: evidence names stored events; say so rather than fail the page
            resolved.append({"position": position, "found": False, "aggregate_id": str(item.get("aggregate_id")),
                             "aggregate": "", "version": int(item.get("version") or 0),
                             "event": str(item.get("event")), "at": "", "data": {}})  # fmt: skip
    return resolved


@router.get("/flags/{flag_id}", response_model=FlagDetail, responses=responses(404), summary="预警详情与证据")
def flag(flag_id: FlagId, actor: ChiefRegulator, market: Market) -> Any:
    """预警的数值、计算参数、所涉主体,以及逐条证据事件(时间、操作人、角色、事件、数据)和预警历史."""
    f = market.load(flag_id, Flag)
    sealing = Sealing(market)
    return {
        "flag_id": str(f.id), "code": f.code, "key": f.key, "period": f.period, "scope": f.scope,
        "status": f.status_code, "severity": f.severity, "detector_version": f.detector_version,
        "parameters": jsonsafe(f.parameters), "figures": jsonsafe(f.figures), "subjects": dict(f.subjects),
        "label": f.label, "case_id": f.case_id, "evidence": _evidence(market, f.evidence, sealing),
        "history": [event_view(e, sealing) for e in market.history(f.id)],
    }  # fmt: skip


@router.post("/flags/{flag_id}/case", response_model=CaseResult, responses=WRITE, summary="由预警立案")
def open_case(flag_id: FlagId, actor: ChiefRegulator, request: Request, response: Response,
              idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """由一条预警立案(每条预警只能立一案;已结案的预警不能再立案)."""
    return run(request, response, actor, idempotency_key, "open_case", flag_id)


# --- thresholds (监管阈值) ----------------------------------------------------------------------


@router.get("/thresholds", response_model=Thresholds, summary="监管阈值")
def thresholds(actor: ChiefRegulator, market: Market, region: RegionQuery = None) -> Any:
    """一个地区现行的全部监管阈值(未调整过的为默认值)."""
    region = region or market.region
    return {"region": region, "thresholds": market.thresholds(region)}


@router.post("/thresholds", response_model=Thresholds, responses=WRITE, summary="调整监管阈值")
def change_thresholds(body: ThresholdChange, actor: ChiefRegulator, request: Request, response: Response,
                      idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """调整监管阈值并说明理由;此后的监测按新值,已有预警保留当时的参数."""
    return run(request, response, actor, idempotency_key, "change_thresholds", dict(body.changes),
               reason=body.reason, region=body.region)  # fmt: skip


# --- cases (监管案件) -----------------------------------------------------------------------


@router.get("/cases", response_model=CasePage, summary="监管案件列表")
def cases(
    actor: ChiefRegulator, conn: Reads,
    status: Annotated[Literal["open", "investigating", "confirmed", "dismissed"] | None,
                      Query(description="案件状态")] = None,
    code: Key = None, assignee: Key = None, agency_id: Id = None, region: RegionQuery = None,
    opened_from: Bound = None, opened_to: Bound = None, limit: Limit = 50, offset: Offset = 0,
) -> Any:  # fmt: skip
    """按状态、预警类型、承办人、机构、地区和立案时间筛选,新的在前."""
    return supervision_cases.case_page(
        conn, status=status, code=code, region=region, opened_from=opened_from, opened_to=opened_to, limit=limit,
        offset=offset, assignee=assignee, agency_id=_text(agency_id),
    )  # fmt: skip


@router.get("/cases/{case_id}", response_model=CaseDetail, responses=responses(404), summary="案件详情与历史")
def case(case_id: CaseId, actor: ChiefRegulator, market: Market) -> Any:
    """案件的现状(承办人、调查记录、结论、违规记录)和全部事件历史."""
    c = market.load(case_id, Case)
    sealing = Sealing(market)
    return jsonsafe({
        "case_id": str(c.id), "flag_id": c.flag_id, "code": c.code, "status": c.status_code,
        "subjects": dict(c.subjects), "assignee": c.assignee, "notes": c.notes, "decision": c.decision,
        "violation": c.violation,
    }) | {"history": [event_view(e, sealing) for e in market.history(c.id)]}  # fmt: skip


@router.post("/cases/{case_id}/assign", response_model=CaseResult, responses=WRITE, summary="分派案件")
def assign(case_id: CaseId, body: AssignBody, actor: ChiefRegulator, request: Request, response: Response,
           idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """把案件分派给承办人,案件进入调查."""
    return run(request, response, actor, idempotency_key, "assign_case", case_id, body.to)


@router.post("/cases/{case_id}/notes", response_model=CaseResult, responses=WRITE, summary="调查记录")
def note(case_id: CaseId, body: NoteBody, actor: ChiefRegulator, request: Request, response: Response,
         idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """为未结案件添加一条调查记录."""
    return run(request, response, actor, idempotency_key, "add_case_note", case_id, body.text)


@router.post("/cases/{case_id}/confirm", response_model=CaseResult, responses=WRITE, summary="认定违规")
def confirm(case_id: CaseId, body: ConfirmBody, actor: ChiefRegulator, request: Request, response: Response,
            idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """认定违规并说明理由:记录对中介机构的违规,预警结案为认定."""
    return run(request, response, actor, idempotency_key, "confirm_case", case_id, list(body.reasons),
               body.violation_code, agency_id=body.agency_id, points=body.points)  # fmt: skip


@router.post("/cases/{case_id}/dismiss", response_model=CaseResult, responses=WRITE, summary="不予认定")
def dismiss(case_id: CaseId, body: DismissBody, actor: ChiefRegulator, request: Request, response: Response,
            idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """不予认定并说明理由;结论作为标注保留,用于调校监测规则."""
    return run(request, response, actor, idempotency_key, "dismiss_case", case_id, list(body.reasons))


# --- monthly reports (监管月报) -----------------------------------------------------------------


@router.get("/reports", response_model=ReportPage, summary="监管月报列表")
def reports(actor: RegulatorActor, conn: Reads, region: RegionQuery = None, limit: Limit = 50,
            offset: Offset = 0) -> Any:  # fmt: skip
    """已出具的监管月报(每个地区每月一份),新的月份在前."""
    return supervision_reports.report_page(conn, region=region, limit=limit, offset=offset)


def _issued(market: Any, region: str, month: str) -> MonthlyReport:
    return MonthlyReport(market.supervision_report(region, month).figures)


@router.get("/reports/{region}/{month}.html", response_class=Response,
            responses={200: {"content": {"text/html": {}}, "description": "自包含的 HTML 网页"}, **responses(404)},
            summary="下载监管月报(HTML)")  # fmt: skip
def report_html(region: RegionPath, month: MonthPath, actor: RegulatorActor, market: Market) -> Any:
    """出具时的监管月报网页:图表为内嵌 SVG,无外部资源,可离线打开和存档."""
    return HTMLResponse(_issued(market, region, month).html())


@router.get("/reports/{region}/{month}.csv", response_class=Response, summary="下载监管月报(CSV)",
            responses={200: {"content": {"text/csv": {}}, "description": "UTF-8(带 BOM)的 CSV"}, **responses(404)})
def report_csv(region: RegionPath, month: MonthPath, actor: RegulatorActor, market: Market) -> Any:
    """出具时的监管月报数据表(UTF-8 带 BOM,Excel 可直接打开中文)."""
    name = f"supervision-report-{region}-{month}.csv"
    return Response(_issued(market, region, month).csv().encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

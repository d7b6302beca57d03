"""公开信息 (no login): notices, results, contracts, the open-data feed, the agency directory,
and an agency's self-registration. What is public, and only that: before the close a
notice shows the number of sign-ups, never who or at what price; no person data at all."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from api.deps import AgencyId, IdempotencyHeader, Market, ProcurementId, Reads, scoped_key, written
from api.errors import responses
from api.schemas.agency import Registration
from api.schemas.common import QueryInt
from api.schemas.views import (AccountView, AgencyListing, AgencyPage, ContractView, FeedPage, NoticeDetail,
                               NoticeSummary, ResultView)
from domain.errors import NotFound
from projections import agency_directory, public_notices

router = APIRouter(prefix="/api/public", tags=["公开信息 public"], responses=responses(422))

Limit = Annotated[QueryInt, Query(ge=1, le=200, description="每页条数")]
Offset = Annotated[QueryInt, Query(ge=0, le=100_000, description="偏移")]
Filter = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[\w.-]+$", description="筛选条件")]
UNDER_REVIEW = ("pending_review", "returned")
PUBLIC_AGENCY_FIELDS = ("agency_id", "uscc", "name", "agency_type", "region", "address", "phone", "email", "status",
                        "admitted_at", "practitioners_count", "abandonments", "rating", "evaluations", "credit_score", "credit_grade",
                        "qualifications", "services", "suspensions")  # fmt: skip


def _found(value: Any, what: str, key: Any) -> Any:
    if value is None:
        raise NotFound(field=what, detail=str(key))
    return value


@router.get("/notices", response_model=list[NoticeSummary], summary="选取公告列表")
def list_notices(
    conn: Reads, limit: Limit = 50, offset: Offset = 0,
    status: Annotated[Literal["published", "signup_open", "signup_closed", "shortlisted", "publicity", "contracting",
                              "contract_filed", "in_service", "under_acceptance", "evaluating", "closed", "failed",
                              "voided", "terminated"] | None, Query(description="状态")] = None,
    item_code: Filter = None, region: Filter = None, department_id: Filter = None,
) -> Any:  # fmt: skip
    """已发布的选取公告,最新的在前."""
    return public_notices.notices(conn, status=status, item_code=item_code, region=region,
                                  department_id=department_id, limit=limit, offset=offset)  # fmt: skip


@router.get("/notices/{procurement_id}", response_model=NoticeDetail, responses=responses(404), summary="选取公告详情")
def get_notice(procurement_id: ProcurementId, conn: Reads) -> Any:
    """一个公告:报名截止前只有报名数量,截止后公布报名名单、报价和选取结果."""
    return _found(public_notices.notice(conn, str(procurement_id)), "procurement_id", procurement_id)


@router.get("/results", response_model=list[ResultView], summary="中选结果列表")
def list_results(conn: Reads, limit: Limit = 50, offset: Offset = 0) -> Any:
    """中选公示和流标结果,最新的在前."""
    return public_notices.results(conn, limit=limit, offset=offset)


@router.get("/results/{procurement_id}", response_model=ResultView, responses=responses(404), summary="中选结果")
def get_result(procurement_id: ProcurementId, conn: Reads) -> Any:
    """一个项目的选取结果和可复核的选取记录."""
    return _found(public_notices.result(conn, str(procurement_id)), "procurement_id", procurement_id)


@router.get("/contracts", response_model=list[ContractView], summary="合同公开信息")
def list_contracts(conn: Reads, limit: Limit = 50, offset: Offset = 0) -> Any:
    """双方确认的合同:合同编号、金额、中选机构."""
    return public_notices.contracts(conn, limit=limit, offset=offset)


@router.get("/feed", response_model=FeedPage, summary="开放数据变更流")
def feed(
    conn: Reads,
    after: Annotated[QueryInt, Query(ge=0, le=2**62, description="游标:上一页的 next_after,首次为 0")] = 0,
    limit: Annotated[QueryInt, Query(ge=1, le=1000, description="每页条数")] = 100,
) -> Any:
    """公告和结果的公开变更,按位置排序,最新的在最后;按 next_after 翻页可一直跟随,不漏不重."""
    items = public_notices.feed(conn, after=after, limit=limit)
    return {"items": items, "next_after": items[-1]["position"] if items else after}


@router.get("/agencies", response_model=list[AgencyListing], summary="中介机构名录")
def list_agencies(
    conn: Reads, market: Market, limit: Limit = 50, offset: Offset = 0, item_code: Filter = None, region: Filter = None,
    name: Annotated[str | None, Query(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$",
                                      description="名称或统一社会信用代码")] = None,
) -> Any:  # fmt: skip
    """已入驻的中介机构,含平均评价分和信用等级."""
    return agency_directory.agencies(conn, status="admitted", item_code=item_code, region=region, name=name,
                                     limit=limit, offset=offset, now=market.clock.now())  # fmt: skip


@router.get("/agencies/{agency_id}", response_model=AgencyPage, responses=responses(404), summary="中介机构详情")
def get_agency(agency_id: AgencyId, conn: Reads, market: Market) -> Any:
    """一家机构的名录信息:资质、服务事项、评价、暂停记录(不含任何个人信息)."""
    page = agency_directory.agency(conn, str(agency_id), now=market.clock.now())
    if page is None or page["status"] in UNDER_REVIEW:  # not public before the operator admitted it
        raise NotFound(field="agency_id", detail=str(agency_id))
    return {k: page.get(k) for k in PUBLIC_AGENCY_FIELDS}


@router.post("/agencies", status_code=201, response_model=AccountView, responses=responses(409),
             summary="中介机构自助注册")  # fmt: skip
def register_agency(body: Registration, request: Request, response: Response, market: Market,
                    idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """提交入驻申请并开通第一个账号,等待运营机构审核."""
    result = market.register_agency_account(
        body.uscc, body.profile.command_data(), body.username, body.display_name, body.password,
        idempotency_key=scoped_key(idempotency_key, None),
    )  # fmt: skip
    return written(request, response, result)

"""信用 (credit) for 管理机构 and 行业主管部门: standing with its explanation, history, the violation
catalogue, sanctions, credit repair; and the approving department's rating of a service."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import ChiefRegulator, RegulatorActor, requires
from api.deps import AgencyId, IdempotencyHeader, Market, ProcurementId, Reads, run
from api.errors import responses
from api.schemas.common import Moment
from api.schemas.credit import (CatalogueBody, CreditCatalogue, CreditChange, CreditExplanation, CreditResult,
                                CreditStanding, RatingBody, RepairBody, SanctionBody)  # fmt: skip
from domain.base import Actor, Role
from domain.errors import NotFound
from projections import agency_credit, agency_directory

router = APIRouter(prefix="/api/regulator/credit", tags=["信用 credit"], responses=responses(401, 403, 422))
WRITE = responses(404, 409)
DepartmentActor = Annotated[Actor, Depends(requires(Role.DEPARTMENT))]
At = Annotated[Moment | None, Query(description="计算时点(含时区);缺省为当前业务时间")]


def _known(conn, agency_id) -> None:
    if agency_directory.agency(conn, str(agency_id)) is None:
        raise NotFound(field="agency_id", detail=str(agency_id))


@router.get("/agencies/{agency_id}", response_model=CreditExplanation, responses=responses(404), summary="信用状况及其依据")
def explain(agency_id: AgencyId, actor: RegulatorActor, conn: Reads, market: Market, at: At = None) -> Any:
    """信用分、等级和每一条依据:来源事件及其位置、分值、计分期限、到期时间;正在执行的惩戒."""
    _known(conn, agency_id)
    return agency_credit.explanation(conn, str(agency_id), at or market.clock.now())


@router.get("/agencies/{agency_id}/history", response_model=list[CreditChange], responses=responses(404),
            summary="信用变化记录")  # fmt: skip
def history(agency_id: AgencyId, actor: RegulatorActor, conn: Reads, market: Market) -> Any:
    """每一次信用分或等级的变化,旧的在前,附引起变化的记录和事件."""
    _known(conn, agency_id)
    return agency_credit.history(conn, str(agency_id), market.clock.now())


@router.get("/standings", response_model=list[CreditStanding], summary="多家机构的信用分和等级")
def standings(
    actor: RegulatorActor, conn: Reads, market: Market,
    agency_id: Annotated[list[UUID], Query(min_length=1, max_length=200, description="中介机构编号(可多个)")],
) -> Any:  # fmt: skip
    """按机构编号查询信用分和等级(不存在的编号按无记录计)."""
    found = agency_credit.standings(conn, [str(a) for a in agency_id], market.clock.now())
    return list(found.values())


@router.get("/catalogue", response_model=CreditCatalogue, summary="违规行为目录和评分参数")
def catalogue(actor: RegulatorActor, market: Market) -> Any:
    """现行的违规行为扣分、计分期限、惩戒措施,以及权重和等级分数线."""
    return market.credit_catalogue()


@router.post("/catalogue", response_model=CreditCatalogue, responses=WRITE, summary="调整违规行为目录")
def change_catalogue(body: CatalogueBody, actor: ChiefRegulator, request: Request, response: Response,
                     idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """管理机构调整扣分、期限、惩戒或评分参数;此前的信用记录保留其当时的参数."""
    violations = {code: entry.changes() for code, entry in (body.violations or {}).items()}
    scoring = body.scoring.command_data() if body.scoring else None
    run(request, response, actor, idempotency_key, "change_credit_catalogue", violations=violations, scoring=scoring,
        reason=body.reason)  # fmt: skip
    return request.app.state.market.credit_catalogue()


@router.post("/agencies/{agency_id}/sanctions", response_model=CreditResult, responses=WRITE, summary="信用惩戒")
def sanction(agency_id: AgencyId, body: SanctionBody, actor: RegulatorActor, request: Request, response: Response,
             idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """警告、暂停(可限定服务事项,N个月)或清退;报名资格立即受影响."""
    return run(request, response, actor, idempotency_key, "impose_sanction", agency_id, body.sanction,
               reason=body.reason, months=body.months, service_items=body.service_items)  # fmt: skip


@router.post("/agencies/{agency_id}/repairs", response_model=CreditResult, responses=WRITE, summary="信用修复")
def repair(agency_id: AgencyId, body: RepairBody, actor: ChiefRegulator, request: Request, response: Response,
           idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """期限届满后修复一条不良记录或惩戒:不再计入,基于它的惩戒随之结束."""
    return run(request, response, actor, idempotency_key, "repair_credit", agency_id, body.record_id, body.reason)


@router.post("/procurements/{procurement_id}/rating", response_model=CreditResult, responses=WRITE,
             summary="审批部门评价")  # fmt: skip
def rate(procurement_id: ProcurementId, body: RatingBody, actor: DepartmentActor, request: Request,
         response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """审批部门对已签收的服务成果评价质量和时效,计入中选机构的信用."""
    return run(request, response, actor, idempotency_key, "rate_service", procurement_id, body.scores.command_data())

"""中介机构 (agency): its workspace, sign-ups and quotes, objections, the contract and the service.

An agency acts only for itself: its id comes from the token, never from the
path. Its workspace shows its own quotes, which no one else sees before the close.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from api.auth import AgencyActor
from api.deps import IdempotencyHeader, Market, ProcurementId, Reads, run
from api.errors import responses
from api.schemas.agency import ChangeBody, ExitBody, ResubmitBody
from api.schemas.common import ReasonBody
from api.schemas.procurement import ContractBody, Deliverable, ExtensionRequest, ObjectionBody, QuoteBody, SignupBody
from api.schemas.views import AgencyPage, AgencySignup, AgencyWin, CommandResult, DeadlineView, NoticeSummary
from domain.errors import NotFound
from projections import agency_directory, agency_workspace

router = APIRouter(prefix="/api/agency", tags=["中介机构 agency"], responses=responses(401, 403, 422))
WRITE = responses(404, 409)


@router.get("/profile", response_model=AgencyPage, responses=responses(404), summary="本机构信息")
def profile(actor: AgencyActor, conn: Reads, market: Market) -> Any:
    """本机构在名录中的信息:状态、资质、服务事项、评价、暂停记录、待审变更."""
    page = agency_directory.agency(conn, actor.organisation_id, now=market.clock.now())
    if page is None:
        raise NotFound(field="agency_id", detail=actor.organisation_id)
    return page


@router.get("/eligible", response_model=list[NoticeSummary], summary="可报名的项目")
def eligible(actor: AgencyActor, conn: Reads, market: Market) -> Any:
    """现在可以报名的选取公告(已入驻、承接该事项、未被暂停、资质符合、不在回避名单)."""
    return agency_workspace.eligible_now(conn, actor.organisation_id, market.clock.now())


@router.get("/signups", response_model=list[AgencySignup], summary="我的报名")
def signups(actor: AgencyActor, conn: Reads) -> Any:
    """本机构的报名和自己的报价,最新的在前."""
    return agency_workspace.signups(conn, actor.organisation_id)


@router.get("/wins", response_model=list[AgencyWin], summary="我的中选项目")
def wins(actor: AgencyActor, conn: Reads) -> Any:
    """本机构中选的项目,含合同和服务期限."""
    return agency_workspace.wins(conn, actor.organisation_id)


@router.get("/deadlines", response_model=list[DeadlineView], summary="我的期限")
def deadlines(actor: AgencyActor, conn: Reads, market: Market) -> Any:
    """报名截止、选取、公示期满、签约和服务期限,最近的在前."""
    return agency_workspace.deadlines(conn, actor.organisation_id, now=market.clock.now())


@router.post("/resubmit", response_model=CommandResult, responses=WRITE, summary="重新提交入驻申请")
def resubmit(body: ResubmitBody, actor: AgencyActor, request: Request, response: Response,
             idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """入驻申请被退回后,修改并重新提交."""
    return run(request, response, actor, idempotency_key, "resubmit_agency", actor.organisation_id,
               body.profile.command_data())  # fmt: skip


@router.post("/changes", response_model=CommandResult, responses=WRITE, summary="提交信息变更")
def submit_change(body: ChangeBody, actor: AgencyActor, request: Request, response: Response,
                  idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """变更登记信息,运营机构审核通过后生效."""
    return run(request, response, actor, idempotency_key, "submit_agency_change", actor.organisation_id,
               body.changes.command_data())  # fmt: skip


@router.post("/exit", response_model=CommandResult, responses=WRITE, summary="申请退出")
def exit_market(body: ExitBody, actor: AgencyActor, request: Request, response: Response,
                idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """自愿退出中介超市;尚有未完成的中选项目或合同时不允许."""
    return run(request, response, actor, idempotency_key, "exit_agency", actor.organisation_id, body.reason)


def _me(actor) -> UUID:
    return UUID(actor.organisation_id)


@router.post("/procurements/{procurement_id}/signup", response_model=CommandResult, responses=WRITE,
             summary="报名")  # fmt: skip
def sign_up(procurement_id: ProcurementId, actor: AgencyActor, request: Request, response: Response,
            body: SignupBody | None = None, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """报名并报价;截止前报价只有本机构可见."""
    quote = body.quote.command_data() if body and body.quote else None
    client = request.client.host if request.client else None  # the submission address: a collusion screen (§9.4)
    return run(request, response, actor, idempotency_key, "sign_up", procurement_id, _me(actor), quote,
               submitted_from=client)  # fmt: skip


@router.post("/procurements/{procurement_id}/quote", response_model=CommandResult, responses=WRITE,
             summary="修改报价")  # fmt: skip
def revise_quote(procurement_id: ProcurementId, body: QuoteBody, actor: AgencyActor, request: Request, response: Response,
                 idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """报名截止前修改报价."""
    return run(request, response, actor, idempotency_key, "revise_quote", procurement_id, _me(actor),
               body.quote.command_data())  # fmt: skip


@router.post("/procurements/{procurement_id}/withdraw", response_model=CommandResult, responses=WRITE,
             summary="撤回报名")  # fmt: skip
def withdraw(procurement_id: ProcurementId, actor: AgencyActor, request: Request, response: Response,
             idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """报名截止前撤回报名."""
    return run(request, response, actor, idempotency_key, "withdraw_signup", procurement_id, _me(actor))


@router.post("/procurements/{procurement_id}/objections", response_model=CommandResult, responses=WRITE,
             summary="提出质疑")  # fmt: skip
def file_objection(procurement_id: ProcurementId, body: ObjectionBody, actor: AgencyActor, request: Request,
                   response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """公示期内对选取结果提出质疑(须是报名机构)."""
    evidence = [e.command_data() for e in body.evidence]
    return run(request, response, actor, idempotency_key, "file_objection", procurement_id, _me(actor),
               body.reasons, evidence)  # fmt: skip


@router.post("/procurements/{procurement_id}/contract", response_model=CommandResult, responses=WRITE,
             summary="上传合同")  # fmt: skip
def file_contract(procurement_id: ProcurementId, body: ContractBody, actor: AgencyActor, request: Request,
                  response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """中选机构上传已签合同,由业主确认."""
    return run(request, response, actor, idempotency_key, "file_contract", procurement_id, body.command_data())


@router.post("/procurements/{procurement_id}/contract/confirm", response_model=CommandResult, responses=WRITE,
             summary="确认合同")  # fmt: skip
def confirm_contract(procurement_id: ProcurementId, actor: AgencyActor, request: Request, response: Response,
                     idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """确认业主上传的合同,服务计时开始."""
    return run(request, response, actor, idempotency_key, "confirm_contract", procurement_id)


@router.post("/procurements/{procurement_id}/extension", response_model=CommandResult, responses=WRITE,
             summary="申请延期")  # fmt: skip
def request_extension(procurement_id: ProcurementId, body: ExtensionRequest, actor: AgencyActor, request: Request,
                      response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """服务期间申请延长服务期限(工作日),由业主审批."""
    return run(request, response, actor, idempotency_key, "request_extension", procurement_id, body.days, body.reason)


@router.post("/procurements/{procurement_id}/deliverable", response_model=CommandResult, responses=WRITE,
             summary="提交服务成果")  # fmt: skip
def submit_deliverable(procurement_id: ProcurementId, body: Deliverable, actor: AgencyActor, request: Request,
                       response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """上传服务成果,等待业主签收."""
    return run(request, response, actor, idempotency_key, "submit_deliverable", procurement_id, body.command_data())


@router.post("/procurements/{procurement_id}/abandon", response_model=CommandResult, responses=WRITE,
             summary="放弃中选或中止服务")  # fmt: skip
def abandon(procurement_id: ProcurementId, body: ReasonBody, actor: AgencyActor, request: Request, response: Response,
            idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """放弃中选或中止服务;记入本机构的信用记录."""
    return run(request, response, actor, idempotency_key, "abandon", procurement_id, body.reason)

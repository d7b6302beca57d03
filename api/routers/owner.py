"""业主 (owner admin and delegates): the workspace, and the procurement from draft to evaluation.

The unit comes from the token, never from the path. An owner admin (采购管理人)
sees and acts on every procurement of the unit; a delegate (采购受托人) only on
those they drafted (the aggregate refuses the others with 403, recording nothing).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select

from api.auth import OwnerActor
from api.deps import IdempotencyHeader, Market, ProcurementId, Reads, run
from api.errors import responses
from api.schemas.common import QueryBool, QueryInt, ReasonsBody
from api.schemas.procurement import (ContractBody, EvaluationBody, ExtensionDecision, Notice, PickBody,
                                     RepublishBody, SelectionChoice, VoidBody)
from api.schemas.views import CommandResult, OwnerProcurement, OwnerProcurementDetail
from domain.base import Actor, Role
from domain.errors import NotFound
from domain.procurement import Procurement
from domain.procurement.errors import NotTheOwner
from domain.procurement.status import LABELS, ProcurementStatus
from projections import owner_workspace, public_notices

router = APIRouter(prefix="/api/owner", tags=["业主 owner"], responses=responses(401, 403, 422))
WRITE = responses(404, 409)
Status = Literal[tuple(s.value for s in ProcurementStatus)]  # type: ignore[valid-type]


def owned(procurement_id: ProcurementId, actor: OwnerActor, market: Market) -> UUID:
    """The procurement, if it is the unit's (and, for a delegate, their own): checked before its state."""
    p = market.load(procurement_id, Procurement)
    if p.owner_id != actor.organisation_id or _own(actor) not in (None, p.created_by):
        raise NotTheOwner(field="procurement_id")
    return procurement_id


Owned = Annotated[UUID, Depends(owned)]


def _own(actor: Actor) -> str | None:
    """The ``created_by`` scope: None for the admin (the whole unit), the account for a delegate."""
    return None if actor.role is Role.OWNER_ADMIN else actor.id


@router.get("/procurements", response_model=list[OwnerProcurement], summary="我的采购需求")
def list_procurements(
    actor: OwnerActor, conn: Reads,
    status: Annotated[Status | None, Query(description="按状态筛选")] = None,
    awaiting: Annotated[QueryBool | None, Query(description="true 只看待我办理的")] = None,
    limit: Annotated[QueryInt, Query(ge=1, le=200, description="每页条数")] = 50,
    offset: Annotated[QueryInt, Query(ge=0, le=100_000, description="偏移")] = 0,
) -> Any:  # fmt: skip
    """业主工作台:本单位(受托人只看自己起草)的采购需求,最近变动的在前."""
    return owner_workspace.procurements(conn, actor.organisation_id, created_by=_own(actor), status=status,
                                        awaiting=awaiting, limit=limit, offset=offset)  # fmt: skip


@router.get("/procurements/counts", response_model=dict[str, int], summary="各状态数量")
def counts(actor: OwnerActor, conn: Reads) -> Any:
    """每个状态的采购需求数量,以及待办数量 awaiting."""
    return owner_workspace.counts_by_status(conn, actor.organisation_id, created_by=_own(actor))


@router.get("/procurements/{procurement_id}", response_model=OwnerProcurementDetail, responses=responses(404),
            summary="采购需求详情")  # fmt: skip
def get_procurement(procurement_id: ProcurementId, actor: OwnerActor, conn: Reads) -> Any:
    """一个采购需求:工作台信息和公告;报名截止前只有报名数量."""
    t = owner_workspace.PROCUREMENTS
    row = conn.execute(select(t).where(t.c.procurement_id == str(procurement_id))).first()
    if row is None:
        raise NotFound(field="procurement_id", detail=str(procurement_id))
    view = dict(row._mapping)
    if view["owner_id"] != actor.organisation_id or _own(actor) not in (None, view["created_by"]):
        raise NotTheOwner(field="procurement_id")
    view["status_label"] = LABELS[ProcurementStatus(view["status"])]
    view["notice"] = public_notices.notice(conn, view["procurement_id"])
    return view


@router.post("/procurements", status_code=201, response_model=CommandResult, responses=WRITE, summary="起草采购需求")
def draft(body: Notice, actor: OwnerActor, request: Request, response: Response,
          idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """起草选取公告(未提交);审批部门和事项从服务事项清单补全."""
    return run(request, response, actor, idempotency_key, "draft_procurement", actor.organisation_id,
               body.command_data())  # fmt: skip


@router.post("/procurements/{procurement_id}/amend", response_model=CommandResult, responses=WRITE,
             summary="修改采购需求")  # fmt: skip
def amend(procurement_id: Owned, body: Notice, actor: OwnerActor, request: Request, response: Response,
          idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """修改未提交或被退回的公告."""
    return run(request, response, actor, idempotency_key, "amend_procurement", procurement_id, body.command_data())


@router.post("/procurements/{procurement_id}/submit", response_model=CommandResult, responses=WRITE,
             summary="提交审核")  # fmt: skip
def submit(procurement_id: Owned, actor: OwnerActor, request: Request, response: Response,
           idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """提交运营机构审核."""
    return run(request, response, actor, idempotency_key, "submit_procurement", procurement_id)


@router.post("/procurements/{procurement_id}/selection", response_model=CommandResult, responses=WRITE,
             summary="业主选取")  # fmt: skip
def select_(procurement_id: Owned, body: SelectionChoice, actor: OwnerActor, request: Request, response: Response,
            idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """直接选取(选定机构)或方案择优(评分),在选取时间由业主执行."""
    return run(request, response, actor, idempotency_key, "run_selection", procurement_id, choice=body.command_data())


@router.post("/procurements/{procurement_id}/shortlist-pick", response_model=CommandResult, responses=WRITE,
             summary="从小名单择定")  # fmt: skip
def pick(procurement_id: Owned, body: PickBody, actor: OwnerActor, request: Request, response: Response,
         idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """信用择优:从小名单中择定中选机构并说明理由."""
    return run(request, response, actor, idempotency_key, "pick_from_shortlist", procurement_id, body.agency_id,
               body.reason)  # fmt: skip


@router.post("/procurements/{procurement_id}/contract", response_model=CommandResult, responses=WRITE,
             summary="上传合同")  # fmt: skip
def file_contract(procurement_id: Owned, body: ContractBody, actor: OwnerActor, request: Request, response: Response,
                  idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """上传已签合同,由中选机构确认."""
    return run(request, response, actor, idempotency_key, "file_contract", procurement_id, body.command_data())


@router.post("/procurements/{procurement_id}/contract/confirm", response_model=CommandResult, responses=WRITE,
             summary="确认合同")  # fmt: skip
def confirm_contract(procurement_id: Owned, actor: OwnerActor, request: Request, response: Response,
                     idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """确认中选机构上传的合同,服务计时开始."""
    return run(request, response, actor, idempotency_key, "confirm_contract", procurement_id)


@router.post("/procurements/{procurement_id}/extension/decision", response_model=CommandResult, responses=WRITE,
             summary="审批延期申请")  # fmt: skip
def decide_extension(procurement_id: Owned, body: ExtensionDecision, actor: OwnerActor, request: Request,
                     response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """同意(服务期限顺延)或不同意(须说明理由)中选机构的延期申请."""
    if body.grant:
        return run(request, response, actor, idempotency_key, "grant_extension", procurement_id)
    return run(request, response, actor, idempotency_key, "refuse_extension", procurement_id, body.reason)


@router.post("/procurements/{procurement_id}/deliverable/accept", response_model=CommandResult, responses=WRITE,
             summary="签收服务成果")  # fmt: skip
def accept_deliverable(procurement_id: Owned, actor: OwnerActor, request: Request, response: Response,
                       idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """签收服务成果,进入评价."""
    return run(request, response, actor, idempotency_key, "accept_deliverable", procurement_id)


@router.post("/procurements/{procurement_id}/deliverable/reject", response_model=CommandResult, responses=WRITE,
             summary="退回服务成果")  # fmt: skip
def reject_deliverable(procurement_id: Owned, body: ReasonsBody, actor: OwnerActor, request: Request,
                       response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """退回服务成果并说明理由,服务计时恢复."""
    return run(request, response, actor, idempotency_key, "reject_deliverable", procurement_id, body.reasons)


@router.post("/procurements/{procurement_id}/evaluation", response_model=CommandResult, responses=WRITE,
             summary="服务评价")  # fmt: skip
def evaluate(procurement_id: Owned, body: EvaluationBody, actor: OwnerActor, request: Request, response: Response,
             idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """一事一评:质量、时效、态度、收费、规范五项评分."""
    return run(request, response, actor, idempotency_key, "evaluate", procurement_id, body.scores.model_dump(),
               body.comment)  # fmt: skip


@router.post("/procurements/{procurement_id}/void", response_model=CommandResult, responses=WRITE,
             summary="置为无效")  # fmt: skip
def void(procurement_id: Owned, body: VoidBody, actor: OwnerActor, request: Request, response: Response,
         idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """合同签订前置为无效,须说明原因."""
    return run(request, response, actor, idempotency_key, "void_procurement", procurement_id, body.reason_code,
               body.reason)  # fmt: skip


@router.post("/procurements/{procurement_id}/republish", status_code=201, response_model=CommandResult,
             responses=WRITE, summary="重新采购")  # fmt: skip
def republish(procurement_id: Owned, actor: OwnerActor, request: Request, response: Response,
              body: RepublishBody | None = None, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """流标后重新采购:新一轮需求回到起草状态,与原需求关联."""
    changes = body.changes.command_data() if body and body.changes else None
    return run(request, response, actor, idempotency_key, "republish", procurement_id, changes)

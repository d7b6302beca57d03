"""运营机构 (operator): review queues, agencies' registrations and changes, notices,
objections, the working-day calendar, and accounts."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field

from api.auth import OperatorActor
from api.deps import AgencyId, IdempotencyHeader, ProcurementId, Reads, run
from api.errors import responses
from api.schemas.common import Body, Day, Password, QueryInt, Reason, ReasonBody, ReasonsBody, Username, text
from api.schemas.procurement import UpholdBody
from api.schemas.views import AccountView, CommandResult, QueueItem
from domain.base import Role
from projections import operator_queues

router = APIRouter(prefix="/api/operator", tags=["运营机构 operator"], responses=responses(401, 403, 422))
WRITE = responses(404, 409)
Kind = Literal["registration", "change", "notice", "objection"]


class HolidayYear(Body):
    holidays: list[Day] = Field(max_length=60, description="法定节假日(放假的日期)")
    makeup_workdays: list[Day] = Field(default_factory=list, max_length=20, description="调休上班的周末日期")
    source: Reason = Field(description="依据:国务院办公厅通知的文号")


class NewAccount(Body):
    username: Username = Field(description="登录用户名;业主账号须与业主单位登记的管理人或经办人账号一致")
    display_name: text(100) = Field(description="使用人姓名")
    role: Literal["owner_admin", "owner_delegate", "agency", "operator", "regulator", "department"] = Field(
        description="角色")
    organisation_id: UUID | None = Field(None, description="所属业主单位、中介机构或部门的编号;运营、管理机构不填")
    password: Password = Field(description="初始密码(8–128 位)")


@router.get("/queue", response_model=list[QueueItem], summary="待审事项")
def queue(
    actor: OperatorActor, conn: Reads, kind: Annotated[Kind | None, Query(description="事项类型")] = None,
    region: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="行政区划代码")] = None,
    limit: Annotated[QueryInt, Query(ge=1, le=200, description="每页条数")] = 50,
    offset: Annotated[QueryInt, Query(ge=0, le=100_000, description="偏移")] = 0,
) -> Any:  # fmt: skip
    """入驻申请、信息变更、选取公告和质疑的待审队列,先提交的在前."""
    return operator_queues.queue(conn, kind=kind, region=region, limit=limit, offset=offset)


@router.get("/queue/counts", response_model=dict[str, int], summary="待审数量")
def queue_counts(actor: OperatorActor, conn: Reads) -> Any:
    """每类待审事项的数量."""
    return operator_queues.counts(conn)


@router.post("/agencies/{agency_id}/admit", response_model=CommandResult, responses=WRITE, summary="审核通过入驻")
def admit(agency_id: AgencyId, actor: OperatorActor, request: Request, response: Response,
          idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """入驻申请形式审查通过."""
    return run(request, response, actor, idempotency_key, "admit_agency", agency_id)


@router.post("/agencies/{agency_id}/return", response_model=CommandResult, responses=WRITE, summary="退回入驻申请")
def return_agency(agency_id: AgencyId, body: ReasonsBody, actor: OperatorActor, request: Request, response: Response,
                  idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """退回入驻申请并说明理由."""
    return run(request, response, actor, idempotency_key, "return_agency", agency_id, body.reasons)


@router.post("/agencies/{agency_id}/change/approve", response_model=CommandResult, responses=WRITE,
             summary="通过信息变更")  # fmt: skip
def approve_change(agency_id: AgencyId, actor: OperatorActor, request: Request, response: Response,
                   idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """信息变更审核通过,变更生效."""
    return run(request, response, actor, idempotency_key, "approve_agency_change", agency_id)


@router.post("/agencies/{agency_id}/change/return", response_model=CommandResult, responses=WRITE,
             summary="退回信息变更")  # fmt: skip
def return_change(agency_id: AgencyId, body: ReasonsBody, actor: OperatorActor, request: Request, response: Response,
                  idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """退回信息变更并说明理由."""
    return run(request, response, actor, idempotency_key, "return_agency_change", agency_id, body.reasons)


@router.post("/procurements/{procurement_id}/publish", response_model=CommandResult, responses=WRITE,
             summary="审核通过并发布公告")  # fmt: skip
def publish(procurement_id: ProcurementId, actor: OperatorActor, request: Request, response: Response,
            idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """公告审核通过并发布;平台同时承诺抽取密钥(公布其哈希)."""
    return run(request, response, actor, idempotency_key, "publish_procurement", procurement_id)


@router.post("/procurements/{procurement_id}/return", response_model=CommandResult, responses=WRITE,
             summary="退回公告")  # fmt: skip
def return_notice(procurement_id: ProcurementId, body: ReasonsBody, actor: OperatorActor, request: Request,
                  response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """退回公告并说明理由."""
    return run(request, response, actor, idempotency_key, "return_procurement", procurement_id, body.reasons)


ObjectionId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9a-f-]+$", description="质疑编号")]


@router.post("/procurements/{procurement_id}/objections/{objection_id}/uphold", response_model=CommandResult,
             responses=WRITE, summary="支持质疑")  # fmt: skip
def uphold(procurement_id: ProcurementId, objection_id: ObjectionId, body: UpholdBody, actor: OperatorActor,
           request: Request, response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """质疑成立:剔除有问题的报名后重新选取,或宣布流标."""
    return run(request, response, actor, idempotency_key, "uphold_objection", procurement_id, objection_id,
               body.reason, exclude_agency_id=body.exclude_agency_id, fail=body.fail)  # fmt: skip


@router.post("/procurements/{procurement_id}/objections/{objection_id}/dismiss", response_model=CommandResult,
             responses=WRITE, summary="驳回质疑")  # fmt: skip
def dismiss(procurement_id: ProcurementId, objection_id: ObjectionId, body: ReasonBody, actor: OperatorActor,
            request: Request, response: Response, idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """质疑不成立,选取结果维持."""
    return run(request, response, actor, idempotency_key, "dismiss_objection", procurement_id, objection_id,
               body.reason)  # fmt: skip


@router.post("/calendar/{year}", response_model=dict[str, int], responses=WRITE, summary="发布节假日安排")
def publish_year(year: Annotated[QueryInt, Path(ge=2004, le=2099, description="年份")], body: HolidayYear,
                 actor: OperatorActor, request: Request, response: Response,
                 idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """按国务院办公厅通知发布一年的节假日和调休上班日(工作日历)."""
    return run(request, response, actor, idempotency_key, "publish_holiday_year", year, body.holidays,
               body.makeup_workdays, body.source)  # fmt: skip


@router.post("/accounts", status_code=201, response_model=AccountView, responses=WRITE, summary="开通账号")
def open_account(body: NewAccount, actor: OperatorActor, request: Request, response: Response,
                 idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """为业主、中介机构、部门、运营或管理机构人员开通账号."""
    return run(request, response, actor, idempotency_key, "open_account", body.username, body.display_name,
               Role(body.role), body.organisation_id, body.password)  # fmt: skip


@router.post("/accounts/{username}/deactivate", response_model=AccountView, responses=WRITE, summary="停用账号")
def deactivate(username: Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]+$",
                                             description="用户名")],
               body: ReasonBody, actor: OperatorActor, request: Request, response: Response,
               idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """停用账号:不能再登录,历史记录保留."""
    return run(request, response, actor, idempotency_key, "deactivate_account", username, body.reason)

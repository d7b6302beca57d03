"""管理机构、行业主管部门 (regulators): procurement search, sanctions, the rule book.
The audit of events and states is in ``audit.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from api.auth import ChiefRegulator, RegulatorActor
from api.deps import AgencyId, IdempotencyHeader, ProcurementId, Reads, run
from api.errors import responses
from api.schemas.agency import SuspendBody
from api.schemas.common import Body, Code, Code64, Int, Moment, QueryInt, Reason, ReasonBody, text
from api.schemas.procurement import Method
from api.schemas.views import CommandResult, Participant, SearchPage
from domain.procurement.status import ProcurementStatus
from projections import procurement_search

router = APIRouter(prefix="/api/regulator", tags=["监管 regulator"], responses=responses(401, 403, 422))
WRITE = responses(404, 409)
Status = Literal[tuple(s.value for s in ProcurementStatus)]  # type: ignore[valid-type]
DateField = Literal["drafted_at", "published_at", "signup_closes_at", "selected_at", "awarded_at",
                    "contract_confirmed_at", "ended_at"]  # fmt: skip
Key = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[\w.-]+$", description="筛选条件")]
Amount = Annotated[Decimal | None, Query(ge=0, le=Decimal("100000000000"), max_digits=14, decimal_places=2,
                                         description="金额(元)")]  # fmt: skip
Bound = Annotated[Moment | None, Query(description="时间(含时区)")]


class Minimums(Body):
    direct: Int = Field(ge=1, le=50, description="直接选取")
    random: Int = Field(ge=1, le=50, description="随机抽取")
    lowest_price: Int = Field(ge=1, le=50, description="最低价")
    reasonable_price: Int = Field(ge=1, le=50, description="合理价")
    credit_merit: Int = Field(ge=1, le=50, description="信用择优")
    proposal_scoring: Int = Field(ge=1, le=50, description="方案择优")


class MinimumBidders(Body):
    state: Minimums = Field(description="财政/国有资金")
    social: Minimums = Field(description="社会资金")


class Rules(Body):
    minimum_bidders: MinimumBidders | None = Field(None, description="各选取方式的最少有效报名数")
    coefficients: list[text(8, pattern=r"^[0-9]{1,3}(\.[0-9]{1,2})?$")] | None = Field(
        None, min_length=1, max_length=10, description="合理价系数 k(百分比)")
    trim_from: Int | None = Field(None, ge=3, le=100, description="报名数不少于此数时去掉最高和最低报价")
    long_list: Int | None = Field(None, ge=1, le=100, description="信用择优大名单人数")
    short_list: Int | None = Field(None, ge=1, le=100, description="信用择优小名单人数")
    weights: dict[Code, Annotated[Int, Field(ge=0, le=1000)]] | None = Field(
        None, max_length=20, description="方案择优各评分项分值,须含 price")


class Timetable(Body):
    publicity: Int | None = Field(None, ge=1, le=365, description="公示期(工作日)")
    contract: Int | None = Field(None, ge=1, le=365, description="签约期限(工作日)")
    acceptance: Int | None = Field(None, ge=1, le=365, description="签收期限(工作日)")
    evaluation: Int | None = Field(None, ge=1, le=365, description="评价期限(工作日)")


class RuleSetBody(Body):
    version: Code64 = Field(description="版本号")
    effective_from: Moment = Field(description="生效时间")
    rules: Rules = Field(default_factory=Rules, description="选取规则(未列出的沿用默认)")
    timetable: Timetable = Field(default_factory=Timetable, description="各环节期限")
    reason: Reason = Field(description="调整理由")


@router.get("/procurements", response_model=SearchPage, summary="采购需求查询")
def search(
    actor: RegulatorActor, conn: Reads,
    status: Annotated[Status | None, Query(description="状态")] = None, item_code: Key = None, region: Key = None,
    department_id: Key = None, owner_id: Key = None, agency_id: Key = None,
    method: Annotated[Method | None, Query(description="选取方式")] = None,
    date_field: Annotated[DateField, Query(description="按哪个时间筛选")] = "published_at",
    date_from: Bound = None, date_to: Bound = None, amount_min: Amount = None, amount_max: Amount = None,
    text_: Annotated[str | None, Query(alias="text", min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$",
                                       description="项目名称或项目代码")] = None,
    limit: Annotated[QueryInt, Query(ge=1, le=200, description="每页条数")] = 50,
    offset: Annotated[QueryInt, Query(ge=0, le=100_000, description="偏移")] = 0,
) -> Any:  # fmt: skip
    """按状态、事项、地区、部门、业主、中介机构、方式、时间和金额查询;报名截止前只显示报名数量."""
    return procurement_search.search(
        conn, status=status, item_code=item_code, region=region, department_id=department_id, owner_id=owner_id,
        agency_id=agency_id, method=method, date_field=date_field, date_from=date_from, date_to=date_to,
        amount_min=amount_min, amount_max=amount_max, text=text_, limit=limit, offset=offset,
    )  # fmt: skip


@router.get("/procurements/{procurement_id}/participants", response_model=list[Participant], summary="参与机构")
def participants(procurement_id: ProcurementId, actor: RegulatorActor, conn: Reads) -> Any:
    """报名截止时冻结名单上的机构和中选者;截止前为空."""
    return procurement_search.participants(conn, str(procurement_id))


@router.post("/agencies/{agency_id}/suspend", response_model=CommandResult, responses=WRITE, summary="暂停中介机构")
def suspend(agency_id: AgencyId, body: SuspendBody, actor: RegulatorActor, request: Request, response: Response,
            idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """暂停整个机构或部分服务事项,至指定时间."""
    return run(request, response, actor, idempotency_key, "suspend_agency", agency_id, until=body.until,
               reason=body.reason, service_items=body.service_items)  # fmt: skip


@router.post("/agencies/{agency_id}/lift-suspension", response_model=CommandResult, responses=WRITE,
             summary="解除暂停")  # fmt: skip
def lift(agency_id: AgencyId, body: ReasonBody, actor: RegulatorActor, request: Request, response: Response,
         idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """提前解除正在执行的暂停."""
    return run(request, response, actor, idempotency_key, "lift_agency_suspension", agency_id, body.reason)


@router.post("/agencies/{agency_id}/expel", response_model=CommandResult, responses=WRITE, summary="清退中介机构")
def expel(agency_id: AgencyId, body: ReasonBody, actor: RegulatorActor, request: Request, response: Response,
          idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """清退(列入黑名单),不能再报名."""
    return run(request, response, actor, idempotency_key, "expel_agency", agency_id, body.reason)


@router.post("/rule-sets", response_model=dict[str, str], responses=WRITE, summary="发布选取规则版本")
def adopt_rule_set(body: RuleSetBody, actor: ChiefRegulator, request: Request, response: Response,
                   idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """管理机构发布新版本的选取规则和期限;发布后新公告按生效的版本执行,已发布的不受影响."""
    rules = body.rules.command_data()
    timetable = body.timetable.command_data()
    return run(request, response, actor, idempotency_key, "adopt_rule_set", body.version,
               effective_from=body.effective_from, rules=rules, timetable=timetable, reason=body.reason)  # fmt: skip

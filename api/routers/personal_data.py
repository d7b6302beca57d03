"""个人信息 (personal data): persons of agencies masked, revealed to a regulator on record, erased.

* agencies and operators see an agency's persons masked (张*, 138****5678);
* a 管理机构 regulator may see them in clear, and each such look is an event first
  (``PersonalDataAccess.Recorded``: who, when, whose ID digests, purpose) in the audit log;
* an operator or regulator erases a person: the request is an event, the person's key is destroyed,
  and their data reads 已删除 everywhere from then on (docs/personal-data.md).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from api.auth import AgencyActor, ChiefRegulator, OperatorActor
from api.deps import AgencyId, IdempotencyHeader, Market, run
from api.errors import responses
from api.schemas.agency import IdNumber
from api.schemas.common import Body, Reason, text
from api.schemas.views import View
from domain.base import Actor

router = APIRouter(tags=["个人信息 personal data"], responses=responses(401, 403, 404, 422))
WRITE = responses(409)
Digest = text(64, min_length=64, pattern=r"^[0-9a-f]{64}$")


class PersonView(View):
    """机构的一名自然人:法定代表人、自然人股东或从业人员."""

    role: str = Field(description="legal_representative 法定代表人, shareholders 股东, practitioners 从业人员")
    id_digest: str = Field(description="身份证号码的密钥摘要")
    name: str | None = Field(None, description="姓名(已删除的显示“已删除”)")
    phone: str | None = Field(None, description="联系电话")
    email: str | None = Field(None, description="电子邮箱")
    erased: bool = Field(description="此人的个人信息已删除")


class RevealBody(Body):
    purpose: Reason = Field(description="查阅目的(记入审计日志)")


class Revealed(View):
    access_id: str = Field(description="查阅记录编号(审计日志中可查)")
    agency_id: str = Field(description="中介机构编号")
    persons: list[PersonView] = Field(description="明文的个人信息")


class ErasureBody(Body):
    """指明要删除其个人信息的人:身份证号码或其摘要,二选一."""

    id_number: IdNumber | None = Field(None, description="居民身份证号码")
    id_digest: Digest | None = Field(None, description="身份证号码的密钥摘要")
    reason: Reason = Field(description="删除理由(如本人依个人信息保护法第四十七条提出的请求)")


class Erased(View):
    erasure_id: str = Field(description="删除请求记录编号")
    id_digest: str = Field(description="被删除者的身份证号码摘要")


@router.get("/api/agency/persons", response_model=list[PersonView], summary="本机构人员(脱敏)")
def own_persons(actor: AgencyActor, market: Market) -> Any:
    """本机构的法定代表人、股东和从业人员,姓名、电话、邮箱脱敏显示."""
    return market.agency_persons(actor.organisation_id)


@router.get("/api/operator/agencies/{agency_id}/persons", response_model=list[PersonView], summary="机构人员(脱敏)")
def agency_persons(agency_id: AgencyId, actor: OperatorActor, market: Market) -> Any:
    """一家中介机构的人员,脱敏显示."""
    return market.agency_persons(agency_id)


@router.post("/api/regulator/agencies/{agency_id}/persons/reveal", response_model=Revealed, responses=WRITE,
             summary="查阅机构人员的个人信息(留痕)")  # fmt: skip
def reveal(agency_id: AgencyId, body: RevealBody, actor: ChiefRegulator, request: Request, response: Response,
           idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """管理机构查阅一家机构人员的明文个人信息;每次查阅先记为事件(谁、何时、谁的、目的)."""
    return run(request, response, actor, idempotency_key, "reveal_agency_persons", agency_id, body.purpose)


def _erase(request: Request, response: Response, actor: Actor, key: str | None, body: ErasureBody) -> Any:
    return run(request, response, actor, key, "erase_person", body.reason, id_number=body.id_number,
               id_digest=body.id_digest)  # fmt: skip


@router.post("/api/regulator/personal-data/erasures", response_model=Erased, responses=WRITE,
             summary="删除个人信息")  # fmt: skip
def erase_by_regulator(body: ErasureBody, actor: ChiefRegulator, request: Request, response: Response,
                       idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """销毁此人的密钥:其姓名、电话、邮箱在历史和视图中显示为“已删除”,事件链不变."""
    return _erase(request, response, actor, idempotency_key, body)


@router.post("/api/operator/personal-data/erasures", response_model=Erased, responses=WRITE,
             summary="删除个人信息")  # fmt: skip
def erase_by_operator(body: ErasureBody, actor: OperatorActor, request: Request, response: Response,
                      idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """销毁此人的密钥:其姓名、电话、邮箱在历史和视图中显示为“已删除”,事件链不变."""
    return _erase(request, response, actor, idempotency_key, body)

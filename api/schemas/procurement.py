"""Request bodies of the procurement's life: the notice, quotes, selection, contract, service."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import (Body, Code, Code64, Flag, IdText, Int, LongText, Moment, Money, Name, Reason,
                                Reasons, Region, Sha256, text)

Method = Literal["direct", "random", "lowest_price", "reasonable_price", "credit_merit", "proposal_scoring"]
Level = Literal["甲级", "乙级", "丙级", "不分级"]


class Budget(Body):
    kind: Literal["fixed", "range", "tbd"] = Field(description="预算类型:fixed 固定价,range 最高/最低限价,tbd 待定")
    amount: Money | None = Field(None, description="固定价(元),kind=fixed 时必填")
    min: Money | None = Field(None, description="最低限价(元),kind=range")
    max: Money | None = Field(None, description="最高限价(元),kind=range 时必填")


class RequiredQualification(Body):
    category: text(100) = Field(description="资质类别,如 环境影响评价")
    min_level: Level = Field("不分级", description="最低等级")


class Requirement(Body):
    mode: Literal["all", "any"] = Field("all", description="all 全部满足,any 满足其一")
    qualifications: list[RequiredQualification] = Field(default_factory=list, max_length=20,
                                                        description="资质要求")  # fmt: skip


class Avoided(Body):
    agency_id: IdText = Field(description="回避的中介机构编号")
    reason: Reason = Field(description="回避理由")


class Declaration(Body):
    evaluator_id: Code64 = Field(description="评审人员编号")
    no_conflict: Flag = Field(description="已声明无利害关系")


class MethodParams(Body):
    justification: Reason | None = Field(None, description="直接选取的理由(直接选取必填)")
    long_list: Int | None = Field(None, ge=1, le=100, description="信用择优大名单人数")
    short_list: Int | None = Field(None, ge=1, le=100, description="信用择优小名单人数")
    evaluators: list[Code64] | None = Field(None, max_length=50, description="方案择优评审人员")
    declarations: list[Declaration] | None = Field(None, max_length=50, description="评审人员无利害关系声明")


class Notice(Body):
    """选取公告的内容."""

    project_code: Code64 = Field(description="项目代码")
    project_name: Name = Field(description="项目名称")
    total_investment: Money | None = Field(None, description="总投资(元)")
    service_item_code: Code = Field(description="中介服务事项编码(见服务事项清单)")
    region: Region = Field(description="项目所在行政区划代码")
    fund_source: Literal["state", "social"] = Field(description="资金来源:state 财政/国有资金,social 社会资金")
    budget: Budget = Field(description="服务预算")
    service_time_limit_days: Int = Field(ge=1, le=3650, description="服务时限(工作日)")
    requirement: Requirement | None = Field(None, description="资质要求;缺省取服务事项的要求")
    avoided: list[Avoided] = Field(default_factory=list, max_length=50, description="回避的中介机构")
    method: Method = Field(description="选取方式")
    method_params: MethodParams = Field(default_factory=MethodParams, description="选取方式参数")
    signup_opens_at: Moment = Field(description="报名开始时间")
    signup_closes_at: Moment = Field(description="报名截止时间")
    selection_at: Moment = Field(description="选取时间")
    description: LongText = Field("", description="项目概况与服务要求")


class NoticeChanges(Body):
    """重新采购时对公告的修改(只列出要改的项)."""

    project_name: Name | None = Field(None, description="项目名称")
    fund_source: Literal["state", "social"] | None = Field(None, description="资金来源")
    budget: Budget | None = Field(None, description="服务预算")
    service_time_limit_days: Int | None = Field(None, ge=1, le=3650, description="服务时限(工作日)")
    method: Method | None = Field(None, description="选取方式")
    method_params: MethodParams | None = Field(None, description="选取方式参数")
    signup_opens_at: Moment | None = Field(None, description="报名开始时间")
    signup_closes_at: Moment | None = Field(None, description="报名截止时间")
    selection_at: Moment | None = Field(None, description="选取时间")
    description: LongText | None = Field(None, description="项目概况与服务要求")


class Quote(Body):
    kind: Literal["amount", "discount_rate"] = Field("amount", description="amount 报价金额(元),discount_rate 下浮率")
    value: Annotated[Decimal, Field(ge=0, le=Decimal("100000000000"), max_digits=14, decimal_places=4)] = Field(
        description="金额(元),或下浮率(0 ≤ r < 1)")


class SignupBody(Body):
    quote: Quote | None = Field(None, description="报价;价格类选取方式必填")


class QuoteBody(Body):
    quote: Quote = Field(description="新的报价")


Criterion = Code
Points = Annotated[Decimal, Field(ge=0, le=1000, max_digits=8, decimal_places=2)]


class SelectionChoice(Body):
    """业主在选取时间的输入:直接选取的机构,或方案择优的评分."""

    chosen: UUID | None = Field(None, description="直接选取:选定的中介机构编号")
    justification: Reason | None = Field(None, description="直接选取理由")
    scores: dict[IdText, dict[Criterion, Points]] | None = Field(
        None, max_length=100, description="方案择优:每个机构各评分项的得分")
    evaluators: list[Code64] | None = Field(None, max_length=50, description="评审人员")
    declarations: list[Declaration] | None = Field(None, max_length=50, description="无利害关系声明")


class PickBody(Body):
    agency_id: UUID = Field(description="从小名单中择定的中介机构编号")
    reason: Reason = Field(description="择定理由")


class ObjectionEvidence(Body):
    title: Name = Field(description="证明材料名称")
    sha256: Sha256 = Field(description="材料文件的 SHA-256")


class ObjectionBody(Body):
    reasons: Reasons = Field(description="质疑理由")
    evidence: list[ObjectionEvidence] = Field(default_factory=list, max_length=20, description="证明材料")


class UpholdBody(Body):
    reason: Reason = Field(description="处理意见")
    exclude_agency_id: UUID | None = Field(None, description="剔除的报名机构(重新选取)")
    fail: Flag = Field(False, description="宣布流标")


class ContractBody(Body):
    contract_no: Code64 = Field(description="合同编号")
    amount: Money = Field(description="合同金额(元)")
    document_sha256: Sha256 = Field(description="已签合同文件的 SHA-256")


class ExtensionRequest(Body):
    days: Int = Field(ge=1, le=365, description="申请延长的工作日数")
    reason: Reason = Field(description="延期理由")


class ExtensionDecision(Body):
    grant: Flag = Field(description="true 同意延期,false 不同意")
    reason: Reason | None = Field(None, description="不同意的理由(不同意时必填)")


class Deliverable(Body):
    title: Name = Field(description="服务成果名称")
    sha256: Sha256 = Field(description="成果文件的 SHA-256")


class Scores(Body):
    quality: Int = Field(ge=0, le=100, description="质量")
    timeliness: Int = Field(ge=0, le=100, description="时效")
    attitude: Int = Field(ge=0, le=100, description="态度")
    fee: Int = Field(ge=0, le=100, description="收费")
    conduct: Int = Field(ge=0, le=100, description="规范")


class EvaluationBody(Body):
    scores: Scores = Field(description="五项评分,每项 0–100")
    comment: LongText = Field("", description="评价意见")


class VoidBody(Body):
    reason_code: Literal["noDemand", "unFixable", "forceMajeure", "expensesCut", "noOffer"] = Field(
        description="无效原因代码")
    reason: Reason = Field(description="说明")


class RepublishBody(Body):
    changes: NoticeChanges | None = Field(None, description="对原公告的修改")

"""Response bodies. Each names the fields users read, in Chinese; rows may carry more columns
(``extra="allow"``), which the OpenAPI schema allows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    model_config = ConfigDict(extra="allow")


class CommandResult(View):
    """命令执行结果."""

    procurement_id: str | None = Field(None, description="采购需求编号")
    agency_id: str | None = Field(None, description="中介机构编号")
    status: str | None = Field(None, description="执行后的状态")


class Token(BaseModel):
    access_token: str = Field(description="访问令牌(JWT)")
    token_type: str = Field(description="固定为 bearer")
    expires_in: int = Field(description="有效期(秒)")


class AccountView(View):
    account_id: str = Field(description="账号编号")
    username: str = Field(description="用户名")
    display_name: str = Field(description="使用人姓名")
    role: str = Field(description="角色")
    organisation_id: str | None = Field(None, description="所属单位(业主单位、中介机构或部门)编号")
    status: str = Field(description="active 正常,deactivated 已停用")


class NoticeSummary(View):
    procurement_id: str = Field(description="采购需求编号")
    project_name: str | None = Field(None, description="项目名称")
    owner_name: str | None = Field(None, description="项目业主")
    service_item_name: str | None = Field(None, description="中介服务事项")
    method: str | None = Field(None, description="选取方式")
    status: str = Field(description="状态")
    signup_count: int = Field(description="报名数量(截止前只公开数量)")
    signup_closes_at: datetime | None = Field(None, description="报名截止时间")


class NoticeDetail(NoticeSummary):
    signups: list[dict[str, Any]] | None = Field(None, description="报名截止后公布的报名名单;截止前为 null")
    result: dict[str, Any] | None = Field(None, description="中选结果(含可复核的选取记录)")
    contract: dict[str, Any] | None = Field(None, description="合同公开信息")


class ResultView(View):
    procurement_id: str = Field(description="采购需求编号")
    outcome: str = Field(description="selected 中选,shortlisted 待业主择定,failed 流标,annulled 已撤销")
    winner_id: str | None = Field(None, description="中选机构编号")
    winner_name: str | None = Field(None, description="中选机构名称")


class ContractView(View):
    procurement_id: str = Field(description="采购需求编号")
    contract_no: str | None = Field(None, description="合同编号")
    amount: str | None = Field(None, description="合同金额(元)")
    winner_name: str | None = Field(None, description="中选机构")


class FeedItem(View):
    position: int = Field(description="游标位置(事件通知编号)")
    procurement_id: str = Field(description="采购需求编号")
    kind: str = Field(description="变更类型")
    at: datetime = Field(description="发生时间")


class FeedPage(BaseModel):
    items: list[FeedItem] = Field(description="本页变更,旧的在前")
    next_after: int = Field(description="下一页的 after 参数;没有新变更时与请求相同")


class AgencyListing(View):
    agency_id: str = Field(description="中介机构编号")
    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="机构名称")
    status: str = Field(description="状态")
    rating: float | None = Field(None, description="平均评价分")
    credit_score: int | None = Field(None, description="信用分(满分100)")
    credit_grade: str | None = Field(None, description="信用等级 A–D")


class AgencyPage(AgencyListing):
    qualifications: list[dict[str, Any]] = Field(default_factory=list, description="资质")
    services: list[dict[str, Any]] = Field(default_factory=list, description="承接的服务事项")
    suspensions: list[dict[str, Any]] = Field(default_factory=list, description="暂停记录")


class OwnerProcurement(View):
    procurement_id: str = Field(description="采购需求编号")
    project_name: str | None = Field(None, description="项目名称")
    status: str = Field(description="状态")
    status_label: str | None = Field(None, description="状态名称")
    signup_count: int = Field(description="报名数量(截止前只有数量)")
    awaits: str | None = Field(None, description="待业主办理的事项")
    created_by: str | None = Field(None, description="起草人账号")


class OwnerProcurementDetail(OwnerProcurement):
    notice: NoticeDetail | None = Field(None, description="已发布的公告(报名截止后含报名名单和报价)")


class AgencySignup(View):
    procurement_id: str = Field(description="采购需求编号")
    quote: dict[str, Any] | None = Field(None, description="本机构自己的报价")
    outcome: str = Field(description="结果")


class AgencyWin(View):
    procurement_id: str = Field(description="采购需求编号")
    status: str = Field(description="状态")


class DeadlineView(View):
    procurement_id: str = Field(description="采购需求编号")
    kind: str = Field(description="期限类型")
    due_at: datetime = Field(description="到期时间")
    overdue: bool = Field(description="是否已过期")


class QueueItem(View):
    kind: str = Field(description="registration 入驻,change 变更,notice 公告,objection 质疑")
    subject_id: str = Field(description="待审对象编号")
    title: str | None = Field(None, description="标题")
    submitted_at: datetime | None = Field(None, description="提交时间")


class SearchPage(BaseModel):
    items: list[dict[str, Any]] = Field(description="匹配的采购需求")
    total: int = Field(description="总数")
    limit: int = Field(description="每页条数")
    offset: int = Field(description="偏移")


class Participant(View):
    agency_id: str = Field(description="参与机构编号(报名截止后)")
    name: str | None = Field(None, description="机构名称")
    won: bool = Field(description="是否中选")


class AuditEvent(View):
    aggregate_id: str = Field(description="对象编号")
    aggregate: str = Field(description="对象类型")
    version: int = Field(description="对象版本")
    event: str = Field(description="事件")
    at: str = Field(description="业务时间")
    actor: str | None = Field(None, description="操作人账号(密封时不显示)")
    role: str | None = Field(None, description="操作人角色")
    data: dict[str, Any] = Field(description="事件数据(密封的报名和报价、抽取密钥、密码摘要不显示)")


class LogEvent(AuditEvent):
    position: int = Field(description="全局位置(事件通知编号)")


class LogPage(BaseModel):
    items: list[LogEvent] = Field(description="本页事件,按位置排序")
    next_after: int = Field(description="下一页的 after 参数")


class AggregateState(BaseModel):
    aggregate_id: str = Field(description="对象编号")
    aggregate: str = Field(description="对象类型")
    version: int = Field(description="版本")
    created_on: str | None = Field(None, description="创建时间")
    modified_on: str | None = Field(None, description="最后修改时间")
    state: dict[str, Any] = Field(description="该版本时的状态")


class Change(BaseModel):
    key: str = Field(description="字段")
    old: Any = Field(None, description="旧值")
    new: Any = Field(None, description="新值")


class AggregateDiff(BaseModel):
    aggregate_id: str = Field(description="对象编号")
    from_version: int = Field(description="起始版本")
    to_version: int = Field(description="结束版本")
    changes: list[Change] = Field(description="变化的字段")

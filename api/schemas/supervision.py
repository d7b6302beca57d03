"""Bodies and views of the supervision API: flags, thresholds, cases, monthly reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictFloat

from api.schemas.common import Body, IdText, Int, LongText, Reason, Reasons, Region, text
from api.schemas.views import AuditEvent, View
from domain.supervision import DEFAULTS, VIOLATIONS

ThresholdName = Literal[tuple(sorted(DEFAULTS))]  # type: ignore[valid-type]
ThresholdValue = (Annotated[Int, Field(ge=0, le=10_000)]
                  | Annotated[StrictFloat, Field(ge=0, le=10_000, allow_inf_nan=False)])  # fmt: skip
ViolationCode = Literal[tuple(sorted(VIOLATIONS))]  # type: ignore[valid-type]


# --- bodies ---------------------------------------------------------------------------------


class ThresholdChange(Body):
    changes: dict[ThresholdName, ThresholdValue] = Field(
        min_length=1, max_length=len(DEFAULTS), description="要调整的阈值及新值(份额、比例为 0–1 的小数,HHI 为 0–10000 的整数)")
    reason: Reason = Field(description="调整理由")
    region: Region | None = Field(None, description="行政区划代码;不填为本平台所在地区")


class AssignBody(Body):
    to: text(64) = Field(description="承办人账号")


class NoteBody(Body):
    text: LongText = Field(min_length=1, description="调查记录")


class ConfirmBody(Body):
    violation_code: ViolationCode = Field(description="违规行为代码(违规行为目录 V01–V08)")
    reasons: Reasons = Field(description="认定理由(一条或多条)")
    agency_id: IdText | None = Field(None, description="违规的中介机构编号;不填为预警所涉机构")
    points: Int | None = Field(None, ge=-100, le=0, description="扣分;不填按违规行为目录")


class DismissBody(Body):
    reasons: Reasons = Field(description="不予认定的理由(一条或多条)")


# --- views ----------------------------------------------------------------------------------


class FlagRow(View):
    flag_id: str = Field(description="预警编号")
    code: str = Field(description="预警类型代码")
    status: str = Field(description="open 预警中,cleared 已解除,closed 已结案")
    severity: str = Field(description="严重程度:low 低,medium 中,high 高,critical 严重")
    label: str | None = Field(None, description="案件结论:confirmed 认定,dismissed 不予认定")
    case_id: str | None = Field(None, description="监管案件编号")
    agency_id: str | None = Field(None, description="所涉中介机构")
    owner_id: str | None = Field(None, description="所涉项目业主")
    department_id: str | None = Field(None, description="所涉审批部门")
    procurement_id: str | None = Field(None, description="所涉采购需求")
    region: str | None = Field(None, description="所涉地区")
    figures: dict[str, Any] = Field(description="监测数值")
    raised_at: datetime = Field(description="首次预警时间")


class FlagPage(BaseModel):
    items: list[FlagRow] = Field(description="本页预警,新的在前")
    total: int = Field(description="符合条件的总数")
    limit: int = Field(description="每页条数")
    offset: int = Field(description="偏移")


class EvidenceEvent(AuditEvent):
    position: int = Field(description="证据事件的全局位置(事件通知编号)")
    found: bool = Field(description="该位置的事件是否存在于事件库")


class FlagDetail(View):
    flag_id: str = Field(description="预警编号")
    code: str = Field(description="预警类型代码")
    status: str = Field(description="open 预警中,cleared 已解除,closed 已结案")
    severity: str = Field(description="严重程度")
    detector_version: str = Field(description="监测规则版本")
    parameters: dict[str, Any] = Field(description="计算时所用的阈值参数")
    figures: dict[str, Any] = Field(description="监测数值")
    subjects: dict[str, str] = Field(description="所涉主体(机构、业主、部门、采购需求、事项、地区)")
    label: str | None = Field(None, description="案件结论")
    case_id: str | None = Field(None, description="监管案件编号")
    evidence: list[EvidenceEvent] = Field(description="证据事件:时间、操作人、角色、事件、数据、对象编号")
    history: list[AuditEvent] = Field(description="预警本身的事件历史(预警、更新、解除、结案)")


class Thresholds(BaseModel):
    region: str = Field(description="行政区划代码")
    thresholds: dict[str, Any] = Field(description="现行监管阈值")


class CaseRow(View):
    case_id: str = Field(description="案件编号")
    flag_id: str = Field(description="来源预警编号")
    code: str = Field(description="预警类型代码")
    status: str = Field(description="open 已立案,investigating 调查中,confirmed 认定违规,dismissed 不予认定")
    assignee: str | None = Field(None, description="承办人")
    agency_id: str | None = Field(None, description="所涉中介机构")
    opened_at: datetime = Field(description="立案时间")
    decided_at: datetime | None = Field(None, description="结案时间")
    violation_code: str | None = Field(None, description="认定的违规行为代码")


class CasePage(BaseModel):
    items: list[CaseRow] = Field(description="本页案件,新的在前")
    total: int = Field(description="符合条件的总数")
    limit: int = Field(description="每页条数")
    offset: int = Field(description="偏移")


class CaseDetail(View):
    case_id: str = Field(description="案件编号")
    flag_id: str = Field(description="来源预警编号")
    code: str = Field(description="预警类型代码")
    status: str = Field(description="案件状态")
    subjects: dict[str, str] = Field(description="所涉主体")
    assignee: str | None = Field(None, description="承办人")
    notes: list[dict[str, Any]] = Field(description="调查记录:内容、记录人、时间")
    decision: dict[str, Any] | None = Field(None, description="结论:outcome、理由、违规代码、时间")
    violation: dict[str, Any] | None = Field(None, description="记录的违规:机构、代码、扣分")
    history: list[AuditEvent] = Field(description="案件的全部事件:时间、操作人、角色、事件、数据")


class CaseResult(View):
    case_id: str = Field(description="案件编号")
    flag_id: str = Field(description="来源预警编号")
    status: str = Field(description="执行后的案件状态")


class ReportRow(View):
    report_id: str = Field(description="月报编号")
    region: str = Field(description="行政区划代码")
    month: str = Field(description="月份(YYYY-MM)")
    issued_at: datetime = Field(description="出具时间")
    digest: str = Field(description="数据摘要(SHA-256)")
    headline: dict[str, Any] = Field(description="主要数字:市场数、高度集中市场、交付与超期、预警、案件")


class ReportPage(BaseModel):
    items: list[ReportRow] = Field(description="本页月报,新的月份在前")
    total: int = Field(description="总数")
    limit: int = Field(description="每页条数")
    offset: int = Field(description="偏移")

"""Credit (信用) request bodies and views for the regulator's credit routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from api.schemas.common import Body, Code, Flag, Int, Reason, text
from api.schemas.views import View
from domain.credit import DEFAULT_VIOLATIONS

ViolationCode = Literal[tuple(DEFAULT_VIOLATIONS)]  # type: ignore[valid-type]
SanctionKind = Literal["warning", "suspension", "expulsion"]


class ViolationEntryBody(Body):
    points: Int | None = Field(None, ge=-100, le=0, description="扣分(0或负数)")
    window_days: Int | None = Field(None, ge=1, le=3650, description="计分期限(天),自记录之日起")
    expires_days: Int | None = Field(None, ge=1, le=3650, description="记录保留期限(天),不短于计分期限")
    sanction: Literal["none", "warning", "suspension", "expulsion"] | None = Field(
        None, description="同时采取的惩戒措施;none 为不采取")
    sanction_months: Int | None = Field(None, ge=1, le=120, description="暂停或清退的期限(月)")
    part: Literal["regulator", "government"] | None = Field(None, description="扣减监管评价分或政府信用信息分")

    def changes(self) -> dict[str, Any]:
        data = self.command_data()
        if data.get("sanction") == "none":
            data["sanction"] = None
        return data


class ScoringBody(Body):
    regulator_weight: Int | None = Field(None, ge=0, le=100, description="监管评价权重")
    government_weight: Int | None = Field(None, ge=0, le=100, description="政府信用信息权重")
    social_weight: Int | None = Field(None, ge=0, le=100, description="社会评价权重")
    grade_a: Int | None = Field(None, ge=1, le=100, description="A级最低分")
    grade_b: Int | None = Field(None, ge=1, le=100, description="B级最低分")
    grade_c: Int | None = Field(None, ge=1, le=100, description="C级最低分")
    evaluation_window_days: Int | None = Field(None, ge=1, le=3650, description="评价计入期限(天)")
    escalation_records: Int | None = Field(None, ge=1, le=100, description="计分期内达到几条不良记录即暂停")
    escalation_months: Int | None = Field(None, ge=1, le=120, description="由此暂停的期限(月)")
    grade_d_excluded_from_credit_merit: Flag | None = Field(None, description="D级不得参加信用择优")


class CatalogueBody(Body):
    violations: dict[ViolationCode, ViolationEntryBody] | None = Field(None, description="要调整的违规行为及其参数")
    scoring: ScoringBody | None = Field(None, description="要调整的评分参数")
    reason: Reason = Field(description="调整理由")


class SanctionBody(Body):
    sanction: SanctionKind = Field(description="惩戒措施:警告、暂停(可限服务事项)、清退")
    months: Int | None = Field(None, ge=1, le=120, description="期限(月):暂停的时长,清退可申请修复前的期限;警告无期限")
    service_items: list[Code] | None = Field(None, max_length=100, description="只暂停这些服务事项;缺省暂停全部")
    reason: Reason = Field(description="理由")


class RepairBody(Body):
    record_id: text(32, pattern=r"^(violation|sanction|evaluation)-[0-9]{1,6}$") = Field(description="信用记录编号")
    reason: Reason = Field(description="修复理由")


class DepartmentScores(Body):
    quality: Int = Field(ge=0, le=100, description="质量")
    timeliness: Int = Field(ge=0, le=100, description="时效")


class RatingBody(Body):
    scores: DepartmentScores = Field(description="审批部门评价")


class CreditStanding(View):
    agency_id: str = Field(description="中介机构编号")
    as_of: datetime = Field(description="计算时点")
    score: int = Field(description="信用分(满分100)")
    grade: str = Field(description="信用等级 A–D")
    exact: str = Field(description="未取整的信用分")
    parts: dict[str, str] = Field(description="监管评价、政府信用信息、社会评价各部分得分")
    catalogue_version: int = Field(description="评价目录版本")


class CreditExplanation(CreditStanding):
    scoring: dict[str, Any] = Field(description="现行评分参数")
    counted: list[dict[str, Any]] = Field(description="计入信用分的记录:事件位置、来源事件、分值、期限")
    sanctions: list[dict[str, Any]] = Field(description="正在执行的惩戒措施")
    on_record: list[dict[str, Any]] = Field(description="已过计分期、尚未到期的不良记录")


class CreditChange(View):
    at: datetime = Field(description="变化时点")
    score: int = Field(description="变化后的信用分")
    grade: str = Field(description="变化后的信用等级")
    delta: int = Field(description="分值变化")
    because: list[dict[str, Any]] = Field(description="引起变化的记录及其事件")


class CreditCatalogue(View):
    region: str = Field(description="地区")
    version: int = Field(description="目录版本")
    violations: dict[str, dict[str, Any]] = Field(description="违规行为目录")
    scoring: dict[str, Any] = Field(description="评分参数")


class CreditResult(View):
    agency_id: str | None = Field(None, description="中介机构编号")
    record_id: str | None = Field(None, description="产生的信用记录编号")

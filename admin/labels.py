"""Chinese names for the codes the read models and events carry (shown, never parsed back)."""

from __future__ import annotations

from typing import Any

FLAG_CODES = {
    "CONC_HHI": "市场集中度过高(HHI)", "CONC_HHI_RISE": "集中度急升", "CONC_DOMINANCE": "单一机构占比过高",
    "CONC_LOCKIN": "业主长期锁定同一机构", "DELAY_SIGNING": "签约超期", "DELAY_OVERRUN": "服务超期",
    "DELAY_ACCEPTANCE": "签收超期", "DELAY_EVALUATION": "评价超期", "DELAY_EXTENSIONS": "频繁延期",
    "DELAY_AGENCY_RATE": "机构超期率高", "RED_TOP_PERSON": "红顶中介:在职人员关联",
    "RED_TOP_REVOLVING_DOOR": "红顶中介:旋转门", "RED_TOP_CONTACT": "红顶中介:联系方式相同",
    "RED_TOP_OWNERSHIP": "红顶中介:股权关联", "RED_TOP_DEPARTMENT_SHARE": "红顶中介:部门业务占比",
    "COMPLAINT": "投诉举报",
}  # fmt: skip
SEVERITIES = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
FLAG_STATUSES = {"open": "预警中", "cleared": "已解除", "closed": "已结案"}
CASE_STATUSES = {"open": "已立案", "investigating": "调查中", "confirmed": "认定违规", "dismissed": "不予认定"}
PROCUREMENT_STATUSES = {
    "draft": "草稿", "pending_review": "待审核", "returned": "已退回", "published": "已发布", "signup_open": "报名中",
    "signup_closed": "报名截止", "shortlisted": "已入围", "publicity": "公示中", "contracting": "待签约",
    "contract_filed": "合同已备案", "in_service": "服务中", "under_acceptance": "待签收", "evaluating": "待评价",
    "closed": "已完成", "failed": "流标", "voided": "已作废", "terminated": "已终止",
}  # fmt: skip
AGENCY_STATUSES = {"pending_review": "待审核", "returned": "已退回", "admitted": "已入驻", "expelled": "已清退",
                   "exited": "已退出"}  # fmt: skip
ROLES = {"regulator": "管理机构", "department": "行业主管部门", "operator": "运营机构", "owner_admin": "采购管理人",
         "owner_delegate": "采购受托人", "agency": "中介机构", "system": "系统"}  # fmt: skip
METHODS = {"direct": "直接选取", "random": "随机抽取", "lowest_price": "最低价", "reasonable_price": "合理价",
           "credit_merit": "信用择优", "proposal_scoring": "方案择优"}  # fmt: skip
EVENTS = {
    "Drafted": "起草", "Amended": "修改", "Submitted": "提交审核", "Returned": "退回", "Published": "发布公告",
    "SignupOpened": "开始报名", "SignedUp": "报名", "QuoteRevised": "修改报价", "SignupWithdrawn": "撤回报名",
    "SignupsCounted": "报名数量", "SignupClosed": "报名截止", "WinnerSelected": "选出中选机构",
    "Shortlisted": "入围名单", "PickedFromShortlist": "从小名单选定", "SelectionFailed": "流标",
    "ObjectionFiled": "提出质疑", "ObjectionUpheld": "质疑成立", "ObjectionDismissed": "质疑驳回",
    "Awarded": "确定中选", "ContractFiled": "合同备案", "ContractConfirmed": "确认合同",
    "ExtensionGranted": "同意延期", "DeliverableSubmitted": "提交成果", "DeliverableRejected": "成果退回",
    "DeliverableAccepted": "成果签收", "Evaluated": "服务评价", "Voided": "作废", "Terminated": "终止",
    "DeadlineRecomputed": "期限重算", "Republished": "重新发布", "Registered": "注册", "Admitted": "入驻通过",
    "Resubmitted": "重新提交", "ChangeSubmitted": "提交变更", "ChangeApproved": "变更通过",
    "ChangeReturned": "变更退回", "Suspended": "暂停", "SuspensionLifted": "解除暂停", "Expelled": "清退",
    "Exited": "退出", "YearPublished": "发布节假日安排", "Opened": "立案", "Assigned": "分派",
    "NoteAdded": "调查记录", "Confirmed": "认定违规", "Dismissed": "不予认定", "ViolationRecorded": "记录违规",
    "Raised": "预警", "Updated": "预警更新", "Cleared": "预警解除", "Reopened": "预警重开", "Labelled": "结案标注",
    "Warned": "红黄牌提醒", "Changed": "参数调整", "Adopted": "发布规则版本", "ThresholdsChanged": "调整阈值",
    "RuleSetAdopted": "发布规则版本", "YearArrangementPublished": "发布节假日安排", "EvaluationRecorded": "记录评价",
    "SanctionImposed": "信用惩戒", "Repaired": "信用修复", "CatalogueChanged": "调整违规目录",
}  # fmt: skip


# Figures and thresholds as the detectors name them (domain.md §9): shown with their Chinese name.
FIGURES = {
    "months": "统计期间", "requests": "需求数", "awards": "中选数", "value_fen": "中选金额", "hhi": "HHI",
    "hhi_count": "HHI(按数量)", "hhi_value": "HHI(按金额)", "previous_hhi": "上期 HHI", "delta": "变化",
    "cr4": "CR4", "cr4_count": "CR4(按数量)", "cr4_value": "CR4(按金额)", "agencies": "机构数", "band": "等级",
    "share": "份额", "share_count": "数量份额", "share_value": "金额份额", "market_awards": "市场中选数",
    "overrun_wd": "超期(工作日)", "delivered": "已交付", "time_limit_wd": "承诺时限(工作日)",
    "extension_wd": "延期(工作日)", "service_due_at": "服务期限", "contract_delivery_wd": "签约至交付(工作日)",
    "extensions": "延期次数", "extension_ratio": "延期比例", "hhi_red": "高度集中阈值", "hhi_amber": "中度集中阈值",
    "hhi_amber_delta": "中度集中变化阈值", "min_market_requests": "最少需求数", "market_window_months": "统计窗口(月)",
    "dominance_share": "单一机构份额阈值", "overrun_warn_wd": "超期预警(工作日)", "repeated_extensions": "延期次数阈值",
}  # fmt: skip


def figure(v: Any) -> str:
    name = FIGURES.get(str(v))
    return f"{name}({v})" if name else str(v)


def _lookup(table: dict[str, str], value: Any) -> str:
    if value is None:
        return "—"
    key = getattr(value, "value", value)
    return table.get(str(key), str(key))


def flag_code(v: Any) -> str:
    return _lookup(FLAG_CODES, v)


def severity(v: Any) -> str:
    return _lookup(SEVERITIES, v)


def flag_status(v: Any) -> str:
    return _lookup(FLAG_STATUSES, v)


def case_status(v: Any) -> str:
    return _lookup(CASE_STATUSES, v)


def procurement_status(v: Any) -> str:
    return _lookup(PROCUREMENT_STATUSES, v)


def agency_status(v: Any) -> str:
    return _lookup(AGENCY_STATUSES, v)


def role(v: Any) -> str:
    return _lookup(ROLES, v)


def method(v: Any) -> str:
    return _lookup(METHODS, v)


def event_name(v: Any) -> str:
    """``Awarded`` or a topic-like ``Case.ViolationRecorded``: named by the event's own name."""
    return _lookup(EVENTS, str(v).rsplit(".", 1)[-1] if v is not None else None)

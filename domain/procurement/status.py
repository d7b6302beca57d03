"""The request lifecycle's state table (brief §4.1), in one place.

``TRANSITIONS`` maps each command to the states it may start from; the
aggregate's ``_guard`` is the only check. Labels are the Chinese UI labels.
"""

from __future__ import annotations

from enum import Enum


class ProcurementStatus(Enum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    RETURNED = "returned"
    PUBLISHED = "published"
    SIGNUP_OPEN = "signup_open"
    SIGNUP_CLOSED = "signup_closed"
    SHORTLISTED = "shortlisted"
    PUBLICITY = "publicity"
    CONTRACTING = "contracting"
    CONTRACT_FILED = "contract_filed"
    IN_SERVICE = "in_service"
    UNDER_ACCEPTANCE = "under_acceptance"
    EVALUATING = "evaluating"
    CLOSED = "closed"
    FAILED = "failed"
    VOIDED = "voided"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return LABELS[self]


P = ProcurementStatus

LABELS = {
    P.DRAFT: "未提交",
    P.PENDING_REVIEW: "审核中",
    P.RETURNED: "已退回",
    P.PUBLISHED: "已发布",
    P.SIGNUP_OPEN: "报名中",
    P.SIGNUP_CLOSED: "待选取",
    P.SHORTLISTED: "待业主择定",
    P.PUBLICITY: "中选公示",
    P.CONTRACTING: "待签合同",
    P.CONTRACT_FILED: "待确认合同",
    P.IN_SERVICE: "服务中",
    P.UNDER_ACCEPTANCE: "待签收",
    P.EVALUATING: "待评价",
    P.CLOSED: "服务完成",
    P.FAILED: "流标",
    P.VOIDED: "无效",
    P.TERMINATED: "服务中止",
}

TRANSITIONS: dict[str, tuple[ProcurementStatus, ...]] = {
    "amend": (P.DRAFT, P.RETURNED),
    "submit": (P.DRAFT, P.RETURNED),
    "review": (P.PENDING_REVIEW,),
    "open_signup": (P.PUBLISHED,),
    "sign_up": (P.SIGNUP_OPEN,),
    "close_signup": (P.SIGNUP_OPEN,),
    "select": (P.SIGNUP_CLOSED,),
    "pick_from_shortlist": (P.SHORTLISTED,),
    "object": (P.PUBLICITY,),
    "decide_objection": (P.PUBLICITY,),
    "award": (P.PUBLICITY,),
    "file_contract": (P.CONTRACTING,),
    "confirm_contract": (P.CONTRACT_FILED,),
    "request_extension": (P.IN_SERVICE,),
    "decide_extension": (P.IN_SERVICE,),
    "submit_deliverable": (P.IN_SERVICE,),
    "review_deliverable": (P.UNDER_ACCEPTANCE,),
    "evaluate": (P.EVALUATING,),
    "republish": (P.FAILED,),
    # 置为无效: before a contract exists (brief §4.1 VOIDED row).
    "void": (
        P.DRAFT, P.PENDING_REVIEW, P.RETURNED, P.PUBLISHED, P.SIGNUP_OPEN, P.SIGNUP_CLOSED,
        P.SHORTLISTED, P.PUBLICITY, P.CONTRACTING, P.FAILED,
    ),  # fmt: skip
    # 放弃中选 / 中止服务: the winning agency walks away.
    "abandon": (P.PUBLICITY, P.CONTRACTING, P.CONTRACT_FILED, P.IN_SERVICE),
}

TERMINAL = (P.CLOSED, P.VOIDED, P.TERMINATED)

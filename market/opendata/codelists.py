"""Our codes → OCDS 1.1 codelists, in one place (documented in docs/ocds-mapping.md).

Every value on the right is a code of the OCDS 1.1.5 codelist named in the
comment (closed codelists must use these codes only); the Chinese wording of our
own codes goes into the matching ``…Details`` field.
"""

from __future__ import annotations

from typing import Any

from domain.procurement.status import ProcurementStatus as P
from domain.selection import METHODS

CURRENCY = "CNY"
USCC_SCHEME = "CN-USCC"  # 统一社会信用代码 (GB 32100-2015), organisation identifier scheme
ITEM_SCHEME = "CN-ZJFW"  # 中介服务事项清单 codes, item classification scheme
BID_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"

# tenderStatus.csv (closed). Drafts are never published (公开 starts at publication),
# so "planning" never leaves the platform; it is listed to make the table total.
TENDER_STATUS: dict[P, str] = {
    P.DRAFT: "planning", P.PENDING_REVIEW: "planning", P.RETURNED: "planning",
    P.PUBLISHED: "planned",  # published, sign-up opens later
    P.SIGNUP_OPEN: "active", P.SIGNUP_CLOSED: "active", P.SHORTLISTED: "active", P.PUBLICITY: "active",
    P.CONTRACTING: "complete", P.CONTRACT_FILED: "complete", P.IN_SERVICE: "complete",
    P.UNDER_ACCEPTANCE: "complete", P.EVALUATING: "complete", P.CLOSED: "complete",
    P.FAILED: "unsuccessful",  # 流标
    P.VOIDED: "cancelled",  # 置为无效
    P.TERMINATED: "complete",  # with a contract; "unsuccessful" when the winner left before one (tender_status)
}  # fmt: skip


def tender_status(status: P, *, has_contract: bool) -> str:
    """The OCDS tender status of a procurement in ``status``."""
    if status is P.TERMINATED and not has_contract:
        return "unsuccessful"  # 放弃中选 before a contract: the process ended without a supplier
    return TENDER_STATUS[status]


# method.csv (closed) and awardCriteria.csv (open; used only with its own codes).
# 直接选取 designates one agency without competition, although the call is public → direct.
# The others are public calls any eligible agency may answer → open.
PROCUREMENT_METHOD: dict[str, str] = {
    "direct": "direct", "random": "open", "lowest_price": "open", "reasonable_price": "open",
    "credit_merit": "open", "proposal_scoring": "open",
}  # fmt: skip
AWARD_CRITERIA: dict[str, str | None] = {
    "direct": None,  # designation: no criteria to rank by
    "random": None,  # a verifiable draw: no codelist code fits, explained in awardCriteriaDetails
    "lowest_price": "priceOnly",
    "reasonable_price": "priceOnly",
    "credit_merit": "qualityOnly",  # credit scores make the short list, the owner picks from it
    "proposal_scoring": "ratedCriteria",  # price, response and staff, weighted
}  # fmt: skip
AWARD_CRITERIA_DETAILS: dict[str, str] = {
    "direct": "直接选取:业主从报名机构中直接选定一家,并公开说明理由",
    "random": "随机选取:平台以发布时承诺的随机种子,从有效报名机构中公开抽取,结果可复核",
    "lowest_price": "最低价中选:有效报价最低者中选",
    "reasonable_price": "最优价中选:以有效报价算出基准价,最接近者中选",
    "credit_merit": "信用择优:按信用分确定小名单,由业主从小名单中择定并说明理由",
    "proposal_scoring": "方案择优:按报价、响应方案与人员配置加权评分,得分最高者中选",
}


def method_details(method: str) -> str:
    """The Chinese name of a selection method (procurementMethodDetails)."""
    return METHODS[method].zh


FUND_SOURCES = {"state": "财政性资金/国有资金", "social": "社会资金"}

# awardStatus.csv, contractStatus.csv, milestoneStatus.csv and bidStatus.csv (all closed).
AWARD_PENDING, AWARD_ACTIVE, AWARD_CANCELLED = "pending", "active", "cancelled"  # 中选公示 / 公示期满 / 撤销
CONTRACT_PENDING, CONTRACT_ACTIVE, CONTRACT_TERMINATED = "pending", "active", "terminated"
BID_PENDING, BID_VALID, BID_DISQUALIFIED = "pending", "valid", "disqualified"

# releaseTag.csv: the tag of the release each public event makes. Events absent here
# make no release (see docs/ocds-mapping.md): drafting and review are not public yet,
# sign-ups are sealed until the close, objections have no OCDS 1.1 core field.
RELEASE_TAGS: dict[str, list[str]] = {
    "Published": ["planning", "tender"],
    "SignupOpened": ["tenderUpdate"],
    "SignupClosed": ["tenderUpdate"],
    "Shortlisted": ["tenderUpdate"],
    "SelectionFailed": ["tenderUpdate"],
    "WinnerSelected": ["award"],
    "PickedFromShortlist": ["award"],
    "ObjectionUpheld": ["awardCancellation", "tenderUpdate"],
    "Awarded": ["awardUpdate"],
    "ContractFiled": ["contract"],
    "ContractConfirmed": ["contractUpdate"],
    "ExtensionGranted": ["contractAmendment"],
    "DeadlineRecomputed": ["contractUpdate"],
    "DeliverableSubmitted": ["implementation"],
    "DeliverableAccepted": ["implementationUpdate"],
    "DeliverableRejected": ["implementationUpdate"],
    "Evaluated": ["contractTermination"],
    "Voided": ["tenderCancellation"],
    "Terminated": ["contractTermination"],
    "Republished": ["tenderUpdate"],
}


def eligibility_text(requirement: dict[str, Any]) -> str:
    """资质要求 as one sentence (tender.eligibilityCriteria)."""
    quals = [q["category"] if q.get("min_level", "不分级") == "不分级" else f"{q['category']}{q['min_level']}及以上"
             for q in requirement.get("qualifications", [])]  # fmt: skip
    if not quals:
        return "无资质要求"
    lead = "具备下列资质之一:" if requirement.get("mode") == "any" and len(quals) > 1 else "须具备:"
    return lead + ";".join(quals)

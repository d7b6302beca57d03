"""Every route of the API with a well-formed request and the roles it admits: the table the
authorisation matrix runs. ``test_every_route_is_in_the_matrix`` fails when a route is missing."""

from __future__ import annotations

from typing import Any

from tests.api.world import ROLES, notice_body
from tests.builders import agency_profile, uscc

PUBLIC = None  # no login needed
EVERYONE = set(ROLES)
OWNERS = {"owner_admin", "owner_delegate"}
AGENCY = {"agency"}
OPERATOR = {"operator"}
REGULATORS = {"regulator", "department"}
CHIEF = {"regulator"}
DEPARTMENT = {"department"}
SHA = "a" * 64
P = "/api/owner/procurements/{own}"  # drafted by the delegate: both owner roles may act on it
A = "/api/agency/procurements/{open}"


def _profile(n: int) -> dict[str, Any]:
    return agency_profile(n)


ROUTES: list[tuple[str, str, Any, set[str] | None]] = [
    ("POST", "/api/token", "FORM", PUBLIC),
    ("GET", "/api/me", None, EVERYONE),
    ("POST", "/api/me/password", {"current_password": "wrong-password", "new_password": "new-password-1"}, EVERYONE),
    # 公开信息
    ("GET", "/api/public/notices", None, PUBLIC),
    ("GET", "/api/public/notices/{open}", None, PUBLIC),
    ("GET", "/api/public/results", None, PUBLIC),
    ("GET", "/api/public/results/{open}", None, PUBLIC),
    ("GET", "/api/public/contracts", None, PUBLIC),
    ("GET", "/api/public/feed", None, PUBLIC),
    ("GET", "/api/public/agencies", None, PUBLIC),
    ("GET", "/api/public/agencies/{agency}", None, PUBLIC),
    ("POST", "/api/public/agencies", {"uscc": uscc(40), "profile": _profile(40), "username": "new-agency-40",
                                      "display_name": "王注册", "password": "registration-pw"}, PUBLIC),
    # 业主
    ("GET", "/api/owner/procurements", None, OWNERS),
    ("POST", "/api/owner/procurements", notice_body(), OWNERS),
    ("GET", "/api/owner/procurements/counts", None, OWNERS),
    ("GET", P, None, OWNERS),
    ("POST", P + "/amend", notice_body(), OWNERS),
    ("POST", P + "/submit", None, OWNERS),
    ("POST", P + "/selection", {"chosen": "{agency}"}, OWNERS),
    ("POST", P + "/shortlist-pick", {"agency_id": "{agency}", "reason": "方案最优"}, OWNERS),
    ("POST", P + "/contract", {"contract_no": "HT-1", "amount": "27000", "document_sha256": SHA}, OWNERS),
    ("POST", P + "/contract/confirm", None, OWNERS),
    ("POST", P + "/extension/decision", {"grant": True}, OWNERS),
    ("POST", P + "/deliverable/accept", None, OWNERS),
    ("POST", P + "/deliverable/reject", {"reasons": ["缺少监测数据"]}, OWNERS),
    ("POST", P + "/evaluation", {"scores": {"quality": 90, "timeliness": 90, "attitude": 90, "fee": 90,
                                            "conduct": 90}}, OWNERS),  # fmt: skip
    ("POST", P + "/republish", {}, OWNERS),
    ("POST", P + "/void", {"reason_code": "noDemand", "reason": "项目取消"}, OWNERS),
    # 中介机构
    ("GET", "/api/agency/profile", None, AGENCY),
    ("GET", "/api/agency/eligible", None, AGENCY),
    ("GET", "/api/agency/signups", None, AGENCY),
    ("GET", "/api/agency/wins", None, AGENCY),
    ("GET", "/api/agency/deadlines", None, AGENCY),
    ("POST", "/api/agency/resubmit", {"profile": _profile(2)}, AGENCY),
    ("POST", "/api/agency/changes", {"changes": {"phone": "0731-86666666"}}, AGENCY),
    ("POST", A + "/signup", {"quote": {"kind": "amount", "value": "30000"}}, AGENCY),
    ("POST", A + "/quote", {"quote": {"kind": "amount", "value": "29000"}}, AGENCY),
    ("POST", A + "/withdraw", None, AGENCY),
    ("POST", A + "/objections", {"reasons": ["结果有误"]}, AGENCY),
    ("POST", A + "/contract", {"contract_no": "HT-1", "amount": "27000", "document_sha256": SHA}, AGENCY),
    ("POST", A + "/contract/confirm", None, AGENCY),
    ("POST", A + "/extension", {"days": 5, "reason": "现场踏勘推迟"}, AGENCY),
    ("POST", A + "/deliverable", {"title": "报告书", "sha256": SHA}, AGENCY),
    ("POST", A + "/abandon", {"reason": "人员变动"}, AGENCY),
    ("POST", "/api/agency/exit", {"reason": "业务调整"}, AGENCY),
    # 运营机构
    ("GET", "/api/operator/queue", None, OPERATOR),
    ("GET", "/api/operator/queue/counts", None, OPERATOR),
    ("POST", "/api/operator/agencies/{agency}/admit", None, OPERATOR),
    ("POST", "/api/operator/agencies/{agency}/return", {"reasons": ["材料不全"]}, OPERATOR),
    ("POST", "/api/operator/agencies/{agency}/change/approve", None, OPERATOR),
    ("POST", "/api/operator/agencies/{agency}/change/return", {"reasons": ["电话无法接通"]}, OPERATOR),
    ("POST", "/api/operator/procurements/{open}/publish", None, OPERATOR),
    ("POST", "/api/operator/procurements/{open}/return", {"reasons": ["预算依据不足"]}, OPERATOR),
    ("POST", "/api/operator/procurements/{open}/objections/{objection}/uphold", {"reason": "成立", "fail": True},
     OPERATOR),
    ("POST", "/api/operator/procurements/{open}/objections/{objection}/dismiss", {"reason": "不成立"}, OPERATOR),
    ("POST", "/api/operator/calendar/2027", {"holidays": ["2027-01-01"], "source": "国办发明电〔2026〕1号"}, OPERATOR),
    ("POST", "/api/operator/accounts", {"username": "new-regulator", "display_name": "赵监管", "role": "regulator",
                                        "password": "initial-password"}, OPERATOR),
    ("POST", "/api/operator/accounts/nobody-here/deactivate", {"reason": "离职"}, OPERATOR),
    # 监管
    ("GET", "/api/regulator/procurements", None, REGULATORS),
    ("GET", "/api/regulator/procurements/{open}/participants", None, REGULATORS),
    ("POST", "/api/regulator/agencies/{agency}/suspend", {"until": "2026-06-01T00:00:00+08:00", "reason": "违规"},
     REGULATORS),
    ("POST", "/api/regulator/agencies/{agency}/lift-suspension", {"reason": "整改完成"}, REGULATORS),
    ("POST", "/api/regulator/agencies/{agency}/expel", {"reason": "串通报价"}, REGULATORS),
    ("POST", "/api/regulator/rule-sets", {"version": "2026-07", "effective_from": "2026-07-01T00:00:00+08:00",
                                          "reason": "年度调整"}, CHIEF),
    ("GET", "/api/regulator/aggregates/{open}/events", None, REGULATORS),
    ("GET", "/api/regulator/aggregates/{open}/state", None, REGULATORS),
    ("GET", "/api/regulator/aggregates/{open}/diff?from=1&to=2", None, REGULATORS),
    ("GET", "/api/regulator/events", None, REGULATORS),
    # 监管预警、阈值、案件 (管理机构 only) and 监管月报 (both regulator roles)
    ("GET", "/api/regulator/flags", None, CHIEF),
    ("GET", "/api/regulator/flags/{flag}", None, CHIEF),
    ("POST", "/api/regulator/flags/{flag}/case", None, CHIEF),
    ("GET", "/api/regulator/thresholds", None, CHIEF),
    ("POST", "/api/regulator/thresholds", {"changes": {"hhi_red": 3000}, "reason": "按本省实际调整"}, CHIEF),
    ("GET", "/api/regulator/cases", None, CHIEF),
    ("GET", "/api/regulator/cases/{case}", None, CHIEF),
    ("POST", "/api/regulator/cases/{case}/assign", {"to": "reg-2"}, CHIEF),
    ("POST", "/api/regulator/cases/{case}/notes", {"text": "调取合同与成果提交记录"}, CHIEF),
    ("POST", "/api/regulator/cases/{case}/confirm", {"violation_code": "V05", "reasons": ["超期属实"]}, CHIEF),
    ("POST", "/api/regulator/cases/{case}/dismiss", {"reasons": ["经核查无违规"]}, CHIEF),
    ("GET", "/api/regulator/reports", None, REGULATORS),
    ("GET", "/api/regulator/reports/430100/2026-02.html", None, REGULATORS),
    ("GET", "/api/regulator/reports/430100/2026-02.csv", None, REGULATORS),
    # 信用
    ("GET", "/api/regulator/credit/agencies/{agency}", None, REGULATORS),
    ("GET", "/api/regulator/credit/agencies/{agency}/history", None, REGULATORS),
    ("GET", "/api/regulator/credit/standings?agency_id={agency}", None, REGULATORS),
    ("GET", "/api/regulator/credit/catalogue", None, REGULATORS),
    ("POST", "/api/regulator/credit/catalogue", {"violations": {"V03": {"points": -4}}, "reason": "年度调整"}, CHIEF),
    ("POST", "/api/regulator/credit/agencies/{agency}/sanctions", {"sanction": "warning", "reason": "未按时签约"},
     REGULATORS),
    ("POST", "/api/regulator/credit/agencies/{agency}/repairs", {"record_id": "violation-1", "reason": "整改完成"},
     CHIEF),
    ("POST", "/api/regulator/credit/procurements/{open}/rating", {"scores": {"quality": 90, "timeliness": 80}},
     DEPARTMENT),
]


def fill(value: Any, ids: dict[str, str]) -> Any:
    """The request with the world's ids in place of ``{name}``."""
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value

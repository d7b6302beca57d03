"""The sections of a release built from a procurement's state: parties, planning, tender, bids.

Each function reads the folded process (``ocds._Process``): ``p`` is the
aggregate as replayed up to the event, the rest what the fold kept besides.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from market.clock import SHANGHAI
from market.opendata import codelists as C
from market.opendata.config import Organisation


def iso(at: datetime) -> str:
    """OCDS dates: ISO 8601 in Beijing time (+08:00)."""
    return at.astimezone(SHANGHAI).isoformat(timespec="seconds")


def amount(value: str | Decimal) -> dict[str, Any]:
    """A Value in yuan; money is kept as exact decimal strings, OCDS wants a number."""
    number = Decimal(str(value))
    whole = number == number.to_integral_value()
    return {"amount": int(number) if whole else float(number), "currency": C.CURRENCY}


def org_party(org: Organisation, roles: list[str], *, party_id: str | None = None) -> dict[str, Any]:
    """An organisation, identified by its 统一社会信用代码 where it has one."""
    party: dict[str, Any] = {"id": party_id or f"{C.USCC_SCHEME}-{org.uscc}", "name": org.name}
    if org.uscc:
        party["identifier"] = {"scheme": C.USCC_SCHEME, "id": org.uscc, "legalName": org.name}
    party["roles"] = roles
    return party


def agency_party(signup: dict[str, Any], roles: list[str]) -> dict[str, Any]:
    """An agency as it signed up: its registered name and code, never its people."""
    return org_party(Organisation(signup["name"], signup["uscc"]), roles)


def ref(party: dict[str, Any]) -> dict[str, str]:
    return {"id": party["id"], "name": party["name"]}


def parties(proc: Any) -> list[dict[str, Any]]:
    """The owner first (buyer and procuring entity), the operator, then the tenderers once unsealed."""
    config = proc.config
    operator = Organisation(config.operator_name, config.operator_uscc)
    out = [
        org_party(proc.directory.owner(proc.p.owner_id), ["buyer", "procuringEntity"]),
        org_party(operator, ["reviewBody"], party_id=None if operator.uscc else "operator"),
    ]
    if proc.sealed:
        return out
    suppliers = {s["id"] for a in proc.awards if a["status"] != C.AWARD_CANCELLED for s in a["suppliers"]}
    for agency_id in proc.tenderer_ids():
        party = agency_party(proc.p.signups[agency_id], ["tenderer"])
        if party["id"] in suppliers:
            party["roles"].append("supplier")
        out.append(party)
    return out


def budget_values(budget: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(value, minValue): a fixed price, or a 最高限价 with its 最低限价; none when 待定."""
    if budget["kind"] == "fixed":
        return amount(budget["amount"]), None
    if budget["kind"] == "range":
        return amount(budget["max"]), amount(budget["min"]) if Decimal(budget["min"]) > 0 else None
    return None, None


def planning(proc: Any) -> dict[str, Any]:
    notice = proc.p.notice
    department = proc.directory.department_name(notice["department_id"])
    rationale = f"为审批事项「{notice['approval_matter']}」提供中介服务" + (f"(审批部门:{department})" if department else "")
    description = f"资金来源:{C.FUND_SOURCES[notice['fund_source']]}"
    if notice.get("total_investment"):
        description += f";项目总投资 {notice['total_investment']} 元"
    budget: dict[str, Any] = {"id": notice["project_code"], "description": description}
    value, _ = budget_values(notice["budget"])
    if value is not None:
        budget["amount"] = value
    budget.update(project=notice["project_name"], projectID=notice["project_code"])  # 项目代码
    return {"rationale": rationale, "budget": budget}


def tender(proc: Any, procuring_entity: dict[str, str]) -> dict[str, Any]:
    notice, method = proc.p.notice, proc.p.notice["method"]
    item = proc.directory.item_name(notice["service_item_code"])
    out: dict[str, Any] = {
        "id": str(proc.p.id), "title": notice["project_name"],
        "description": notice["description"] or f"{notice['project_name']}:{item}",
        "status": proc.status(), "procuringEntity": procuring_entity,
        "items": [{
            "id": "1", "description": item, "quantity": 1,
            "classification": {"scheme": C.ITEM_SCHEME, "id": notice["service_item_code"], "description": item},
        }],
    }  # fmt: skip
    value, min_value = budget_values(notice["budget"])
    if value is not None:
        out["value"] = value
    if min_value is not None:
        out["minValue"] = min_value
    out["procurementMethod"] = C.PROCUREMENT_METHOD[method]
    out["procurementMethodDetails"] = C.method_details(method)
    if method == "direct":  # the owner's published reason for designating without competition
        out["procurementMethodRationale"] = notice["method_params"]["justification"]
    out["mainProcurementCategory"] = "services"
    if C.AWARD_CRITERIA[method]:
        out["awardCriteria"] = C.AWARD_CRITERIA[method]
    out["awardCriteriaDetails"] = C.AWARD_CRITERIA_DETAILS[method]
    out["submissionMethod"] = ["electronicSubmission"]
    out["tenderPeriod"] = {"startDate": iso(notice["signup_opens_at"]), "endDate": iso(notice["signup_closes_at"])}
    out["awardPeriod"] = {"startDate": iso(notice["selection_at"])}  # 选取时间
    if proc.awarded_at is not None:
        out["awardPeriod"]["endDate"] = iso(proc.awarded_at)
    out["eligibilityCriteria"] = C.eligibility_text(notice["requirement"])
    if not proc.sealed:
        ids = proc.tenderer_ids()
        out["numberOfTenderers"] = len(ids)
        if ids:  # OCDS wants absent, not empty, arrays
            out["tenderers"] = [ref(agency_party(proc.p.signups[a], [])) for a in ids]
    return out


def bids(proc: Any) -> dict[str, Any]:
    """The frozen list as bids (bid extension): never called while sign-ups are sealed."""
    p = proc.p
    struck_out = {x["agency_id"] for x in p.excluded}
    details = []
    for entry in [*p.entries, *p.excluded]:
        agency_id = entry["agency_id"]
        signup = p.signups[agency_id]
        if agency_id in struck_out:
            status = C.BID_DISQUALIFIED  # struck out by an upheld objection
        else:
            status = C.BID_VALID if p.result is not None else C.BID_PENDING
        received = max(signup["signed_up_at"], proc.quoted_at.get(agency_id, signup["signed_up_at"]))
        bid: dict[str, Any] = {
            "id": f"bid-{entry['uscc']}", "date": iso(received),
            "status": status, "tenderers": [ref(agency_party(signup, []))],
        }  # fmt: skip
        if entry.get("price") is not None:
            bid["value"] = amount(entry["price"])
        details.append(bid)
    return {"details": details}

"""The regulator's credit routes: a sanction bars sign-up at once, the standing is explained by its
events, the catalogue changes through the API, and the public directory shows the grade."""

from __future__ import annotations

from tests.credit.given import confirmed_case
from tests.builders import REGULATOR

QUOTE = {"quote": {"kind": "amount", "value": "30000"}}


def test_a_suspension_through_the_api_refuses_the_next_sign_up_with_a_stable_error(api):
    agency_id, pid = api.world.agency_id(2), api.world.open_procurement()
    imposed = api.post("regulator", f"/api/regulator/credit/agencies/{agency_id}/sanctions",
                       {"sanction": "suspension", "months": 3, "service_items": ["HP-01"], "reason": "投诉属实"})
    assert imposed.status_code == 200, imposed.text
    assert imposed.json() == {"agency_id": str(agency_id), "record_id": "sanction-1", "sanction": "suspension"}

    before = api.recorded()
    refused = api.post("agency", f"/api/agency/procurements/{pid}/signup", QUOTE)

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["detail"], error["message_zh"]) == ("not_eligible", "credit_suspended",
                                                                      "该中介机构不符合报名条件")  # fmt: skip
    assert api.recorded() == before
    assert api.post("agency-user-3", f"/api/agency/procurements/{pid}/signup", QUOTE).status_code == 200


def test_the_explanation_names_the_case_and_the_history_its_change(api):
    agency_id = api.world.agency_id(3)
    case_id = confirmed_case(api.market, agency_id, "V01")

    explained = api.get("department", f"/api/regulator/credit/agencies/{agency_id}")
    assert explained.status_code == 200, explained.text
    body = explained.json()
    assert (body["score"], body["grade"], body["parts"]["regulator"]) == (95, "A", "65.00")
    (why,) = body["counted"]
    assert (why["code"], why["points"], why["source"]["aggregate_id"]) == ("V01", -5, case_id)
    assert isinstance(why["event"]["position"], int) and isinstance(why["source"]["position"], int)
    (change,) = api.get("regulator", f"/api/regulator/credit/agencies/{agency_id}/history").json()
    assert (change["score"], change["delta"], change["because"][0]["change"]) == (95, -5, "recorded")
    listed = api.get(None, "/api/public/agencies").json()
    assert {a["agency_id"]: a["credit_grade"] for a in listed}[str(agency_id)] == "A"
    assert {a["agency_id"]: a["credit_score"] for a in listed}[str(agency_id)] == 95


def test_the_catalogue_is_read_and_changed_by_the_regulator_and_bad_values_are_refused(api):
    catalogue = api.get("department", "/api/regulator/credit/catalogue").json()
    assert (catalogue["version"], catalogue["violations"]["V05"]["points"], catalogue["scoring"]["grade_a"]) == (1, -3, 90)

    changed = api.post("regulator", "/api/regulator/credit/catalogue",
                       {"violations": {"V05": {"points": -4, "sanction": "warning"}}, "reason": "超期问题突出"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["version"], changed.json()["violations"]["V05"]["points"]) == (2, -4)
    assert changed.json()["violations"]["V05"]["sanction"] == "warning"

    before = api.recorded()
    bad = api.post("regulator", "/api/regulator/credit/catalogue",
                   {"scoring": {"social_weight": 30}, "reason": "调整"})  # weights would make 110
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_credit_parameter"
    same = api.post("regulator", "/api/regulator/credit/catalogue",
                    {"violations": {"V05": {"points": -4}}, "reason": "调整"})
    assert same.status_code == 409 and same.json()["error"]["code"] == "credit_catalogue_unchanged"
    assert api.recorded() == before


def test_repair_before_the_period_is_refused_with_its_date(api):
    agency_id = api.world.agency_id(4)
    api.market.impose_sanction(agency_id, "expulsion", months=12, reason="串通报价", by=REGULATOR)
    refused = api.post("regulator", f"/api/regulator/credit/agencies/{agency_id}/repairs",
                       {"record_id": "sanction-1", "reason": "整改完成"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "repair_too_early" and refused.json()["error"]["detail"].startswith("2027-")

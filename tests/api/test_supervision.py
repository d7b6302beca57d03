"""The regulator's supervision API: the flag queue and its evidence, thresholds, cases, monthly reports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import quote

import pytest

from domain.supervision import Case, Flag, SupervisionSettings
from market.oversight.reporting import issue_due_reports
from market.oversight.scan import full_scan
from tests.supervision.test_read_models import contracted

F = "/api/regulator/flags"
C = "/api/regulator/cases"


@pytest.fixture
def overrun(api, market, world, clock):
    """A contract 60 days past its due date, and the DELAY_OVERRUN flag a full scan raised for it."""
    agencies = [api.world.agencies[n] for n in (2, 3, 4)]
    pid, winner = contracted(market, world, clock, agencies)
    clock.advance(timedelta(days=60))
    full_scan(market, api.app.state.read_models)
    return pid, winner, Flag.create_id("DELAY_OVERRUN", str(pid))


def names(events) -> list[str]:
    return [e["event"] for e in events]


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code, response.text


def test_the_flag_list_filters_by_code_subject_region_and_time_and_pages(api, clock, overrun):
    pid, winner, flag_id = overrun
    everything = api.get("regulator", F).json()
    assert everything["total"] == len(everything["items"]) >= 1
    assert str(flag_id) in {f["flag_id"] for f in everything["items"]}

    mine = api.get("regulator", F, code="DELAY_OVERRUN", procurement_id=str(pid), agency_id=str(winner.organisation_id),
                   status="open", region="430000").json()  # fmt: skip
    assert [(f["flag_id"], f["severity"], f["region"]) for f in mine["items"]] == [(str(flag_id), "high", "430100")]
    assert mine["items"][0]["figures"]["overrun_wd"] > 10
    assert api.get("regulator", F, code="CONC_HHI", procurement_id=str(pid)).json() == {
        "items": [], "total": 0, "limit": 50, "offset": 0}  # fmt: skip
    assert api.get("regulator", F, region="430200").json()["total"] == 0
    later = quote((clock.now() + timedelta(minutes=1)).isoformat())
    assert api.get("regulator", f"{F}?raised_from={later}").json()["total"] == 0
    assert api.get("regulator", f"{F}?raised_to={later}").json()["total"] == everything["total"]
    page = api.get("regulator", F, limit=1, offset=0).json()
    assert (len(page["items"]), page["total"], page["limit"]) == (1, everything["total"], 1)
    assert_error(api.get("regulator", F, severity="urgent"), 422, "invalid_input")


def test_a_flag_shows_its_figures_parameters_and_the_evidence_events_themselves(api, market, world, overrun):
    pid, winner, flag_id = overrun
    detail = api.get("regulator", f"{F}/{flag_id}").json()

    assert (detail["code"], detail["status"], detail["severity"]) == ("DELAY_OVERRUN", "open", "high")
    assert detail["subjects"] == {"procurement_id": str(pid), "agency_id": winner.organisation_id, "region": "430100",
                                  "owner_id": str(world.owner_id), "department_id": str(world.department_id),
                                  "service_item": "HP-01"}  # fmt: skip
    assert detail["parameters"] == {"overrun_warn_wd": 0, "overrun_violation_wd": 10}
    assert detail["figures"]["overrun_wd"] > 10 and detail["figures"]["delivered"] is False
    stored = {e.originator_version: e for e in market.history(pid)}
    assert "ContractConfirmed" in names(detail["evidence"])
    for item in detail["evidence"]:  # each the stored event at that position, shown as the audit shows it
        event = stored[item["version"]]
        assert item["found"] and item["aggregate_id"] == str(pid) and item["event"] == type(event).__name__
        assert (item["actor"], item["role"]) == (event.actor["id"], event.actor["role"])
        assert item["at"] == event.at.isoformat() and isinstance(item["data"], dict)
    assert names(detail["history"]) == ["Raised"] and detail["history"][0]["actor"] == "system"


def test_an_unknown_flag_or_case_is_not_found(api):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(api.get("regulator", f"{F}/{unknown}"), 404, "not_found")
    assert_error(api.get("regulator", f"{C}/{unknown}"), 404, "not_found")
    assert_error(api.post("regulator", f"{F}/{unknown}/case"), 404, "not_found")
    assert_error(api.get("regulator", f"{F}/not-a-uuid"), 422, "invalid_input")


def test_thresholds_are_read_and_changed_with_a_reason(api, market):
    assert api.get("regulator", "/api/regulator/thresholds").json()["thresholds"]["hhi_red"] == 2500

    changed = api.post("regulator", "/api/regulator/thresholds",
                       {"changes": {"hhi_red": 3000, "dominance_share": 0.5}, "reason": "按本省市场规模调整"})  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert (changed.json()["thresholds"]["hhi_red"], changed.json()["thresholds"]["dominance_share"]) == (3000, 0.5)
    (event,) = [e for e in market.history(SupervisionSettings.create_id("430000")) if type(e).__name__ != "Established"]
    assert (event.old, event.new, event.reason) == ({"dominance_share": 0.4, "hhi_red": 2500},
                                                     {"dominance_share": 0.5, "hhi_red": 3000}, "按本省市场规模调整")
    assert event.actor["id"] == "reg-1"

    before = api.recorded()
    same = {"changes": {"hhi_red": 3000}, "reason": "再次调整"}
    assert_error(api.post("regulator", "/api/regulator/thresholds", same), 409, "thresholds_unchanged")
    assert_error(api.post("regulator", "/api/regulator/thresholds", {"changes": {"hhi_red": 3000}}), 422,
                 "missing_field")  # fmt: skip
    assert_error(api.post("regulator", "/api/regulator/thresholds",
                          {"changes": {"cr4": 1.5}, "reason": "超出范围"}), 422, "invalid_threshold")  # fmt: skip
    unknown = api.post("regulator", "/api/regulator/thresholds", {"changes": {"hhi_blue": 1}, "reason": "x"})
    assert_error(unknown, 422, "invalid_input")
    assert api.recorded() == before


def test_a_case_runs_from_its_flag_to_a_confirmed_violation_with_its_history(api, market, overrun):
    pid, winner, flag_id = overrun
    opened = api.post("regulator", f"{F}/{flag_id}/case", **{"Idempotency-Key": "open-1"})
    assert opened.status_code == 200, opened.text
    case_id = opened.json()["case_id"]
    assert opened.json() == {"case_id": case_id, "flag_id": str(flag_id), "status": "open"}
    assert api.post("regulator", f"{F}/{flag_id}/case", **{"Idempotency-Key": "open-1"}).json() == opened.json()
    assert_error(api.post("regulator", f"{F}/{flag_id}/case"), 409, "case_already_open")

    steps = [("assign", {"to": "reg-2"}, "investigating"), ("notes", {"text": "调取合同与成果提交记录,超期属实"}, "investigating"),
             ("confirm", {"violation_code": "V05", "reasons": ["成果提交超过合同时限10个工作日以上"]}, "confirmed")]  # fmt: skip
    for step, body, status in steps:
        response = api.post("regulator", f"{C}/{case_id}/{step}", body)
        assert response.status_code == 200 and response.json()["status"] == status, (step, response.text)

    detail = api.get("regulator", f"{C}/{case_id}").json()
    assert names(detail["history"]) == ["Opened", "Assigned", "NoteAdded", "Confirmed", "ViolationRecorded"]
    assert {e["actor"] for e in detail["history"]} == {"reg-1"}
    assert (detail["status"], detail["assignee"], detail["notes"][0]["text"]) == ("confirmed", "reg-2",
                                                                                   "调取合同与成果提交记录,超期属实")
    assert detail["decision"]["reasons"] == ["成果提交超过合同时限10个工作日以上"]
    assert detail["violation"] == {"agency_id": winner.organisation_id, "code": "V05", "points": -3, "sanction": None}
    flag = api.get("regulator", f"{F}/{flag_id}").json()
    assert (flag["status"], flag["label"], flag["case_id"]) == ("closed", "confirmed", case_id)

    listed = api.get("regulator", C, status="confirmed").json()
    assert [(c["case_id"], c["violation_code"], c["agency_id"]) for c in listed["items"]] == [
        (case_id, "V05", winner.organisation_id)]  # fmt: skip
    assert api.get("regulator", C, status="open").json()["total"] == 0
    assert api.get("regulator", C, assignee="reg-2", region="430100").json()["total"] == 1

    before = api.recorded()
    assert_error(api.post("regulator", f"{C}/{case_id}/dismiss", {"reasons": ["改判"]}), 409, "transition_forbidden")
    assert api.recorded() == before


def test_a_dismissal_needs_reasons_and_labels_the_flag_for_tuning(api, market, overrun):
    _, _, flag_id = overrun
    case_id = api.post("regulator", f"{F}/{flag_id}/case").json()["case_id"]
    before = api.recorded()
    assert_error(api.post("regulator", f"{C}/{case_id}/dismiss", {"reasons": []}), 422, "invalid_input")
    assert_error(api.post("regulator", f"{C}/{case_id}/confirm", {"violation_code": "V99", "reasons": ["x"]}), 422,
                 "invalid_input")  # fmt: skip
    assert api.recorded() == before

    dismissed = api.post("regulator", f"{C}/{case_id}/dismiss", {"reasons": ["因不可抗力延误,已书面报备"]})
    assert dismissed.json()["status"] == "dismissed"
    assert [type(e).__name__ for e in market.history(Case.create_id(flag_id))] == ["Opened", "Dismissed"]
    flag = api.get("regulator", f"{F}/{flag_id}").json()
    assert (flag["status"], flag["label"]) == ("closed", "dismissed")
    assert api.get("regulator", F, label="dismissed").json()["total"] == 1


def test_issued_reports_are_listed_and_downloaded_as_html_and_csv(api, market, clock, overrun):
    read_models = api.app.state.read_models
    issued = issue_due_reports(market, read_models)  # T0 is March 2026; the clock is in May now
    assert [(r["region"], r["month"]) for r in issued] == [("430100", "2026-03"), ("430100", "2026-04")]

    listed = api.get("department", "/api/regulator/reports").json()
    assert [(r["region"], r["month"]) for r in listed["items"]] == [("430100", "2026-04"), ("430100", "2026-03")]
    assert listed["items"][1]["headline"]["markets"] == 1

    page = api.get("regulator", "/api/regulator/reports/430100/2026-03.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "430100 地区 2026-03 中介服务监管月报" in page.text and page.text.count("<svg") == 4
    sheet = api.get("department", "/api/regulator/reports/430100/2026-03.csv")
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert sheet.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0] == ["430100 地区 2026-03 中介服务监管月报"]
    market_row = rows[rows.index(["一、市场集中度"]) + 2]
    assert market_row[:3] == ["环境影响评价报告编制", "HP-01", "430100"] and market_row[-1] == "10,000.0"

    assert_error(api.get("regulator", "/api/regulator/reports/430100/2026-05.html"), 404, "report_not_issued")
    assert_error(api.get("regulator", "/api/regulator/reports/430100/2026-13.csv"), 422, "invalid_input")
    assert issue_due_reports(market, read_models) == []  # issued once

"""Every console page answers, lists page and search, and bad input records nothing."""

from __future__ import annotations

import json
import re

import pytest

from tests.admin.conftest import csrf_of

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
DRAWN = ("publicity", "contracting", "contract_filed", "in_service", "under_acceptance", "evaluating", "closed")


def _ids(html: str, path: str) -> list[str]:
    return list(dict.fromkeys(re.findall(rf'href="/admin/{path}/({UUID})"', html)))


@pytest.mark.parametrize("path", ["/admin/dashboard", "/admin/flags", "/admin/flags?status=", "/admin/agencies",
                                  "/admin/procurements", "/admin/reports", "/admin/parameters"])  # fmt: skip
def test_every_regulator_page_answers(regulator, path):
    response = regulator.get(path)
    assert response.status_code == 200
    assert "<h1>" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize("path", ["/admin/queues", "/admin/calendar", "/admin/procurements", "/admin/parameters"])
def test_every_operator_page_answers(operator, path):
    assert operator.get(path).status_code == 200


def test_the_procurement_list_pages_by_twenty_and_keeps_its_filters(regulator, console_world):
    first = regulator.get("/admin/procurements?status=&page=1").text
    second = regulator.get("/admin/procurements?status=&page=2").text
    one, two = _ids(first, "procurements"), _ids(second, "procurements")
    assert len(one) == 20 and two and not set(one) & set(two)
    assert 'href="/admin/procurements?page=2"' in first  # the empty filter is dropped, the page kept
    total = len(console_world.summary.procurements)
    last_page = (total - 1) // 20 + 1
    assert "下一页" not in regulator.get(f"/admin/procurements?page={last_page}").text


def test_searching_procurements_by_name_finds_only_matching_ones(regulator, console_world):
    name = console_world.summary.procurements[0].project_name
    matching = {p.id for p in console_world.summary.procurements if name in p.project_name}
    found = set(_ids(regulator.get("/admin/procurements", params={"q": name}).text, "procurements"))
    assert found == matching


def test_searching_agencies_by_name(regulator):
    listing = regulator.get("/admin/agencies").text
    name = re.search(rf'href="/admin/agencies/{UUID}">([^<]+)</a>', listing).group(1)
    found = regulator.get("/admin/agencies", params={"q": name[2:6]}).text
    assert name in found
    assert regulator.get("/admin/agencies", params={"q": "不存在的机构名称"}).text.count('href="/admin/agencies/') == 0


def test_flags_filter_by_severity(regulator):
    html = regulator.get("/admin/flags?status=&severity=low").text
    assert re.findall(r'data-severity="(\w+)"', html) and set(re.findall(r'data-severity="(\w+)"', html)) == {"low"}


def test_an_unknown_flag_or_procurement_is_404(regulator):
    assert regulator.get("/admin/flags/00000000-0000-0000-0000-000000000000").status_code == 404
    assert regulator.get("/admin/procurements/00000000-0000-0000-0000-000000000000").status_code == 404
    assert regulator.get("/admin/procurements/not-an-id").status_code == 404


def test_the_timeline_shows_the_state_at_a_chosen_moment_and_a_diff(regulator, console_world):
    pid = next(p.id for p in console_world.summary.procurements if p.status == "closed")
    page = regulator.get(f"/admin/procurements/{pid}").text
    times = re.findall(r'<td class="num">(\d+)</td><td>(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)</td>', page)
    assert len(times) >= 5
    version, moment = times[2]
    at = moment.replace(" ", "T")
    assert f'id="state-version">{version}<' in regulator.get(f"/admin/procurements/{pid}", params={"at": at}).text
    early = regulator.get(f"/admin/procurements/{pid}", params={"at": "2020-01-01T00:00"}).text
    assert "该时刻项目尚未创建" in early
    diff = regulator.get(f"/admin/procurements/{pid}/diff", params={"from": at, "to": times[-1][1].replace(" ", "T")})
    assert f"版本 {version} → {times[-1][0]}" in diff.text and "status_code" in diff.text


def _entries(html: str) -> list[dict]:
    rows = re.findall(r'<tr class="entry">(.*?)</tr>', html, re.S)
    out = []
    for row in rows:
        entry = {}
        for key, kind, value in re.findall(r'data-key="(\w+)"(?: data-type="(int)")?>([^<]*)<', row):
            entry[key] = int(value) if kind else value.strip()
        out.append(entry)
    return out


def test_verify_draw_recomputes_the_posted_list(regulator, console_world, console_app):
    pid = next(p.id for p in console_world.summary.procurements if p.method == "random" and p.status in DRAWN)
    page = regulator.get(f"/admin/procurements/{pid}").text
    entries, token = _entries(page), csrf_of(page)
    before = console_app.state.market.recorder.max_notification_id()

    def verify(text: str) -> str:
        response = regulator.post(f"/admin/procurements/{pid}/verify-draw", data={"entries": text, "csrf_token": token})
        assert response.status_code == 200
        return response.text

    assert "真实有效" in verify(json.dumps(entries))
    assert "不一致" in verify(json.dumps(entries[1:]))  # a candidate left out
    assert "不一致" in verify(json.dumps([{**entries[0], "agency_id": entries[-1]["agency_id"]}, *entries[1:]]))
    assert "格式不正确" in verify("not json")
    assert console_app.state.market.recorder.max_notification_id() == before  # verifying records nothing


def test_returning_without_a_reason_is_refused_and_records_nothing(operator, console_app):
    page = operator.get("/admin/queues?kind=notice").text
    subject = re.search(r'data-kind="notice" data-subject="([0-9a-f-]{36})"', page).group(1)
    before = console_app.state.market.recorder.max_notification_id()
    data = {"csrf_token": csrf_of(page), "reasons": " "}
    response = operator.post(f"/admin/queues/notice/{subject}/return", data=data)
    assert response.status_code == 303
    assert console_app.state.market.recorder.max_notification_id() == before
    shown = operator.get(response.headers["location"])
    assert 'class="flash error"' in shown.text and "[reason_required]" in shown.text


def test_a_malformed_holiday_list_is_refused_with_a_message(operator, console_app):
    page = operator.get("/admin/calendar").text
    before = console_app.state.market.recorder.max_notification_id()
    data = {"csrf_token": csrf_of(page), "year": "2028", "holidays": "2028-13-01", "source": "国办发明电〔2027〕1号"}
    response = operator.post("/admin/calendar", data=data)
    assert "日期格式不正确" in operator.get(response.headers["location"]).text
    assert console_app.state.market.recorder.max_notification_id() == before


def test_the_report_downloads_as_csv_and_html(regulator):
    csv = regulator.get("/admin/reports/2026-12.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="supervision-report-430000-2026-12.csv"' in csv.headers["content-disposition"]
    html = regulator.get("/admin/reports/2026-12.html")
    assert html.status_code == 200 and "<svg" in html.text
    assert regulator.get("/admin/reports/2026-13.csv").status_code == 422


def test_an_operator_dismisses_an_objection_with_a_reason(operator, console_app):
    page = operator.get("/admin/queues?kind=objection").text
    objection = re.search(r'data-kind="objection" data-subject="([0-9a-f-]+)"', page).group(1)
    procurement = re.search(rf'/admin/queues/objection/{objection}/decide">.*?name="procurement_id" value="({UUID})"',
                            page, re.S).group(1)  # fmt: skip
    data = {"csrf_token": csrf_of(page), "procurement_id": procurement, "outcome": "dismiss",
            "reason": "质疑理由不成立:报价在合理价范围内"}  # fmt: skip
    response = operator.post(f"/admin/queues/objection/{objection}/decide", data=data)
    assert "质疑已处理" in operator.get(response.headers["location"]).text
    last = console_app.state.market.history(procurement)[-1]
    assert type(last).__name__ == "ObjectionDismissed" and last.reason == data["reason"]
    assert last.actor["role"] == "operator"
    assert f'data-subject="{objection}"' not in operator.get("/admin/queues?kind=objection").text


def test_the_report_is_rebuilt_once_the_read_models_move_on(regulator):
    def opened() -> int:
        html = regulator.get("/admin/reports?month=2026-12").text
        return int(re.search(r"立案<b>(\d+)</b>", html).group(1))

    before = opened()
    assert opened() == before  # the same state of the read models: the same report
    queue = regulator.get("/admin/flags").text
    flag_id = next(f for f in _ids(queue, "flags") if 'id="open-case"' in regulator.get(f"/admin/flags/{f}").text)
    assert regulator.post(f"/admin/flags/{flag_id}/case", data={"csrf_token": csrf_of(queue)}).status_code == 303
    assert opened() == before + 1

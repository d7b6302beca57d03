"""Operators in the browser: review queues and the holiday calendar."""

from __future__ import annotations

from tests.browser.conftest import log_in, screenshot


def _as_operator(page, world) -> None:
    log_in(page, world.accounts["operator"].username, world.password)
    page.wait_for_url("**/admin/queues")


def test_an_operator_approves_a_pending_registration_and_returns_a_notice_with_a_reason(browser_page, world):
    page = browser_page
    _as_operator(page, world)
    page.goto("/admin/queues?kind=registration")
    row = page.locator("table.queue tbody tr[data-kind=registration]").first
    agency_id, name = row.get_attribute("data-subject"), row.locator("td").nth(1).locator("a").inner_text()
    row.locator("button.approve").click()
    assert page.locator(".flash.ok").inner_text() == "已审核通过。"
    assert page.locator(f"tr[data-subject='{agency_id}']").count() == 0  # out of the queue
    page.goto(f"/admin/agencies/{agency_id}")
    assert page.locator("#agency-status").inner_text() == "已入驻"
    assert name in page.locator("h1").inner_text()

    page.goto("/admin/queues?kind=notice")
    row = page.locator("table.queue tbody tr[data-kind=notice]").first
    procurement_id = row.get_attribute("data-subject")
    row.locator("textarea[name=reasons]").fill("服务事项与审批事项不对应,请核实后重新提交")
    row.locator("button.return").click()
    assert page.locator(".flash.ok").inner_text() == "已退回,理由已记录。"
    assert page.locator(f"tr[data-subject='{procurement_id}']").count() == 0
    page.goto(f"/admin/procurements/{procurement_id}")
    last = page.locator("table.events tbody tr").last
    assert "退回" in last.inner_text() and "运营机构" in last.inner_text()
    assert last.locator(".reasons").inner_text() == "理由:服务事项与审批事项不对应,请核实后重新提交"


def test_an_operator_publishes_2027_and_a_provisional_deadline_changes(browser_page, world):
    page = browser_page
    _as_operator(page, world)
    page.goto("/admin/calendar")
    assert "落在 2027 年及以后的期限(该年尚未发布" in page.locator("h2").last.inner_text()
    # A contract deadline counted over New Year's Day 2027 as if it were a working day.
    row = page.locator("#deadlines tr[data-kind=contract_due]").first
    procurement_id = row.get_attribute("data-procurement")
    before = row.locator("td.due").inner_text()
    assert before.startswith("2027-01-0")

    page.fill("#publish-year input[name=year]", "2027")
    page.fill("#publish-year textarea[name=holidays]", "2027-01-01\n2027-02-06~2027-02-12\n2027-10-01~2027-10-07")
    page.fill("#publish-year textarea[name=makeup_workdays]", "2027-02-14")
    page.fill("#publish-year input[name=source]", "国办发明电〔2026〕9号")
    page.click("#publish-year button[type=submit]")

    assert page.locator(".flash.ok").inner_text().startswith("已发布 2027 年节假日安排")
    assert "(已按 2027 年安排计算)" in page.locator("h2").last.inner_text()
    row = page.locator(f"#deadlines tr[data-procurement='{procurement_id}'][data-kind=contract_due]")
    after = row.locator("td.due").inner_text()
    assert after > before  # one working day later: 1 January is a holiday
    page.goto(f"/admin/procurements/{procurement_id}")
    assert page.locator("table.events tbody tr", has_text="DeadlineRecomputed").count() == 1
    screenshot(page, "calendar-recomputed-timeline")

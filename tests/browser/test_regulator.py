"""Regulators in the browser: from the most severe flag through its evidence to a confirmed case."""

from __future__ import annotations

import pytest

from admin import credit
from tests.browser.conftest import log_in, screenshot

SEVERITY_ORDER = ["critical", "high", "medium", "low"]


def _as_regulator(page, world) -> None:
    log_in(page, world.accounts["regulator"].username, world.password)
    page.wait_for_url("**/admin/dashboard")


def test_the_dashboard_draws_its_charts(browser_page, world):
    page = browser_page
    _as_regulator(page, world)
    assert int(page.locator("#open-flags").inner_text()) > 0
    assert page.locator("[data-chart] canvas").count() >= 3  # flags, HHI, stage durations drawn by ECharts
    screenshot(page, "dashboard")


def test_a_regulator_follows_the_most_severe_flag_to_a_confirmed_case(browser_page, world):
    page = browser_page
    _as_regulator(page, world)
    page.click("nav >> text=预警队列")
    severities = page.locator("table.flags tbody tr").evaluate_all("rows => rows.map(r => r.dataset.severity)")
    assert severities == sorted(severities, key=SEVERITY_ORDER.index)  # the most severe first
    page.locator("table.flags tbody tr").first.locator("a.flag-link").click()
    flag_url = page.url
    assert page.locator("h1 .sev").inner_text() == {"critical": "严重", "high": "高"}.get(severities[0], "中")
    screenshot(page, "flag")

    evidence = page.locator("a.evidence-link").first
    target = evidence.get_attribute("href")
    evidence.click()
    version = target.split("#v")[1]
    assert page.locator(f"tr#v{version}.highlight").count() == 1  # the evidence event, in its timeline
    assert page.locator("table.events tbody tr").count() >= int(version)
    screenshot(page, "timeline")

    page.goto(flag_url)
    page.click("#open-case")
    assert page.locator(".flash.ok").inner_text() == "已立案。"
    assert page.locator("#case-status").inner_text() == "已立案"
    agency_id = page.locator("#confirm-form select[name=agency_id]").input_value()
    page.goto(f"/admin/agencies/{agency_id}")
    grade_before = page.locator("#credit-grade").inner_text()

    page.goto(flag_url)
    page.select_option("#confirm-form select[name=violation_code]", "V08")
    page.fill("#confirm-form textarea[name=reasons]", "经核查,该机构已列入信用中国黑名单")
    page.click("#confirm-form button[type=submit]")
    assert page.locator(".flash.ok").inner_text().startswith("已认定违规")
    assert page.locator("#case-status").inner_text() == "认定违规"

    page.goto(f"/admin/agencies/{agency_id}")
    screenshot(page, "link-graph")
    if credit.agency_credit is None:
        pytest.skip("the credit engine (projections/agency_credit.py) is not in this tree: no grade to change")
    assert page.locator("#credit-grade").inner_text() != grade_before


def test_the_link_graph_is_drawn_on_the_agency_profile(browser_page, world):
    page = browser_page
    _as_regulator(page, world)
    page.goto("/admin/agencies?status=admitted")
    page.locator("table tbody tr a").first.click()
    graph = page.locator("#link-graph")
    assert graph.get_attribute("data-drawn").endswith("links")
    assert graph.locator("canvas").count() == 1

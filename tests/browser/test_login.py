"""Who may use the console: operators and regulators, not agencies or owners."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in


@pytest.mark.parametrize("role", ["agency", "owner_admin", "owner_delegate"])
def test_an_agency_or_owner_account_is_refused_the_console(browser_page, world, role):
    page = browser_page
    log_in(page, world.accounts[role].username, world.password)
    assert page.locator("h1").inner_text() == "无权访问(403)"
    assert "本控制台仅供运营机构、管理机构和行业主管部门使用" in page.locator(".refused").inner_text()
    # No session was opened: the console still sends the browser to the login form.
    page.goto("/admin/flags")
    assert page.url.endswith("/admin/login?next=/admin/flags")


def test_a_wrong_password_is_refused_with_a_message(browser_page, world):
    log_in(browser_page, world.accounts["regulator"].username, "not-the-password")
    assert "用户名或密码不正确" in browser_page.content()


def test_an_operator_may_not_open_the_regulators_flag_queue(browser_page, world):
    page = browser_page
    log_in(page, world.accounts["operator"].username, world.password)
    page.wait_for_url("**/admin/queues")
    response = page.goto("/admin/flags")
    assert response.status == 403
    assert "此页面仅供管理机构、行业主管部门使用" in page.locator(".refused").inner_text()

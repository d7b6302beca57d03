"""The draw's "verify" re-computes the result from the candidate list the page displays."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import log_in

DRAWN = ("publicity", "contracting", "contract_filed", "in_service", "under_acceptance", "evaluating", "closed")


def test_a_draw_verifies_as_genuine_and_not_after_the_displayed_list_is_tampered_with(browser_page, world):
    drawn = next(p for p in world.summary.procurements if p.method == "random" and p.status in DRAWN)
    page = browser_page
    log_in(page, world.accounts["regulator"].username, world.password)
    page.wait_for_url("**/admin/dashboard")
    page.goto(f"/admin/procurements/{drawn.id}")
    assert page.locator("#draw-entries tbody tr").count() >= 2

    page.click("#verify-draw")
    expect(page.locator("#verdict-text")).to_contain_text("真实有效")

    # Swap the first candidate's credit code for another's: the frozen list no longer hashes the same.
    page.locator("#draw-entries tbody tr").first.locator("[data-key=uscc]").evaluate(
        "cell => { cell.textContent = '91430100MA4TAMPER1'; }"
    )
    page.click("#verify-draw")
    expect(page.locator("#verdict-text")).to_contain_text("不一致")
    expect(page.locator("#verdict")).to_contain_text("名单哈希不符")

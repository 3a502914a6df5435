"""A plan manager uses the plan and action pages in Chromium; every page passes axe (WCAG 2.2 AA)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible

pytestmark = pytest.mark.browser



def test_the_sign_in_page_is_accessible(page, demo_site):
    page.goto(f"{demo_site}/accounts/login/")
    assert_accessible(page)


def test_a_plan_manager_moves_the_plan_to_the_board_meeting_date(sign_in, demo_site, tmp_path):
    page = sign_in("pmo")
    assert_accessible(page)
    page.get_by_role("link", name="Protection Improvement Plan – Peer Review").click()
    page.get_by_label("Show as at").fill("30/11/2021")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Status as at 30 November 2021").wait_for()
    assert "as_at=30%2F11%2F2021" in page.url  # the address can be shared and bookmarked
    summary = page.get_by_role("table", name="Number of actions by RAG status as at 30/11/2021")
    assert "Green – Complete 7" in " ".join(summary.inner_text().split())
    assert "Amber – On track but to be completed 3" in " ".join(summary.inner_text().split())
    assert_accessible(page)
    page.screenshot(path=tmp_path / "plan.png", full_page=True)

    page.get_by_role("link", name="Action 1.1").click()
    page.get_by_role("heading", name="History").wait_for()
    assert "The communications plan is awaiting approval" in page.content()
    assert_accessible(page)


def test_the_as_at_form_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_site}/accounts/login/")
    page.get_by_label("Username").fill("board")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_label("Show as at").fill("1/2/2021")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Status as at 1 February 2021").wait_for()
    assert "AM Palmer" in page.content()
    context.close()


def test_a_bad_as_at_date_is_reported_accessibly(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/?as_at=2020-01-01")
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert_accessible(page)


def test_after_show_as_at_the_focus_moves_to_the_new_status_heading(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.evaluate("document.body.addEventListener('htmx:afterSwap', () => { window.swappedByHtmx = true })")
    page.get_by_label("Show as at").fill("30/11/2021")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Status as at 30 November 2021").wait_for()
    expect(page.locator("#summary")).to_be_focused()  # (wait_for_function would need eval, which the CSP forbids)
    assert page.evaluate("window.swappedByHtmx") is True  # swapped in place, not a new page
    assert page.evaluate("[document.activeElement.tagName, document.activeElement.textContent]") == [
        "H2", "Status as at 30 November 2021"]
    assert_accessible(page)

    # With the keyboard alone: type the date and press Enter.
    page.get_by_label("Show as at").fill("01/02/2021")
    page.get_by_label("Show as at").press("Enter")
    page.get_by_role("heading", name="Status as at 1 February 2021").wait_for()
    expect(page.get_by_role("heading", name="Status as at 1 February 2021")).to_be_focused()
    page.keyboard.press("Tab")  # and the next Tab goes on from there, into what follows the heading
    assert page.evaluate("document.getElementById('summary').compareDocumentPosition(document.activeElement)") & 4


def test_a_wrong_date_with_javascript_on_is_shown_and_takes_the_focus(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_label("Show as at").fill("31/02/2021")
    page.get_by_role("button", name="Show").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "February 2021 has 28 days" in alert.inner_text()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.title().startswith("Error: Protection Improvement Plan")
    assert_accessible(page)
    page.get_by_label("Show as at").fill("30/11/2021")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Status as at 30 November 2021").wait_for()
    assert page.title() == "Protection Improvement Plan – Peer Review – actiontrack"

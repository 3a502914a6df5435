"""A plan manager adds a Teams receiver to the demo plan in Chromium; the page and its log pass axe."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_plan_manager_adds_a_teams_receiver(sign_in, demo_site, receiver):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_role("link", name="Chat tools and webhooks").click()
    page.get_by_role("heading", name="Chat tools and webhooks").wait_for()
    assert_accessible(page)
    page.get_by_label("Receiver's address").fill(receiver.url)
    page.get_by_label("Microsoft Teams (a workflow's incoming webhook)").check()
    page.get_by_role("button", name="Add receiver").click()
    page.get_by_text("The webhook is added").wait_for()
    assert "Microsoft Teams" in page.locator("table").first.inner_text()
    assert_accessible(page)

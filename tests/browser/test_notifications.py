"""The plan manager sees a count in the header after Chris Parker mentions them, opens the list, follows it to
the action and marks everything read, in Chromium; the list passes axe (WCAG 2.2 AA)."""

import os

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_mention_reaches_the_plan_manager(sign_in, demo_site, browser):
    owner = sign_in("cparker")
    owner.goto(f"{demo_site}/plans/PIP-PR/actions/5.1/")
    owner.get_by_label("Comment").fill("@pmo the paper is ready for you.")
    owner.get_by_role("button", name="Add comment").click()
    owner.get_by_text("Your comment on action 5.1 is saved.").wait_for()
    owner.get_by_role("button", name="Sign out").click()

    page = sign_in("pmo")
    page.get_by_role("link", name="Notifications 1 new").click()
    page.get_by_role("heading", name="Notifications").wait_for()
    assert "the paper is ready for you" in page.locator(".notifications").inner_text()
    assert_accessible(page)
    if os.environ.get("SHOOT"):
        page.screenshot(path="/tmp/notifications.png", full_page=True)
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_text("1 notification marked as read.").wait_for()
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
    page.get_by_role("link", name="Open action 5.1").click()
    page.get_by_role("heading", name="Action 5.1").wait_for()

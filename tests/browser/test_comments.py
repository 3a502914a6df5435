"""Chris Parker comments on his action in Chromium, mentioning the plan manager, then corrects it; the page with
its comments and the edit page pass axe (WCAG 2.2 AA)."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_an_owner_comments_and_corrects_the_comment(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}/plans/PIP-PR/actions/5.1/")
    page.get_by_label("Comment").fill("Paper goes to SLT on 14 January, @pmo.")
    page.get_by_role("button", name="Add comment").click()
    page.get_by_text("Your comment on action 5.1 is saved.").wait_for()
    assert "Mentions: Priya Shah" in page.locator("#comments ~ ol").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Edit your comment").click()
    page.get_by_role("heading", name="Edit your comment").wait_for()
    assert_accessible(page)
    page.get_by_label("Comment").fill("Paper goes to SLT on 21 January, @pmo.")
    page.get_by_role("button", name="Save comment").click()
    page.get_by_text("21 January").first.wait_for()
    page.get_by_text("Earlier version (1)").click()
    assert page.locator("#comments ~ ol details").get_by_text("Paper goes to SLT on 14 January").is_visible()
    assert_accessible(page)

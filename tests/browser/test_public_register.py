"""In Chromium: a plan manager publishes the plan from its page; a member of the public, not signed in, finds it
under Published progress, reads it on a desktop and on a phone, and the accessibility statement. Every page
passes axe (WCAG 2.2 AA); nothing scrolls sideways at 375 px."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from actiontrack.core.journal import Actor
from actiontrack.reports import services
from actiontrack.reports.demo import load_demo_report
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def issued(demo_site):
    report, _ = load_demo_report()
    manager = get_user_model().objects.get(username="pmo")
    services.report_issue(actor=Actor.of(manager), report=report, today=date(2021, 11, 30))
    return demo_site


def test_a_plan_manager_publishes_and_the_public_reads_it_on_a_desktop_and_a_phone(sign_in, issued, browser):
    page = sign_in("pmo")
    page.goto(f"{issued}/plans/PIP-PR/")
    page.get_by_role("link", name="Publish progress on a public page").click()
    page.get_by_role("heading", name=re.compile("^Publish progress")).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("PIP-PR is published").wait_for()
    assert_accessible(page)

    context = browser.new_context()  # not signed in
    visitor = context.new_page()
    visitor.goto(f"{issued}/public/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Protection Improvement Plan – Peer Review").click()
    visitor.get_by_role("heading", name="Recommendation 1", exact=True).wait_for()
    assert "Amber – On track but to be completed" in visitor.locator("main").inner_text()
    assert_accessible(visitor)
    visitor.set_viewport_size({"width": 375, "height": 800})
    visitor.reload()
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Accessibility statement").click()
    visitor.get_by_role("heading", name="Accessibility statement").wait_for()
    assert_accessible(visitor)
    context.close()

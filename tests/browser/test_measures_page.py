"""In Chromium: the demo's measure of recommendation 4 is read as a chart with its numbers in a table, and its
owner records a value. The page passes axe (WCAG 2.2 AA)."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_an_owner_reads_the_measure_and_records_a_value(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_role("link", name="Measures with targets").click()
    page.get_by_role("heading", name="Fire safety audits completed").wait_for()
    assert page.locator("svg.chart[role=img]").count() == 1
    assert "Green – On target" in page.locator("table").first.inner_text()
    assert_accessible(page)
    page.get_by_label("A day in the period").fill("15/11/2021")
    page.get_by_label("Value").fill("161")
    page.get_by_role("button", name="Record the value").click()
    page.get_by_text("Fire safety audits completed: the value is recorded.").wait_for()
    assert "161 audits in October to December 2021" in page.locator("main").inner_text()
    assert_accessible(page)

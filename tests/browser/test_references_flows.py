"""In Chromium: a plan manager sets up an inspection plan numbered as HMICFRS numbers it — areas for improvement
"AFI 1" and "AFI 2" in two themes that both have an "R1" — with an executive and an operational lead, and the
plan page shows each theme, reference and lead. Every page passes axe (WCAG 2.2 AA)."""

import pytest

from actiontrack.plans.models import Plan

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def add_recommendation(page, ref, kind, theme, text):
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Reference").fill(ref)
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Theme (optional)").fill(theme)
    page.get_by_label("Text").fill(text)
    page.get_by_label("In the plan since (optional)").fill("01/01/2025")
    page.get_by_role("button", name="Add recommendation").click()


def test_a_plan_manager_sets_up_a_plan_numbered_and_grouped_as_its_source(sign_in, demo_site):
    page = sign_in("pmo")
    page.get_by_role("link", name="Create a plan").click()
    page.get_by_label("Reference").fill("HMI-THEMES")
    page.get_by_label("Title").fill("HMICFRS Inspection 2025")
    page.get_by_label("What the source calls its groups (optional)").fill("Theme")
    page.get_by_label("Agreed on").fill("01/01/2025")
    page.get_by_role("button", name="Create plan").click()
    page.get_by_role("heading", name="HMICFRS Inspection 2025").wait_for()

    add_recommendation(page, "R1", "Recommendation", "Prevention", "Target home fire safety visits.")
    assert_accessible(page)
    add_recommendation(page, "R1", "Recommendation", "Protection", "Audit high-risk premises.")
    add_recommendation(page, "AFI 2", "Area for improvement", "Protection", "Share learning from audits.")

    page.get_by_role("link", name="Add an action to recommendation R1").last.click()
    page.get_by_label("What the action is").fill("Train station managers in audits.")
    page.get_by_role("group", name="Owner", exact=True).get_by_label("Head of Prevention and Protection").check()
    page.get_by_role("group", name="Supporting owners").get_by_label("Head of Protection", exact=True).check()
    page.get_by_label("Due date (optional)").fill("30/09/2025")
    page.get_by_label("In the plan since (optional)").fill("01/01/2025")
    assert_accessible(page)
    page.get_by_role("button", name="Add action").click()
    page.get_by_role("heading", name="Action R1.1").wait_for()
    assert page.url.endswith("/plans/HMI-THEMES/actions/R1.1/")

    page.get_by_role("link", name="HMICFRS Inspection 2025").first.click()
    themes = page.get_by_role("heading", level=3).all_inner_texts()
    assert [t for t in themes if t.startswith("Theme")] == ["Theme: Prevention", "Theme: Protection"]
    rows = page.get_by_role("table", name="Actions for recommendation R1 (Protection)").inner_text()
    assert "Head of Protection" in rows and "(supporting)" in rows
    assert_accessible(page)
    plan = Plan.objects.get(reference="HMI-THEMES")
    assert sorted(plan.recommendations.values_list("slug", flat=True)) == ["AFI-2", "Protection-R1", "R1"]

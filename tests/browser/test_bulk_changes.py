"""A plan manager changes several actions at once in Chromium, each time seeing what would change before it is
saved: moves every action of a post to another after a restructure, locks a reporting period in every plan they
manage, reminds the owners of chosen actions; a change the plan does not allow is refused for all, said on the
page. Every page passes axe (WCAG 2.2 AA)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from actiontrack.plans.models import Action, PeriodLock
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_plan_manager_moves_every_action_of_a_post_to_another(sign_in, demo_site):
    moving = set(Action.objects.filter(owner_posts__name="Head of Protection").values_list("ref", flat=True))
    page = sign_in("pmo")
    page.goto(f"{demo_site}/actions/")
    page.get_by_role("link", name="move every action of one post to another").click()
    page.get_by_label("Move every action owned by").select_option(label="Head of Protection")
    page.get_by_label("To", exact=True).select_option(label="Head of Prevention and Protection")
    page.get_by_label("Reason").fill("Restructure of the Protection function")
    page.get_by_role("button", name="Show what would change").click()
    page.get_by_role("heading", name=f"{len(moving)} actions would change").wait_for()
    assert_accessible(page)
    assert Action.objects.filter(owner_posts__name="Head of Protection").count() == len(moving)  # nothing yet
    page.get_by_role("button", name=f"Move {len(moving)} actions").click()
    page.get_by_text(f"{len(moving)} actions moved from Head of Protection").wait_for()
    assert not Action.objects.filter(owner_posts__name="Head of Protection").exists()
    assert moving <= set(Action.objects.filter(owner_posts__name="Head of Prevention and Protection")
                         .values_list("ref", flat=True))
    assert_accessible(page)


def test_a_plan_manager_locks_a_period_in_every_plan_after_seeing_it(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/actions/")
    page.get_by_role("link", name="lock a reporting period in every plan you manage").click()
    day = timezone.localdate() - timedelta(days=70)
    page.get_by_label("Lock the reporting period containing").fill(day.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Show what would be locked").click()
    page.get_by_role("table", name="What would be locked").wait_for()
    assert_accessible(page)
    assert not PeriodLock.objects.exists()
    page.get_by_role("button", name="Lock these periods").click()
    page.get_by_text(re.compile(r"^Locked: PIP-PR")).wait_for()
    assert PeriodLock.objects.filter(plan__reference="PIP-PR").count() == 1


def test_a_plan_manager_reminds_the_owners_of_two_actions_with_a_note(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/actions/?overdue=on")
    boxes = page.locator("table.table--found tbody input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Remind the owners of the selected actions…").click()
    page.get_by_role("heading", name="Remind the owners of 2 actions").wait_for()
    assert_accessible(page)
    page.get_by_label("Your note (optional)").fill("Please update these before Friday's board.")
    page.get_by_role("button", name=re.compile(r"^Send \d+ emails?$")).click()
    page.get_by_text(re.compile(r"Reminder sent to \d+")).wait_for()
    assert mail.outbox and all("Please update these before Friday's board." in m.body for m in mail.outbox)


def test_changing_dates_the_plan_allows_only_by_proposal_is_refused_for_all(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/actions/?lifecycle=in_progress")
    boxes = page.locator("table.table--found tbody input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    before = dict(Action.objects.values_list("pk", "due_on"))
    page.get_by_role("button", name="Change the due date of the selected actions…").click()
    page.get_by_role("heading", name="Change 2 due dates").wait_for()
    assert_accessible(page)
    page.get_by_label("New due date").fill((timezone.localdate() + timedelta(days=90)).strftime("%d/%m/%Y"))
    page.get_by_label("Reason").fill("Waiting for the new IT system")
    page.get_by_role("button", name="Change 2 due dates").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "only through an accepted proposal" in page.locator(".error-summary").inner_text()
    assert dict(Action.objects.values_list("pk", "due_on")) == before
    assert_accessible(page)

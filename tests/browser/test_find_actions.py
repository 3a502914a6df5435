"""A plan manager finds actions across plans in Chromium: from the header, filters chosen in the form, sorted by
a column, the address kept; an error said beside its field. Every state of the page passes axe (WCAG 2.2 AA)."""

import os
import re

import pytest
from django.test import override_settings

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_plan_manager_filters_sorts_and_keeps_the_address(sign_in, demo_site):
    page = sign_in("pmo")
    page.get_by_role("link", name="Find actions").click()
    page.get_by_role("heading", name="Find actions").wait_for()
    assert_accessible(page)
    total = page.get_by_role("heading", name=re.compile(r"^\d+ actions?, as at")).inner_text()

    page.get_by_label("Progress").select_option(label="In progress")
    page.get_by_role("button", name="Show actions").click()
    page.wait_for_url(re.compile(r"lifecycle=in_progress"))
    narrowed = page.get_by_role("heading", name=re.compile(r"actions? match|actions?, as at")).inner_text()
    assert narrowed != total
    rows = page.locator("table.table--found tbody tr")
    assert all("In progress" in rows.nth(i).inner_text() for i in range(rows.count()))
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Due date")).click()
    page.wait_for_url(re.compile(r"sort=due"))
    assert "lifecycle=in_progress" in page.url
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Due date")
    page.get_by_role("link", name=re.compile(r"^Due date")).click()
    page.wait_for_url(re.compile(r"sort=-due"))
    assert page.locator('th[aria-sort="descending"]').count() == 1
    assert_accessible(page)


def test_a_date_that_cannot_be_read_is_said_beside_its_field(sign_in, demo_site):
    page = sign_in("board")
    page.goto(f"{demo_site}/actions/?as_at=31/02/2021")
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "The as-at date could not be read" in page.locator(".error-message").inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("address", ["/actions/", "/my-actions/", "/plans/PIP-PR/"])
def test_on_a_phone_each_action_is_a_card_with_its_status_first_and_nothing_scrolls_sideways(
        sign_in, demo_site, address):
    page = sign_in("cparker")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{demo_site}{address}")
    page.locator("table.table--cards tbody tr").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    card = page.locator("table.table--cards tbody tr").first
    status = card.locator('[data-label="RAG status"]').bounding_box()
    ref = card.locator('[data-label="Ref"]').bounding_box()
    assert status["y"] < ref["y"], "the status is not first in the card"
    if os.environ.get("SHOOT"):
        page.screenshot(path=f"/tmp/phone{address.replace('/', '-')}.png", full_page=True)
    assert_accessible(page)


def test_a_verifier_verifies_two_completed_actions_from_the_list(sign_in, demo_site):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from actiontrack.core.journal import Actor
    from actiontrack.plans.models import Action
    from actiontrack.plans.services import evidence, workflow

    owner, today = get_user_model().objects.get(username="cparker"), timezone.localdate()
    for ref in ("1.1", "3.1"):
        action = Action.objects.get(plan__reference="PIP-PR", ref=ref)
        evidence.evidence_add_link(actor=Actor.of(owner), action=action, title=f"Paper for {ref}",
                                   url=f"https://intranet.example.org/{ref}", today=today)
        workflow.action_complete(actor=Actor.of(owner), action=action, completed_on=today, today=today)
    page = sign_in("verifier")
    page.goto(f"{demo_site}/actions/?awaiting_verification=on")
    page.get_by_label("Select action 1.1 of PIP-PR").check()
    page.get_by_label("Select action 3.1 of PIP-PR").check()
    assert_accessible(page)
    page.get_by_role("button", name="Verify the selected actions…").click()
    page.get_by_role("heading", name="Verify 2 actions").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Verify and close 2 actions").click()
    page.get_by_text("2 actions verified and closed").wait_for()


@pytest.mark.parametrize("address", ["/plans/PIP-PR/", "/plans/PIP-PR/reports/", "/plans/PIP-PR/queue/", "/account/"])
def test_a_plan_managers_pages_on_a_phone_never_scroll_sideways(sign_in, demo_site, address):
    """Their wide tables scroll inside the page; the words hidden for screen readers in them used to widen it."""
    page = sign_in("pmo")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{demo_site}{address}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_on_a_desktop_every_column_of_the_plan_table_is_wide_enough_to_read(sign_in, demo_site):
    """Seven columns share the width: the Assurance column was once left out and squeezed to a letter a line."""
    page = sign_in("board")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo_site}/plans/PIP-PR/")
    widths = page.locator("table.table--actions").first.locator("thead th").evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().width)")
    assert len(widths) == 7 and min(widths) > 55, widths
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
                   EXPORT_IN_BACKGROUND_FROM=10)
def test_a_long_list_downloads_through_the_worker_while_the_page_waits(sign_in, demo_site, tmp_path):
    """A board member follows the list's CSV link for a long list (ten actions count as long here): the page
    offers to prepare it, says it is being prepared, and offers the file by itself once the worker is done."""
    from django.core.management import call_command

    page = sign_in("board")
    page.goto(f"{demo_site}/actions/?as_at=30/11/2021")
    page.get_by_role("link", name="CSV", exact=True).click()
    page.get_by_role("heading", name="Download the CSV file").wait_for()
    assert "The list has 10 actions" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the CSV file").click()
    page.get_by_role("heading", name="Being prepared").wait_for()
    assert_accessible(page)

    call_command("worker", once=True, verbosity=0)

    link = page.get_by_role("link", name="Download the CSV file")
    link.wait_for(timeout=15_000)  # htmx asked again and the part changed in place
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "actions-2021-11-30.csv" and saved.read_text(encoding="utf-8-sig").count("PIP-PR") == 10

"""A plan manager brings a plan in from an Excel tracker in Chromium: uploads it, finds a column read
wrongly, changes it, checks the preview and applies; every page passes axe (WCAG 2.2 AA)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Plan
from tests.browser.conftest import assert_accessible
from tests.interchange.fixtures import xlsx_bytes

pytestmark = pytest.mark.browser

TRACKER = xlsx_bytes({"Tracker": [
    ["Audit improvement tracker"], [],
    ["Ref", "Recommendation", "Action", "Who does it", "Target date", "RAG"],
    ["1.1", "Improve the audit programme.", "Set audit targets in the performance reports.", "Head of Protection",
     date(2027, 3, 31), "Amber"],
    ["1.2", "", "Report audit figures to the board each quarter.", "Head of Prevention and Protection",
     "30/06/2027", "Not started"],
    ["2.1", "Evidence the enforcement policy.", "Review the enforcement policy.", "Head of Protection",
     "31//12/2027", "In progress"],
]})


def test_a_plan_manager_imports_a_tracker_fixing_one_column_and_sees_the_new_plan(sign_in, demo_site, tmp_path):
    tracker = tmp_path / "audit-tracker.xlsx"
    tracker.write_bytes(TRACKER)
    page = sign_in("pmo")
    page.get_by_role("link", name="Protection Improvement Plan – Peer Review").click()
    page.get_by_role("heading", name="Download or import").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Import another plan from a file").click()
    page.get_by_role("heading", name="Import a plan from a file").wait_for()
    assert_accessible(page)
    page.get_by_label("Reference for the new plan").fill("AUDIT-2027")
    page.get_by_label("File to import").set_input_files(str(tracker))
    page.get_by_role("button", name="Upload and preview").click()

    page.get_by_role("heading", name="Check the import").wait_for()
    assert "3 errors must be put right" in page.get_by_role("alert").inner_text()
    assert "action 1.1 names no owner" in page.content()
    assert page.get_by_role("button", name="Apply import").count() == 0
    assert_accessible(page)
    page.screenshot(path=tmp_path / "preview-with-errors.png", full_page=True)

    page.get_by_label("Who does it").select_option("owner")
    page.get_by_role("button", name="Update preview").click()
    page.get_by_role("heading", name="Check the import").wait_for()
    assert page.get_by_role("alert").count() == 0
    changes = page.get_by_role("table", name="1 plan created, 2 recommendations created, 3 actions created")
    assert "Set audit targets in the performance reports." in changes.inner_text()
    problems = page.get_by_role("table", name="0 errors and 2 warnings, with where they are in the file")
    assert "'31//12/2027' has a doubled separator" in problems.inner_text()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "preview.png", full_page=True)

    page.get_by_role("button", name="Apply import").click()
    page.get_by_role("heading", name="Audit improvement tracker").wait_for()
    assert "Imported audit-tracker.xlsx into AUDIT-2027" in page.get_by_role("status").inner_text()
    assert "Set audit targets in the performance reports." in page.content()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "new-plan.png", full_page=True)

    plan = Plan.objects.get(reference="AUDIT-2027")
    assert plan.actions.count() == 3
    assert set(JournalEvent.objects.filter(plan=plan).values_list("source", flat=True)) == {"import"}


@override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_import_pages_follow_the_worker_checking_then_applying_the_import(sign_in, demo_site, tmp_path):
    """With the worker checking and applying imports (as `actiontrack serve` runs it), uploading and confirming are
    answered at once, the page says what is under way, and moves on by itself (to the preview, then to the new
    plan) when the worker is done."""
    tracker = tmp_path / "audit-tracker.xlsx"
    tracker.write_bytes(TRACKER)
    page = sign_in("pmo")
    page.goto(f"{demo_site}/import/new/")
    page.get_by_label("Reference for the new plan").fill("AUDIT-2027")
    page.get_by_label("File to import").set_input_files(str(tracker))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("heading", name="Being checked").wait_for()  # the worker reads the file, not the request
    assert_accessible(page)
    call_command("worker", once=True, verbosity=0)
    page.get_by_label("Who does it").select_option("owner", timeout=15_000)  # the page became the preview
    page.get_by_role("button", name="Update preview").click()
    page.get_by_role("heading", name="Being checked").wait_for()  # checked again with the new choice
    call_command("worker", once=True, verbosity=0)
    page.get_by_role("button", name="Apply import").click(timeout=15_000)

    page.get_by_role("heading", name="Being imported").wait_for()
    assert "Import audit-tracker.xlsx into AUDIT-2027: waiting to start" in page.get_by_role("status").last.inner_text()
    assert not Plan.objects.filter(reference="AUDIT-2027").exists()
    assert_accessible(page)

    call_command("worker", once=True, verbosity=0)  # the worker, as serve starts it, finds the job and does it

    page.get_by_role("heading", name="Audit improvement tracker").wait_for(timeout=15_000)  # htmx asked again
    assert "Imported audit-tracker.xlsx into AUDIT-2027" in page.get_by_role("status").inner_text()
    assert Plan.objects.get(reference="AUDIT-2027").actions.count() == 3
    assert_accessible(page)


@override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
                   EXPORT_IN_BACKGROUND_FROM=10)
def test_a_large_plans_download_is_prepared_by_the_worker_while_the_page_waits(sign_in, demo_site, tmp_path):
    """A board member follows the plan page's Excel link for a large plan (ten actions count as large here): the
    page offers to prepare it, says it is being prepared, and offers the file by itself once the worker is done."""
    page = sign_in("board")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_role("link", name="Excel tracker").first.click()
    page.get_by_role("heading", name="Download the Excel tracker").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare the Excel tracker").click()
    page.get_by_role("heading", name="Being prepared").wait_for()
    assert_accessible(page)

    call_command("worker", once=True, verbosity=0)

    link = page.get_by_role("link", name="Download the Excel tracker")
    link.wait_for(timeout=15_000)  # htmx asked again and the part changed in place
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("PIP-PR-as-at-") and saved.stat().st_size > 5000

"""A plan manager prepares the November 2021 board report in Chromium: creates it, edits a section, previews it,
issues it and downloads the PDF, which is the file stored when it was issued. A board member then reads it.
Every page visited passes axe (WCAG 2.2 AA)."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from actiontrack.core import files as file_store
from actiontrack.reports.demo import load_demo_report
from actiontrack.reports.models import BoardReport, IssuedFile
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser



def test_a_plan_manager_creates_edits_previews_issues_and_downloads_the_november_report(sign_in, demo_site,
                                                                                         tmp_path):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_role("link", name="Board reports on this plan").click()
    page.get_by_role("heading", name="Board reports", exact=True).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Create a board report").click()
    page.get_by_role("heading", name="Create a board report").wait_for()
    assert_accessible(page)
    page.get_by_label("Meeting date").fill("30/11/2021")
    page.get_by_label("Agenda item no.").fill("7")
    page.get_by_role("button", name="Create draft report").click()
    page.get_by_role("heading", name="What changed in the data since the previous report").wait_for()
    assert "Draft board report for Performance and Resources Board, 30 November 2021 created" in page.content()
    assert_accessible(page)

    page.get_by_role("textbox", name="Future plans").fill("The improvements from this action plan will fall into BAU")
    page.get_by_label("Presented by").fill("Moira Bruin, Director of Operations")
    page.get_by_role("button", name="Save draft report").click()
    page.get_by_role("heading", name="Future plans").wait_for()
    assert "The draft report was saved." in page.content()
    table = page.get_by_role("table", name="Actions and their RAG status as at 30/11/2021")
    assert table.get_by_text("Green – Complete").count() == 7
    assert table.get_by_text("Amber – On track but to be completed").count() == 3
    assert "The improvements from this action plan will fall into BAU" in page.content()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "preview.png", full_page=True)

    page.get_by_role("link", name="Issue the report").click()
    page.get_by_role("heading", name="Issue the report for Performance and Resources Board, 30 November 2021?") \
        .wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the report").click()
    page.get_by_role("heading", name="Issued files").wait_for()
    assert "It is now frozen" in page.content()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "PIP-PR-board-report-2021-11-30.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    report = BoardReport.objects.get()
    assert saved.read_bytes() == file_store.read_bytes(IssuedFile.objects.get(report=report, format="pdf").store_name)


def test_a_board_member_reads_the_reports_but_is_not_offered_to_change_them(sign_in, demo_site):
    from actiontrack.plans.demo import LOADER
    from actiontrack.reports import services
    from actiontrack.reports.demo import WRITTEN_ON, load_demo_report

    report, _ = load_demo_report()
    services.report_share(actor=LOADER, report=report, shared=True, today=WRITTEN_ON)  # a draft is shared first
    page = sign_in("board")
    page.goto(f"{demo_site}/plans/PIP-PR/reports/")
    assert page.get_by_role("link", name="Create a board report").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Performance and Resources Board, 30 November 2021").click()
    page.get_by_role("heading", name="Monthly Update - Protection Improvement Plan Peer Review").wait_for()
    assert page.get_by_role("link", name="Edit the draft").count() == 0
    assert page.get_by_role("img", name="Bar chart of the number of actions by RAG status").count() == 1
    assert_accessible(page)


def test_a_plan_manager_is_warned_of_a_second_report_for_a_meeting_shares_and_discards_a_draft(sign_in, demo_site):
    from actiontrack.reports.demo import load_demo_report

    load_demo_report()
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/reports/new/")
    page.get_by_label("Meeting date").fill("30/11/2021")
    page.get_by_role("button", name="Create draft report").click()
    page.get_by_role("heading", name="This meeting already has a report").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Create a second report for this meeting").click()
    page.get_by_role("heading", name="What changed in the data since the previous report").wait_for()
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Share the draft with the board").click()
    page.get_by_text("Shared with the board: the plan's viewers can read this draft.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Discard the draft").click()
    page.get_by_role("heading", name=re.compile("^Discard the draft report for")).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Discard the draft").click()
    page.get_by_role("heading", name="Board reports", exact=True).wait_for()
    assert BoardReport.objects.count() == 1


@override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_report_page_follows_the_worker_issuing_the_report(sign_in, demo_site):
    """With the worker doing the issuing (as `actiontrack serve` runs it), the page says the report is being
    issued, and changes by itself when the worker is done."""
    report, _ = load_demo_report()
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/reports/{report.pk}/issue/")
    page.get_by_role("button", name="Issue the report").click()
    page.get_by_role("heading", name="Being issued").wait_for()
    assert "is being issued" in page.content() and page.get_by_role("link", name="Issue the report").count() == 0
    assert_accessible(page)

    call_command("worker", once=True, verbosity=0)  # the worker, as serve starts it, finds the job and does it

    page.get_by_text("The report was issued.").wait_for(timeout=15_000)  # htmx asked the page again
    assert_accessible(page)
    page.get_by_role("link", name="Show the issued report and its files").click()
    page.get_by_role("heading", name="Issued files").wait_for()
    assert_accessible(page)

"""The board's wording in a draft: a plan manager shortens an owner's update and rewords a reason in the list of
changes for the paper; the owner's update and the journal keep what was written; the action's history says a
board version was written and by whom; the issued paper holds what was published. Someone who does not
manage the plan is refused."""

from datetime import date

import pytest
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.plans.selectors import action_by_ref, action_history
from actiontrack.reports import services
from actiontrack.reports.forms import ReportEditForm, progress_field, reason_field
from actiontrack.reports.selectors import data_since, report_data
from tests.demo_rows import new_updates

from .conftest import NOVEMBER
from .test_pages import edit_data

pytestmark = pytest.mark.django_db
OWNERS_WORDS = ("The communications plan is drafted and with the Service Leadership Team for approval. On track for "
                "31/12/2021 once approved.")
BOARDS_WORDS = "Communications plan drafted; awaiting approval by the Service Leadership Team."


def edit_url(report):
    return reverse("reports:edit", args=["PIP-PR", report.pk])


def progress_cells(report) -> dict[str, tuple[str, str]]:
    table = report_data(report).blocks("action_table")[0]
    return {row.ref: (row.progress, row.progress_by) for row in table.rows}


def full_form(report, **overrides) -> dict:
    since = data_since(report)
    initial = ReportEditForm.initial_for(report, since.progress, since.reasons)
    data = edit_data(report)
    data.update({name: value for name, value in initial.items() if name.startswith(("progress_", "reason_"))})
    data.update(overrides)
    return data


def test_the_demo_paper_carries_each_owners_update_and_says_where_there_is_none(november_report):
    cells = progress_cells(november_report)
    assert cells["1.1"] == (OWNERS_WORDS, "November 2021, by Chris Parker")
    assert cells["5.1"][1] == "November 2021, by Chris Parker"
    assert cells["2.1"] == ("No update for November 2021", "")  # completed in July, nothing written since
    assert all(text for text, _ in cells.values())  # never an empty cell


def test_a_plan_manager_words_an_update_for_the_board_and_the_owners_record_is_kept(
        november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    page = client.get(edit_url(november_report)).text
    assert "Action 1.1: progress as the board reads it" in page and OWNERS_WORDS in page
    action = action_by_ref(november_report.plan, "1.1")
    response = client.post(edit_url(november_report), full_form(
        november_report, **{progress_field(action.pk): BOARDS_WORDS}))
    assert response.status_code == 302, response.text
    november_report.refresh_from_db()
    assert progress_cells(november_report)["1.1"] == (
        BOARDS_WORDS, "November 2021, by Chris Parker; edited for the board")
    assert action.updates.get(period_start=date(2021, 11, 1)).text == OWNERS_WORDS  # the owner's, as written
    board_rows = [row for row in action_history(action) if row.what == "Board version of the progress update"]
    assert [(row.old, row.new, row.actor) for row in board_rows] == [(OWNERS_WORDS, BOARDS_WORDS, "Priya Shah")]
    assert "The owner wrote: " + OWNERS_WORDS in client.get(edit_url(november_report)).text

    services.report_issue(actor=Actor.of(plan_manager), report=november_report, today=NOVEMBER)
    november_report.refresh_from_db()
    assert progress_cells(november_report)["1.1"][0] == BOARDS_WORDS  # the issued snapshot holds what was published
    assert not new_updates().exists()


def test_emptying_the_board_version_puts_the_owners_words_back(november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    action = action_by_ref(november_report.plan, "1.1")
    client.post(edit_url(november_report), full_form(november_report, **{progress_field(action.pk): BOARDS_WORDS}))
    november_report.refresh_from_db()
    client.post(edit_url(november_report), full_form(november_report, **{progress_field(action.pk): ""}))
    november_report.refresh_from_db()
    assert november_report.board_progress == {}
    assert progress_cells(november_report)["1.1"] == (OWNERS_WORDS, "November 2021, by Chris Parker")


def test_a_reason_in_the_list_of_changes_is_worded_for_the_board_and_the_journal_keeps_its_own(
        november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    since = data_since(november_report)
    revision = next(item for item in since.reasons if item.what.startswith("1.1: due date"))
    assert revision.reason == "The communications plan is awaiting approval; the new date holds on approval."
    response = client.post(edit_url(november_report), full_form(
        november_report, **{reason_field(revision.key): "Awaiting approval by the Service Leadership Team."}))
    assert response.status_code == 302, response.text
    november_report.refresh_from_db()
    listed = {group.title: group.items for group in report_data(november_report).blocks("changes")[0].groups}
    item = next(i for i in listed["Due date revisions"] if i.startswith("1.1 "))
    assert item.endswith("Reason: Awaiting approval by the Service Leadership Team.")
    history = action_history(action_by_ref(november_report.plan, "1.1"))
    assert any(row.reason == revision.reason for row in history)  # the journal's reason is unchanged


def test_a_reason_too_long_is_refused_naming_the_change_and_nothing_is_saved(november_report, plan_manager,
                                                                            signed_in):
    client = signed_in(plan_manager)
    revision = next(item for item in data_since(november_report).reasons if item.what.startswith("1.1: due date"))
    version = november_report.version
    response = client.post(edit_url(november_report), full_form(november_report, **{
        reason_field(revision.key): "x" * 2_100}))
    assert response.status_code == 400
    assert "keep it to" in response.text and revision.what in response.text
    november_report.refresh_from_db()
    assert november_report.version == version and november_report.change_reasons == {}


def test_the_owner_cannot_word_the_boards_version(november_report, owner, signed_in):
    services.report_share(actor=Actor.system("Test", "cli"), report=november_report, shared=True, today=NOVEMBER)
    november_report.refresh_from_db()
    action = action_by_ref(november_report.plan, "1.1")
    response = signed_in(owner).post(edit_url(november_report), full_form(
        november_report, **{progress_field(action.pk): "My own board words."}))
    assert response.status_code == 403
    november_report.refresh_from_db()
    assert november_report.board_progress == {}


def test_the_service_refuses_a_board_version_of_an_update_that_does_not_exist(november_report, plan_manager):
    completed = action_by_ref(november_report.plan, "2.1")  # no update for November
    with pytest.raises(Exception) as refused:
        services.report_update(actor=Actor.of(plan_manager), report=november_report,
                               expected_version=november_report.version,
                               changes={"board_progress": {str(completed.pk): "Words."}}, today=NOVEMBER)
    assert "only of an owner's update for the report's period" in str(refused.value)


def test_a_report_on_a_plan_imported_from_a_tracker_carries_its_progress_column(db, plan_manager):
    """A council's tracker with a "Latest update" column, imported as a new plan: the first board paper's
    Progress column holds those words, with their period."""
    from actiontrack.plans.models import Plan
    from tests.interchange.fixtures import xlsx_bytes
    from tests.interchange.helpers import run_import

    today = date(2024, 3, 28)
    tracker = xlsx_bytes({"Audit actions": [
        ["Audit", "Finding", "Agreed management action", "Responsible officer", "Target date", "Status",
         "Latest update"],
        ["Payroll 2023/24", "Overtime claims are not checked.", "Sample ten claims a month.", "Head of Finance",
         "30/06/2024", "In progress", "Sampling began in March; two claims corrected."],
        ["Payroll 2023/24", "Leavers are paid after leaving.", "Reconcile leavers monthly.", "Head of HR",
         "31/05/2024", "Not started", ""]]})
    report = run_import(tracker, "audit-tracker.xlsx", "AUDIT-24", apply=True, today=today, agreed_on=date(2024, 1, 2),
                        create_posts=True)
    assert report.applied, report.errors
    plan = Plan.objects.get(reference="AUDIT-24")
    draft = services.report_create(actor=Actor.system("Test", "cli"), plan=plan, meeting_date=today, today=today,
                                   meeting="Audit Committee", subject="Internal audit actions")
    cells = {row.text: (row.progress, row.progress_by) for row in report_data(draft).blocks("action_table")[0].rows}
    assert cells["Sample ten claims a month."] == ("Sampling began in March; two claims corrected.", "March 2024")
    assert cells["Reconcile leavers monthly."] == ("No update for March 2024", "")

"""Board report services with named personas: a plan manager creates, edits and issues; nobody else may. A new
report starts from the previous report's text and lists what changed in the data since the last issued report.
Issuing freezes: the files download byte-identical for ever, whatever happens to the plan afterwards."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actiontrack.core import files as file_store
from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans import services as plans
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.selectors import action_by_ref
from actiontrack.reports import services
from actiontrack.reports.build import build_report_data
from actiontrack.reports.choices import ReportStatus
from actiontrack.reports.data import load
from actiontrack.reports.models import BoardReport, IssuedFile
from actiontrack.reports.selectors import data_since, report_data, report_file

from .conftest import LOADER, NOVEMBER

pytestmark = pytest.mark.django_db

JANUARY = date(2022, 1, 31)


def executive_summary(data) -> str:
    return data.section("executive_summary").blocks[-1].text


def changes(data) -> dict[str, tuple[str, ...]]:
    return {group.title: group.items for group in data.blocks("changes")[0].groups}


def issue(report, manager, today=NOVEMBER):
    return services.report_issue(actor=Actor.of(manager), report=report, today=today)


# Executive summary -----------------------------------------------------------------------------------------

def test_in_november_2021_nothing_is_overdue_so_all_objectives_are_on_track(november_report):
    assert executive_summary(report_data(november_report)) == (
        "This report provides an update on progress against the Protection Peer Review Action Plan. All objectives "
        "are currently on track for completion. Since the plan was agreed: 7 actions completed; 4 dates revised; "
        "none overdue.")


def test_in_2022_the_summary_says_three_actions_are_overdue_and_which(demo):
    report = services.new_report(demo.plan, meeting_date=JANUARY)
    assert "3 actions are overdue: 1.1, 3.1 and 5.1. Since the plan was agreed: " in executive_summary(
        build_report_data(report))
    assert executive_summary(build_report_data(report)).endswith("; 3 overdue.")


def test_the_author_can_replace_the_generated_sentence(november_report, plan_manager):
    services.report_update(actor=Actor.of(plan_manager), report=november_report, expected_version=2,
                           changes={"summary_sentence": "Every objective is on course."}, today=NOVEMBER)
    november_report.refresh_from_db()
    assert "Action Plan. Every objective is on course. Since the plan was agreed: " in executive_summary(
        report_data(november_report))


# Create and edit ------------------------------------------------------------------------------------------

def test_a_plan_manager_creates_the_first_report_from_standard_wording_and_it_is_journalled(demo, plan_manager):
    report = services.report_create(actor=Actor.of(plan_manager), plan=demo.plan, meeting_date=NOVEMBER,
                                    today=NOVEMBER)
    assert (report.status, report.as_at, report.meeting) == (ReportStatus.DRAFT, NOVEMBER,
                                                              "Performance and Resources Board")
    assert report.authored("financial_implications") == "None associated with this report."
    assert report.authored("executive_summary") == ("This report provides an update on progress against the "
                                                    "Protection Improvement Plan – Peer Review.")
    event = JournalEvent.objects.get(field="report_created")
    assert (event.entity_type, event.entity_id, event.new["report"], event.actor) == (
        "plan", demo.plan.pk, report.pk, plan_manager)


def test_a_new_report_starts_from_the_previous_reports_text(november_report, plan_manager):
    issue(november_report, plan_manager)
    january = services.report_create(actor=Actor.of(plan_manager), plan=november_report.plan, meeting_date=JANUARY,
                                     today=JANUARY, agenda_item="5")
    assert january.sections == november_report.sections
    assert january.equality == november_report.equality
    assert (january.authors, january.presented_by, january.subject, january.agenda_item) == (
        "Chris Parker Area Manager Prevention and Protection", "Moira Bruin, Director of Operations",
        "Monthly Update - Protection Improvement Plan Peer Review", "5")
    assert january.summary_sentence == ""  # the sentence on progress is about the new date: generated afresh


def test_editing_a_draft_changes_its_sections_and_bumps_its_version(november_report, plan_manager):
    report = services.report_update(
        actor=Actor.of(plan_manager), report=november_report, expected_version=november_report.version,
        changes={"sections": {"future_plans": "The improvements will fall into business as usual."}}, today=NOVEMBER)
    assert report.version == 3
    assert report.authored("future_plans") == "The improvements will fall into business as usual."
    assert report.authored("risks_and_mitigations").startswith("Not meeting the deadline")  # others kept
    assert "The improvements will fall into business as usual." in str(report_data(report))
    assert JournalEvent.objects.filter(field="report_updated").last().new["fields"] == ["sections"]


def test_an_edit_from_a_stale_form_is_refused_with_both_versions(november_report, plan_manager):
    actor = Actor.of(plan_manager)
    services.report_update(actor=actor, report=november_report, expected_version=2,
                           changes={"agenda_item": "8"}, today=NOVEMBER)
    with pytest.raises(EditConflict) as conflict:
        services.report_update(actor=actor, report=november_report, expected_version=2,
                               changes={"agenda_item": "9"}, today=NOVEMBER)
    assert conflict.value.current["agenda_item"] == "8" and conflict.value.current_version == 3


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"as_at": date(2020, 1, 1)}, "as_at", "was agreed on 1 February 2021"),
    ({"as_at": date(2021, 12, 31)}, "as_at", "after the meeting"),
    ({"subject": "  "}, "subject", "Enter the subject"),
    ({"for_publication": False}, "exemption", "needs the exemption paragraph"),
    ({"equality": {"age": {"impact": "maybe", "note": ""}}}, "equality", "Record one of the listed impacts"),
])
def test_bad_edits_are_refused_with_a_clear_message_and_nothing_changes(november_report, plan_manager, changes,
                                                                         field, message):
    with pytest.raises(ValidationError) as error:
        services.report_update(actor=Actor.of(plan_manager), report=november_report, expected_version=2,
                               changes=changes, today=NOVEMBER)
    assert message in " ".join(error.value.message_dict[field])
    november_report.refresh_from_db()
    assert november_report.version == 2


@pytest.mark.parametrize("persona", ["owner", "other_owner", "verifier", "board_member", "administrator"])
def test_only_a_plan_manager_creates_edits_or_issues_a_report(november_report, persona, request):
    actor = Actor.of(request.getfixturevalue(persona))
    with pytest.raises(PermissionDenied):
        services.report_create(actor=actor, plan=november_report.plan, meeting_date=JANUARY, today=JANUARY)
    with pytest.raises(PermissionDenied):
        services.report_update(actor=actor, report=november_report, expected_version=2,
                               changes={"agenda_item": "8"}, today=NOVEMBER)
    with pytest.raises(PermissionDenied):
        services.report_issue(actor=actor, report=november_report, today=NOVEMBER)
    assert BoardReport.objects.count() == 1 and november_report.status == ReportStatus.DRAFT


# Issue and freeze ------------------------------------------------------------------------------------------

def test_issuing_stores_the_snapshot_and_three_files_with_their_sha256_and_is_journalled(november_report,
                                                                                         plan_manager):
    report = issue(november_report, plan_manager, today=date(2021, 12, 1))
    assert (report.status, report.issued_on, report.issued_by) == (ReportStatus.ISSUED, date(2021, 12, 1),
                                                                    plan_manager)
    files = {f.format: f for f in IssuedFile.objects.filter(report=report)}
    assert set(files) == {"pdf", "docx", "html"}
    for stored in files.values():
        assert hashlib.sha256(file_store.read_bytes(stored.store_name)).hexdigest() == stored.sha256
        assert stored.size == len(file_store.read_bytes(stored.store_name))
    assert file_store.read_bytes(files["pdf"].store_name).startswith(b"%PDF-")
    assert load(report.snapshot).status == "Issued"
    event = JournalEvent.objects.get(field="report_issued")
    assert event.new["report"] == report.pk and event.new["sha256"]["pdf"] == files["pdf"].sha256


def test_an_issued_report_is_frozen_byte_identical_after_the_plan_changes(november_report, plan_manager):
    report = issue(november_report, plan_manager)
    before = {fmt: report_file(report, fmt) for fmt in ("pdf", "docx", "html")}
    plan = report.plan
    # Back-dated changes that alter the plan as at 30 November 2021: a completion and a new owner.
    plans.action_change_lifecycle(actor=LOADER, action=action_by_ref(plan, "3.1"), lifecycle=Lifecycle.COMPLETED,
                                  completed_on=date(2021, 11, 20), effective_on=date(2021, 11, 20),
                                  reason="Recorded late.")
    plans.action_change_owners(actor=LOADER, action=action_by_ref(plan, "5.1"),
                               owner_posts=[Post.objects.get(name="Head of Protection")], reason="Reassigned.",
                               effective_on=date(2021, 11, 25))
    live = build_report_data(report)
    assert live != report_data(report)  # the plan as at 30/11/2021 is now different ...
    for fmt, file in before.items():
        again = report_file(report, fmt)  # ... but the issued report is not
        assert again.stored and again.content == file.content
        assert hashlib.sha256(again.content).hexdigest() == again.sha256 == IssuedFile.objects.get(
            report=report, format=fmt).sha256
    assert report_data(report).section("options_and_analysis").blocks[2].rows[3].status.label == "Amber"


def test_a_draft_renders_live_from_the_plan(november_report):
    plans.action_change_lifecycle(actor=LOADER, action=action_by_ref(november_report.plan, "3.1"),
                                  lifecycle=Lifecycle.COMPLETED, completed_on=date(2021, 11, 20),
                                  effective_on=date(2021, 11, 20), reason="Recorded late.")
    table = report_data(november_report).blocks("action_table")[0]
    assert next(row for row in table.rows if row.ref == "3.1").status.title == "Green – Complete"
    assert not report_file(november_report, "html").stored


def test_an_issued_report_cannot_be_edited_or_issued_again(november_report, plan_manager):
    report = issue(november_report, plan_manager)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.report_update(actor=Actor.of(plan_manager), report=report, expected_version=report.version,
                               changes={"agenda_item": "8"}, today=NOVEMBER)
    with pytest.raises(ValidationError, match="already issued"):
        issue(report, plan_manager)
    assert IssuedFile.objects.count() == 3


def test_a_report_cannot_be_issued_before_its_as_at_date(november_report, plan_manager):
    with pytest.raises(ValidationError, match="it can be issued from that day"):
        issue(november_report, plan_manager, today=date(2021, 11, 29))
    assert not IssuedFile.objects.exists()


def test_issuing_from_a_stale_confirmation_is_refused(november_report, plan_manager):
    with pytest.raises(EditConflict):
        services.report_issue(actor=Actor.of(plan_manager), report=november_report, today=NOVEMBER,
                              expected_version=1)


# Changes since the last issued report ----------------------------------------------------------------------

@pytest.fixture
def january_after_changes(november_report, plan_manager):
    """November issued; then, through the services, December and January's changes; then January's draft."""
    issue(november_report, plan_manager)
    plan = november_report.plan
    plans.action_change_lifecycle(actor=LOADER, action=action_by_ref(plan, "3.1"), lifecycle=Lifecycle.COMPLETED,
                                  completed_on=date(2021, 12, 15), effective_on=date(2021, 12, 15),
                                  reason="Succession planning done.")
    plans.action_change_due_date(actor=LOADER, action=action_by_ref(plan, "5.1"), due_on=date(2022, 3, 31),
                                 reason="Restructure consultation extended.", effective_on=date(2021, 12, 20))
    plans.action_change_owners(actor=LOADER, action=action_by_ref(plan, "6.2"),
                               owner_posts=[Post.objects.get(name="Head of Protection")],
                               reason="Moved to the protection team.", effective_on=date(2021, 12, 10))
    plans.action_create(actor=LOADER, recommendation=plan.recommendations.get(ref="8"),
                        text="Run a business safety week.", owner_posts=[Post.objects.get(name="Head of Protection")],
                        due_on=date(2022, 6, 30), effective_on=date(2022, 1, 5), reason="Agreed at the board.")
    plans.action_change_lifecycle(actor=LOADER, action=action_by_ref(plan, "4.1"), lifecycle=Lifecycle.CANCELLED,
                                  effective_on=date(2022, 1, 10), reason="Superseded by the new framework.")
    return services.report_create(actor=Actor.of(plan_manager), plan=plan, meeting_date=JANUARY, today=JANUARY)


def test_the_next_report_lists_every_kind_of_change_since_the_last_issued_report(january_after_changes):
    found = changes(report_data(january_after_changes))
    assert found["Completed"] == ("3.1 This is included in the staff succession planning currently and will be picked "
                                  "up in the annual review of the Protection strategy — completed on 15/12/2021. "
                                  "Succession planning done.",)
    assert found["Newly overdue"] == ("1.1 Develop a communications plan to share with customers — due 31/12/2021 "
                                      "(On Approval)",)
    assert found["Due date revisions"] == (
        "5.1 Restructure of the Protection function then embed this into the service people strategy — due date "
        "31/12/2021 → 31/03/2022, from 20/12/2021. Reason: Restructure consultation extended.",)
    assert found["Owner changes"] == (
        "6.2 Create a recording and reporting process to enable activity to be monitored and action taken to resolve "
        "— owner Head of Prevention and Protection → Head of Protection, from 10/12/2021. Reason: Moved to the "
        "protection team.",)
    assert found["New actions"] == ("8.2 Run a business safety week — owner Head of Protection; due 30/06/2022",)
    assert found["Cancelled actions"] == ("4.1 Set a performance target in the monthly, quarterly and annual "
                                          "performance reports. To be monitored at 1/4ly P and P board — cancelled. "
                                          "Reason: Superseded by the new framework.",)
    assert found["Returned to the owner"] == found["Wording changes"] == ()  # a cancelled action was not returned
    intro = report_data(january_after_changes).blocks("changes")[0].intro
    assert intro == ("Since the report to the Performance and Resources Board of 30 November 2021, which showed the "
                     "plan as at 30 November 2021, to 31 January 2022:")
    assert executive_summary(report_data(january_after_changes)).endswith(
        "1 action is overdue: 1.1. Since the last report: 1 action completed; 1 date revised; 1 new action; "
        "1 cancelled; 1 overdue.")


def test_the_author_of_the_draft_sees_the_same_changes_and_the_generated_sentence(january_after_changes):
    since = data_since(january_after_changes)
    assert since.previous.meeting_date == NOVEMBER
    assert {g.title: g.items for g in since.changes.groups} == changes(report_data(january_after_changes))
    assert since.sentence == "1 action is overdue: 1.1."


def test_a_plans_first_report_lists_the_changes_since_the_plan_was_agreed(november_report):
    found = changes(report_data(november_report))
    assert [item.split(" ")[0] for item in found["Completed"]] == ["2.1", "2.2", "4.1", "6.1", "6.2", "7.1", "8.1"]
    assert [item.split(" ")[0] for item in found["Due date revisions"]] == ["1.1", "2.1", "5.1", "6.2"]
    # The new holder of the post owning most of the plan, in full, as the board paper must say it.
    assert found["Owner changes"] == (
        "Head of Prevention and Protection: AM Palmer → AM Chris Parker from 01/10/2021 (owner of 1.1, 3.1, 4.1, 5.1, "
        "6.2, 7.1, 8.1). Reason: Chris Parker appointed Area Manager Prevention and Protection.",)
    assert [item.split(":")[0] for item in found["Wording changes"]] == ["Action 8.1", "Recommendation 2",
                                                                      "Recommendation 3"]
    assert "“Clarify & evidence provision of Out of Hours FP cover.” → “Clarify & evidence provision of Out of Hours " \
           "Fire Safety Officer cover.”" in found["Wording changes"][1]
    assert found["Newly overdue"] == found["New actions"] == found["Cancelled actions"] == ()

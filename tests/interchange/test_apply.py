"""Applying an import: a dry run does everything and writes nothing, and says exactly what applying does;
applying is one transaction; re-importing updates and journals instead of duplicating; owners become
posts only when confirmed; plan managers importing from the web keep to the rules they keep by hand."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.interchange.importing import apply as apply_module
from actiontrack.interchange.importing.decisions import AS_AT
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.models import Action, Plan, PlanRole, Recommendation
from actiontrack.plans.selectors import action_by_ref, plan_as_at

from .fixtures import xlsx_bytes
from .helpers import TODAY, run_import, web_actor

pytestmark = pytest.mark.django_db

HEADER = ["Ref", "Recommendation", "Action", "Owner", "Due date", "Status"]


def tracker(*rows, header=HEADER) -> bytes:
    return xlsx_bytes({"Tracker": [header, *rows]})


def ten_rows(bad_row: int | None = None) -> bytes:
    rows = []
    for n in range(1, 11):
        due = "31/02/2022" if n == bad_row else f"{n:02d}/03/2022"
        rows.append([f"{(n + 1) // 2}.{2 - n % 2}", f"Recommendation {(n + 1) // 2} text.", f"Action {n}.",
                     "Head of Protection", due, "In progress"])
    return tracker(*rows)


def database_size():
    return (Plan.objects.count(), Recommendation.objects.count(), Action.objects.count(),
            JournalEvent.objects.count(), Post.objects.count())


def test_a_dry_run_writes_nothing_and_reports_exactly_what_applying_does(demo):
    before = database_size()
    dry = run_import(ten_rows(), "ten.xlsx", "TEN")
    assert database_size() == before and not dry.applied
    applied = run_import(ten_rows(), "ten.xlsx", "TEN", apply=True)
    assert applied.applied
    assert dry.changes == applied.changes and dry.counts == applied.counts and dry.problems == applied.problems
    assert applied.summary == "1 plan created, 5 recommendations created, 10 actions created"
    assert Plan.objects.get(reference="TEN").actions.count() == 10


def test_an_error_in_row_9_of_10_means_nothing_is_written(demo):
    before = database_size()
    report = run_import(ten_rows(bad_row=9), "ten.xlsx", "TEN", apply=True)
    assert not report.applied and database_size() == before
    error = report.errors[0]
    assert (str(error.location), error.text) == ("Sheet 'Tracker', row 10, column E (Due date)", "31/02/2022")


def test_a_failure_while_applying_row_9_rolls_back_rows_1_to_8(demo, monkeypatch):
    before = database_size()
    add = services.actions_add
    calls = []

    def failing(**kwargs):  # every row is written, then the ninth is refused: all ten must be undone
        calls.extend(new.text for new in kwargs["new"])
        results = add(**kwargs)
        results[8] = services.Added(refused=ValidationError({"text": "the database said no"}))
        return results

    monkeypatch.setattr(apply_module.services, "actions_add", failing)
    report = run_import(ten_rows(), "ten.xlsx", "TEN", apply=True)
    assert len(calls) == 10  # every row is tried, so every problem is reported
    assert not report.applied and database_size() == before
    assert [str(e.location) for e in report.errors] == ["Sheet 'Tracker', row 10"]
    assert "action 5.1: the database said no" in report.errors[0].message


def test_reimporting_an_updated_tracker_updates_matching_actions_and_journals_each_change(demo):
    from actiontrack.interchange.exporting import export_xlsx

    plan = demo.plan
    content = export_xlsx.render(plan, TODAY)
    assert run_import(content, "tracker.xlsx", "PIP-PR").summary == "10 actions unchanged"

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Actions"]
    refs = {sheet.cell(row=r, column=3).value: r for r in range(2, sheet.max_row + 1)}  # the Action ref column
    sheet.cell(row=refs["3.1"], column=6).value = "Succession planning, reviewed yearly."
    sheet.cell(row=refs["5.1"], column=7).value = "Head of Protection"
    sheet.cell(row=refs["5.1"], column=11).value = date(2022, 3, 31)
    edited = io.BytesIO()
    workbook.save(edited)
    journal = JournalEvent.objects.count()

    report = run_import(edited.getvalue(), "tracker.xlsx", "PIP-PR", apply=True)
    assert report.applied and report.summary == "2 actions updated, 8 actions unchanged"
    assert plan.actions.count() == 10  # nothing duplicated
    assert action_by_ref(plan, "3.1").text == "Succession planning, reviewed yearly."
    five = action_by_ref(plan, "5.1")
    assert [p.name for p in five.owner_posts.all()] == ["Head of Protection"]
    assert (five.due_on, five.baseline_on) == (date(2022, 3, 31), date(2021, 7, 31))
    new = JournalEvent.objects.order_by("id")[journal:]
    assert [(e.field, e.source) for e in new] == [("text", "import"), ("owner_posts", "import"), ("due", "import")]
    assert all("Changed by the import of tracker.xlsx (Sheet 'Actions', row" in e.reason for e in new)
    assert run_import(edited.getvalue(), "tracker.xlsx", "PIP-PR").summary == "10 actions unchanged"


def test_actions_not_in_the_file_are_left_alone_and_listed(demo):
    report = run_import(tracker(["2.2", "", "Establish an out of hours system for day duty fire safety officers.",
                                 "Head of Protection", "28/02/2021", ""]), "one.xlsx", "PIP-PR", apply=True)
    assert report.applied and report.counts["actions unchanged"] == 1
    assert report.untouched == ["1.1", "2.1", "3.1", "4.1", "5.1", "6.1", "6.2", "7.1", "8.1"]
    assert demo.plan.actions.count() == 10


def test_status_words_become_the_lifecycle_and_rag_words_are_warned_about(demo):
    report = run_import(tracker(["1.1", "R one.", "A.", "Head of Protection", "31/05/2022", "Complete"],
                                ["1.2", "", "B.", "Head of Protection", "31/05/2022", "Red"],
                                ["1.3", "", "C.", "Head of Protection", "31/05/2022", "Not started"],
                                ["1.4", "", "D.", "Head of Protection", "31/05/2022", "Closed"]),
                        "s.xlsx", "STATUS", apply=True, mapping={AS_AT: "2021-11-30"})
    assert report.applied
    lifecycles = {a.ref: a.lifecycle for a in Plan.objects.get(reference="STATUS").actions.all()}
    assert lifecycles == {"1.1": Lifecycle.COMPLETED, "1.2": Lifecycle.IN_PROGRESS, "1.3": Lifecycle.NOT_STARTED,
                          "1.4": Lifecycle.CLOSED}
    rag = [p for p in report.warnings if "RAG rating" in p.message]
    assert len(rag) == 1 and "'Red'" in rag[0].message and "read only as not complete" in rag[0].message


def test_a_red_action_already_in_progress_is_not_changed_by_a_rag_word(demo):
    report = run_import(tracker(["3.1", "", "This is included in the staff succession planning currently and will be "
                                 "picked up in the annual review of the Protection strategy.",
                                 "Head of Prevention and Protection", "31/12/2021", "Red"]), "s.xlsx", "PIP-PR")
    assert report.summary == "1 action unchanged"


def test_unknown_owners_are_listed_and_created_only_when_confirmed_with_near_duplicates_flagged(demo):
    content = tracker(["1.1", "R one.", "A.", "Head of Prevention and Protections", "31/05/2022", ""],
                      ["1.2", "", "B.", "Head of Protection & Prevention", "31/05/2022", ""],
                      ["1.3", "", "C.", "Head of Climate Resilience", "31/05/2022", ""])
    dry = run_import(content, "o.xlsx", "OWNERS")
    assert dry.posts_to_create == ["Head of Prevention and Protections", "Head of Climate Resilience"]
    assert "2 owner(s) are not known posts" in dry.errors[0].message
    messages = " ".join(p.message for p in dry.warnings)
    assert "'Head of Prevention and Protections' is not a known post but looks like " \
           "'Head of Prevention and Protection'" in messages
    assert "'Head of Protection & Prevention' is read as the existing post 'Head of Prevention and Protection' " \
           "(a near-duplicate" in messages
    applied = run_import(content, "o.xlsx", "OWNERS", apply=True, create_posts=True)
    assert applied.applied and Post.objects.filter(name="Head of Climate Resilience").exists()
    assert JournalEvent.objects.get(entity_type="post", field="created",
                                    new__name="Head of Climate Resilience").source == "import"


def test_a_new_plan_from_the_web_is_managed_by_the_person_who_imported_it(demo, plan_manager):
    content = tracker(["1.1", "R one.", "A.", "Head of Protection", "31/05/2022", "In progress"])
    report = run_import(content, "t.xlsx", "WEB-1", actor=web_actor(plan_manager), apply=True)
    assert report.applied
    plan = Plan.objects.get(reference="WEB-1")
    assert PlanRole.objects.filter(plan=plan, user=plan_manager, role="manager").exists()
    events = JournalEvent.objects.filter(plan=plan)
    assert {(e.actor_id, e.actor_name, e.source) for e in events} == {(plan_manager.pk, "Priya Shah", "import")}


def test_only_an_administrator_creates_posts_from_the_web(demo, plan_manager, administrator):
    content = tracker(["1.1", "R one.", "A.", "Head of Climate Resilience", "31/05/2022", ""])
    refused = run_import(content, "t.xlsx", "WEB-1", actor=web_actor(plan_manager), apply=True, create_posts=True)
    assert not refused.applied and "Only an administrator can create posts" in refused.errors[0].message
    PlanRole.objects.create(user=administrator, plan=demo.plan, role="manager")  # may create plans
    done = run_import(content, "t.xlsx", "WEB-1", actor=web_actor(administrator), apply=True, create_posts=True)
    assert done.applied and Post.objects.filter(name="Head of Climate Resilience").exists()


def test_someone_who_does_not_manage_the_plan_cannot_import_into_it(demo, owner, board_member):
    for user in (owner, board_member):
        with pytest.raises(PermissionDenied):
            run_import(tracker(["1.1", "", "A.", "Head of Protection", "", ""]), "t.xlsx", "PIP-PR",
                       actor=web_actor(user))
        with pytest.raises(PermissionDenied):
            run_import(tracker(["1.1", "R.", "A.", "Head of Protection", "", ""]), "t.xlsx", "ANOTHER",
                       actor=web_actor(user))


def test_from_the_web_a_plan_manager_keeps_to_the_rules_for_existing_actions(demo, plan_manager):
    """Completion is the owner's and due dates change by proposal in PIP-PR: the import warns instead."""
    content = tracker(["3.1", "", "This is included in the staff succession planning currently and will be picked "
                       "up in the annual review of the Protection strategy.", "Head of Prevention and Protection",
                       "31/03/2022", "Complete"])
    report = run_import(content, "t.xlsx", "PIP-PR", actor=web_actor(plan_manager), apply=True)
    assert report.applied and report.summary == "1 action unchanged"
    messages = " ".join(p.message for p in report.warnings)
    assert "due date left at 31/12/2021, not 31/03/2022" in messages
    assert "these statuses were not recorded" in messages and "3.1 (Complete)" in messages
    action = action_by_ref(demo.plan, "3.1")
    assert (action.due_on, action.lifecycle) == (date(2021, 12, 31), Lifecycle.IN_PROGRESS)

    services.plan_update(actor=web_actor(plan_manager), plan=demo.plan, changes={
        "managers_change_dates_directly": True}, effective_on=TODAY, reason="Dates agreed at the board")
    report = run_import(content, "t.xlsx", "PIP-PR", actor=web_actor(plan_manager), apply=True)
    assert report.summary == "1 action updated" and action_by_ref(demo.plan, "3.1").due_on == date(2022, 3, 31)


def test_a_plan_brought_in_from_the_web_starts_as_the_document_records_it(demo, plan_manager):
    content = tracker(["1.1", "R one.", "A.", "Head of Protection", "31/05/2021", "Complete"],
                      header=["Ref", "Recommendation", "Action", "Owner", "Delivery date", "Status"])
    report = run_import(content, "t.xlsx", "WEB-2", actor=web_actor(plan_manager), apply=True,
                        agreed_on=date(2021, 2, 1), mapping={AS_AT: "2021-06-30"})
    assert report.applied
    action = Plan.objects.get(reference="WEB-2").actions.get()
    assert (action.lifecycle, action.completed_on) == (Lifecycle.COMPLETED, date(2021, 6, 30))
    event = JournalEvent.objects.get(entity_type="action", entity_id=action.pk, field="lifecycle")
    assert "Recorded as the plan stood when it was brought in" in event.reason and event.actor_id == plan_manager.pk
    assert "Completion date not in the file: taken as the date the document is as at, 30/06/2021 (an assumption)" \
        in event.reason and event.effective_on == date(2021, 6, 30)


def test_a_plan_brought_in_dates_its_revisions_and_statuses_by_the_document_not_the_import_day(demo, plan_manager):
    """A revised date was in force before its action was completed, and what the document says held by the day
    it is as at: a plan imported years later reads as it stood then (not 'completed after its due date', nor
    'Not started' on the day of its last report), and no revision is counted in the month of the import."""
    header = ["Ref", "Recommendation", "Action", "Owner", "Original date", "Revised date", "Status",
              "Date completed"]
    content = tracker(["1.1", "R one.", "Done late.", "Head of Protection", "31/05/2021", "31/08/2021", "Complete",
                       "15/08/2021"],
                      ["1.2", "R one.", "Under way.", "Head of Protection", "30/06/2021", "31/12/2021", "In progress",
                       ""], header=header)
    report = run_import(content, "t.xlsx", "WEB-4", actor=web_actor(plan_manager), apply=True,
                        agreed_on=date(2021, 2, 1), mapping={AS_AT: "2021-09-30"})
    assert report.applied, report.problems
    plan = Plan.objects.get(reference="WEB-4")
    due = {e.entity_id: e.effective_on for e in JournalEvent.objects.filter(plan=plan, field="due")}
    done, going = plan.actions.get(ref="1.1"), plan.actions.get(ref="1.2")
    assert due == {done.pk: date(2021, 8, 15), going.pk: date(2021, 9, 30)}  # completion; the document's date
    assert JournalEvent.objects.get(entity_id=going.pk, field="lifecycle").effective_on == date(2021, 9, 30)
    on_report_day = {a.ref: a for a in plan_as_at(plan, date(2021, 9, 30)).actions}
    assert on_report_day["1.1"].due_on == date(2021, 8, 31) and on_report_day["1.1"].rating.colour == "green"
    assert on_report_day["1.2"].lifecycle == Lifecycle.IN_PROGRESS


def test_a_completed_row_without_a_completion_date_needs_the_documents_as_at_date_never_the_import_date(demo):
    content = tracker(["1.1", "R one.", "A.", "Head of Protection", "31/05/2021", "Complete"],
                      header=["Ref", "Recommendation", "Action", "Owner", "Delivery date", "Status"])
    preview = run_import(content, "t.xlsx", "WEB-3", agreed_on=date(2021, 2, 1))
    [error] = preview.errors
    assert "action 1.1 is complete (Complete) but the file gives no completion date" in error.message
    assert not run_import(content, "t.xlsx", "WEB-3", agreed_on=date(2021, 2, 1), apply=True).applied
    assert not Plan.objects.filter(reference="WEB-3").exists()


def test_progress_commentary_and_evidence_links_are_imported_once(demo):
    header = ["Ref", "Action", "Owner", "Progress update", "Evidence"]
    row = ["5.1", "Restructure of the Protection function then embed this into the service people strategy",
           "Head of Prevention and Protection", "Consultation closed.",
           "Structure chart https://intranet.example.org/structure.pdf"]
    first = run_import(tracker(row, header=header), "p.xlsx", "PIP-PR", apply=True)
    assert first.applied and first.summary == "1 action updated"
    action = action_by_ref(demo.plan, "5.1")
    assert action.updates.get(period_start=date(2021, 12, 1)).text == "Consultation closed."  # TODAY's period
    assert list(action.evidence.values_list("url", flat=True)) == ["https://intranet.example.org/structure.pdf"]
    again = run_import(tracker(row, header=header), "p.xlsx", "PIP-PR", apply=True)
    assert again.summary == "1 action unchanged"
    assert action.updates.filter(period_start=date(2021, 12, 1)).count() == 1 and action.evidence.count() == 1


def test_a_plan_reference_the_site_uses_is_refused_with_a_clear_message(db):
    report = run_import(tracker(["1.1", "R.", "A.", "X", "", ""]), "t.xlsx", "new", create_posts=True)
    assert "'new' is a word the site uses in its addresses" in report.errors[0].message


def test_a_recommendation_coming_back_later_in_the_file_is_the_same_one_not_updated(demo):
    report = run_import(tracker(["", "Recommendation A.", "A1.", "Head of Protection", "31/05/2022", ""],
                                ["", "Recommendation B.", "B1.", "Head of Protection", "31/05/2022", ""],
                                ["", "Recommendation A.", "A2.", "Head of Protection", "31/05/2022", ""]),
                        "t.xlsx", "ORDER", apply=True)
    assert report.summary == "1 plan created, 2 recommendations created, 3 actions created"
    plan = Plan.objects.get(reference="ORDER")
    assert sorted(a.ref for a in plan.actions.all()) == ["1.1", "1.2", "2.1"]
    assert not JournalEvent.objects.filter(plan=plan, entity_type="recommendation").exclude(field="created").exists()


def test_a_plan_of_recommendations_only_is_imported_as_one_action_for_each(demo):
    """A committee appendix has no action column: each recommendation becomes its own single action."""
    content = xlsx_bytes({"Appendix 1": [
        ["Ref", "Recommendation", "Lead", "Target date", "Status"],
        ["R1", "Review the enforcement policy and", "Head of Protection", "31/12/2021", "In progress"],
        ["", "publish it.", "", "", ""],
        ["R2", "Train the inspectors.", "Head of Protection", "Q4 22/23", "Not started"]]})
    report = run_import(content, "appendix.xlsx", "APPX", apply=True)
    assert report.applied and not report.errors
    plan = Plan.objects.get(reference="APPX")
    actions = Action.objects.filter(plan=plan).order_by("recommendation__position", "number")
    assert [(a.ref, a.recommendation.text, a.text, a.due_on, a.due_condition) for a in actions] == [
        ("R1.1", "Review the enforcement policy and publish it.", "Review the enforcement policy and publish it.",
         date(2021, 12, 31), ""),
        ("R2.1", "Train the inspectors.", "Train the inspectors.", date(2023, 3, 31), "Q4 22/23")]
    assert list(plan.recommendations.values_list("ref", flat=True)) == ["R1", "R2"]  # as the appendix has them


def test_an_email_address_names_the_post_its_account_holds_and_never_becomes_a_post(demo):
    content = tracker(["1.1", "R one.", "A.", "earwicker@example.org", "31/05/2022", ""],
                      ["1.2", "", "B.", "someone.else@example.org", "31/05/2022", ""])
    report = run_import(content, "e.xlsx", "EMAILS", create_posts=True)
    matched = {m.text: (m.post.name if m.post else None) for m in report.owners}
    assert matched == {"earwicker@example.org": "Head of Protection", "someone.else@example.org": None}
    assert report.posts_to_create == []
    assert any("'someone.else@example.org' is an e-mail address, and no one with an account of that address "
               "holds a post" in p.message for p in report.errors)

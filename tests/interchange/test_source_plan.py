"""The source action plan (tests/seeds/001_1f9191edb6321b81.txt) as a Word document: its table, with the
continuation rows, the merged recommendation cell, the row split across pages and the malformed
"31//12/2021", reads as the source's 8 recommendations and 10 actions exactly, and importing it gives the
demo plan's actions and owners."""

import io
from datetime import date

import pytest

from actiontrack.core.models import JournalEvent
from actiontrack.domain.ukdates import parse_uk_date
from actiontrack.interchange.importing import parse_docx
from actiontrack.people.models import Post
from actiontrack.plans import demo as demo_data
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import plan_as_at
from tests.plans.test_demo_matches_sources import AGREED_PLAN, BOARD_REPORT, PLAN_DOC

from .fixtures import SOURCE_LIST, SOURCE_TITLE, source_plan_docx
from .helpers import run_import, words

DEMO_ACTIONS = {ref: (text, owners, written) for ref, text, owners, written in demo_data.ACTIONS}


def test_the_fixture_is_the_source_documents_table():
    source = words(PLAN_DOC.read_text())
    for text in [SOURCE_TITLE, *SOURCE_LIST]:
        assert words(text) in source, text


def test_the_word_table_reads_as_the_source_plans_8_recommendations_and_10_actions():
    result = parse_docx.parse(io.BytesIO(source_plan_docx()))
    rows = list(result.rows)
    assert [r.ref for r in rows] == list(AGREED_PLAN)
    assert sorted({r.rec_ref for r in rows}, key=int) == [str(n) for n in range(1, 9)]
    for row in rows:
        fragments, owner_cell, due_cell = AGREED_PLAN[row.ref]
        assert words(row.text) == words(" ".join(fragments)), row.ref
        assert words(row.owners) == words(owner_cell), row.ref
        due = parse_uk_date(due_cell)
        assert (row.due.value, row.due.condition) == (due.value, due.condition), row.ref
        assert words(row.rec_text) == words(demo_data.RECOMMENDATIONS[int(row.rec_ref)]), row.ref
    assert result.title == SOURCE_TITLE
    assert [str(p) for p in result.problems] == [
        "WARNING at Table 1, row 5, column 4 (Delivery Date): '31//12/2021' has a doubled separator '//'; read as "
        "31/12/2021",
        "WARNING at Table 1, row 10: joined to action 6.2 above (action text): read as a row split across pages "
        "['action taken to resolve.']"]


def test_imported_into_the_demo_installation_it_gives_the_demo_plans_actions_and_owner_posts(demo):
    report = run_import(source_plan_docx(), "action-plan.docx", "PIP-WORD", apply=True,
                        agreed_on=demo_data.AGREED)
    assert report.applied and report.errors == []
    assert report.summary == "1 plan created, 8 recommendations created, 10 actions created"
    plan = Plan.objects.get(reference="PIP-WORD")
    assert plan.title == SOURCE_TITLE
    view = plan_as_at(plan, demo_data.AGREED)
    assert [r.ref for r in view.recommendations] == [str(n) for n in range(1, 9)]
    for action in view.actions:
        text, owners, written = DEMO_ACTIONS[action.ref]
        assert words(action.text) == words(text), action.ref
        assert sorted(o.post for o in action.owners) == sorted(owners), action.ref  # officers matched to posts
        assert (action.due_on, action.due_condition) == (parse_uk_date(written).value, ""), action.ref
    held = {m.text: (m.post.name, m.how) for m in report.owners}
    assert held["AM Palmer"] == ("Head of Prevention and Protection", "holder")
    assert held["GM Eaglestone"] == ("Head of Ops Policy", "holder")
    assert held["Corporate comms"] == ("Corporate Communications", "spelling")


def test_with_the_board_reports_revised_dates_the_conditional_date_is_kept_and_the_baseline_too(demo):
    report = run_import(source_plan_docx(revised=True), "action-plan.docx", "PIP-WORD", apply=True,
                        agreed_on=demo_data.AGREED)
    assert report.applied
    view = plan_as_at(Plan.objects.get(reference="PIP-WORD"), date(2021, 12, 6))
    for action in view.actions:
        due = parse_uk_date(BOARD_REPORT[action.ref][2])
        assert (action.due_on, action.due_condition) == (due.value, due.condition), action.ref
        assert action.baseline_on == parse_uk_date(AGREED_PLAN[action.ref][2]).value, action.ref
    assert {a.ref: a.due_text for a in view.actions if a.slipped} == {
        "1.1": "31/12/2021 (On Approval)", "2.1": "31/07/2021", "5.1": "31/12/2021", "6.2": "31/07/2021"}


def test_every_change_is_journalled_with_the_import_as_source_and_the_repair_in_the_reason(demo):
    run_import(source_plan_docx(), "action-plan.docx", "PIP-WORD", apply=True, agreed_on=demo_data.AGREED)
    events = JournalEvent.objects.filter(plan__reference="PIP-WORD")
    assert {(e.source, e.actor_name) for e in events} == {("import", "Import of action-plan.docx")}
    created = events.get(entity_type="action", field="created", new__number=1, new__text__startswith="This is")
    assert "'31//12/2021' has a doubled separator '//'; read as 31/12/2021" in created.reason
    assert "Imported from action-plan.docx (Table 1, row 5)" in created.reason


def test_into_an_empty_installation_the_officers_become_posts_only_when_confirmed(db):
    dry = run_import(source_plan_docx(), "action-plan.docx", "PIP-PR")
    assert not dry.can_apply
    assert "4 owner(s) are not known posts: 'AM Palmer', 'Corporate comms', 'GM Eaglestone', 'GM Earwicker'" in \
        dry.errors[0].message
    assert Post.objects.count() == 0 and Plan.objects.count() == 0

    report = run_import(source_plan_docx(), "action-plan.docx", "PIP-PR", apply=True, create_posts=True)
    assert report.applied and report.counts["posts created"] == 4
    plan = Plan.objects.get(reference="PIP-PR")
    owners = {a.ref: sorted(p.name for p in a.owner_posts.all()) for a in plan.actions.all()}
    assert owners["1.1"] == owners["8.1"] == ["AM Palmer", "Corporate comms"]
    assert owners["2.1"] == ["GM Eaglestone"]
    assert len(owners) == 10


@pytest.mark.parametrize("cell", ["AM Palmer Corporate Comms", "AM Palmer / Corporate Comms"])
def test_two_known_owners_written_without_a_separator_are_split_with_a_warning(demo, cell):
    from .fixtures import xlsx_bytes

    content = xlsx_bytes({"T": [["Recommendation", "Action", "Owner", "Due date"],
                                ["Engage businesses.", "Comms plan.", cell, "31/05/2021"]]})
    report = run_import(content, "t.xlsx", "ENGAGE", apply=True)
    assert report.applied
    action = Plan.objects.get(reference="ENGAGE").actions.get()
    assert sorted(p.name for p in action.owner_posts.all()) == ["Corporate Communications",
                                                                "Head of Prevention and Protection"]
    split = [p for p in report.warnings if "read as 2 owners" in p.message]
    assert len(split) == (1 if "/" not in cell else 0)

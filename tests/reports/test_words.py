"""The report's generated words, without a database: the executive summary's sentence, the changes since the
last issued report computed from two states of the plan and the revisions between them, authored text turned
into paragraphs and lists, and the report data's round trip through JSON."""

import json
from datetime import date

from actiontrack.reports.changes import ActionState, Revision, changes_between
from actiontrack.reports.data import (
    ActionLine,
    ActionTable,
    BulletList,
    ChangeGroup,
    ChangeList,
    HeaderField,
    Paragraph,
    RagKey,
    ReportData,
    Section,
    Status,
    dump,
    load,
)
from actiontrack.reports.prose import ON_TRACK, blocks_from_text, summary_sentence, with_sentence

GREEN = Status("green", "green", "Green", "Complete", "#cce2d8", "#005a30", "#00703c")
AMBER = Status("amber", "amber", "Amber", "On track but to be completed", "#fcd6c3", "#6e3619", "#f47738")


def test_with_nothing_overdue_the_summary_says_what_the_source_report_says():
    assert summary_sentence([]) == "All objectives are currently on track for completion." == ON_TRACK


def test_with_overdue_actions_the_summary_says_how_many_and_which():
    assert summary_sentence(["1.1"]) == "1 action is overdue: 1.1."
    assert summary_sentence(["1.1", "3.1"]) == "2 actions are overdue: 1.1 and 3.1."
    assert summary_sentence(["1.1", "3.1", "5.1"]) == "3 actions are overdue: 1.1, 3.1 and 5.1."


def test_the_sentence_joins_the_last_paragraph_of_the_authors_opening_as_in_the_source():
    opening = blocks_from_text("This report provides an update.")
    assert with_sentence(opening, ON_TRACK) == (Paragraph(f"This report provides an update. {ON_TRACK}"),)
    assert with_sentence((), ON_TRACK) == (Paragraph(ON_TRACK),)
    assert with_sentence(blocks_from_text("- a list"), ON_TRACK)[-1] == Paragraph(ON_TRACK)


def test_authored_text_becomes_paragraphs_and_bulleted_lists():
    text = "First line\ncontinues.\n\nSecond paragraph:\n- Prevention, protection and response\n- Make best use"
    assert blocks_from_text(text) == (
        Paragraph("First line continues."), Paragraph("Second paragraph:"),
        BulletList(("Prevention, protection and response", "Make best use")))
    assert blocks_from_text("  \n\n ") == ()


def state(ref, *, complete=False, overdue=False, cancelled=False, owners="Head of Protection", due="31/12/2021",
          completed_on=None, cancel_reason=""):
    return ActionState(ref=ref, text=f"Action {ref} text.", owners=owners, due=due, complete=complete,
                       overdue=overdue, cancelled=cancelled, completed_on=completed_on, cancel_reason=cancel_reason)


def test_changes_list_newly_complete_newly_overdue_revisions_owner_changes_new_and_cancelled_actions():
    before = [state("1.1"), state("2.1"), state("3.1", overdue=True), state("4.1", complete=True), state("5.1")]
    after = [state("1.1", overdue=True), state("2.1", complete=True, completed_on=date(2021, 12, 10)),
             state("3.1", overdue=True), state("4.1", complete=True, cancelled=True, cancel_reason="Superseded."),
             state("5.1", owners="Head of Ops Policy"), state("9.1", due="31/03/2022")]
    revisions = [
        Revision("5.1", "owners", "Head of Protection", "Head of Ops Policy", "Restructure.", date(2021, 12, 5)),
        Revision("1.1", "due", "31/05/2021", "31/12/2021 (On Approval)", "Awaiting approval.", date(2021, 12, 1)),
    ]
    groups = {group.title: group.items for group in changes_between(before, after, revisions)}
    assert list(groups) == ["Newly complete", "Newly overdue", "Due date revisions", "Owner changes", "New actions",
                            "Cancelled actions"]
    assert groups["Newly complete"] == ("2.1 Action 2.1 text — completed on 10/12/2021",)
    assert groups["Newly overdue"] == ("1.1 Action 1.1 text — due 31/12/2021",)  # 3.1 was overdue already
    assert groups["Due date revisions"] == (
        "1.1 Action 1.1 text: 31/05/2021 → 31/12/2021 (On Approval) (effective 01/12/2021). Reason: Awaiting "
        "approval.",)
    assert groups["Owner changes"] == (
        "5.1 Action 5.1 text: Head of Protection → Head of Ops Policy (effective 05/12/2021). Reason: Restructure.",)
    assert groups["New actions"] == ("9.1 Action 9.1 text — owner Head of Protection; due 31/03/2022",)
    assert groups["Cancelled actions"] == ("4.1 Action 4.1 text — cancelled. Reason: Superseded.",)


def test_with_no_change_every_group_is_empty():
    states = [state("1.1"), state("2.1", complete=True)]
    assert all(group.items == () for group in changes_between(states, states, []))


def test_long_action_texts_are_shortened_at_a_word_in_the_list_of_changes():
    long = ActionState("3.1", "This is included in the staff succession planning currently and will be picked up "
                              "in the annual review of the Protection strategy.", "HPP", "31/12/2021", False, True,
                       False)
    item = dict((g.title, g.items) for g in changes_between([], [long], []))["Newly overdue"][0]
    assert item == "3.1 This is included in the staff succession planning currently and will… — due 31/12/2021"


def test_the_report_data_survives_json_exactly():
    data = ReportData(
        title="T", subject="S", meeting="Board", authors="A", language="en-GB", organisation="O",
        plan_reference="P", plan_title="Plan", classification="OFFICIAL", status="Issued",
        meeting_date=date(2021, 11, 30), as_at=date(2021, 11, 30), issued_on=date(2021, 12, 1),
        header=(HeaderField("Meeting", "Board"),),
        sections=(Section("options_and_analysis", "Options and analysis", (
            Paragraph("Intro"), RagKey((GREEN, AMBER)),
            ActionTable("Actions", (ActionLine("1.1", "Rec", "Do it", "Head", "31/12/2021", "31/05/2021", AMBER,
                                               "due 31/12/2021"),)),
            ChangeList("Since", (ChangeGroup("Newly complete", ("1.1",)),)))),))
    assert load(json.loads(json.dumps(dump(data)))) == data
    assert data.statuses() == [GREEN, AMBER]

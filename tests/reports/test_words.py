"""The report's generated words, without a database: the executive summary's sentence, the changes since the
last issued report computed from two states of the plan and the revisions between them, authored text turned
into paragraphs and lists, and the report data's round trip through JSON."""

import json
from datetime import date

from actiontrack.reports import changes as ch
from actiontrack.reports.changes import ActionState, Event, changes_between
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


def event(ref, what, old, new, reason, day, **kwargs):
    return Event(key=f"journal:{ref}:{what}", ref=ref, what=what, old=old, new=new, reason=reason, effective_on=day,
                 **kwargs)


def test_changes_list_every_kind_of_change_with_full_texts_and_reasons():
    before = [state("1.1"), state("2.1"), state("3.1", overdue=True), state("4.1", complete=True), state("5.1"),
              state("6.1", complete=True), state("7.1"), state("8.1", complete=True)]
    after = [state("1.1", overdue=True), state("2.1", complete=True, completed_on=date(2021, 12, 10)),
             state("3.1", overdue=True), state("4.1", complete=True, cancelled=True, cancel_reason="Superseded."),
             state("5.1", owners="Head of Ops Policy"), state("6.1", complete=True), state("7.1"), state("8.1"),
             state("9.1", due="31/03/2022")]
    events = [
        event("5.1", ch.OWNERS, "Head of Protection", "Head of Ops Policy", "Restructure.", date(2021, 12, 5)),
        event("1.1", ch.DUE, "31/05/2021", "31/12/2021 (On Approval)", "Awaiting approval.", date(2021, 12, 1)),
        event("2.1", ch.LIFECYCLE, "in_progress", "completed", "Rota rebalanced.", date(2021, 12, 10)),
        event("6.1", ch.LIFECYCLE, "completed", "closed", "Evidence verified (2 items)", date(2021, 12, 11)),
        event("8.1", ch.LIFECYCLE, "completed", "in_progress", "The policy is not yet signed off.",
              date(2021, 12, 12)),
        event("7.1", ch.LIFECYCLE, "in_progress", "paused", "Waiting for the new structure.", date(2021, 12, 13)),
        event("7.1", ch.LIFECYCLE, "in_progress", "in_progress", "", date(2021, 12, 13)),
        event("3.1", ch.TEXT, "Old words.", "New words.", "Clearer.", date(2021, 12, 14)),
        event("2", ch.REC_TEXT, "Clarify FP cover.", "Clarify Fire Safety Officer cover.", "As the board words it.",
              date(2021, 12, 14)),
        event("Head of Protection", ch.HOLDER, "GM Earwicker", "GM Smith", "", date(2021, 12, 1),
              owned=("5.1", "9.1")),
    ]
    groups = {group.title: group.items for group in changes_between(before, after, events)}
    assert list(groups) == list(ch.GROUPS)
    assert groups[ch.COMPLETED] == ("2.1 Action 2.1 text — completed on 10/12/2021. Rota rebalanced.",)
    assert groups[ch.CLOSED] == ("6.1 Action 6.1 text — closed after verification on 11/12/2021. Evidence verified "
                                 "(2 items)",)
    assert groups[ch.RETURNED] == ("8.1 Action 8.1 text — returned to the owner on 12/12/2021. Reason: The policy is "
                                   "not yet signed off.",)
    assert groups[ch.PAUSED] == ("7.1 Action 7.1 text — paused on 13/12/2021. Reason: Waiting for the new "
                                 "structure.",)
    assert groups[ch.NEWLY_OVERDUE] == ("1.1 Action 1.1 text — due 31/12/2021",)  # 3.1 was overdue already
    assert groups[ch.DATE_REVISIONS] == (
        "1.1 Action 1.1 text — due date 31/05/2021 → 31/12/2021 (On Approval), from 01/12/2021. Reason: Awaiting "
        "approval.",)
    assert groups[ch.OWNER_CHANGES] == (
        "5.1 Action 5.1 text — owner Head of Protection → Head of Ops Policy, from 05/12/2021. Reason: Restructure.",
        "Head of Protection: GM Earwicker → GM Smith from 01/12/2021 (owner of 5.1, 9.1).")
    assert groups[ch.WORDING] == (
        "Action 3.1: “Old words.” → “New words.”, from 14/12/2021. Reason: Clearer.",
        "Recommendation 2: “Clarify FP cover.” → “Clarify Fire Safety Officer cover.”, from 14/12/2021. Reason: As "
        "the board words it.")
    assert groups[ch.NEW_ACTIONS] == ("9.1 Action 9.1 text — owner Head of Protection; due 31/03/2022",)
    assert groups[ch.CANCELLED_ACTIONS] == ("4.1 Action 4.1 text — cancelled. Reason: Superseded.",)
    assert groups[ch.RESUMED] == ()


def test_a_reports_own_wording_of_a_reason_replaces_the_journals():
    events = [event("1.1", ch.DUE, "31/05/2021", "31/12/2021", "awaiting sign off (SLT 12/5)", date(2021, 12, 1))]
    groups = dict((g.title, g.items) for g in changes_between([state("1.1")], [state("1.1")], events,
                                                              {"journal:1.1:due": "Awaiting approval by the "
                                                                                  "Service Leadership Team."}))
    assert groups[ch.DATE_REVISIONS][0].endswith("Reason: Awaiting approval by the Service Leadership Team.")


def test_with_no_change_every_group_is_empty():
    states = [state("1.1"), state("2.1", complete=True)]
    assert all(group.items == () for group in changes_between(states, states, []))


def test_long_action_texts_are_given_in_full_in_the_list_of_changes():
    text = ("This is included in the staff succession planning currently and will be picked up in the annual "
            "review of the Protection strategy.")
    long = ActionState("3.1", text, "HPP", "31/12/2021", False, True, False)
    item = dict((g.title, g.items) for g in changes_between([], [long], []))["Newly overdue"][0]
    assert item == f"3.1 {text.rstrip('.')} — due 31/12/2021"


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


def test_the_summary_says_what_moved_since_the_last_report():
    from actiontrack.reports.prose import moved_sentence

    assert moved_sentence({"Completed": 2, "Due date revisions": 1}, 0, first_report=False) == (
        "Since the last report: 2 actions completed; 1 date revised; none overdue.")
    assert moved_sentence({"Completed": 1, "New actions": 2, "Cancelled actions": 1}, 3, first_report=True) == (
        "Since the plan was agreed: 1 action completed; 2 new actions; 1 cancelled; 3 overdue.")
    assert moved_sentence({}, 0, first_report=False) == "Since the last report: none overdue."

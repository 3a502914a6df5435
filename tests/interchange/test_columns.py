"""Columns are recognised by their header text, whatever the case and punctuation, with synonyms; the
person importing can change the mapping."""

import pytest

from actiontrack.interchange.importing.columns import detect, field_key, header_score, normalise


def fields(headers, mapping=None):
    columns = detect("Sheet 'T'", [(i, chr(65 + i), h) for i, h in enumerate(headers)], mapping)
    return {c.header: c.field for c in columns}


@pytest.mark.parametrize(("header", "field"), [
    ("Ref", "ref"), ("No.", "ref"), ("Recommendation", "recommendation"), ("Requirement", "recommendation"),
    ("Agreed management action", "action"), ("Management response", "action"),
    ("Assigned To", "owner"), ("Executive lead", "owner"), ("Implementation date", "due"),
    ("Original implementation date", "baseline"), ("Revised implementation date", "revised"),
    ("Area for Improvement", "recommendation"), ("FINDING", "recommendation"), ("Cause of concern", "recommendation"),
    ("Action(s)", "action"), ("Actions to be taken", "action"), ("Activity", "action"), ("Owner", "owner"),
    ("Lead", "owner"), ("Responsible Officer", "owner"), ("Action owner", "owner"), ("Delivery Date", "due"),
    ("Target date", "due"), ("Due date:", "due"), ("Deadline", "due"), ("Completion date", "due"),
    ("Revised date", "revised"), ("Revised Target Date", "revised"), ("Status", "status"), ("R.A.G.", "status"),
    ("Progress status", "status"), ("Progress", "progress"), ("Update", "progress"), ("Commentary", "progress"),
    ("Evidence", "evidence"),
])
def test_each_synonym_is_recognised_whatever_the_case_and_punctuation(header, field):
    alone = ("activity", "actions to be taken", "action(s)", "agreed management action", "management response")
    assert fields(["Actions", header] if header.lower() not in alone else [header])[header] == field


def test_each_field_is_taken_once_by_the_best_matching_column():
    found = fields(["Ref", "Action", "Action owner", "Status", "RAG status as at 30/11/2021", "Target date",
                    "Revised target date"])
    assert found == {"Ref": "ref", "Action": "action", "Action owner": "owner", "Status": "status",
                     "RAG status as at 30/11/2021": "", "Target date": "due", "Revised target date": "revised"}


def test_a_completion_date_beside_a_due_date_is_when_the_action_was_completed_and_alone_is_the_due_date():
    """An HMICFRS tracker keeps a "Target date" and a "Completion date"; a committee appendix's only date column is
    often headed "Completion date", and then it is the date the action is due."""
    assert fields(["Action", "Target date", "Completion date"]) == {
        "Action": "action", "Target date": "due", "Completion date": "completed"}
    assert fields(["Action", "Completion date", "Due date"]) == {
        "Action": "action", "Completion date": "completed", "Due date": "due"}
    assert fields(["Action", "Completion date"])["Completion date"] == "due"


def test_a_mapping_overrides_recognition_and_takes_the_field_from_the_column_that_had_it():
    found = fields(["Action", "Owner", "Lead officer"], mapping={"Lead officer": "owner"})
    assert found == {"Action": "action", "Owner": "", "Lead officer": "owner"}
    assert fields(["Action", "Owner"], mapping={"owner": ""})["Owner"] == ""


def test_a_header_row_needs_an_action_or_recommendation_column_and_two_fields():
    assert header_score(["Ref", "Action", "Owner"]) == 3
    assert header_score(["Status", "Meaning"]) == 0
    assert header_score(["Protection tracker, November 2021"]) == 0
    assert header_score(["Thing", "Who"], {"thing": "action", "who": "owner"}) == 2


def test_fields_are_named_on_the_command_line_by_key_label_or_synonym():
    assert [field_key(t) for t in ("owner", "Due date", "lead officer", "ignore", "banana")] == [
        "owner", "due", "owner", "", None]
    assert normalise("Owner(s)") == "owners" and normalise("Delivery/Target Date") == "delivery target date"


def test_a_lists_id_column_is_a_row_id_and_not_imported_unless_mapped():
    found = fields(["ID", "Title", "Management response", "Assigned To", "Implementation date"])
    assert found == {"ID": "", "Title": "recommendation", "Management response": "action", "Assigned To": "owner",
                     "Implementation date": "due"}
    assert fields(["ID", "Action"], mapping={"ID": "ref"})["ID"] == "ref"


def test_a_lists_title_is_the_action_beside_a_recommendation_column_else_the_recommendation():
    assert fields(["ID", "Title", "Recommendation", "Assigned To"])["Title"] == "action"
    assert fields(["Title", "Assigned To", "Due Date"])["Title"] == "recommendation"
    assert header_score(["ID", "Title", "Assigned To", "Status", "Due Date"]) == 4


def test_an_executive_lead_is_the_owner_and_an_operational_lead_a_supporting_owner():
    found = fields(["Action", "Executive lead", "Operational lead"])
    assert found == {"Action": "action", "Executive lead": "owner", "Operational lead": "supporting"}
    found = fields(["Action", "Lead owner", "Supporting owners"])
    assert found == {"Action": "action", "Lead owner": "owner", "Supporting owners": "supporting"}


"""Text coming in through an import is normalised as text from the forms is (`domain.text.normalise`), and
text over its limit (`domain.text.Limit`) is an error naming the row and the cell, before anything is
written. No database: parsing only."""

import io
import json

import pytest

from actiontrack.domain.text import Limit
from actiontrack.interchange.importing.values import clean_text
from actiontrack.interchange.registry import parse_file

from .fixtures import csv_bytes, docx_bytes, xlsx_bytes

HEADER = ["Ref", "Recommendation", "Action", "Owner", "Target date", "Status", "Status reason", "Commentary"]


def row(action="Train the crews.", owner="Head of Protection", progress="", reason="", due="31/05/2022",
        status="In progress", rec="Improve training."):
    return ["1.1", rec, action, owner, due, status, reason, progress]


def read_csv(*rows):
    return parse_file(io.BytesIO(csv_bytes([HEADER, *rows])), "tracker.csv")


def test_words_manual_line_break_is_a_new_line_and_other_control_characters_go():
    assert clean_text("First line\x0bsecond line") == "First line\nsecond line"
    assert clean_text("Page one\x0cpage two") == "Page one\npage two"
    assert clean_text("Esc\x1b[0m here\x01\x7f\x85next") == "Esc[0m here\nnext"
    assert clean_text("  Develop\u200b a  plan\x07 \r\n\r\nThen\xa0review ") == "Develop a plan\n\nThen review"


def test_a_csv_row_with_control_characters_is_read_as_a_person_would_see_it():
    result = read_csv(row(action="Train\x0bthe crews\x01.", progress="Done\x1b half\x0bof it"))
    [parsed] = list(result.rows)
    assert (parsed.text, parsed.progress) == ("Train\nthe crews.", "Done half\nof it")
    assert not result.errors


def test_a_workbook_cell_with_words_line_break_keeps_it_as_a_new_line():
    # Excel writes a control character in a cell as an escape, "_x000B_"; openpyxl reads it back as one.
    content = xlsx_bytes({"Tracker": [HEADER, row(action="Train the crews_x000B_on the new kit_x001B_.")]})
    result = parse_file(io.BytesIO(content), "tracker.xlsx")
    assert [r.text for r in result.rows] == ["Train the crews\non the new kit."]


def test_an_over_long_action_is_an_error_naming_its_row_and_cell_and_how_much_to_remove():
    result = read_csv(row(), ["1.2", "", "x" * (Limit.TEXT + 20), "Head of Protection", "30/06/2022", "", "", ""])
    [error] = result.errors
    assert str(error.location) == "CSV file, row 3, column 3 (Action)"
    assert error.message == ("The action's text is 5,020 characters long; keep it to 5,000 or fewer "
                             "(remove 20).")
    assert [r.has_errors for r in result.rows] == [False, True]  # the second reading marks it too


@pytest.mark.parametrize(("cells", "column", "what"), [
    ({"progress": "p" * (Limit.UPDATE + 1)}, "8 (Commentary)", "The progress commentary"),
    ({"reason": "r" * (Limit.REASON + 1), "status": "Paused"}, "7 (Status reason)", "The reason for the status"),
    ({"owner": "o" * (Limit.LINE + 1)}, "4 (Owner)", "An owner's name"),
    ({"rec": "Recommendation " + "t" * Limit.TEXT}, "2 (Recommendation)", "The text of recommendation 1"),
    ({"due": "31/05/2022 (" + "c" * (Limit.CONDITION + 1) + ")"}, "5 (Target date)", "The condition"),
])
def test_each_kind_of_text_over_its_limit_is_an_error_at_its_cell(cells, column, what):
    [error] = read_csv(row(**cells)).errors
    assert str(error.location) == f"CSV file, row 2, column {column}"
    assert error.message.startswith(f"{what} is ")


def test_an_action_split_across_pages_is_measured_whole():
    half = "w" * (Limit.TEXT // 2 + 10)
    content = docx_bytes([[HEADER[:5], ["1.1", "Improve training.", half, "Head of Protection", "31/05/2022"],
                           ["", "", "and " + half, "", ""]]])
    result = parse_file(io.BytesIO(content), "plan.docx")
    [error] = result.errors
    assert "row 2" in str(error.location) and error.message.startswith("The action's text is 5,025 characters")


def export_document(**changes):
    """A minimal actiontrack JSON export: one recommendation, one action, one update."""
    plan = {"id": 1, "reference": "PIP-PR", "title": "Protection plan", "organisation": "", "source_kind": "other",
            "source_body": "", "commissioned_on": None, "reported_on": None, "agreed_on": "2021-01-04",
            "background": "", "documents_reviewed": "", "board": "", "classification": "OFFICIAL",
            "rag_scheme": "rag", "rag_window_days": 14, "reminder_window_days": 14, "reporting_period": "monthly",
            "managers_change_dates_directly": True, "created_at": "2021-01-04T09:00:00+00:00"}
    document = {
        "format": "actiontrack-plan", "version": 1, "exported_at": "2021-12-06T09:00:00+00:00", "plan": plan,
        "posts": [{"id": 1, "name": "Head of Protection", "aliases": [], "description": "", "holdings": []}],
        "recommendations": [{"id": 1, "number": 1, "kind": "recommendation", "text": "Improve training.",
                             "position": 1}],
        "actions": [{"id": 1, "recommendation": 1, "number": 1, "text": "Train the crews.", "owner_posts": [1],
                     "baseline_on": "2022-05-31", "due_on": "2022-05-31", "due_condition": "",
                     "lifecycle": "in_progress", "lifecycle_reason": "", "completed_on": None, "version": 1,
                     "position": 1}],
        "updates": [{"id": 1, "action": 1, "period_start": "2021-11-01", "text": "Started.", "author": None,
                     "created_at": "2021-11-05T09:00:00+00:00", "updated_at": "2021-11-05T09:00:00+00:00",
                     "version": 1}],
        "proposals": [], "evidence": [], "period_locks": [], "roles": [], "journal": [], "post_journal": []}
    for path, value in changes.items():
        section, index, key = path.split(".")
        target = document[section] if index == "-" else document[section][int(index)]
        target[key] = value
    return document


def read_json(document):
    return parse_file(io.BytesIO(json.dumps(document).encode()), "plan.json")


def test_a_json_export_is_normalised_everywhere_it_is_read_rows_and_document_alike():
    result = read_json(export_document(**{"actions.0.text": "Train\x0bthe crews\x07.",
                                          "updates.0.text": "Started\x1b.", "plan.-.title": "Plan\x0c2021"}))
    [parsed] = result.rows
    assert (parsed.text, parsed.progress, result.title) == ("Train\nthe crews.", "Started.", "Plan\n2021")
    assert result.document["actions"][0]["text"] == "Train\nthe crews."
    assert result.document["updates"][0]["text"] == "Started."


def test_an_over_long_text_in_a_json_export_names_the_item_and_field():
    result = read_json(export_document(**{"actions.0.text": "x" * (Limit.TEXT + 1),
                                          "updates.0.text": "u" * (Limit.UPDATE + 2)}))
    assert [(str(p.location), p.message.split(" is ")[0]) for p in result.errors] == [
        ("JSON, column actions[0].text", "The action's text"),
        ("JSON, column updates[0].text", "The progress update")]
    assert result.document is None and not list(result.rows)


@pytest.mark.django_db
def test_an_owner_name_too_long_for_a_post_is_an_error_before_any_post_is_made(demo):
    from actiontrack.people.models import Post

    from .helpers import run_import

    name = "Head of " + "p" * 200
    before = Post.objects.count()
    preview, applied = (run_import(csv_bytes([HEADER, row(owner=name)]), "tracker.csv", "LONG-OWNER",
                                   create_posts=True, apply=apply) for apply in (False, True))
    assert preview.errors[0].message.startswith("An owner's name is 208 characters long; keep it to 200")
    assert [str(e) for e in preview.errors] == [str(e) for e in applied.errors]
    assert not applied.applied and Post.objects.count() == before

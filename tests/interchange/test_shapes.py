"""The shapes real tables have, in Word, Excel and CSV, read without a database: continuation rows, merged
and split cells, repeated headers, numbered recommendations, several tables, empty rows and notes."""

import io
from datetime import date

import pytest

from actiontrack.interchange.importing import parse_csv, parse_docx, parse_xlsx
from actiontrack.interchange.registry import parse_file

from .fixtures import MERGED_ABOVE, csv_bytes, docx_bytes, xlsx_bytes
from .shapes.spec import FILES

HEADER = ["Recommendation", "Action", "Owner", "Due date"]


def rows_of(result):
    return [(r.ref, r.rec_text, r.text, r.owners, r.due.value if r.due else None) for r in result.rows]


def docx(tables, **kwargs):
    return parse_docx.parse(io.BytesIO(docx_bytes(tables, **kwargs)))


def xlsx(sheets, **kwargs):
    return parse_xlsx.parse(io.BytesIO(xlsx_bytes(sheets, **kwargs)))


def test_a_blank_recommendation_cell_continues_the_recommendation_above():
    result = docx([[HEADER, ["Clarify cover.", "Rebalance the rota.", "Head of Ops Policy", "31/05/2021"],
                    ["", "Establish an out of hours system.", "Head of Protection", "28/02/2021"],
                    ["Review resources.", "Succession planning.", "Head of Protection", "31/12/2021"]]])
    assert [(r.ref, r.rec_text) for r in result.rows] == [
        ("1.1", "Clarify cover."), ("1.2", "Clarify cover."), ("2.1", "Review resources.")]
    assert result.errors == []


def test_a_vertically_merged_recommendation_cell_is_the_same_recommendation():
    result = docx([[HEADER, ["Clarify cover.", "Rebalance the rota.", "Head of Ops Policy", "31/05/2021"],
                    [MERGED_ABOVE, "Establish a system.", "Head of Protection", "28/02/2021"],
                    [MERGED_ABOVE, "Train the officers.", MERGED_ABOVE, "30/06/2021"]]])
    assert [(r.ref, r.rec_text, r.owners) for r in result.rows] == [
        ("1.1", "Clarify cover.", "Head of Ops Policy"), ("1.2", "Clarify cover.", "Head of Protection"),
        ("1.3", "Clarify cover.", "Head of Protection")]


def test_the_same_recommendation_text_repeated_on_each_row_is_one_recommendation():
    result = xlsx({"T": [HEADER, ["Clarify cover.", "A.", "Head of Protection", "31/05/2021"],
                         ["Clarify cover.", "B.", "Head of Protection", "31/05/2021"]]})
    assert [r.ref for r in result.rows] == ["1.1", "1.2"]


def test_a_row_split_across_pages_is_joined_to_the_row_above_with_a_warning():
    result = docx([[HEADER,
                    ["Supply a clear link to the quality", "Create a recording process to enable activity to be "
                     "monitored and", "AM Palmer", "31/05/2021"],
                    ["assurance policy.", "action taken to resolve.", "", ""],
                    ["Review enforcement.", "Review the policy.", "AM Palmer", "28/02/2021"]]])
    assert rows_of(result) == [
        ("1.1", "Supply a clear link to the quality assurance policy.",
         "Create a recording process to enable activity to be monitored and action taken to resolve.", "AM Palmer",
         date(2021, 5, 31)),
        ("2.1", "Review enforcement.", "Review the policy.", "AM Palmer", date(2021, 2, 28))]
    joined = [p for p in result.warnings if "split across pages" in p.message]
    assert len(joined) == 1 and joined[0].location.row == 3 and joined[0].location.table == "Table 1"


def test_a_recommendation_continued_on_a_row_of_its_own_is_joined_once_for_each_of_its_actions():
    content = csv_bytes([HEADER,
                         ["1. Review the approach to enforcement and", "Review the policy.", "Head of Protection",
                          "31/12/2021"],
                         ["publish the revised policy.", "", "", ""],
                         ["", "Publish the policy.", "Head of Protection", "31/03/2022"],
                         ["2. Train staff.", "Train inspectors.", "Head of Protection", "31/03/2022"]])
    result = parse_csv.parse(io.BytesIO(content))
    whole = "Review the approach to enforcement and publish the revised policy."
    assert [(r.ref, r.rec_text) for r in result.rows] == [("1.1", whole), ("1.2", whole), ("2.1", "Train staff.")]


def test_a_two_row_header_names_each_sub_column_with_the_header_spanning_it():
    """"Implementation date" over "Original | Revised": the revised date is the due date in force, the original
    its baseline — never the original read as the due date and the revised one dropped."""
    for result in (xlsx({"T": [["Ref", "Agreed action", "Owner", "Implementation date", None, "Status"],
                               [None, None, None, "Original", "Revised", None],
                               ["1.1", "Check starters.", "Head of HR", "30/06/2023", "31/12/2023", "Open"]]}),
                   parse_csv.parse(io.BytesIO(csv_bytes([["Ref", "Agreed action", "Owner", "Date", "", "Status"],
                                                         ["", "", "", "Original", "Revised", ""],
                                                         ["1.1", "Check starters.", "Head of HR", "30/06/2023",
                                                          "31/12/2023", "Open"]])))):
        fields = {c.header: c.field for c in result.columns if c.field}
        assert sorted((h.split()[0], f) for h, f in fields.items() if h.startswith(("Original", "Revised"))) == [
            ("Original", "baseline"), ("Revised", "revised")]
        row = next(iter(result.rows))
        assert (row.due.value, row.baseline.value) == (date(2023, 12, 31), date(2023, 6, 30))
        assert any("a second header row, read with the header above it" in note for note in result.notes)


def test_a_first_data_row_with_blank_cells_is_not_taken_for_a_second_header_row():
    result = xlsx({"T": [["Ref", "Action", "Owner", "Due date", None],
                         [None, "Check starters.", "Head of HR", "30/06/2023", "Note"]]})
    assert [(r.text, r.due.value) for r in result.rows] == [("Check starters.", date(2023, 6, 30))]


def test_a_new_action_without_owner_or_date_is_an_error_not_a_continuation():
    result = xlsx({"T": [HEADER, ["Clarify cover.", "Rebalance the rota.", "Head of Ops Policy", "31/05/2021"],
                         ["", "Train officers.", "", ""]]})
    assert [(r.ref, r.owners) for r in result.rows] == [("1.1", "Head of Ops Policy"), ("1.2", "")]
    assert not result.warnings  # applying it says the action has no owner
    result = xlsx({"T": [HEADER, ["Clarify cover.", "Rebalance the rota.", "Head of Ops Policy", "31/05/2021"],
                         ["", "Train officers.", "", "31/06/2021"]]})
    assert [r.ref for r in result.rows] == ["1.1", "1.2"]
    error = result.errors[0]
    assert (error.location.table, error.location.row, error.location.column) == ("Sheet 'T'", 3, "D (Due date)")
    assert error.text == "31/06/2021" and "June 2021 has 30 days" in error.message


def test_header_rows_repeated_on_each_page_are_skipped():
    for result in (docx([[HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"], HEADER,
                          ["", "B.", "Head of Protection", "31/05/2021"]]]),
                   xlsx({"T": [HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"], HEADER,
                               ["", "B.", "Head of Protection", "31/05/2021"]]})):
        assert [r.ref for r in result.rows] == ["1.1", "1.2"]
        assert any("header row repeated" in n for n in result.notes)


def test_numbered_recommendations_keep_their_references_and_kinds():
    result = docx([[HEADER, ["1) Provide evidence.", "Plan.", "Head of Protection", "31/05/2021"],
                    ["Rec 3 Clarify cover.", "Rota.", "Head of Protection", "31/05/2021"],
                    ["AFI 7: Improve audit.", "Audit.", "Head of Protection", "31/05/2021"],
                    ["Untitled next one.", "More.", "Head of Protection", "31/05/2021"]]])
    assert [(r.ref, r.rec_kind, r.rec_text) for r in result.rows] == [
        ("1.1", "", "Provide evidence."), ("3.1", "recommendation", "Clarify cover."),
        ("AFI 7.1", "afi", "Improve audit."), ("4.1", "", "Untitled next one.")]  # AFI 7 is not in 1, 2, 3 …


def test_a_ref_column_gives_recommendation_and_action_numbers():
    result = xlsx({"T": [["Ref", *HEADER], ["2.3", "Clarify cover.", "A.", "Head of Protection", "31/05/2021"],
                         ["2.5", "", "B.", "Head of Protection", "31/05/2021"],
                         ["Rec 4", "Review.", "C.", "Head of Protection", "31/05/2021"],
                         ["2.3", "", "D.", "Head of Protection", "31/05/2021"]]})
    assert [r.ref for r in result.rows] == ["2.3", "2.5", "4.1", "2.3"]
    assert any("action 2.3 appears twice: first at row 2" in p.message for p in result.errors)


def test_a_recommendation_heading_its_actions_on_a_row_of_its_own():
    result = xlsx({"T": [HEADER, ["Recommendation 1: Provide evidence."],
                         ["", "A.", "Head of Protection", "31/05/2021"], ["", "B.", "Head of Protection", "31/05/2021"],
                         ["Recommendation 2: Clarify cover."],
                         ["", "C.", "Head of Protection", "31/05/2021"]]})
    assert [(r.ref, r.rec_text) for r in result.rows] == [
        ("1.1", "Provide evidence."), ("1.2", "Provide evidence."), ("2.1", "Clarify cover.")]


def test_several_tables_in_one_document_and_a_table_continued_on_the_next_page():
    first = [HEADER, ["Provide evidence.", "A.", "Head of Protection", "31/05/2021"]]
    second = [["", "B.", "Head of Protection", "30/06/2021"]]  # no header: the first table, continued
    third = [["Ref", "Area for improvement", "Activity", "Lead", "Deadline"],
             ["AFI 2", "Improve audit.", "C.", "Head of Protection", "31/07/2021"]]
    result = docx([first, second, third], page_break_between=True)
    assert [(r.location.table, r.ref, r.rec_kind) for r in result.rows] == [
        ("Table 1", "1.1", ""), ("Table 2", "1.2", ""), ("Table 3", "AFI 2.1", "afi")]
    assert any("continuation" in n for n in result.notes)
    assert result.errors == []


def test_two_different_recommendations_with_one_reference_are_an_error():
    result = docx([[HEADER, ["1) Provide evidence.", "A.", "Head of Protection", "31/05/2021"]],
                   [["Ref", "Recommendation", "Activity", "Lead", "Deadline"],
                    ["1", "Improve audit.", "C.", "Head of Protection", "31/07/2021"]]])
    assert len(result.errors) == 1 and "has the same reference as the different" in result.errors[0].message
    assert result.errors[0].location.table == "Table 2" and [r.has_errors for r in result.rows] == [False, True]


def test_an_area_for_improvement_1_is_not_recommendation_1():
    result = docx([[HEADER, ["1) Provide evidence.", "A.", "Head of Protection", "31/05/2021"]],
                   [["Ref", "Area for improvement", "Activity", "Lead", "Deadline"],
                    ["AFI 1", "Improve audit.", "C.", "Head of Protection", "31/07/2021"]]])
    assert result.errors == [] and [(r.rec_ref, r.rec_kind) for r in result.rows] == [("1", ""), ("AFI 1", "afi")]


def test_empty_rows_and_notes_below_the_table_are_left_out():
    rows = [["Protection tracker, November 2021"], [], HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"],
            [], ["", "B.", "Head of Protection", "31/05/2021"], *[[None] * 4] * 50,
            ["Notes: dates agreed at the March board."], ["Key: Red = overdue"]]
    result = xlsx({"Tracker": rows})
    assert [r.ref for r in result.rows] == ["1.1", "1.2"]
    assert result.title == "Protection tracker, November 2021"
    assert result.errors == [] and sum("not imported" in n for n in result.notes) == 2


def test_a_word_table_row_spanning_the_whole_table_is_a_group_heading_not_an_action():
    section = ["Section 2: Prevention"] * 4
    result = docx([[HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"], section,
                    ["R two.", "B.", "Head of Protection", "31/05/2021"]]], after=["Note: reviewed monthly."])
    assert [(r.group, r.ref) for r in result.rows] == [("", "1.1"), ("Prevention", "1.1")]


def test_numbering_restarts_under_each_theme_heading_and_a_group_column_merged_down_its_rows():
    headed = xlsx({"Plan": [["Ref", "Recommendation", "Action", "Owner", "Due"],
                            ["Theme 1: Prevention", "", "", "", ""],
                            ["R1", "Target visits.", "Visit.", "Head of Protection", "31/05/2021"],
                            ["R2", "Share data.", "Share.", "Head of Protection", "31/05/2021"],
                            ["Theme 2: Protection", "", "", "", ""],
                            ["R1", "Audit premises.", "Audit.", "Head of Protection", "31/05/2021"]]})
    assert [(r.group, r.rec_ref, r.ref) for r in headed.rows] == [
        ("Prevention", "R1", "R1.1"), ("Prevention", "R2", "R2.1"),
        ("Protection", "R1", "R1.1")] and headed.errors == []
    merged = docx([[["Directorate", "Ref", "Recommendation", "Action", "Owner", "Due"],
                    ["Response", "1", "Crew availability.", "Review rotas.", "Head of Protection", "31/05/2021"],
                    [MERGED_ABOVE, "2", "Appliance checks.", "Audit checks.", "Head of Protection", "31/05/2021"],
                    ["Prevention", "1", "Home visits.", "Target visits.", "Head of Protection", "31/05/2021"]]])
    assert [(r.group, r.ref) for r in merged.rows] == [("Response", "1.1"), ("Response", "2.1"),
                                                       ("Prevention", "1.1")] and merged.errors == []


def test_a_workbook_with_a_tracker_on_each_of_several_sheets_is_grouped_by_sheet():
    tracker = [["Ref", "Recommendation", "Action", "Owner", "Due"],
               ["R1", "Crew availability.", "Review rotas.", "Head of Protection", "31/05/2021"]]
    other = [tracker[0], ["R1", "Home visits.", "Target visits.", "Head of Protection", "31/05/2021"]]
    result = xlsx({"Contents": [["Contents"], ["Service Delivery"]], "Service Delivery": tracker,
                   "Prevention & Protection": other})
    assert [(r.group, r.rec_ref) for r in result.rows] == [("Service Delivery", "R1"), ("Prevention & Protection",
                                                                                         "R1")]
    assert result.errors == [] and any("group 'Service Delivery'" in n for n in result.notes)


@pytest.mark.parametrize("names", [("Open actions", "Closed actions"), ("Sheet1", "Sheet2"), ("Tracker",)])
def test_sheets_named_for_a_status_or_as_the_tracker_are_not_groups(names):
    sheets = {name: [["Recommendation", "Action", "Owner", "Due"],
                     [f"Rec on {name}.", "Act.", "Head of Protection", "31/05/2021"]] for name in names}
    assert {r.group for r in xlsx(sheets).rows} == {""}


def test_headings_above_word_tables_and_a_group_heading_above_the_header_name_the_groups():
    table = [HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"]]
    two = docx_bytes([table, table], headings=["Urgent and emergency care", "Medical care"])
    result = parse_file(io.BytesIO(two), "cqc.docx")
    assert [r.group for r in result.rows] == ["Urgent and emergency care", "Medical care"]
    headed = docx([[["Pillar: Effectiveness"] * 4, *table]])
    assert [r.group for r in headed.rows] == ["Effectiveness"] and headed.errors == []


def test_one_heading_above_the_only_table_names_the_document_not_a_group():
    one = docx_bytes([[HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"]]], headings=["Action plan 2023"],
                     heading_level=1)
    assert [r.group for r in parse_file(io.BytesIO(one), "plan.docx").rows] == [""]


@pytest.mark.parametrize("title", ["Audit improvement tracker", "Audit committee actions 2024",
                                   "Directorate improvement plan", "Themes and actions from the review"])
def test_a_title_line_that_begins_with_a_group_word_names_the_tracker_not_a_group(title):
    result = xlsx({"Tracker": [[title], [], HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"]]})
    assert [r.group for r in result.rows] == [""]
    assert result.title == title


def test_a_hidden_column_gives_way_to_a_visible_one_that_names_the_same_thing():
    """A tracker keeps its old owner column, hidden, beside the one in use: the visible one is read."""
    rows = [["Ref", "Recommendation", "Action", "Owner", "Responsible officer", "Due", "Status"],
            ["R1", "Train crews.", "Run courses.", "Head of Training", "Area Manager Training", "31/03/2023",
             "On track"]]
    assert [r.owners for r in xlsx({"Tracker": rows}).rows] == ["Head of Training"]
    hidden = xlsx({"Tracker": rows}, hidden=("D",))
    assert [r.owners for r in hidden.rows] == ["Area Manager Training"]
    column = next(c for c in hidden.columns if c.header == "Owner")
    assert column.field == "" and "hidden in the workbook" in column.note
    alone = xlsx({"Tracker": [row[:4] + row[5:] for row in rows]}, hidden=("D",))
    assert [r.owners for r in alone.rows] == ["Head of Training"]  # hidden, but nothing else names an owner


def test_a_plain_number_in_an_action_number_column_numbers_the_action_within_its_recommendation():
    result = xlsx({"Plan": [["Ref", "Recommendation", "Action no.", "Action", "Owner", "Due"],
                            ["R12", "Review the rota.", 1, "Consult crews.", "Head of Response", "31/03/2024"],
                            ["", "", 2, "Agree the new rota.", "Head of Response", "30/06/2024"],
                            ["R13", "Train managers.", 1, "Write the course.", "Head of Training", "31/03/2024"]]})
    assert [r.ref for r in result.rows] == ["R12.1", "R12.2", "R13.1"]
    assert result.errors == []


def hmicfrs_afi_tracker(mapping=None):
    """The corpus's HMICFRS tracker: AFI 1.1, AFI 1.2, AFI 2.1 in its "AFI no." column, actions 1, 2 or AFI 1.2a in
    its "Action no." column."""
    path = FILES / "hmicfrs_afi_tracker.xlsx"
    return parse_xlsx.parse(io.BytesIO(path.read_bytes()), mapping)


def test_areas_for_improvement_numbered_afi_1_1_beside_an_action_number_column_are_each_their_own():
    result = hmicfrs_afi_tracker()
    assert result.errors == []
    assert [(r.group, r.rec_ref, r.rec_kind, r.ref) for r in result.rows] == [
        ("Effectiveness", "AFI 1.1", "afi", "AFI 1.1-1"), ("Effectiveness", "AFI 1.1", "afi", "AFI 1.1-2"),
        ("Effectiveness", "AFI 1.2", "afi", "AFI 1.2a"), ("Effectiveness", "AFI 1.2", "afi", "AFI 1.2b"),
        ("Efficiency", "AFI 2.1", "afi", "AFI 2.1-1")]
    assert (result.split_ref, result.split_ref_default) == ("AFI 1.1", "whole")
    assert any("A Ref such as 'AFI 1.1' is read as the recommendation's own reference" in n for n in result.notes)


def test_the_plan_manager_may_still_read_afi_1_1_as_action_1_of_afi_1_and_2_1_is_split_without_an_action_column():
    split = hmicfrs_afi_tracker({"choice:refs": "split"})
    assert [r.rec_ref for r in split.rows][:2] == ["AFI 1", "AFI 1"]
    assert any("the same reference as the different recommendation" in p.message for p in split.errors)
    plain = xlsx({"T": [["Ref", *HEADER], ["2.1", "Train crews.", "Run courses.", "Head of Training", "31/05/2021"],
                        ["2.2", "", "Audit courses.", "Head of Training", "31/05/2021"]]})
    assert [(r.rec_ref, r.ref) for r in plain.rows] == [("2", "2.1"), ("2", "2.2")]
    assert (plain.split_ref, plain.split_ref_default) == ("2.1", "split")
    whole = parse_xlsx.parse(io.BytesIO(xlsx_bytes({"T": [["Ref", *HEADER], ["2.1", "Train crews.", "Run courses.",
                                                                              "Head of Training", "31/05/2021"]]})),
                             {"choice:refs": "whole"})
    assert [(r.rec_ref, r.ref) for r in whole.rows] == [("2.1", "2.1-1")]


def test_afi_1_1_at_the_start_of_the_text_is_the_reference_whole():
    result = xlsx({"T": [["Area for improvement", "Action", "Owner", "Due"],
                         ["AFI 1.1 The service should target prevention.", "Refresh the model.", "Head of Prevention",
                          "31/05/2021"],
                         ["AFI 1.2: The service should train inspectors.", "Recruit.", "Head of Protection",
                          "31/05/2021"]]})
    assert [(r.rec_ref, r.rec_kind, r.rec_text) for r in result.rows] == [
        ("AFI 1.1", "afi", "The service should target prevention."),
        ("AFI 1.2", "afi", "The service should train inspectors.")]


def test_completed_with_a_date_in_the_date_column_is_the_completion_date_not_the_due_date():
    result = parse_file(io.BytesIO(csv_bytes([
        ["Ref", "Recommendation", "Owner", "Target date", "Status"],
        ["1", "Review the rota.", "Head of Response", "Completed 14/02/2024", "Complete"],
        ["2", "Train managers.", "Head of Training", "Done: 3 March 2023", "Complete"],
        ["3", "Audit premises.", "Head of Protection", "31/12/2024", "On track"]])), "appendix.csv")
    assert [(r.due.value if r.due else None, r.completed_on) for r in result.rows] == [
        (None, date(2024, 2, 14)), (None, date(2023, 3, 3)), (date(2024, 12, 31), None)]
    assert any("says when the action was completed" in w.message and w.location.row == 2 for w in result.warnings)
    assert result.errors == []


def test_a_completion_date_beside_a_status_that_is_not_complete_is_reported_not_dropped_in_silence():
    result = parse_file(io.BytesIO(csv_bytes([
        ["Ref", "Recommendation", "Owner", "Target date", "Completion date", "Status"],
        ["1", "Review the rota.", "Head of Response", "31/12/2024", "14/02/2024", "In progress"],
        ["2", "Train managers.", "Head of Training", "31/12/2024", "03/03/2024", "Complete"]])), "tracker.csv")
    assert [r.completed_on for r in result.rows] == [date(2024, 2, 14), date(2024, 3, 3)]
    warned = [w for w in result.warnings if "has a completion date" in w.message]
    assert [(w.location.row, w.location.column) for w in warned] == [(2, "5 (Completion date)")]
    assert "14/02/2024, but its status is In progress: the date is not recorded" in warned[0].message
    assert result.errors == []


def test_a_register_headed_afi_beside_area_for_improvement_reads_the_first_as_references():
    result = parse_file(io.BytesIO(csv_bytes([["AFI", "Area for improvement", "Target", "Status"],
                                              ["AFI 1", "The service should train crews.", "31/03/2024", "Open"],
                                              ["AFI 2", "The service should audit premises.", "31/12/2023", ""]])),
                        "register.csv")
    assert [(r.rec_ref, r.rec_kind, r.rec_text) for r in result.rows] == [
        ("AFI 1", "afi", "The service should train crews."), ("AFI 2", "afi", "The service should audit premises.")]
    assert {c.header: c.field for c in result.columns}["Area for improvement"] == "recommendation"


def test_a_brag_key_on_its_own_sheet_says_what_each_colour_means():
    tracker = [["Ref", "Area for improvement", "Action", "Owner", "Due", "BRAG"],
               ["AFI 1", "Protect the public.", "Patrol.", "Head of Protection", "31/05/2021", "Blue"],
               ["AFI 2", "Answer calls.", "Staff it.", "Head of Protection", "31/05/2021", "Green"]]
    key = [["BRAG key"], ["Colour", "Meaning"], ["Blue", "Complete and evidenced"], ["Green", "On track"],
           ["Amber", "At risk of missing the target date"], ["Red", "Will not be delivered on time"]]
    result = xlsx({"Tracker": tracker, "Key": key})
    assert [r.lifecycle.value for r in result.rows] == ["completed", "in_progress"]
    assert "Blue ('Complete and evidenced') → Completed" in result.notes[0]
    mine = parse_xlsx.parse(io.BytesIO(xlsx_bytes({"Tracker": tracker, "Key": key})),
                            {"status value blue": "closed"})  # the person importing says otherwise: that wins
    assert [r.lifecycle.value for r in mine.rows][0] == "closed"


def test_a_percentage_complete_column_is_the_status_and_a_status_in_words_beats_a_rag_code():
    result = xlsx({"T": [["Finding", "Agreed action", "Responsible officer", "Implementation date", "% complete"],
                         ["Weak controls.", "Add checks.", "Head of Finance", "31/05/2021", 1],
                         ["Late claims.", "Chase them.", "Head of Finance", "31/05/2021", 0.5],
                         ["No policy.", "Write one.", "Head of Finance", "31/05/2021", "0%"]]})
    assert [r.lifecycle.value for r in result.rows] == ["completed", "in_progress", "not_started"]
    assert {r.rec_kind for r in result.rows} == {"finding"}  # the recommendation column's header names the kind
    both = xlsx({"T": [[*HEADER, "RAG", "Status"], ["R.", "A.", "Head of Finance", "31/05/2021", "G", "Not started"]]})
    assert {c.header: c.field for c in both.columns}["Status"] == "status"
    assert [r.lifecycle.value for r in both.rows] == ["not_started"]
    coded = xlsx({"T": [[*HEADER, "Status"], ["R.", "A.", "Head of Finance", "31/05/2021", 1]]})
    assert [r.lifecycle for r in coded.rows] != ["completed"]  # a number is a percentage only under "% complete"


def test_an_as_at_line_above_the_header_is_the_date_the_tracker_is_as_at():
    result = xlsx({"Plan": [["Northshire FRS improvement plan"], ["As at 31 March 2022"], [],
                            [*HEADER, "Status"], ["R one.", "A.", "Head of Protection", "31/05/2021", "Complete"]]})
    assert result.as_at == date(2022, 3, 31) and result.title == "Northshire FRS improvement plan"


@pytest.mark.parametrize(("ref", "rec_ref", "kind"), [
    ("33.22c", "33.22c", ""), ("CoC 1a", "CoC 1a", "cause_of_concern"), ("MD1", "MD1", "must_do"),
    ("47, 48 and 49", "47, 48 and 49", ""), ("Volume 2 recommendation 5", "Volume 2 recommendation 5", ""),
    ("R12", "R12", "recommendation"), ("Recommendation 4", "4", "recommendation"), ("EF1", "EF1", ""),
])
def test_a_ref_column_keeps_the_sources_reference_as_it_is_written(ref, rec_ref, kind):
    result = xlsx({"T": [["Ref", *HEADER], [ref, "Do better.", "Act.", "Head of Protection", "31/05/2021"]]})
    [row] = result.rows
    assert (row.rec_ref, row.rec_kind) == (rec_ref, kind) and result.errors == []


def test_an_action_reference_beside_its_recommendations_is_the_actions_and_an_action_number_header_too():
    beside = xlsx({"T": [["Ref", *HEADER], ["E1a", "E1 Target visits.", "Visit.", "Head of Protection", "31/05/2021"],
                         ["E1b", "", "Train.", "Head of Protection", "31/05/2021"]]})
    assert [(r.rec_ref, r.ref) for r in beside.rows] == [("E1", "E1a"), ("E1", "E1b")]
    numbered = xlsx({"T": [["Recommendation No", "Action No", *HEADER],
                           ["33.22c", "33.22c-1", "Evacuation plans.", "Write.", "Head of Protection", "31/05/2021"],
                           ["33.22c", "33.22c-2", "", "Test.", "Head of Protection", "31/05/2021"]]})
    assert [(r.rec_ref, r.ref) for r in numbered.rows] == [("33.22c", "33.22c-1"), ("33.22c", "33.22c-2")]
    assert {c.header: c.field for c in numbered.columns}["Action No"] == "action_ref"


def test_sheets_without_a_header_row_are_not_read_and_the_title_comes_from_the_workbook():
    result = xlsx({"Key": [["Colour", "Meaning"], ["Red", "Overdue"]],
                   "Actions": [HEADER, ["R one.", "A.", "Head of Protection", date(2021, 5, 31)]]}, title="My plan")
    assert [r.ref for r in result.rows] == ["1.1"] and result.title == "My plan"
    assert any("Sheet 'Key'" in n for n in result.notes)


def test_a_file_without_a_recognisable_header_is_an_error_naming_the_columns_expected():
    result = parse_csv.parse(io.BytesIO(csv_bytes([["a", "b"], ["1", "2"]])))
    assert len(result.errors) == 1 and "No table with a header row I recognise" in result.errors[0].message


def test_columns_can_be_in_any_order_and_unknown_columns_are_not_imported():
    result = xlsx({"T": [["Notes", "Due date", "Owner", "Action", "Recommendation", "Cost"],
                         ["x", "31/05/2021", "Head of Protection", "A.", "R one.", "£500"]]})
    assert rows_of(result) == [("1.1", "R one.", "A.", "Head of Protection", date(2021, 5, 31))]
    assert {c.header: c.field for c in result.columns}["Cost"] == ""


def test_a_mapping_makes_an_unrecognised_header_readable():
    rows = [["Thing to do", "Who", "When"], ["Rebalance the rota.", "Head of Protection", "31/05/2021"]]
    assert parse_xlsx.parse(io.BytesIO(xlsx_bytes({"T": rows}))).errors
    result = parse_xlsx.parse(io.BytesIO(xlsx_bytes({"T": rows})),
                              mapping={"thing to do": "action", "who": "owner", "when": "due"})
    assert rows_of(result) == [("1.1", "", "Rebalance the rota.", "Head of Protection", date(2021, 5, 31))]


def test_the_registry_picks_the_parser_by_content_and_reads_rows_again_from_the_file():
    content = xlsx_bytes({"T": [HEADER, ["R one.", "A.", "Head of Protection", "31/05/2021"]]})
    result = parse_file(io.BytesIO(content), "tracker.xlsx")
    assert result.format == "xlsx" and len(result.rows) == 1
    assert [r.ref for r in result.rows] == [r.ref for r in result.rows] == ["1.1"]  # iterable more than once


def test_the_title_is_the_plans_name_not_a_label_a_cover_or_a_read_me():
    row = ["Clarify cover.", "Rebalance the rota.", "Head of Ops Policy", "31/05/2021"]
    assert docx([[HEADER, row]], title="Appendix 1", before=["Protection Improvement Plan"]).title == \
        "Protection Improvement Plan"
    workbook = {"Contents": [["Contents"], ["1. Tracker"]],
                "Read me": [["How to use this tracker"], ["Update the status column each month."]],
                "Tracker": [["Protection Improvement Plan 2021"], [], HEADER, row]}
    assert xlsx(workbook).title == "Protection Improvement Plan 2021"
    cover = {"Cover": [["Westmoor Police"], ["PEEL 2021/22: Areas for Improvement Action Plan"], ["Version 3"]],
             "Tracker": [HEADER, row]}
    assert xlsx(cover).title == "PEEL 2021/22: Areas for Improvement Action Plan"

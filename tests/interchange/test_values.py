"""Reading cell values, without a database: UK dates and Excel serials, status words, refs, numbered
recommendations and owner cells."""

from datetime import date, datetime

import pytest

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.interchange.importing.values import (
    STATUS_VALUE,
    Read,
    clean_text,
    owner_parts,
    parse_ref,
    read_date,
    read_kind,
    read_status,
    split_known,
    split_recommendation,
    status_meanings,
)


@pytest.mark.parametrize(("cell", "expected", "condition"), [
    ("31/05/2021", date(2021, 5, 31), ""),
    ("1/4/21", date(2021, 4, 1), ""),
    ("31 May 2021", date(2021, 5, 31), ""),
    ("31/12/2021 (On Approval)", date(2021, 12, 31), "On Approval"),
    (datetime(2021, 5, 31, 0, 0), date(2021, 5, 31), ""),
    (date(2021, 2, 28), date(2021, 2, 28), ""),
])
def test_uk_dates_and_real_dates_are_read_with_their_condition(cell, expected, condition):
    read = read_date(cell)
    assert (read.value.value, read.value.condition, read.error, read.warning) == (expected, condition, "", "")


@pytest.mark.parametrize(("cell", "expected", "says"), [
    ("31//12/2021", date(2021, 12, 31), "doubled separator '//'; read as 31/12/2021"),
    (44347, date(2021, 5, 31), "Excel date serial; read as 31/05/2021"),
    ("44347", date(2021, 5, 31), "Excel date serial; read as 31/05/2021"),
    ("May 2021", date(2021, 5, 31), "month only; read as its last day, 31/05/2021"),
])
def test_a_recoverable_date_is_repaired_with_a_warning_saying_how(cell, expected, says):
    read = read_date(cell)
    assert read.value.value == expected and says in read.warning and not read.error


@pytest.mark.parametrize("cell", ["TBC", "n/a", "Ongoing", "Complete", "Done"])
def test_a_date_to_be_confirmed_is_no_date_with_a_warning(cell):
    read = read_date(cell)
    assert read.value is None and "read as no date set" in read.warning


@pytest.mark.parametrize(("cell", "says"), [
    ("31/02/2021", "February 2021 has 28 days"),
    ("Q5 2022", "is not a date in the form dd/mm/yyyy"),  # Q1-Q4 are read (written_dates)
    ("Q2 22/24", "24 does not follow 22"),
    (-3, "is not a date"),
    (True, "is not a date"),
])
def test_an_unrecoverable_date_is_an_error_quoting_the_text(cell, says):
    read = read_date(cell)
    assert read.value is None and says in read.error


@pytest.mark.parametrize(("word", "lifecycle"), [
    ("Complete", Lifecycle.COMPLETED), ("Completed", Lifecycle.COMPLETED), ("Done", Lifecycle.COMPLETED),
    ("Closed", Lifecycle.CLOSED), ("In progress", Lifecycle.IN_PROGRESS),
    ("Not started", Lifecycle.NOT_STARTED), ("On hold", Lifecycle.PAUSED), ("Cancelled", Lifecycle.CANCELLED),
    ("Completed – awaiting verification", Lifecycle.COMPLETED), ("IN PROGRESS.", Lifecycle.IN_PROGRESS),
])
def test_status_words_map_to_the_lifecycle(word, lifecycle):
    read = read_status(word)
    assert read.value is lifecycle and not read.error and not read.warning


@pytest.mark.parametrize(("word", "lifecycle", "meaning"), [
    ("Red", Lifecycle.IN_PROGRESS, "not complete"), ("Overdue", Lifecycle.IN_PROGRESS, "not complete"),
    ("Amber", Lifecycle.IN_PROGRESS, "not complete"), ("On track", Lifecycle.IN_PROGRESS, "not complete"),
    ("Green", Lifecycle.COMPLETED, "complete"),
    ("Green – Complete", Lifecycle.COMPLETED, "complete"), ("Red – Overdue", Lifecycle.IN_PROGRESS, "not complete"),
])
def test_rag_words_say_only_whether_the_action_is_complete_and_a_warning_says_so(word, lifecycle, meaning):
    read = read_status(word)
    assert read.value is lifecycle
    assert "RAG rating" in read.warning and "never stores it" in read.warning
    assert f"read only as {meaning}" in read.warning


def test_an_unknown_status_never_blocks_the_file_and_says_what_it_is_read_as_and_how_to_change_it():
    read = read_status("Sort of")
    assert (read.value, read.error) == (Lifecycle.IN_PROGRESS, "")
    assert "'Sort of' is not a status I know: read as in progress" in read.warning
    assert '--status "Sort of=completed"' in read.warning


@pytest.mark.parametrize(("word", "lifecycle"), [
    ("Complete – awaiting sign-off", Lifecycle.COMPLETED), ("Superseded", Lifecycle.CANCELLED),
    ("Deferred", Lifecycle.PAUSED), ("Not ours to deliver", Lifecycle.CANCELLED), ("Implemented", Lifecycle.COMPLETED),
    ("Partially implemented", Lifecycle.IN_PROGRESS),
])
def test_the_phrases_trackers_use_have_sensible_meanings(word, lifecycle):
    assert read_status(word) == Read(lifecycle)


def test_the_plans_own_meaning_for_a_status_word_comes_first():
    meanings = status_meanings({STATUS_VALUE + "off track": "paused", "Owner": "owner",
                                STATUS_VALUE + "Complete": "closed"})
    assert meanings == {"off track": Lifecycle.PAUSED, "complete": Lifecycle.CLOSED}
    assert read_status("Off-track", meanings) == Read(Lifecycle.PAUSED)
    assert read_status("COMPLETE", meanings) == Read(Lifecycle.CLOSED)
    assert read_status("Done", meanings) == Read(Lifecycle.COMPLETED)


@pytest.mark.parametrize(("cell", "expected"), [
    ("2.1", (2, 1, "")), ("2.1.", (2, 1, "")), ("Rec 1", (1, None, "recommendation")), ("AFI 3", (3, None, "afi")),
    ("1)", (1, None, "")), ("R2.1", (2, 1, "recommendation")), ("Cause of concern 2", (2, None, "cause_of_concern")),
    (2.1, (2, 1, "")), ("x", None), ("0.1", None),
])
def test_refs_name_a_recommendation_and_perhaps_an_action(cell, expected):
    assert parse_ref(cell) == expected


@pytest.mark.parametrize(("cell", "expected"), [
    ("1) Provide further evidence", (1, "", "Provide further evidence")),
    ("Rec 1: Provide", (1, "recommendation", "Provide")),
    ("AFI 3 Improve the audit", (3, "afi", "Improve the audit")),
    ("Recommendation 2\nClarify cover", (2, "recommendation", "Clarify cover")),
    ("2022 budget review", (None, "", "2022 budget review")),
    ("Provide further evidence", (None, "", "Provide further evidence")),
])
def test_numbered_recommendations_give_their_number_and_kind(cell, expected):
    assert split_recommendation(cell) == expected


def test_owner_cells_split_where_people_split_them():
    assert owner_parts("AM Palmer/Corporate comms.") == ["AM Palmer", "Corporate comms"]
    assert owner_parts("Head of Protection; Head of Ops Policy") == ["Head of Protection", "Head of Ops Policy"]
    assert owner_parts("AM Palmer\nCorporate Comms") == ["AM Palmer", "Corporate Comms"]
    assert owner_parts("Head of Prevention & Protection") == ["Head of Prevention & Protection"]


def test_known_names_run_together_are_split_and_a_known_name_with_a_slash_stays_whole():
    known = {"am palmer", "corporate comms", "hr/people lead"}

    def is_known(text):
        return text.lower() in known

    assert split_known("AM Palmer Corporate Comms", is_known) == (["AM Palmer", "Corporate Comms"], True)
    assert split_known("HR/People Lead / AM Palmer", is_known) == (["HR/People Lead", "AM Palmer"], False)
    assert split_known("Someone New", is_known) == (["Someone New"], False)


def test_cell_text_loses_invisible_and_control_characters_but_keeps_paragraphs():
    assert clean_text("  Develop\u200b a  plan\x07 \r\n\r\nThen\xa0review ") == "Develop a plan\n\nThen review"
    assert clean_text(3.0) == "3" and clean_text(None) == ""


@pytest.mark.parametrize(("cell", "day", "condition"), [("Q4 22/23", date(2023, 3, 31), "Q4 22/23"),
                                                        ("Mar-23", date(2023, 3, 31), ""),
                                                        ("w/c 15/05/2023", date(2023, 5, 21), "w/c 15/05/2023")])
def test_a_date_cell_written_as_a_quarter_month_or_week_is_read_with_a_warning(cell, day, condition):
    read = read_date(cell)
    assert (read.value.value, read.value.condition, read.error) == (day, condition, "")
    assert cell in read.warning


def test_a_date_cell_with_two_dates_in_it_is_an_error_quoting_it():
    read = read_date("Target 31/03/2022, revised 30/06/2022")
    assert read.value is None and "Target 31/03/2022, revised 30/06/2022" in read.error


@pytest.mark.parametrize(("cell", "owners"), [
    ("Ward Manager, Ward 3", ["Ward Manager, Ward 3"]),
    ("Matron, Surgery; Head of Nursing", ["Matron, Surgery", "Head of Nursing"]),
    ("AM Palmer, Corporate comms.", ["AM Palmer", "Corporate comms"]),
    ("Chief Executive, Director of Nursing", ["Chief Executive", "Director of Nursing"]),
    ("Matron, Emergency Department", ["Matron, Emergency Department"]),
    ("Area Manager, Special Operations", ["Area Manager, Special Operations"]),
    ("Head of Service, Children's Services / Finance Business Partner",
     ["Head of Service, Children's Services", "Finance Business Partner"]),
    ("Head of Protection, AM Smith", ["Head of Protection", "AM Smith"]),
])
def test_a_comma_separates_owners_but_not_a_post_from_what_narrows_it(cell, owners):
    assert owner_parts(cell) == owners


@pytest.mark.parametrize(("cell", "expected"), [
    ("Area for Improvement\nThe service should improve its risk information.",
     (None, "afi", "The service should improve its risk information.")),
    ("Must do\n2. The trust must ensure staff complete their training.",
     (2, "must_do", "The trust must ensure staff complete their training.")),
    ("Findings\nStarters were paid without a contract.", (None, "finding", "Starters were paid without a contract.")),
    ("The service should review\nits policy.", (None, "", "The service should review\nits policy.")),
])
def test_a_kind_on_a_line_of_its_own_above_the_text_is_read_as_the_kind(cell, expected):
    assert split_recommendation(cell) == expected


@pytest.mark.parametrize(("cell", "kind"), [("Must do", "must_do"), ("Should Do", "should_do"),
                                           ("Finding", "finding"), ("Cause of concern", "cause_of_concern")])
def test_the_kinds_inspectorates_and_auditors_use_are_known(cell, kind):
    assert read_kind(cell) == Read(kind)


def test_rich_text_from_a_list_export_is_read_as_plain_text_a_line_for_each_paragraph():
    html = ('<div class="ExternalClassA1"><p>Draft policy written.</p><p>Consultation with the <strong>'
            'representative bodies</strong> closes in March.</p><ul><li>One &amp; two</li><li>Three</li></ul></div>')
    assert clean_text(html) == ("Draft policy written.\nConsultation with the representative bodies closes in "
                                "March.\n- One & two\n- Three")
    assert clean_text("<5 days late") == "<5 days late"  # text that only starts with "<" stays as it is

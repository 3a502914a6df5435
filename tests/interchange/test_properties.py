"""Whatever text is in the cells, the importers never crash: they read rows, or report errors and warnings
with locations. Property tests (hypothesis) for each format."""

import io
import json
import string
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actiontrack.interchange.importing import parse_csv, parse_docx, parse_json, parse_xlsx
from actiontrack.interchange.importing.base import ERROR, WARNING, ParsedRow, ParseResult

from .fixtures import csv_bytes, docx_bytes, xlsx_bytes

HEADER = ["Ref", "Recommendation", "Action", "Owner", "Due date", "Revised date", "Status", "Completed on"]
WORDS = ["1)", "Rec 2", "AFI 3", "2.1", "31//12/2021", "31/12/2021 (On Approval)", "44347", "Red", "Complete",
         "AM Palmer/Corporate comms.", "TBC", "", " ", "Notes:", "=1+1", "'-x", "1.1", "Recommendation", "Action",
         "Owner", "Due date", "31/02/2021", "May 2021", "Head of Protection", "\n", "–", "£"]
text = st.one_of(st.sampled_from(WORDS), st.text(alphabet=string.printable + "£–éß\u200b", max_size=30))
excel_text = st.one_of(st.sampled_from([w for w in WORDS if w != "=1+1"]),
                       st.text(alphabet=string.ascii_letters + string.digits + " ./()-:;£–", max_size=30))
cell = st.one_of(excel_text, st.none(), st.integers(-10, 100000), st.floats(-1e6, 1e6, allow_nan=False),
                 st.dates(date(1900, 3, 1), date(2100, 1, 1)))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    rows = list(result.rows)
    assert all(isinstance(row, ParsedRow) for row in rows)
    for problem in result.problems:
        assert problem.severity in (ERROR, WARNING) and problem.message
        str(problem)  # every problem can be shown with its location
    for row in rows:
        assert row.rec_ref.strip() and row.action_number >= 1


@SETTINGS
@given(st.lists(st.lists(text, min_size=1, max_size=8), max_size=12))
def test_random_cell_text_under_a_real_header_never_crashes_the_csv_importer(rows):
    check(parse_csv.parse(io.BytesIO(csv_bytes([HEADER, *rows]))))


@SETTINGS
@given(st.lists(st.lists(text, max_size=6), max_size=10))
def test_random_tables_without_a_header_never_crash_the_csv_importer(rows):
    check(parse_csv.parse(io.BytesIO(csv_bytes(rows or [[""]]))))


@SETTINGS
@given(st.lists(st.lists(cell, min_size=1, max_size=8), max_size=12), st.booleans())
def test_random_cells_never_crash_the_excel_importer(rows, with_header):
    content = xlsx_bytes({"Sheet": [HEADER, *rows] if with_header else rows or [[None]]})
    check(parse_xlsx.parse(io.BytesIO(content)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.sampled_from(WORDS),
                                   st.text(alphabet=string.ascii_letters + " ./()-:", max_size=20)),
                         min_size=4, max_size=4), max_size=8))
def test_random_cell_text_never_crashes_the_word_importer(rows):
    content = docx_bytes([[["Recommendation", "Actions", "Owner", "Delivery Date"], *rows]])
    check(parse_docx.parse(io.BytesIO(content)))


json_value = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
                          lambda children: st.lists(children, max_size=3) | st.dictionaries(
                              st.text(max_size=8), children, max_size=3), max_leaves=10)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["plan", "posts", "actions", "recommendations", "journal", "updates",
                                        "evidence", "proposals", "roles", "period_locks", "post_journal", "x"]),
                       json_value, max_size=12))
def test_a_damaged_json_export_is_reported_never_a_crash(data):
    data = {"format": "actiontrack-plan", "version": 1, **data}
    check(parse_json.parse(io.BytesIO(json.dumps(data).encode())))


@SETTINGS
@given(st.dates(date(1900, 3, 1), date(9999, 12, 30)))
def test_any_real_date_in_a_sheet_is_read_as_that_date(day):
    content = xlsx_bytes({"T": [["Action", "Owner", "Due date"], ["A.", "X", datetime(day.year, day.month, day.day)]]})
    rows = list(parse_xlsx.parse(io.BytesIO(content)).rows)
    assert rows[0].due.value == day


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(text, min_size=1, max_size=8), min_size=1, max_size=8))
def test_random_rows_never_crash_a_dry_run_into_a_new_plan(db, rows):
    from .helpers import run_import

    report = run_import(csv_bytes([HEADER, *rows]), "random.csv", "RANDOM", create_posts=True)
    assert not report.applied
    assert all(p.severity in (ERROR, WARNING) for p in report.problems)

"""CSV in the encodings and separators real ones have: UTF-8 with or without a byte-order mark, UTF-16 (Excel's
"Unicode text"), Windows-1252 with "£" and "–"; commas, semicolons, tabs and pipes."""

import io
from datetime import date

import pytest

from actiontrack.interchange.importing import parse_csv
from actiontrack.interchange.registry import parse_file

from .fixtures import csv_bytes

ROWS = [["Ref", "Recommendation", "Action", "Owner", "Target date"],
        ["1.1", "Budget – resources", "Spend £5,000 on training; report back", "Head of Protection", "31/05/2021"],
        ["1.2", "", "Review \"quoted\" text,\nover two lines", "Head of Protection", "30/06/2021"]]


def read(content: bytes, name="tracker.csv"):
    result = parse_file(io.BytesIO(content), name)
    return result, [(r.ref, r.rec_text, r.text, r.due.value) for r in result.rows]


EXPECTED = [("1.1", "Budget – resources", "Spend £5,000 on training; report back", date(2021, 5, 31)),
            ("1.2", "Budget – resources", "Review \"quoted\" text,\nover two lines", date(2021, 6, 30))]


@pytest.mark.parametrize(("encoding", "said"), [
    ("utf-8-sig", "UTF-8 with a byte-order mark"), ("utf-8", "UTF-8"), ("utf-16", "UTF-16"),
    ("cp1252", "Windows-1252"),
])
def test_each_common_encoding_is_read_with_pound_signs_and_dashes_intact(encoding, said):
    result, rows = read(csv_bytes(ROWS, encoding=encoding))
    assert rows == EXPECTED
    assert result.notes[0].startswith(f"Read as {said}, separated by commas")
    assert bool(result.warnings) == (encoding == "cp1252")  # a guess is said out loud


@pytest.mark.parametrize(("delimiter", "said"), [(",", "commas"), (";", "semicolons"), ("\t", "tabs"),
                                                 ("|", "pipes")])
def test_the_separator_is_sniffed(delimiter, said):
    result, rows = read(csv_bytes(ROWS, delimiter=delimiter))
    assert rows == EXPECTED and f"separated by {said}" in result.notes[0]


def test_cells_neutralised_by_the_csv_export_are_read_back_as_written():
    content = csv_bytes([["Ref", "Action", "Owner"], ["1.1", "'=SUM(A1)", "'-Head of Protection"]])
    result = parse_file(io.BytesIO(content), "t.csv")
    assert [(r.text, r.owners) for r in result.rows] == [("=SUM(A1)", "-Head of Protection")]


def test_a_row_with_fewer_cells_than_the_header_is_read():
    result = parse_file(io.BytesIO(csv_bytes([["Recommendation", "Action", "Owner", "Due date"], ["R.", "A."]])),
                        "t.csv")
    assert [(r.ref, r.owners, r.due) for r in result.rows] == [("1.1", "", None)]


def test_encoding_detection_reads_the_whole_file_not_just_its_start():
    rows = [ROWS[0]] + [["", "", f"Action {n}", "Head of Protection", ""] for n in range(3000)]
    rows.append(["", "", "Last action costs £9", "Head of Protection", ""])
    content = csv_bytes(rows, encoding="cp1252")
    assert parse_csv.detect_encoding(io.BytesIO(content))[0] == "cp1252"
    result = parse_file(io.BytesIO(content), "t.csv")
    assert list(result.rows)[-1].text == "Last action costs £9"

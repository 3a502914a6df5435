"""Exports of a plan whose stored texts (written straight into the rows, as old data would be) start like
formulas or hold control characters: every cell of every sheet of the Excel tracker is text unless it is a date
or number we wrote, nothing is a formula; the CSV neutralises formula starts; nothing any export writes holds a
control character; text longer than an Excel cell is cut, saying so."""

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from actiontrack.domain.rag import COLOURS
from actiontrack.domain.text import printable
from actiontrack.interchange.exporting import export_csv, export_json, export_xlsx
from actiontrack.interchange.exporting.export_xlsx import EXCEL_CELL_LIMIT, FILLS
from actiontrack.interchange.exporting.tracker import COLUMNS
from actiontrack.plans.models import ProgressUpdate
from tests.reports.stored import store_raw

from .helpers import TODAY

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = "Start\x01 of\x1b[31m text\x7f, Word's\x0bline break\x0c and\x07 more\x85\x9b\ufffe end"
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Where the tracker writes real dates and numbers: the Actions sheet's date and number columns, the RAG key's
# counts, and the About sheet's dates and count of actions.
NUMBERS = {"Actions": {i for i, column in enumerate(COLUMNS, start=1) if column.kind in ("date", "number")},
           "RAG key": {3}, "About": {2}}
ABOUT_NUMBERS = {"Plan agreed", "As at", "Actions"}


def every_cell(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet, cell


def formula_like(start: str):
    return lambda name: f"{start}HYPERLINK(\"http://evil.example\",\"{name}\")+cmd|' /C calc'!A0"


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_no_cell_of_any_sheet_of_the_excel_tracker_is_a_formula_whatever_the_text_starts_with(demo, start):
    store_raw(demo.plan, formula_like(start))
    content = export_xlsx.render(demo.plan, TODAY)

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name  # no formula element anywhere
    book = load_workbook(io.BytesIO(content))
    texts = 0
    for sheet, cell in every_cell(book):
        assert cell.data_type != "f", (sheet.title, cell.coordinate)
        if isinstance(cell.value, str):
            assert cell.data_type == "s", (sheet.title, cell.coordinate)
            texts += cell.value.startswith(printable(start))
        else:
            assert isinstance(cell.value, int | datetime | date), (sheet.title, cell.coordinate)
            assert cell.column in NUMBERS[sheet.title], (sheet.title, cell.coordinate, cell.value)
            if sheet.title == "About":
                assert sheet.cell(row=cell.row, column=1).value in ABOUT_NUMBERS
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    for label, name in (("Plan", "title"), ("Organisation", "organisation"), ("Reports to", "board"),
                        ("Classification", "classification")):
        assert about[label] == printable(formula_like(start)(name))[:len(about[label])], label
    assert texts >= 10 + 4  # the actions' texts, and the plan's title, organisation, board and classification


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_no_cell_of_the_csv_starts_like_a_formula(demo, start):
    store_raw(demo.plan, formula_like(start))
    rows = list(csv.reader(io.StringIO(export_csv.render(demo.plan, TODAY).decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert sum(cell.startswith("'") for cell in cells) >= 10 or start == "\r"  # CR: a line break, made printable


def test_every_export_of_text_stored_with_control_characters_is_made_and_holds_none(demo):
    store_raw(demo.plan, lambda name: f"{name} {CONTROL}")

    book = load_workbook(io.BytesIO(export_xlsx.render(demo.plan, TODAY)))
    values = [cell.value for _, cell in every_cell(book) if isinstance(cell.value, str)]
    assert not [value for value in values if UNPRINTABLE.search(value)]
    assert "action Start of[31m text, Word's\nline break\n and more\n end" in values
    assert book.properties.title == "title Start of[31m text, Word's\nline break\n and more\n end"

    text = export_csv.render(demo.plan, TODAY).decode("utf-8-sig")
    assert not UNPRINTABLE.search(text) and "action Start of[31m text, Word's\nline break" in text

    raw = export_json.render(demo.plan).decode("utf-8")
    document = json.loads(raw)
    assert not UNPRINTABLE.search(json.dumps(document, ensure_ascii=False))
    assert document["plan"]["title"] == "title Start of[31m text, Word's\nline break\n and more\n end"


def test_text_longer_than_an_excel_cell_is_cut_and_says_so(demo):
    assert ProgressUpdate.objects.filter(action__plan=demo.plan).exists()  # the demo owner's November updates
    store_raw(demo.plan, lambda name: "u" * 40_000 if name == "update" else name)
    sheet = load_workbook(io.BytesIO(export_xlsx.render(demo.plan, TODAY)))["Actions"]
    column = next(i for i, c in enumerate(COLUMNS, start=1) if c.header == "Latest progress update")
    cut = [cell.value for cell in sheet[sheet.cell(row=1, column=column).column_letter][1:] if cell.value]
    assert cut and all(len(value) == EXCEL_CELL_LIMIT for value in cut)
    assert cut[0].endswith("[cut: longer than an Excel cell holds; the JSON export has it all]")


def test_the_excel_tracker_takes_its_status_colours_from_the_rag_colours():
    assert {name: (c["fill"].lstrip("#").upper(), c["text"].lstrip("#").upper())
                     for name, c in COLOURS.items()} == FILLS

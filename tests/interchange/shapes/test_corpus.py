"""The shapes corpus is sound, and the importer's baseline on it keeps its one promise: whatever it cannot
read yet, it says so. Each fixture opens with the library that writes its format; each expected.json is
well-formed, is what build.py gives and is listed in the README; the committed files are what build.py
writes; and parsing any fixture neither crashes nor reads a date that differs from the expected one on a
row it says nothing about. What a correct import must do beyond that is measured, not asserted, by
`python -m tests.interchange.shapes.try_import` (issue 15)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.interchange.registry import parse_file

from .build import FIXTURES, build
from .compare import measure
from .spec import FILES, load_expected

README = Path(__file__).parent / "README.md"
NAMES = list(FIXTURES)
KINDS = {"recommendation", "afi", "cause_of_concern", "must_do", "should_do", "finding", "other"}
# Fixtures on which the parser reads a date silently wrong, each with why (an xfail that must pass the day it is
# fixed). None today: the audit tracker's two-row header was the one, until the second header row was read.
SILENT_TODAY: dict[str, str] = {}


def _params() -> list:
    return [pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=SILENT_TODAY[name])]
                         if name in SILENT_TODAY else []) for name in NAMES]


def content(path: Path) -> list:
    """What a file says, without the timestamps Office files carry: every cell or paragraph, in order."""
    if path.suffix == ".docx":
        document = docx.Document(path)
        return [p.text for p in document.paragraphs] + [
            [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        said = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)],
                 sorted(map(str, ws.merged_cells.ranges)),
                 sorted(k for k, d in ws.column_dimensions.items() if d.hidden)) for ws in book.worksheets]
        book.close()
        return said
    return csv_rows(path)


def csv_rows(path: Path) -> list[list[str]]:
    """A CSV fixture's rows: UTF-8 (SharePoint) or Windows-1252 (older Excel), comma or semicolon."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;")
    return list(csv.reader(io.StringIO(text, newline=""), dialect))


def test_there_are_at_least_ten_fixtures_each_listed_in_the_readme_with_its_files():
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", README.read_text(encoding="utf-8"), re.M)
    assert len(NAMES) >= 10
    assert listed == NAMES
    on_disk = sorted(p.name.removesuffix(".expected.json") for p in FILES.glob("*.expected.json"))
    assert on_disk == sorted(NAMES)
    for name in NAMES:
        assert (FILES / FIXTURES[name].file).stat().st_size < 64_000, "each fixture stays small"


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_opens_with_its_library(name):
    path = FILES / FIXTURES[name].file
    if path.suffix == ".docx":
        assert docx.Document(path).tables
    elif path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        assert book.sheetnames
        book.close()
    else:
        assert path.suffix == ".csv"
        rows = csv_rows(path)
        assert len(rows) > 1 and len({len(row) for row in rows}) == 1


@pytest.mark.parametrize("name", NAMES)
def test_each_expected_json_is_well_formed(name):
    expected = load_expected(name)
    assert expected["name"] == name and expected["file"] == FIXTURES[name].file
    assert expected["imitates"] and set(expected["classes"]) <= set(range(1, 12))
    assert expected["as_at"] is None or date.fromisoformat(expected["as_at"])
    assert expected["recommendations"]
    for rec in expected["recommendations"]:
        assert rec["ref"].strip() and rec["text"].strip() and rec["kind"] in KINDS
        assert bool(rec["group"]) == bool(expected["group_called"]), rec["ref"]
        assert rec["actions"]
        for act in rec["actions"]:
            assert act["text"].strip() and act["owners"] and all(o.strip() for o in act["owners"])
            assert act["status"] in {life.value for life in Lifecycle}
            for key in ("due", "baseline", "completed_on"):
                assert act[key] is None or date.fromisoformat(act[key])
            assert act["completed_on"] is None or act["status"] in ("completed", "closed")
            assert not act["completed_assumed"] or act["completed_on"] == expected["as_at"]
    refs = [(rec["group"], rec["ref"]) for rec in expected["recommendations"]]
    assert len(refs) == len(set(refs)), "a reference is unique within its group"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shapes")
    build(folder)
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_the_committed_files_are_what_build_writes(name, rebuilt):
    assert load_expected(name) == load_expected(name, rebuilt) == FIXTURES[name].expected()
    file = FIXTURES[name].file
    assert content(FILES / file) == content(rebuilt / file)


@pytest.mark.parametrize("name", _params())
def test_parsing_never_crashes_nor_reads_a_date_silently_wrong(name):
    path = FILES / FIXTURES[name].file
    result = parse_file(io.BytesIO(path.read_bytes()), path.name)
    assert not result.refused
    found = measure(name, result, load_expected(name))
    assert found.silent == []

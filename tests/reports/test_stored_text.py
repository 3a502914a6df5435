"""Text stored before input was normalised, written straight into the rows: control characters (Word's manual
line break \\x0b, escape sequences, C1 controls) no longer stop a board report from being issued, and every file
shows the words without them, Word's line break as a line break. The PDF stays tagged PDF/UA."""

import re
import subprocess
import sys
import zipfile
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest

from actiontrack.core import files as file_store
from actiontrack.core.journal import Actor
from actiontrack.reports import renderers, services
from actiontrack.reports.choices import FORMATS
from actiontrack.reports.data import dump
from actiontrack.reports.models import IssuedFile
from actiontrack.reports.selectors import report_data

from .conftest import NOVEMBER
from .readback import docx_document, pdf_text, words
from .stored import store_raw

pytestmark = pytest.mark.django_db

# What pasting from Word or a terminal can bring: SOH, an escape sequence, DEL, Word's manual line break (VT), a
# form feed, BEL, NEL, a C1 control and a non-character. (NUL is left out: PostgreSQL cannot store it.)
CONTROL = "Start\x01 of\x1b[31m text\x7f, Word's\x0bline break\x0c and\x07 more\x85\x9b\ufffe end"
SHOWN = "Start of[31m text, Word's line break and more end"  # the same words, as a reader gets them
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def with_control_characters(name: str) -> str:
    return f"{name} {CONTROL}"


@pytest.fixture
def report_with_control_characters(november_report):
    store_raw(november_report.plan, with_control_characters, november_report)
    return november_report


def test_a_report_whose_stored_text_has_control_characters_is_issued_with_every_file(
        report_with_control_characters, plan_manager, tmp_path):
    report = services.report_issue(actor=Actor.of(plan_manager), report=report_with_control_characters,
                                   today=NOVEMBER)
    assert report.is_issued
    files = {stored.format: file_store.read_bytes(stored.store_name)
             for stored in IssuedFile.objects.filter(report=report)}
    assert set(files) == set(FORMATS)

    (tmp_path / "report.pdf").write_bytes(files["pdf"])
    text = pdf_text(tmp_path / "report.pdf")
    for name in ("action", "recommendation", "subject", "executive_summary", "note"):
        assert f"{name} {SHOWN}" in text, name

    (tmp_path / "report.docx").write_bytes(files["docx"])
    document = docx_document(tmp_path / "report.docx")
    cells = [words(cell.text) for table in document.tables for row in table.rows for cell in row.cells]
    assert f"action {SHOWN}" in cells and any(cell.endswith(f"note {SHOWN}") for cell in cells)  # under its impact
    assert any(f"executive_summary {SHOWN}" in words(p.text) for p in document.paragraphs)
    with zipfile.ZipFile(BytesIO(files["docx"])) as archive:
        for name in (name for name in archive.namelist() if name.endswith((".xml", ".rels"))):
            assert not UNPRINTABLE.search(archive.read(name).decode("utf-8", "replace")), name

    html = files["html"].decode("utf-8")
    assert not UNPRINTABLE.search(html)
    assert f"action {SHOWN}" in words(unescape(html))
    assert not UNPRINTABLE.search(str(dump(report_data(report))))  # the frozen snapshot too


def test_words_joined_by_words_manual_line_break_are_on_separate_lines_in_the_action_table(
        report_with_control_characters):
    data = report_data(report_with_control_characters)
    row = data.blocks("action_table")[0].rows[0]
    assert row.text == "action Start of[31m text, Word's\nline break\n and more\n end"
    html = renderers.render("html", data).decode()
    assert '<td class="prewrap">action Start of[31m text, Word&#x27;s\nline break\n and more\n end</td>' in html


def test_the_pdf_of_such_a_report_is_still_tagged_pdf_ua(report_with_control_characters, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(renderers.render("pdf", report_data(report_with_control_characters)))
    result = subprocess.run([str(Path(sys.executable).parent / "pdfua"), "check", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors=0 warnings=0" in result.stdout, result.stdout


def test_every_renderer_makes_text_printable_even_in_report_data_it_is_handed_as_is(november_report):
    """A snapshot is data as it was frozen: each renderer cleans what it is given, not only what build made."""
    from dataclasses import replace

    data = report_data(november_report)
    data = replace(data, subject=f"subject {CONTROL}", classification=f"OFFICIAL\x01{CONTROL}")
    for fmt in FORMATS:
        assert renderers.render(fmt, data)

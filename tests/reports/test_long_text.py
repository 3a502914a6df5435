"""The longest texts the limits allow, and longer ones stored before the limits: long unbroken words (a pasted
URL, thousands of characters without a space) wrap inside the page in every format, and the PDF takes about as
long to draw them as the same number of characters of ordinary words (it was quadratic: 35 s for one word of
32,767 characters)."""

import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from actiontrack.domain.text import Limit
from actiontrack.reports import renderers
from actiontrack.reports.renderers.text import BREAK_EVERY, LONGEST_WORD, ZERO_WIDTH_SPACE, breakable
from actiontrack.reports.selectors import report_data

from .readback import docx_document
from .stored import store_raw

pytestmark = pytest.mark.django_db

ACTION, NARRATIVE, LINE = "ж", "ю", "щ"  # letters found nowhere else in the report
BBOX_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
BBOX_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">')


def longest(name: str) -> str:
    """An unbroken word as long as each kind of text may be."""
    if name == "action":
        return ACTION * Limit.TEXT
    if name in ("executive_summary", "background_papers", "background"):
        return NARRATIVE * Limit.LONG
    return LINE * Limit.LINE


@pytest.fixture
def longest_words(november_report):
    store_raw(november_report.plan, longest, november_report)
    return november_report


def test_the_pdf_wraps_the_longest_unbroken_words_inside_the_page_and_keeps_every_letter(longest_words, tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(renderers.render("pdf", report_data(longest_words)))
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    pages = BBOX_PAGE.findall(boxes)
    assert pages
    for width, _, page in pages:
        assert all(float(right) <= float(width) - 20 for _, right in BBOX_WORD.findall(page))  # inside the margin
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count(ACTION) >= 10 * Limit.TEXT  # each of the ten actions, whole (and in the changes)
    assert text.count(NARRATIVE) >= 2 * Limit.LONG  # the executive summary and background papers, whole
    assert ZERO_WIDTH_SPACE not in text  # the break points are not part of the text
    result = subprocess.run([str(Path(sys.executable).parent / "pdfua"), "check", str(path)],
                            capture_output=True, text=True)
    assert "errors=0 warnings=0" in result.stdout, result.stdout


def test_a_long_unbroken_word_takes_the_pdf_about_as_long_as_the_same_length_of_ordinary_words(november_report):
    data = report_data(november_report)
    table = data.blocks("action_table")[0]

    def with_action_text(text: str):
        rows = (replace(table.rows[0], text=text), *table.rows[1:])
        sections = tuple(replace(section, blocks=tuple(replace(block, rows=rows) if block is table else block
                                                       for block in section.blocks)) for section in data.sections)
        return replace(data, sections=sections)

    length = 32_767  # the longest text an Excel cell holds: where the issue was found
    prose = with_action_text(("word " * length)[:length])
    word = with_action_text("x" * length)
    renderers.render("pdf", prose)  # warm up fonts and WeasyPrint

    def seconds(report) -> float:
        start = time.perf_counter()
        renderers.render("pdf", report)
        return time.perf_counter() - start

    # The best of two runs each: a run slowed by other work on the machine says nothing about the text.
    floor, unbroken = min(seconds(prose) for _ in range(2)), min(seconds(word) for _ in range(2))
    assert unbroken < 3 * floor, f"one unbroken word {unbroken:.1f} s, the same length of words {floor:.1f} s"


def test_the_docx_keeps_long_words_in_fixed_width_columns_and_its_properties_within_word_limits(longest_words,
                                                                                                tmp_path):
    path = tmp_path / "long.docx"
    path.write_bytes(renderers.render("docx", report_data(longest_words)))
    document = docx_document(path)
    for table in document.tables:  # Word breaks a word at the cell's edge instead of widening the column
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
    actions = next(table for table in document.tables if table.rows[0].cells[1].text == "Recommendation")
    cells = [cell.text for row in actions.rows for cell in row.cells]
    assert sum(cell.count(ACTION) for cell in cells) == 10 * Limit.TEXT  # every action's whole text
    properties = document.core_properties
    assert len(properties.title) == 255 and properties.title.startswith(LINE * 200)
    assert properties.title.endswith("…")


def test_the_html_file_wraps_long_words_anywhere_and_keeps_them_whole(longest_words):
    html = renderers.render("html", report_data(longest_words)).decode()
    assert "body.standalone { overflow-wrap: anywhere; }" in html
    assert ACTION * Limit.TEXT in html and ZERO_WIDTH_SPACE not in html


@pytest.mark.parametrize(("text", "expected"), [
    ("Antidisestablishmentarianism is long", "Antidisestablishmentarianism is long"),
    ("x" * 30, "x" * 30),
    ("x" * 31, "x" * 12 + ZERO_WIDTH_SPACE + "x" * 12 + ZERO_WIDTH_SPACE + "x" * 7),
    ("see https://example.org/" + "a" * 20 + " now",
     f"see https://exam{ZERO_WIDTH_SPACE}ple.org/aaaa{ZERO_WIDTH_SPACE}aaaaaaaaaaaa{ZERO_WIDTH_SPACE}aaaa now"),
    ("line\n" + "y" * 35, "line\n" + "y" * 12 + ZERO_WIDTH_SPACE + "y" * 12 + ZERO_WIDTH_SPACE + "y" * 11),
])
def test_words_longer_than_any_real_word_get_a_break_point_every_few_letters(text, expected):
    assert LONGEST_WORD == 30 and BREAK_EVERY == 12
    assert breakable(text) == expected

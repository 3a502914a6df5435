"""Reading the generated documents back, as a person's tools would: the PDF through poppler's `pdftotext`
(its words, and the action table rebuilt from the words' positions), the DOCX through python-docx."""

from __future__ import annotations

import html
import re
import subprocess
from collections import defaultdict
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

COLUMNS = ("Ref", "Recommendation", "Action", "Owner", "Delivery", "Progress", "Status")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>')
REF = re.compile(r"^\d+\.\d+$")
FOOTER_Y = 780  # points from the top of an A4 page: below it is the page footer ("Page 2 of 6")


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    """The PDF's text as `pdftotext` extracts it, with whitespace collapsed."""
    return words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def _pages(path: Path) -> list[list[tuple[float, float, str]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(x), float(y), html.unescape(w)) for x, y, w in WORD.findall(page)]
            for page in out.split("<page ")[1:]]


def pdf_action_rows(path: Path) -> dict[str, dict[str, str]]:
    """The action table as drawn: {ref: {column: text}}, from the positions of the words on each page (the
    header row repeats on every page the table runs over)."""
    rows: dict[str, dict[str, str]] = {}
    for page in _pages(path):
        heads = [next(((x, y) for x, y, w in page if w == name), None) for name in COLUMNS]
        if None in heads or len({round(y) for _, y in heads}) != 1:
            continue
        lefts = [x - 2 for x, _ in heads] + [10_000]
        header_y = heads[0][1]
        in_ref_column = sorted((y, w) for x, y, w in page if x < lefts[1] and y > header_y + 5)
        anchors = []
        for y, w in in_ref_column:
            if not REF.match(w):
                end = y  # something else starts at the left margin: the table has ended
                break
            anchors.append((y, w))
        else:
            end = 10_000
        for (top, ref), (bottom, _) in zip(anchors, [*anchors[1:], (end, "")], strict=True):
            cells = defaultdict(list)
            for x, y, w in sorted(page, key=lambda item: (round(item[1]), item[0])):
                if top - 1 <= y < bottom - 1:
                    column = next((i for i in range(len(COLUMNS)) if lefts[i] <= x < lefts[i + 1]), None)
                    if column is not None:
                        cells[COLUMNS[column]].append(w)
            rows[ref] = {name: " ".join(cells[name]) for name in COLUMNS}
    return rows


def docx_document(path: Path):
    return Document(str(path))


def docx_tables(document) -> list[list[list[str]]]:
    return [[[words(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]


def docx_headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def repeats_header(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def has_merged_cells(table) -> bool:
    tcs = table._tbl.iter(qn("w:tc"))
    return any(tc.tcPr is not None and (tc.tcPr.find(qn("w:gridSpan")) is not None
                                        or tc.tcPr.find(qn("w:vMerge")) is not None) for tc in tcs)


def cell_fill(cell) -> str | None:
    shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return shading.get(qn("w:fill")) if shading is not None else None

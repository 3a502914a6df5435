"""Word action plans (.docx): every table in the document, in order, with merged cells read as Word shows
them. The title is the document's first heading (or first paragraph); a numbered list of recommendations
above the table ("1) Provide further evidence ...") gives their numbers and full text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .base import ImportRefused, ParseResult
from .grid import MERGED, Grid
from .groups import NAMED_GROUP, group_name
from .safety import check_zip, max_rows
from .tables import assemble
from .titles import is_label
from .values import clean_text, split_recommendation

FORMAT = "docx"


def _rows(table: Table) -> Iterator[tuple[int, list]]:
    """Each row as one value per grid column: a horizontally merged cell fills every column it spans, a
    vertically merged one is MERGED below its first row (it holds what the cell above holds)."""
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list = [""] * (tr.grid_before or 0)
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span or 1)
            if tc.vMerge == "continue":
                cells.extend([MERGED] * span)
            else:
                text = clean_text(_Cell(tc, table).text)
                cells.extend([text] * span)
        yield number, cells


def _blocks(document) -> Iterator[Paragraph | Table]:
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def _outline(document) -> tuple[str, dict[int, str], list[tuple[Table, str | None]]]:
    """(title, numbered recommendations listed in the text, each table with the heading just above it)."""
    title, title_style, first, listed, tables = "", "", "", {}, []
    positions: dict[str, int] = {}
    heading = None  # the last heading since the table before
    for block in _blocks(document):
        if isinstance(block, Table):
            tables.append((block, heading))
            heading = None
            continue
        text = clean_text(block.text)
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if (style.startswith("Heading") or NAMED_GROUP.fullmatch(text)) and len(text) <= 120 and not is_label(text):
            heading = text
        if not tables and is_label(text):
            pass  # "Appendix 1" heads the paper; it does not name the plan
        elif not tables and style == "Title" and not title_style:
            title = title_style = text
        elif not tables and not title and style.startswith("Heading"):
            title = text
        elif not tables and not first and len(text) <= 200:
            first = text
        number, _, body = split_recommendation(text)
        num_pr = block._p.pPr.numPr if block._p.pPr is not None else None
        if number is None and num_pr is not None and num_pr.numId is not None:
            key = str(num_pr.numId.val)
            positions[key] = positions.get(key, 0) + 1
            number, body = positions[key], text
        if number is not None and body and number not in listed:
            listed[number] = body
    if sum(1 for _, above in tables if above) < 2:  # one heading names the document, not a group
        tables = [(table, None) for table, _ in tables]
    elif tables[0][1] == title and not title_style:  # the first heading heads the first group, not the plan
        title = ""
    return title or first, listed, tables


def parse(file: BinaryIO, mapping: dict[str, str] | None = None, name: str = "plan.docx") -> ParseResult:
    try:
        check_zip(file, name)
        file.seek(0)
        document = docx.Document(file)
        title, listed, tables = _outline(document)
    except ImportRefused as exc:
        return ParseResult.refusal(str(exc), FORMAT)
    except Exception as exc:  # noqa: BLE001 - an untrusted file may break python-docx in any way: refuse it
        return ParseResult.refusal(f"{name!r} could not be read as a Word document ({_short(exc)}).", FORMAT)

    def grids():
        return (Grid(name=f"Table {n}", rows=_rows(table), label=str_column, may_continue=True,
                     group=group_name(heading) if heading else None)
                for n, (table, heading) in enumerate(tables, start=1))

    try:
        return assemble(grids, mapping=mapping, fmt=FORMAT, max_rows=max_rows(), title=title, listed=listed,
                        keep=True)
    except Exception as exc:  # noqa: BLE001
        return ParseResult.refusal(f"{name!r} could not be read as a Word document ({_short(exc)}).", FORMAT)


def _short(exc: Exception) -> str:
    return (str(exc) or exc.__class__.__name__)[:200]


def str_column(index: int) -> str:
    return str(index + 1)

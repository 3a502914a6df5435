"""The Excel tracker: one row per action with every field as the plan stood on the as-at date. Status is
text with a matching fill; dates are real dates shown dd/mm/yyyy; the header is frozen and filtered; a
second sheet is the RAG key and a third says what the workbook is.

Every cell is written by `set_cell`: text is always a text cell (never a formula, whatever it starts with), made
printable (no control characters, which the file format cannot hold) and cut to what Excel shows in a cell;
only the dates and numbers we write are dates and numbers. Colours come from the RAG colours
(domain/rag.py COLOURS), as in every other output."""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from actiontrack.domain.rag import COLOURS
from actiontrack.domain.text import printable
from actiontrack.domain.ukdates import format_long, format_short
from actiontrack.plans.models import Plan

from .tracker import COLUMNS, build

DATE_FORMAT = "dd/mm/yyyy"
EXCEL_CELL_LIMIT = 32_767  # the most characters Excel holds in a cell (it counts UTF-16 units)
# Each RAG colour as its light fill with its dark text (contrast at least 4.5:1).
FILLS = {name: (colour["fill"].lstrip("#").upper(), colour["text"].lstrip("#").upper())
         for name, colour in COLOURS.items()}
HEADER_FILL = PatternFill("solid", start_color="0B0C0C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def fill_for(colour: str) -> tuple[PatternFill, Font]:
    background, text = FILLS.get(colour, FILLS["grey"])
    return PatternFill("solid", start_color=background), Font(bold=True, color=text)


def cell_text(value: str) -> str:
    """Text as a cell can hold it: printable, and cut (saying so) to what Excel holds in a cell. Only text
    stored before the length limits could be that long."""
    text = printable(value)
    if len(text.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT:
        return text
    note = " … [cut: longer than an Excel cell holds; the JSON export has it all]"
    keep = EXCEL_CELL_LIMIT - len(note) - len(text.encode("utf-16-le")) // 2 + len(text)
    return text[:keep] + note


def set_cell(cell, value) -> None:
    """A value as itself: text is always a text cell, never a formula, whatever it starts with."""
    if isinstance(value, str):
        text = cell_text(value)
        cell.value = text or None
        if text:
            cell.data_type = "s"
    else:
        cell.value = value


def _write(sheet, row: int, values) -> int:
    """Write a row of values through `set_cell`; the row's number."""
    for column, value in enumerate(values, start=1):
        set_cell(sheet.cell(row=row, column=column), value)
    return row


def _actions_sheet(sheet, tracker) -> None:
    _write(sheet, 1, tracker.headers)
    for cell in sheet[1]:
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
    for r, (values, rating) in enumerate(zip(tracker.rows, tracker.ratings, strict=True), start=2):
        for c, (column, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = sheet.cell(row=r, column=c)
            set_cell(cell, value)
            cell.alignment = WRAP
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "rag":
                cell.fill, cell.font = fill_for(rating.colour)
    for c, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = column.width
    sheet.freeze_panes = "D2"  # the group and the references stay in view
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(tracker.rows) + 1}"
    sheet.print_title_rows = "1:1"


def _key_sheet(sheet, tracker) -> None:
    scheme, as_at = tracker.view.scheme, tracker.view.as_at
    row = _write(sheet, 1, ["RAG status", "Meaning", "Number as at " + format_short(as_at)])
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    counts = dict(tracker.view.counts)
    for band in scheme.bands:
        if not band.in_key and not counts.get(band):
            continue
        row = _write(sheet, row + 1, [band.title, band.meaning, counts.get(band, 0)])
        sheet.cell(row=row, column=1).fill, sheet.cell(row=row, column=1).font = fill_for(band.colour)
    row = _write(sheet, row + 2, [f"RAG scheme: {scheme.name}."])  # after a blank row
    _write(sheet, row + 1, ["A RAG status is worked out by actiontrack from each action's due date and status as at "
                            "the date shown; it is never typed in. Change the status or the due date, not the colour."])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 36, 40
    sheet.column_dimensions["C"].width = 22


def _about_sheet(sheet, plan: Plan, as_at: date, count: int) -> None:
    rows = [("Plan", plan.title), ("Reference", plan.reference), ("Organisation", plan.organisation),
            ("Source", plan.get_source_kind_display() + (f" by {plan.source_body}" if plan.source_body else "")),
            ("Reports to", plan.board), ("Plan agreed", plan.agreed_on), ("As at", as_at), ("Actions", count),
            ("Classification", plan.classification),
            ("Exported", timezone.localtime().strftime("%d/%m/%Y %H:%M")),
            ("About this file", "One row per action as the plan stood on the as-at date. Edit it and import it "
                                "again to update the plan: actions are matched by their ref.")]
    for row, (label, value) in enumerate(rows, start=1):
        _write(sheet, row, [label, value])
        sheet.cell(row=row, column=1).font = Font(bold=True)
        sheet.cell(row=row, column=2).alignment = WRAP
        if isinstance(value, date):
            sheet.cell(row=row, column=2).number_format = DATE_FORMAT
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 18, 80


def render(plan: Plan, as_at: date) -> bytes:
    tracker = build(plan, as_at)
    workbook = Workbook()
    actions = workbook.active
    actions.title = "Actions"
    _actions_sheet(actions, tracker)
    _key_sheet(workbook.create_sheet("RAG key"), tracker)
    _about_sheet(workbook.create_sheet("About"), plan, as_at, len(tracker.rows))
    workbook.properties.title = printable(plan.title)
    workbook.properties.subject = printable(f"{plan.reference} as at {format_long(as_at)}")
    workbook.properties.creator = "actiontrack"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""A list of actions found across plans (/actions/ with its filters) as CSV or XLSX: one row per action, the RAG
status as text beside its reason, dates as dd/mm/yyyy. The same safety as the tracker exports: no cell runs as a
formula, text made printable."""

from __future__ import annotations

import csv
import io
from datetime import date

from actiontrack.domain.text import printable
from actiontrack.domain.ukdates import format_long, format_short

from .export_csv import neutralise

HEADERS = ["Plan", "Plan title", "Group", "Recommendation", "Action", "Action text", "Owners", "Due date",
           "Due condition", "Times revised", "Progress", "RAG status", "RAG reason", "Latest update",
           "Latest update for", "Closure by an outside body"]
WIDTHS = [12, 30, 20, 10, 8, 60, 40, 12, 14, 8, 14, 12, 40, 60, 24, 34]


def _values(plan, row, progress) -> list:
    update = progress.get(row.id)
    return [plan.reference, plan.title, row.group, row.rec_ref, row.ref, row.text, row.owners_text, row.due_on,
            row.due_condition, row.revisions, row.lifecycle.label, row.rating.label, row.rating.reason,
            update.text if update else "", update.byline if update else "", row.external_text]


def render_csv(rows, progress: dict, as_at: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for plan, row in rows:
        writer.writerow([neutralise(printable(format_short(value) if isinstance(value, date) else str(value)))
                         for value in _values(plan, row, progress)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(rows, progress: dict, as_at: date) -> bytes:
    # Loaded here, as the other formats are (../registry.py): openpyxl, with the numpy it finds, is a seventh of
    # the start-up time of every server worker and `actiontrack` command, which this module's importers share.
    from openpyxl import Workbook

    from .export_xlsx import DATE_FORMAT, HEADER_FILL, HEADER_FONT, WRAP, fill_for, set_cell

    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    rag = HEADERS.index("RAG status") + 1
    for number, (plan, row) in enumerate(rows, start=2):
        for column, value in enumerate(_values(plan, row, progress), start=1):
            cell = sheet.cell(row=number, column=column)
            set_cell(cell, value)
            cell.alignment = WRAP
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
        sheet.cell(row=number, column=rag).fill, sheet.cell(row=number, column=rag).font = fill_for(
            row.rating.colour)
    sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet("About")
    about.append(["Actions found", len(rows)])
    about.append(["As at", format_long(as_at)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

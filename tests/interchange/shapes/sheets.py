"""Small helpers the Excel fixtures share: a workbook with fixed properties, rows written with wrapped text,
real dates where a tracker keeps real dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FIXED = datetime(2024, 1, 1, 9, 0)


def workbook(title: str = "") -> Workbook:
    book = Workbook()
    book.properties.creator = "actiontrack shapes corpus"
    book.properties.created = book.properties.modified = FIXED
    if title:
        book.properties.title = title
    return book


def sheet(book: Workbook, name: str):
    """A new sheet named `name` (the first call renames the default one)."""
    if book.active is not None and book.active.title == "Sheet" and book.active.max_row == 1 \
            and book.active["A1"].value is None:
        book.active.title = name
        return book.active
    return book.create_sheet(name)


def put(ws, row: int, values: list, bold: bool = False) -> None:
    """Values from column A; a `date` is written as a real Excel date shown dd/mm/yyyy."""
    for column, value in enumerate(values, start=1):
        if value is None or value == "":
            continue
        cell = ws.cell(row=row, column=column, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, date):
            cell.number_format = "dd/mm/yyyy"
        if bold:
            cell.font = Font(bold=True)


def span(ws, row: int, first: int, last: int) -> None:
    ws.merge_cells(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")


def down(ws, column: int, first: int, last: int) -> None:
    if last > first:
        letter = get_column_letter(column)
        ws.merge_cells(f"{letter}{first}:{letter}{last}")


def widths(ws, values: list[int]) -> None:
    for column, width in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def save(book: Workbook, path: Path) -> None:
    book.save(path)


def real(day: str | None) -> date | None:
    return date.fromisoformat(day) if day else None

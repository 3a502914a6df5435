"""Excel trackers (.xlsx), read with openpyxl in read-only mode: rows stream from the file and are never
all held in memory. Every sheet is read; sheets without a header row (a RAG key, notes) are left out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from defusedxml.ElementTree import iterparse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape

from . import status_key
from .base import ImportRefused, ParseResult
from .columns import header_score
from .grid import Grid
from .groups import sheet_groups
from .safety import check_zip, max_rows
from .status_key import key_meanings
from .tables import assemble
from .values import clean_text

FORMAT = "xlsx"
KEY_SCAN = 60  # rows of each sheet searched for a key to its colours


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _sheets(workbook) -> Iterator:
    for sheet in workbook.worksheets:
        if hasattr(sheet, "iter_rows"):
            sheet.reset_dimensions()  # trust the rows, not the size a sheet declares
            yield sheet


def _grids(stream: BinaryIO, groups: bool) -> Iterator[Grid]:
    stream.seek(0)
    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        for sheet in _sheets(workbook):
            rows = ((n, [_unescaped(c) for c in cells])
                    for n, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1))
            yield Grid(name=f"Sheet {sheet.title!r}", rows=rows, label=_letter,
                       group=" ".join(sheet.title.split()) if groups else "", hidden=hidden_columns(sheet))
    finally:
        workbook.close()


def hidden_columns(sheet) -> frozenset[int]:
    """The 0-based columns a sheet hides (`<col min max hidden="1">`, before its rows). Read-only openpyxl
    does not load column widths, so the sheet's XML is read up to its first row."""
    hidden: set[int] = set()
    source = sheet._get_source()  # noqa: SLF001 - the read-only sheet's own way to its XML
    try:
        for _, element in iterparse(source, events=("start",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "sheetData":
                break
            if tag == "col" and element.get("hidden") in ("1", "true"):
                low, high = int(element.get("min", "1")), int(element.get("max", "1"))
                hidden.update(range(low - 1, min(high, low + 200)))  # a hidden run to the sheet's edge stays cheap
    except Exception:  # noqa: BLE001 - a sheet whose columns cannot be read has none hidden; its rows still are
        return frozenset()
    finally:
        source.close()
    return frozenset(hidden)


def _look_ahead(workbook, mapping: dict[str, str] | None) -> tuple[list[str], dict]:
    """Before reading: the sheets with a header row near their top (a workbook with a tracker on each of
    several sheets — a sheet per directorate, per volume — is grouped by them), and the colours' meanings a
    key near the top of any sheet gives."""
    trackers, key_rows = [], []
    for sheet in _sheets(workbook):
        for cells in sheet.iter_rows(min_row=1, max_row=KEY_SCAN, values_only=True):
            key_rows.append(cells)
            if sheet.title not in trackers and header_score([c if isinstance(c, str) else "" for c in cells],
                                                            mapping):
                trackers.append(sheet.title)
    return trackers, key_meanings(key_rows)


def _unescaped(value):
    """Excel writes a control character in text as an escape ("_x000B_" for Word's manual line break), which
    openpyxl leaves as it is: read it as the character, for `clean_text` to normalise."""
    return unescape(value) if isinstance(value, str) and "_x" in value else value


def parse(file: BinaryIO, mapping: dict[str, str] | None = None, name: str = "workbook.xlsx") -> ParseResult:
    try:
        check_zip(file, name)
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
        title = clean_text(workbook.properties.title) if workbook.properties else ""
        trackers, key = _look_ahead(workbook, mapping)
        groups = sheet_groups(trackers)
        workbook.close()
    except ImportRefused as exc:
        return ParseResult.refusal(str(exc), FORMAT)
    except Exception as exc:  # noqa: BLE001 - an untrusted file may break openpyxl in any way: refuse it
        return ParseResult.refusal(f"{name!r} could not be read as an Excel workbook ({_short(exc)}).", FORMAT)
    try:
        read = {**status_key.as_mapping(key), **(mapping or {})}  # what the person gives wins over the key
        result = assemble(lambda: _grids(file, groups), mapping=read, fmt=FORMAT, max_rows=max_rows(), title=title)
        if key:
            result.notes.insert(0, status_key.note(key))
        return result
    except Exception as exc:  # noqa: BLE001
        return ParseResult.refusal(f"{name!r} could not be read as an Excel workbook ({_short(exc)}).", FORMAT)


def _short(exc: Exception) -> str:
    return (str(exc) or exc.__class__.__name__)[:200]

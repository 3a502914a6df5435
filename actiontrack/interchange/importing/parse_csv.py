"""CSV files in any common encoding (UTF-8 with or without a byte-order mark, UTF-16 as Excel's "Unicode
text", Windows-1252 as older Excel writes) and delimiter (comma, semicolon, tab, pipe), sniffed from the
content. Rows stream from the file."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from .base import WARNING, Location, ParseResult, Problem
from .grid import Grid
from .safety import max_rows
from .tables import assemble

FORMAT = "csv"
DELIMITERS = ",;\t|"
NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")  # how actiontrack's CSV export protects cells
csv.field_size_limit(1024 * 1024)


def detect_encoding(stream: BinaryIO) -> tuple[str, str]:
    """(encoding, what to tell the person, if anything). The whole file is checked, a chunk at a time."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(65536):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252", "The file is not UTF-8; it was read as Windows-1252 (what older Excel saves). Check " \
                         "characters such as £ and – in the preview."
    finally:
        stream.seek(0)
    return "utf-8", ""


def _sample(stream: BinaryIO, encoding: str) -> str:
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        return text.read(32768)
    finally:
        text.detach()
        stream.seek(0)


def detect_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        lines = [line for line in sample.splitlines()[:20] if line.strip()]
        counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith(NEUTRALISED) else cell


def _rows(stream: BinaryIO, encoding: str, delimiter: str) -> Iterator[tuple[int, list]]:
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    try:
        reader = csv.reader(text, delimiter=delimiter)
        for cells in reader:
            yield reader.line_num, [_unneutralise(cell) for cell in cells]
    finally:
        with contextlib.suppress(ValueError):  # the file may be closed already when a reading stops early
            text.detach()


def parse(file: BinaryIO, mapping: dict[str, str] | None = None, name: str = "tracker.csv") -> ParseResult:
    encoding, said = detect_encoding(file)
    delimiter = detect_delimiter(_sample(file, encoding))
    problems = [Problem(WARNING, said, Location("CSV file"))] if said else []
    shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}[delimiter]

    def grids():
        return [Grid(name="CSV file", rows=_rows(file, encoding, delimiter), label=lambda i: str(i + 1))]

    try:
        result = assemble(grids, mapping=mapping, fmt=FORMAT, max_rows=max_rows(), problems=problems)
    except csv.Error as exc:
        return ParseResult.refusal(f"{name!r} could not be read as CSV ({exc}).", FORMAT)
    names = {"utf-8-sig": "UTF-8 with a byte-order mark", "utf-8": "UTF-8", "utf-16": "UTF-16",
             "cp1252": "Windows-1252"}
    result.notes.insert(0, f"Read as {names[encoding]}, separated by {shown}s.")
    return result

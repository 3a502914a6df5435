"""The formats, each in its own module, imported only when used (DESIGN rule 4; like healthchecks'
TRANSPORTS). Importers: parse(file, mapping=None, name=...) -> ParseResult, no database access.
Exporters: render(plan, as_at) -> bytes."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import BinaryIO

from .importing.base import ImportRefused, ParseResult
from .importing.safety import check

PARSERS = {
    "docx": "actiontrack.interchange.importing.parse_docx",
    "xlsx": "actiontrack.interchange.importing.parse_xlsx",
    "csv": "actiontrack.interchange.importing.parse_csv",
    "json": "actiontrack.interchange.importing.parse_json",
}


@dataclass(frozen=True)
class Exporter:
    module: str
    content_type: str
    extension: str
    label: str


EXPORTERS = {
    "xlsx": Exporter("actiontrack.interchange.exporting.export_xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel tracker"),
    "csv": Exporter("actiontrack.interchange.exporting.export_csv", "text/csv; charset=utf-8", ".csv", "CSV"),
    "json": Exporter("actiontrack.interchange.exporting.export_json", "application/json", ".json", "JSON (whole plan)"),
}


def parser(fmt: str):
    return import_module(PARSERS[fmt])


def exporter(fmt: str):
    return import_module(EXPORTERS[fmt].module)


def parse_file(file: BinaryIO, name: str, mapping: dict[str, str] | None = None) -> ParseResult:
    """Check the file (size, content against its name, zip bombs, XML entities), then parse it with the
    module for its format. A refused file gives a result with `refused` set and nothing read."""
    try:
        fmt = check(file, name)
    except ImportRefused as exc:
        return ParseResult.refusal(str(exc))
    file.seek(0)
    return parser(fmt).parse(file, mapping=mapping, name=name)

"""One module per output format, each with one function, `render(data: ReportData) -> bytes` (DESIGN rule 4).
Modules are imported only when their format is first asked for, so the web process does not load WeasyPrint
or python-docx until someone downloads a report."""

from __future__ import annotations

import importlib

from ..choices import FORMATS
from ..data import ReportData

RENDERERS = {
    "pdf": "actiontrack.reports.renderers.render_pdf",
    "docx": "actiontrack.reports.renderers.render_docx",
    "html": "actiontrack.reports.renderers.render_html",
}
assert set(RENDERERS) == set(FORMATS), "every format has a renderer"


class UnknownFormat(ValueError):
    pass


def render(fmt: str, data: ReportData, *, docx_template: bytes | None = None) -> bytes:
    """The report in one format. `docx_template`: the organisation's committee-paper template, which the DOCX is
    built on (the other formats have their own layout)."""
    if fmt not in RENDERERS:
        raise UnknownFormat(f"unknown report format {fmt!r}; known: {', '.join(RENDERERS)}")
    module = importlib.import_module(RENDERERS[fmt])
    return module.render(data, docx_template) if fmt == "docx" and docx_template else module.render(data)


def filename(data: ReportData, fmt: str) -> str:
    """PIP-PR-board-report-2021-11-30.pdf (the meeting date), with -draft for a draft and -public for the public
    version."""
    draft = "-draft" if data.is_draft else ""
    public = "-public" if data.public else ""
    return (f"{data.plan_reference}-board-report-{data.meeting_date.isoformat()}{draft}{public}."
            f"{FORMATS[fmt].extension}")

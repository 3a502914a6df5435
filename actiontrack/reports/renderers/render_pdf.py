"""The board report as a tagged PDF (PDF/UA-1) drawn by WeasyPrint from the HTML document: headings, lists,
tables with their header cells and the chart's alt text become the PDF's structure tree; the title and
language come from the document's <title> and lang."""

from __future__ import annotations

import logging

from ..data import ReportData
from .render_html import document

# WeasyPrint logs each layout step at INFO; one report is one line of news, not ten.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render(data: ReportData) -> bytes:
    from weasyprint import HTML

    return HTML(string=document(data, for_pdf=True)).write_pdf(pdf_variant="pdf/ua-1")

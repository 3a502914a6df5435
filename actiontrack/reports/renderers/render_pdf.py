"""The board report as a tagged PDF (PDF/UA-1) drawn by WeasyPrint from the HTML document: headings, lists,
tables with their header cells and the chart's alt text become the PDF's structure tree; the title and
language come from the document's <title> and lang."""

from __future__ import annotations

import io
import logging

from ..data import ReportData
from .render_html import document

# WeasyPrint logs each layout step at INFO; one report is one line of news, not ten.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("pikepdf._core").setLevel(logging.WARNING)  # it announces itself at INFO on first use


def render(data: ReportData) -> bytes:
    from weasyprint import HTML

    return with_header_scopes(HTML(string=document(data, for_pdf=True)).write_pdf(pdf_variant="pdf/ua-1"))


def with_header_scopes(pdf: bytes) -> bytes:
    """WeasyPrint tags header cells /TH without saying which cells they head, so a screen reader cannot announce
    them with the data (PDF/UA-1, Matterhorn 15-003). The report's HTML says it: every header cell in a table's
    head is scope="col", every one in its body scope="row". Each /TH gets the same /Scope here."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pending = [(doc.Root.StructTreeRoot, None)]
        while pending:
            node, scope = pending.pop()
            role = node.get("/S")
            if role in (pikepdf.Name.THead, pikepdf.Name.TBody, pikepdf.Name.TFoot):
                scope = pikepdf.Name.Column if role == pikepdf.Name.THead else pikepdf.Name.Row
            elif role == pikepdf.Name.TH and scope is not None:
                _table_attributes(node)[pikepdf.Name.Scope] = scope
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    pending.append((kid, scope))
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def _table_attributes(cell):
    """The cell's attribute dictionary owned by /Table, made if it has none."""
    import pikepdf

    found = cell.get("/A")
    for attributes in found if isinstance(found, pikepdf.Array) else [found]:
        if isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == pikepdf.Name.Table:
            return attributes
    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
    if found is None:
        cell.A = attributes
    else:
        cell.A = pikepdf.Array([*(found if isinstance(found, pikepdf.Array) else [found]), attributes])
    return attributes

"""The board report as a tagged PDF (PDF/UA-1) drawn by WeasyPrint from the HTML document: headings, lists,
tables with their header cells and the chart's alt text become the PDF's structure tree; the title and
language come from the document's <title> and lang.

WeasyPrint fetches what a document points to (images, stylesheets), from files or the network. The report's
text is always escaped, so it cannot point anywhere; and WeasyPrint is given a fetcher that fetches nothing
but the chart we drew (a PNG data: URI) and our own static files, so nothing could reach the server's files or
the network even if it did."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..data import ReportData
from .render_html import document

STATIC = (Path(__file__).resolve().parent.parent / "static").resolve()
CHART_URI = "data:image/png;base64,"

# WeasyPrint logs each layout step at INFO; one report is one line of news, not ten.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("pikepdf._core").setLevel(logging.WARNING)  # it announces itself at INFO on first use


class Refused(ValueError):
    """A URL the report may not fetch."""


def allowed_path(url: str) -> Path:
    """The file a URL names, if it is one of our static files; otherwise Refused."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise Refused(f"the report fetches only its own static files, not {url[:80]!r}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC) or not path.is_file():
        raise Refused(f"{path} is not one of the report's static files")
    return path


def url_fetcher():
    """WeasyPrint's fetcher, limited to the chart's PNG data: URI and files under reports/static."""
    from weasyprint.urls import URLFetcher

    class StaticOnly(URLFetcher):
        def __init__(self):
            super().__init__(timeout=5, allowed_protocols=("data", "file"), allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith(CHART_URI):
                return super().fetch(url, headers)
            return super().fetch(allowed_path(url).as_uri(), headers)

    return StaticOnly()


def render(data: ReportData) -> bytes:
    from weasyprint import HTML

    html = HTML(string=document(data, for_pdf=True), url_fetcher=url_fetcher())
    return with_header_scopes(html.write_pdf(pdf_variant="pdf/ua-1"))


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
            if role == pikepdf.Name.Table:
                scope = None  # a table inside a cell has its own head and body
            elif role in (pikepdf.Name.THead, pikepdf.Name.TBody):
                scope = pikepdf.Name.Column if role == pikepdf.Name.THead else pikepdf.Name.Row
            elif role == pikepdf.Name.TH and scope is not None:
                _set_scope(node, scope)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    pending.append((kid, scope))
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def _set_scope(cell, scope) -> None:
    """Set /Scope in the cell's /Table attributes, on a copy: an attribute dictionary may be shared between
    cells, and a head cell's scope must not become a body cell's."""
    import pikepdf

    found = cell.get("/A")
    entries = list(found) if isinstance(found, pikepdf.Array) else [] if found is None else [found]
    table = next((e for e in entries if isinstance(e, pikepdf.Dictionary) and e.get("/O") == pikepdf.Name.Table),
                 None)
    mine = pikepdf.Dictionary({**(dict(table.items()) if table is not None else {"/O": pikepdf.Name.Table}),
                               "/Scope": scope})
    entries = [mine if e is table else e for e in entries] if table is not None else [*entries, mine]
    cell.A = entries[0] if len(entries) == 1 else pikepdf.Array(entries)

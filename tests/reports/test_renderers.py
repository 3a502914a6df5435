"""The renderers: one module per format behind `render(data) -> bytes`, loaded only when their format is asked
for; the chart is a PNG whose numbers are also in its alt text; the HTML file stands alone."""

import os
import re
import subprocess
import sys

import pytest

from actiontrack.reports import renderers
from actiontrack.reports.renderers.chart import _draw, chart_png
from actiontrack.reports.selectors import report_data

pytestmark = pytest.mark.django_db


def test_the_web_process_does_not_load_weasyprint_python_docx_or_matplotlib_until_asked():
    code = ("import django, sys; django.setup(); import actiontrack.reports.views, actiontrack.reports.selectors, "
            "actiontrack.reports.services; print(sorted(m for m in ('weasyprint', 'docx', 'matplotlib') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "actiontrack.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_format_has_a_renderer_and_an_unknown_one_is_refused(november_report):
    data = report_data(november_report)
    assert set(renderers.RENDERERS) == {"pdf", "docx", "html"}
    with pytest.raises(renderers.UnknownFormat, match="unknown report format 'rtf'"):
        renderers.render("rtf", data)
    assert renderers.filename(data, "docx") == "PIP-PR-board-report-2021-11-30-draft.docx"


def test_the_chart_is_a_png_drawn_the_same_every_time(november_report):
    summary = report_data(november_report).blocks("status_summary")[0]
    png = chart_png(summary)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    _draw.cache_clear()
    assert chart_png(summary) == png
    assert summary.chart_alt.endswith("Red – Overdue: 0; Amber – On track but to be completed: 3; "
                                      "Green – Complete: 7. Total: 10.")


def test_the_html_file_stands_alone_with_its_language_title_and_styles_inside(november_report):
    html = renderers.render("html", report_data(november_report)).decode()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert "<title>Monthly Update - Protection Improvement Plan Peer Review – Performance and Resources Board, " \
           "30 November 2021</title>" in html
    assert "<style>" in html and ".status--green, .tag--green { background: #cce2d8; color: #005a30; }" in html
    assert not re.search(r'(src|href)="(?!data:)', html)  # nothing fetched from anywhere
    assert '<th scope="row">1.1</th>' in html and "<caption" in html


def _tagged_table_pdf(shared: bool) -> bytes:
    """A minimal PDF whose structure tree holds a table: a head row and a body row, one /TH each, with their
    /Table attributes either shared (one dictionary) or each its own."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    attributes = pdf.make_indirect(pikepdf.Dictionary(O=pikepdf.Name.Table))

    def th():
        own = attributes if shared else pikepdf.Dictionary(O=pikepdf.Name.Table)
        return pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.TH, A=own, K=pikepdf.Array()))

    def section(role, cell):
        row = pikepdf.Dictionary(S=pikepdf.Name.TR, K=pikepdf.Array([cell]))
        return pikepdf.Dictionary(S=role, K=pikepdf.Array([row]))

    head_cell, body_cell = th(), th()
    inner = pikepdf.Dictionary(S=pikepdf.Name.Table, K=pikepdf.Array([
        pikepdf.Dictionary(S=pikepdf.Name.TR, K=pikepdf.Array([th()]))]))  # a table in a cell: no head or body
    table = pikepdf.Dictionary(S=pikepdf.Name.Table, K=pikepdf.Array([
        section(pikepdf.Name.THead, head_cell), section(pikepdf.Name.TBody, body_cell),
        pikepdf.Dictionary(S=pikepdf.Name.TD, K=pikepdf.Array([inner]))]))
    pdf.Root.StructTreeRoot = pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([table]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("shared", [False, True])
def test_header_scopes_follow_the_tables_head_and_body_even_when_attributes_are_shared(shared):
    import io

    import pikepdf

    from actiontrack.reports.renderers.render_pdf import with_header_scopes

    with pikepdf.open(io.BytesIO(with_header_scopes(_tagged_table_pdf(shared)))) as pdf:
        table = pdf.Root.StructTreeRoot.K[0]
        head_cell = table.K[0].K[0].K[0]
        body_cell = table.K[1].K[0].K[0]
        inner_cell = table.K[2].K[0].K[0].K[0]
        assert head_cell.A.Scope == pikepdf.Name.Column and str(head_cell.A.O) == "/Table"
        assert body_cell.A.Scope == pikepdf.Name.Row
        assert "/Scope" not in inner_cell.A

"""Status colours come from one place (reports/palette.py, domain/rag.py COLOURS) into every output: no
renderer, exporter or report stylesheet names a status colour of its own, so when the palette changes every
output changes with it, and nothing that is not a status (the draft notice) looks like one."""

from pathlib import Path

import pytest

from actiontrack.domain.rag import COLOURS
from actiontrack.reports.palette import PALETTE

ROOT = Path(__file__).resolve().parents[2] / "actiontrack"
OUTPUTS = ["reports/static/reports/document.css", "reports/static/reports/report.css",
           "reports/renderers/render_docx.py", "reports/renderers/render_html.py", "reports/renderers/render_pdf.py",
           "reports/renderers/chart.py", "reports/templates/reports/_document.html",
           "reports/templates/reports/standalone.html", "interchange/exporting/export_xlsx.py"]
STATUS_COLOURS = {value.lower() for fill, _, bar in PALETTE.values() for value in (fill, bar)} | {
    value.lower() for colour in COLOURS.values() for value in (colour["fill"], colour["strong"])}


@pytest.mark.parametrize("path", OUTPUTS)
def test_no_output_names_a_status_colour_of_its_own(path):
    text = (ROOT / path).read_text().lower()
    found = sorted(colour for colour in STATUS_COLOURS
                   if colour in text or colour.lstrip("#") in text)
    assert not found, f"{path} names {found}: take status colours from the palette"

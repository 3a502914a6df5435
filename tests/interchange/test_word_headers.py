"""Word action plans whose header is two rows: a cell merged across two columns ("Implementation date") over
"Original | Revised", and line breaks inside header cells. Built with python-docx as Word writes them
(gridSpan), and read back as a plan manager would see them."""

import io
from datetime import date

import docx
import pytest

from actiontrack.interchange.registry import parse_file


def word_plan(header_cells_break: bool = False) -> bytes:
    document = docx.Document()
    document.add_heading("Internal Audit Follow-up: Fleet Management", level=1)
    table = document.add_table(rows=4, cols=6)
    table.style = "Table Grid"
    top = ["Ref", "Finding", "Agreed management action", "Responsible\nofficer" if header_cells_break
           else "Responsible officer", "Implementation date", ""]
    for c, text in enumerate(top):
        table.cell(0, c).text = text
    table.cell(0, 4).merge(table.cell(0, 5))  # one cell spanning "Original | Revised", as Word's gridSpan
    for c in range(4):
        table.cell(0, c).merge(table.cell(1, c))  # the first four headers span both header rows
    table.cell(1, 4).text, table.cell(1, 5).text = "Original", "Revised"
    rows = [["1", "Vehicle checks are not recorded.", "Introduce a daily check sheet.", "Fleet Manager",
             "31/03/2023", "30/06/2023"],
            ["2", "Fuel cards are not reconciled.", "Reconcile fuel cards monthly.", "Finance Manager",
             "30/04/2023", ""]]
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("breaks", [False, True])
def test_a_merged_date_header_over_original_and_revised_gives_the_baseline_and_the_date_in_force(breaks):
    parsed = parse_file(io.BytesIO(word_plan(header_cells_break=breaks)), "fleet.docx")
    assert not [p for p in parsed.problems if p.is_error], parsed.problems
    fields = {" ".join(c.header.split()): c.field for c in parsed.columns}
    assert fields["Responsible officer"] == "owner" and fields["Ref"] == "ref"
    rows = list(parsed.rows)
    assert [(r.rec_ref, r.owners, r.baseline.value, r.due.value if r.due else None) for r in rows] == [
        ("1", "Fleet Manager", date(2023, 3, 31), date(2023, 6, 30)),
        ("2", "Finance Manager", date(2023, 4, 30), date(2023, 4, 30))]
    assert {c.header: c.field for c in parsed.columns if c.field in ("baseline", "revised")} == {
        "Original Implementation date": "baseline", "Revised Implementation date": "revised"}
    assert parsed.title == "Internal Audit Follow-up: Fleet Management"

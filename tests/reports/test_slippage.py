"""The board report's slippage table: every action due later than first agreed, most days first, with each
revision of its date, why and who approved it, as at the report's date; in the web, PDF and Word versions alike."""

from actiontrack.reports.selectors import report_data
from actiontrack.reports.slippage import NONE_SLIPPED, SLIPPAGE_HEADING

from . import readback


def slippage_of(data):
    [table] = data.blocks("slippage_table")
    return table


def test_the_november_report_lists_the_four_slipped_actions_most_days_first(november_report):
    table = slippage_of(report_data(november_report))
    assert [(row.ref, row.baseline, row.days, row.revisions) for row in table.rows] == [
        ("1.1", "31/05/2021", 214, 1), ("5.1", "31/07/2021", 153, 1), ("2.1", "31/05/2021", 61, 1),
        ("6.2", "31/05/2021", 61, 1)]
    [revision] = table.rows[0].history
    assert revision.startswith("25/05/2021: 31/05/2021 → 31/12/2021 (On Approval).")
    assert revision.endswith("Approved by Demo loader.")


def test_before_any_date_moved_the_report_says_none_slipped(november_report):
    november_report.as_at = november_report.meeting_date = november_report.plan.agreed_on
    data = report_data(november_report)
    assert not data.blocks("slippage_table") and NONE_SLIPPED in [b.text for b in data.blocks("paragraph")]


def test_the_pdf_and_the_word_document_carry_the_table(november_report, tmp_path):
    from actiontrack.reports import renderers

    data = report_data(november_report)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(renderers.render("pdf", data))
    text = readback.pdf_text(pdf)
    assert SLIPPAGE_HEADING in text and "Each revision, why and who approved it" in text
    docx = tmp_path / "report.docx"
    docx.write_bytes(renderers.render("docx", data))
    tables = readback.docx_document(docx).tables
    slipped = next(t for t in tables if t.rows[0].cells[-1].text == "Each revision, why and who approved it")
    assert [row.cells[0].text for row in slipped.rows[1:]] == ["1.1", "5.1", "2.1", "6.2"]

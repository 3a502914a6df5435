"""Acceptance: the demo plan's report for the meeting of 30 November 2021 reads like the source board report
(tests/seeds/000_e915e5bff516a6a7.txt) — every section heading in order, the header fields, the 8
recommendations, the RAG key in the source's words, the 10 actions with their owners and dates — and,
unlike the source, carries a status in every row (7 Green, 3 Amber). Checked in what a reader gets: the
PDF's text as `pdftotext` extracts it, and the DOCX's cells as python-docx reads them.

The expected rows are transcribed from the source, and the transcription is itself checked against the
source's text, so neither can drift."""

import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from docx.oxml.ns import qn

from actiontrack.domain.ukdates import format_due, format_long, parse_uk_date
from actiontrack.people.models import Post
from actiontrack.reports import renderers
from actiontrack.reports.selectors import report_data

from .readback import (
    cell_fill,
    docx_document,
    docx_headings,
    docx_tables,
    has_merged_cells,
    pdf_action_rows,
    pdf_text,
    repeats_header,
    words,
)

SOURCE = Path(__file__).resolve().parent.parent / "seeds" / "000_e915e5bff516a6a7.txt"
SOURCE_TEXT = SOURCE.read_text()

# ref: (action text, owner cell as the source writes it, delivery date cell as written, colour the source implies);
# "|" marks where the source's table breaks the action's text over two of its rows.
SOURCE_ROWS = {
    "1.1": ("Develop a communications plan to share with customers.",
            "Head of Protection and Prevention/Corporate comms.", "31/12/2021 (On Approval)", "Amber"),
    "2.1": ("Rebalance the flexi duty rota and make best use of staff we already have.", "Head of Ops Policy",
            "31/07/2021", "Green"),
    "2.2": ("Establish an out of hours system|for day duty fire safety officers.", "Head of Protection", "28/02/2021",
            "Green"),
    "3.1": ("This is included in the staff succession planning currently and will be picked up in the annual review "
            "of the Protection strategy.", "Head of Prevention and Protection", "31//12/2021", "Amber"),
    "4.1": ("Set a performance target in the monthly, quarterly and annual performance reports. To be monitored at "
            "1/4ly P and P board.", "Head of Prevention and Protection", "01/04/2021", "Green"),
    "5.1": ("Restructure of the Protection function then embed this into the service people strategy",
            "Head of Prevention and Protection", "31/12/2021", "Amber"),
    "6.1": ("Embed the Quality Assurance Process within Protection activities", "Head of Protection", "31/03/2021",
            "Green"),
    "6.2": ("Create a recording and reporting process to enable activity to be monitored and action taken to "
            "resolve.", "Head of Prevention and Protection", "31/07/2021", "Green"),
    "7.1": ("Review the Enforcement policy to include clearer objectives and rationale.",
            "Head of Prevention and Protection", "28/02/2021", "Green"),
    "8.1": ("business engagement managers role", "Head of Prevention and Protection/ Corporate Comms", "31/05/2021",
            "Green"),
}
STATUS_TEXT = {"Green": "Green – Complete", "Amber": "Amber – On track but to be completed"}

# The header table of the source: its label -> the label the generated report uses.
HEADER_LABELS = {"Meeting": "Meeting", "Agenda Item No.": "Agenda item no.", "Meeting Date": "Meeting date",
                 "Report Authors:": "Report authors", "Presented By": "Presented by", "Subject": "Subject",
                 "Type of Report:": "Type of report", "For Publication": "For publication"}

# The board report's list rewords two of the agreed plan's recommendations (001_...txt): (plan's words, report's
# words). The demo journals both changes between the documents, so the report reads as the source.
REWORDED = {2: ("Out of Hours FP cover", "Out of Hours Fire Safety Officer cover"),
            3: ("HMI will use", "HMICFRS will use")}


def source_headings() -> list[str]:
    """The source's section headings: its lines in capitals."""
    return [line.strip() for line in SOURCE_TEXT.splitlines() if re.fullmatch(r"[A-Z][A-Z ]+[A-Z]", line.strip())]


def source_header() -> dict[str, str]:
    """The header table: tab-separated label/value pairs on the lines before RECOMMENDATIONS."""
    fields = {}
    for line in SOURCE_TEXT.split("RECOMMENDATIONS")[0].splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        for label, value in zip(cells[0::2], cells[1::2], strict=False):
            if label and value:
                fields[label] = value
    return fields


def source_recommendations() -> dict[int, str]:
    return {int(number): words(text) for number, text in re.findall(r"^- (\d)\) (.+)$", SOURCE_TEXT, re.M)}


def source_key() -> list[str]:
    return re.findall(r"^((?:Red|Amber|Green) – .+\.)$", SOURCE_TEXT, re.M)


@pytest.fixture
def files(november_report, tmp_path):
    data = report_data(november_report)
    paths = {}
    for fmt in ("pdf", "docx"):
        paths[fmt] = tmp_path / f"november.{fmt}"
        paths[fmt].write_bytes(renderers.render(fmt, data))
    return paths


def test_the_transcription_is_in_the_source_document():
    text = words(SOURCE_TEXT)
    for ref, (action, owner, due, _) in SOURCE_ROWS.items():
        for fragment in (owner, due):
            assert words(fragment) in text, ref
        assert all(words(part) in text for part in action.split("|")), ref
    assert len(source_headings()) == 15
    assert source_headings()[0] == "RECOMMENDATIONS" and source_headings()[-1] == (
        "LIST OF BACKGROUND PAPERS AND APPENDICES")
    assert source_key() == ["Red – Overdue.", "Amber – On track but to be completed.", "Green – Complete."]
    assert len(source_recommendations()) == 8
    assert source_header()["Meeting"] == "Performance and Resources Board"


def in_order(needles: list[str], haystack: str) -> bool:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


def owners_match(source_cell: str, owners: str) -> bool:
    """Every owner post of ours is named in the source's owner cell, by its name or one of its spellings."""
    aliases = {post.name: [post.name, *post.alias_list] for post in Post.objects.all()}
    loose = re.sub(r"[^a-z]+", " ", source_cell.lower())
    return all(any(re.sub(r"[^a-z]+", " ", name.lower()).strip() in loose for name in aliases[post])
               for post in owners.split(" / "))


def expected_header() -> dict[str, str]:
    header = {HEADER_LABELS[label]: value for label, value in source_header().items() if label in HEADER_LABELS}
    header["Meeting date"] = format_long(parse_uk_date(header["Meeting date"]).value)  # "30th November 2021"
    return header


# The PDF ------------------------------------------------------------------------------------------------

def test_the_pdf_has_every_section_heading_of_the_source_in_order(files):
    text = pdf_text(files["pdf"]).lower()
    assert in_order([heading.lower() for heading in source_headings()], text)


def test_the_pdf_has_the_header_fields_the_recommendations_and_the_rag_key_of_the_source(files):
    text = pdf_text(files["pdf"])
    for label, value in expected_header().items():
        assert f"{label} {value}" in text, label
    for number, wording in source_recommendations().items():
        assert f"{number}) {wording}" in text, number
    for line in source_key():
        assert line in text


def test_the_pdf_table_has_the_ten_actions_with_owners_dates_and_a_status_in_every_row(files):
    rows = pdf_action_rows(files["pdf"])
    assert list(rows) == list(SOURCE_ROWS)
    for ref, (action, owner_cell, due_cell, colour) in SOURCE_ROWS.items():
        row = rows[ref]
        assert row["Action"] == words(action.replace("|", " ")), ref
        assert owners_match(owner_cell, row["Owner"]), (ref, row["Owner"])
        due = parse_uk_date(due_cell)
        assert row["Delivery"].startswith(format_due(due.value, due.condition)), ref
        assert row["Status"].startswith(STATUS_TEXT[colour]), (ref, row["Status"])
    statuses = [row["Status"] for row in rows.values()]
    assert sum(s.startswith("Green – Complete") for s in statuses) == 7
    assert sum(s.startswith("Amber – On track but to be completed") for s in statuses) == 3


def test_the_pdf_is_tagged_pdf_ua_with_a_structure_tree_language_and_title(files):
    with pikepdf.open(files["pdf"]) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en-GB"
        title = "Monthly Update - Protection Improvement Plan Peer Review – Performance and Resources Board, " \
                "30 November 2021"
        assert str(pdf.docinfo["/Title"]) == title
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == title
            assert xmp["pdfuaid:part"] == "1"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        roles = set()

        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    roles.add(str(node.S))
                    if node.S == "/Figure":
                        assert "Red – Overdue: 0; Amber – On track but to be completed: 3" in str(node.Alt)
                kids = node.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption", "/L", "/LI", "/Figure"} <= roles


def test_the_pdf_passes_pdfua_check_with_no_errors_or_warnings(files):
    result = subprocess.run([str(Path(sys.executable).parent / "pdfua"), "check", str(files["pdf"])],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors=0 warnings=0" in result.stdout, result.stdout


def test_every_header_cell_in_the_pdf_says_which_cells_it_heads(files):
    """As the HTML's scope: the column headings in a table's head, the row headings (refs, field names,
    statuses) in its body. Without /Scope a screen reader cannot read a cell with its headers."""
    scopes = {"/THead": [], "/TBody": []}

    def walk(node, section):
        if isinstance(node, pikepdf.Dictionary):
            role = str(node.get("/S", ""))
            section = role if role in scopes else section
            if role == "/TH":
                scopes[section].append(str(node.A.Scope) if "/Scope" in node.A else None)
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid, section)

    with pikepdf.open(files["pdf"]) as pdf:
        walk(pdf.Root.StructTreeRoot, None)
    assert scopes["/THead"] and set(scopes["/THead"]) == {"/Column"}
    assert scopes["/TBody"] and set(scopes["/TBody"]) == {"/Row"}


# The DOCX -----------------------------------------------------------------------------------------------

def test_the_docx_has_every_section_heading_of_the_source_in_order_as_heading_styles(files):
    headings = docx_headings(docx_document(files["docx"]))
    level_one = [text.lower() for style, text in headings if style == "Heading 1"]
    assert level_one == [heading.lower() for heading in source_headings()]
    assert headings[0] == ("Title", "Monthly Update - Protection Improvement Plan Peer Review")
    assert ("Heading 2", "Recommendations") in headings  # the list inside the background, as in the source


def test_the_docx_has_the_header_fields_recommendations_and_rag_key_of_the_source(files):
    document = docx_document(files["docx"])
    grid = docx_tables(document)[0]
    # The source's grid: "Meeting | … | Agenda Item No. | 7" on one row, "Action Point No. | | For Publication |
    # Yes" on another; the other details one pair to a row.
    assert grid[0] == ["Meeting", "Performance and Resources Board", "Agenda item no.", "7"]
    assert ["Action point no.", "—", "For publication", "Yes"] in grid
    header = {row[i]: row[i + 1] for row in grid for i in (0, 2) if row[i]}
    for label, value in expected_header().items():
        assert header[label] == value, label
    paragraphs = [words(p.text) for p in document.paragraphs]
    for number, wording in source_recommendations().items():
        assert f"{number}) {wording}" in paragraphs, number
    for line in source_key():
        assert line in paragraphs


def test_the_docx_table_cells_have_the_ten_actions_with_owners_dates_and_a_status_in_every_row(files):
    document = docx_document(files["docx"])
    table = next(t for t in docx_tables(document) if t[0][0] == "Ref")
    assert table[0] == ["Ref", "Recommendation", "Action", "Owner", "Delivery date", "Progress", "Status"]
    rows = {row[0]: row for row in table[1:]}
    assert list(rows) == list(SOURCE_ROWS)
    for ref, (action, owner_cell, due_cell, colour) in SOURCE_ROWS.items():
        _, _, text, owners, delivery, progress, status = rows[ref]
        assert progress, ref  # an update, or "No update for November 2021": never an empty cell
        assert text == words(action.replace("|", " ")), ref
        assert owners_match(owner_cell, owners), ref
        due = parse_uk_date(due_cell)
        assert delivery.startswith(format_due(due.value, due.condition)), ref
        assert status.startswith(STATUS_TEXT[colour]), ref
    assert sum(row[6].startswith("Green – Complete") for row in rows.values()) == 7
    assert sum(row[6].startswith("Amber – On track but to be completed") for row in rows.values()) == 3


def test_the_docx_is_accessible_repeating_headers_no_merged_cells_shaded_and_labelled_status_alt_text(files):
    document = docx_document(files["docx"])
    assert document.core_properties.title.startswith("Monthly Update - Protection Improvement Plan Peer Review")
    assert document.core_properties.language == "en-GB"
    styles = document.styles.element
    assert 'w:val="en-GB"' in styles.xml.split("</w:docDefaults>")[0]
    assert all(repeats_header(table) for table in document.tables[1:])  # the first is the header grid: pairs
    assert not any(has_merged_cells(table) for table in document.tables)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Ref")
    fills = {row.cells[6].text.split("\n")[0]: cell_fill(row.cells[6]) for row in table.rows[1:]}
    assert fills == {"Green – Complete": "CCE2D8", "Amber – On track but to be completed": "FFDD66"}
    descriptions = [pr.get("descr") for pr in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descriptions == ["Bar chart of the number of actions by RAG status as at 30/11/2021. Red – Overdue: 0; "
                            "Amber – On track but to be completed: 3; Green – Complete: 7. Total: 10."]


def test_the_equality_table_has_the_nine_protected_characteristics_two_to_a_row_in_the_sources_order(files):
    table = next(t for t in docx_tables(docx_document(files["docx"])) if t[0][0] == "Protected characteristic")
    assert table[0] == ["Protected characteristic", "Impact"] * 2
    # The source's rows: Race | Religion or belief; Sex | Gender reassignment; … Sexual orientation alone.
    assert [row[0::2] for row in table[1:]] == [
        ["Race", "Religion or belief"], ["Sex", "Gender reassignment"], ["Age", "Pregnancy and maternity"],
        ["Disability", "Marriage and civil partnership"], ["Sexual orientation", ""]]
    assert {row[i]: row[i + 1] for row in table[1:] for i in (0, 2) if row[i]} == {name: "No impact" for name in (
        "Age", "Disability", "Gender reassignment", "Marriage and civil partnership", "Pregnancy and maternity",
        "Race", "Religion or belief", "Sex", "Sexual orientation")}
    assert SOURCE_TEXT.count("\tX") == 9  # the source marks all nine with an X


def test_every_authored_section_of_the_source_is_in_the_report(files):
    text = pdf_text(files["pdf"])
    body = SOURCE_TEXT.split("RECOMMENDATIONS", 1)[1]
    for heading in ("RISKS AND MITIGATIONS", "FINANCIAL IMPLICATIONS", "LEGAL IMPLICATIONS", "STAFFING IMPLICATIONS",
                    "WORKFORCE ENGAGEMENT", "HEALTH AND SAFETY IMPLICATIONS", "CONSULTATION AND ENGAGEMENT",
                    "FUTURE PLANS", "LIST OF BACKGROUND PAPERS AND APPENDICES"):
        section = body.split(heading, 1)[1].strip().split("\n\n")[0]
        assert words(section) in text, heading
    assert "This report provides an update on progress against the Protection Peer Review Action Plan. All " \
           "objectives are currently on track for completion." in text
    assert "Prevention, protection and response" in text and "Make best use of our resources" in text
    assert "None. This report is for information." in text


def test_every_page_of_the_docx_and_the_pdf_is_numbered_page_n_of_m(files):
    document = docx_document(files["docx"])
    for section in document.sections:  # the landscape action table's too
        footer = section.footer._element
        instructions = [field.get(qn("w:instr")) for field in footer.iter(qn("w:fldSimple"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert words(section.footer.paragraphs[0].text).startswith("PIP-PR board report, 30/11/2021 Page")
    pages = subprocess.run(["pdfinfo", str(files["pdf"])], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", pages).group(1))
    text = pdf_text(files["pdf"])
    assert all(f"Page {n} of {count}" in text for n in range(1, count + 1))


def test_the_paper_carries_the_owners_progress_and_the_complete_list_of_changes(files):
    """What the governance officer had to add by hand: the progress commentary and the changes, holder included."""
    document = docx_document(files["docx"])
    table = next(t for t in docx_tables(document) if t[0][0] == "Ref")
    progress = {row[0]: row[5] for row in table[1:]}
    assert progress["1.1"] == ("The communications plan is drafted and with the Service Leadership Team for approval. "
                               "On track for 31/12/2021 once approved. November 2021, by Chris Parker")
    assert progress["2.1"] == "No update for November 2021"
    holder = ("Head of Prevention and Protection: AM Palmer → AM Chris Parker from 01/10/2021 (owner of 1.1, 3.1, 4.1, "
              "5.1, 6.2, 7.1, 8.1).")
    paragraphs = [words(p.text) for p in document.paragraphs]
    assert any(p.startswith(holder) for p in paragraphs)
    assert holder in pdf_text(files["pdf"])
    assert any(p.startswith("Recommendation 2: “Clarify & evidence provision of Out of Hours FP cover.”")
               for p in paragraphs)

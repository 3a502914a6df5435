"""Files the tests build for themselves with python-docx, openpyxl and the csv module: the source action
plan's Word table (tests/seeds/001_1f9191edb6321b81.txt) and trackers in the shapes real ones have."""

from __future__ import annotations

import csv
import io
from datetime import date

import docx
from docx.enum.text import WD_BREAK
from openpyxl import Workbook

SOURCE_TITLE = "Protection Improvement plan peer review action plan"
SOURCE_LIST = [
    "Provide further evidence for the enhancement of the sharing of information and expectations to businesses. "
    "This may be by way of an external communications plan.",
    "Clarify & evidence provision of Out of Hours FP cover.",
    "Include some commentary within the Protection Strategy to explain sufficiency of resources or planning to "
    "enhance this. This would give better clarity as to how ECFRS are going to achieve parity with the NFCC "
    "Competency Framework which HMI will use a benchmark.",
    "Outline clear objectives & target figures for audit activity in order to evidence the ability to meet these.",
    "Create links to the HR policy/people strategy for Fire Protection.",
    "Supply and/or provide clear link to Quality Assurance Policy for all audit activity.",
    "Outline clear objectives & rationale for enforcement activity in order to evidence the ability to increase "
    "this activity.",
    "Provide further evidence for the enhancement of pro-active engagement with businesses to promote fire "
    "safety. This may be by way of an external communications plan",
]
MERGED_ABOVE = object()  # a cell vertically merged with the one above
HEADER = ["Recommendation", "Actions", "Owner", "Delivery Date"]
# The table as the source document has it: (recommendation cell, action cell paragraphs, owner cell
# paragraphs, delivery date). "" = left blank; MERGED_ABOVE = merged with the cell above.
SOURCE_ROWS = [
    ("Provide further evidence for the enhancement of the sharing of information and expectations to businesses.",
     ["Develop a communications plan to share with customers."], ["AM Palmer/Corporate comms."], "31/05/2021"),
    ("Clarify & evidence provision of Out of Hours FP cover",
     ["Rebalance the flexi duty rota and make best use of staff we already have."], ["GM Eaglestone"], "31/05/2021"),
    (MERGED_ABOVE, ["Establish an out of hours system for day duty fire safety officers."], ["GM Earwicker"],
     "28/02/2021"),
    ("Include some commentary within the Protection Strategy to explain sufficiency of resources or planning to "
     "enhance this.",
     ["This is included in the staff succession planning currently and will be picked up in the annual review of "
      "the Protection strategy."], ["AM Palmer"], "31//12/2021"),
    ("Outline clear objectives & target figures for audit activity in order to evidence the ability to meet these.",
     ["Set a performance target in the monthly, quarterly and annual performance reports.",
      "To be monitored at 1/4ly P and P board."], ["AM Palmer"], "01/04/2021"),
    ("Create links to the HR policy/people strategy for Fire Protection",
     ["Restructure of the Protection function then embed this into the service people strategy"], ["AM Palmer"],
     "31/07/2021"),
    ("Supply and/or provide clear link to Quality Assurance Policy for all audit activity.",
     ["Embed the Quality Assurance Process within Protection activities"], ["GM Earwicker"], "31/03/2021"),
    ("", ["Create a recording and reporting process to enable activity to be monitored and"], ["AM Palmer"],
     "31/05/2021"),
    # The page breaks inside the row above: the rest of the action text is in a row of its own.
    ("", ["action taken to resolve."], [""], ""),
    ("Outline clear objectives & rationale for enforcement activity in order to evidence the ability to increase "
     "this activity", ["Review the Enforcement policy to include clearer objectives and rationale."], ["AM Palmer"],
     "28/02/2021"),
    ("Provide further evidence for the enhancement of pro-active engagement with businesses to promote fire safety.",
     ["Investment in the Essex Chamber of commerce.", "",
      "Comms plan to utilise the connections already in existence and enhance partnership working with other "
      "agencies and Businesses"], ["AM Palmer", "Corporate Comms"], "31/05/2021"),
]
# The board report's delivery dates where they changed, for a "Revised date" column.
REVISED = {1: "31/12/2021 (On Approval)", 2: "31/07/2021", 6: "31/12/2021", 8: "31/07/2021"}


def _fill(cell, value) -> None:
    paragraphs = value if isinstance(value, list) else [value]
    cell.text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def docx_bytes(tables: list[list[list]], before: list[str] = (), after: list[str] = (), title: str = "",
               page_break_between: bool = False, headings: list[str] = (), heading_level: int = 2) -> bytes:
    """A Word document: a title, paragraphs, then each table (cells: text, list of paragraphs, or
    MERGED_ABOVE) with the heading given for it above it, then paragraphs after."""
    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    for text in before:
        document.add_paragraph(text)
    for n, rows in enumerate(tables):
        if n and page_break_between:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if n < len(headings) and headings[n]:
            document.add_heading(headings[n], level=heading_level)
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not MERGED_ABOVE:
                    _fill(table.cell(r, c), value)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is MERGED_ABOVE:
                    top = r - 1
                    while rows[top][c] is MERGED_ABOVE:
                        top -= 1
                    table.cell(top, c).merge(table.cell(r, c))
    for text in after:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def source_plan_rows(revised: bool = False) -> list[list]:
    header = HEADER + (["Revised date"] if revised else [])
    rows, action_row = [header], 0
    for rec, action, owner, due in SOURCE_ROWS:
        row = [rec, action, owner, due]
        if revised:
            action_row += 1 if due else 0
            row.append(REVISED.get(action_row, "") if due else "")
        rows.append(row)
    return rows


def source_plan_docx(revised: bool = False) -> bytes:
    """The source action plan as a Word document: title, background, the numbered recommendations, then the
    table with its continuation rows, merged cell, split row, the malformed "31//12/2021" and, with
    `revised`, the board report's revised dates including the conditional "31/12/2021 (On Approval)"."""
    before = ["BACKGROUND",
              "ECFRS commissioned Hertfordshire Fire and Rescue Service to carry out a peer review of the Protection "
              "Improvement plan in November 2020.",
              "The following recommendations were identified and reported back.", "Recommendations",
              *[f"{n}) {text}" for n, text in enumerate(SOURCE_LIST, start=1)]]
    return docx_bytes([source_plan_rows(revised)], before=before, title=SOURCE_TITLE)


def xlsx_bytes(sheets: dict[str, list[list]], title: str = "", hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook of `sheets`; `hidden` names columns ("C") each sheet hides, as Excel's Hide does."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for letter in hidden:
            sheet.column_dimensions[letter].hidden = True
    if title:
        workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


TRACKER_HEADER = ["Ref", "Recommendation", "Action", "Action owner", "Target date", "RAG", "Progress update"]
TRACKER = [
    TRACKER_HEADER,
    ["1.1", "Improve the sharing of information with businesses.", "Develop a communications plan.",
     "Head of Prevention and Protection", date(2021, 5, 31), "Green", "Plan approved."],
    ["2.1", "Clarify out of hours cover.", "Rebalance the flexi duty rota.", "Head of Ops Policy", "31/07/2021",
     "Amber", ""],
    ["2.2", "", "Establish an out of hours system.", "Head of Protection", 44255, "Complete", ""],
]

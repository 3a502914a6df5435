"""The Word fixtures: an HMICFRS fire inspection action plan (a committee appendix, one table per pillar with
the pillar as the table's own heading row), an NHS CQC must-do / should-do plan (a section heading per core
service above each table) and a peer review's recommendations appendix with no action column. All content
is invented; only the shapes follow published documents (see README.md)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Pt

from .spec import Act, Fixture, Rec


def _cell(cell, text: str, bullets: bool = False) -> None:
    """Each line of `text` a paragraph of its own; with `bullets`, lines starting "- " as bulleted items."""
    lines = text.split("\n")
    cell.text = ""
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        if bullets and line.startswith("- "):
            paragraph.style = "List Bullet"
            line = line[2:]
        paragraph.add_run(line)


def _table(document, header: list[str], rows: list[list[str]], heading: str = ""):
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    if heading:  # the table's own heading: one cell spanning the width
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.text = heading
        merged.paragraphs[0].runs[0].bold = True
    for cell, text in zip(table.add_row().cells, header, strict=True):
        _cell(cell, text)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell(cell, text, bullets=True)
    return table


def _save(document, path: Path) -> None:
    document.core_properties.author = "actiontrack shapes corpus"
    document.save(path)


# 1. HMICFRS fire inspection action plan ------------------------------------------------------------------

HMICFRS_FIRE = Fixture(
    name="hmicfrs_fire_action_plan",
    file="hmicfrs_fire_action_plan.docx",
    imitates="A fire and rescue service's HMICFRS inspection action plan published as a committee appendix: "
             "one Word table per pillar, the pillar written as the table's first (spanning) row; causes of "
             "concern with lettered recommendations and areas for improvement numbered again in each pillar; "
             "the kind written on its own line above the text; target dates written as quarters and months.",
    classes=[1, 2, 4, 5, 6, 10],
    title="HMICFRS Inspection 2022: Action Plan",
    group_called="pillar",
    notes=["The first heading is 'Appendix 1'; the plan's title is the Title paragraph below it.",
           "'AFI 1' in Effectiveness and 'AFI 1' in People are different recommendations.",
           "The kind ('Area for improvement', 'Cause of concern') is the first line of the cell, not part of the "
           "text."],
    recommendations=[
        Rec("CoC 1", "cause_of_concern", "The service does not make sure that the risk information its crews carry "
            "on appliances is accurate and reviewed on time.", group="Effectiveness", actions=[
                Act("Audit every site-specific risk record held on the mobile data terminals and correct those past "
                    "their review date.", ["Head of Response"], "2022-09-30", "in_progress", due_text="Q3 2022",
                    condition="Q3 2022", status_text="On track", ref="CoC 1a"),
                Act("Introduce a monthly report of overdue risk reviews to the Service Delivery Board.",
                    ["Head of Response", "Risk Information Manager"], "2023-03-31", "not_started",
                    due_text="Q4 22/23", condition="Q4 22/23", status_text="Not started", ref="CoC 1b"),
            ]),
        Rec("AFI 1", "afi", "The service should make sure its prevention work is targeted at the people most at "
            "risk from fire.", group="Effectiveness", actions=[
                Act("Refresh the home fire safety visit targeting model using health and social care data.\n"
                    "- agree data sharing with the two county councils\n- test the model in the northern district",
                    ["Head of Prevention"], "2023-03-31", "in_progress", due_text="Mar-23", condition="Mar-23",
                    status_text="On track"),
            ]),
        Rec("AFI 2", "afi", "The service should evaluate its prevention activity so it knows what works.",
            group="Effectiveness", actions=[
                Act("Publish an evaluation framework for prevention campaigns.", ["Head of Prevention"],
                    "2023-01-31", "completed", status_text="Complete"),
            ]),
        Rec("AFI 1", "afi", "The service should make sure it has effective succession plans for its senior "
            "managers.", group="Efficiency", actions=[
                Act("Agree a succession plan for each middle and strategic manager role.",
                    ["Head of People Services"], None, "in_progress", due_text="Ongoing", condition="Ongoing",
                    status_text="On track"),
            ]),
        Rec("AFI 1", "afi", "The service should improve how it gathers and acts on the views of its staff.",
            group="People", actions=[
                Act("Run a staff survey every year and publish the actions taken in response.",
                    ["Head of People Services"], "2022-12-31", "completed", due_text="Q3 22/23",
                    condition="Q3 22/23", status_text="Complete"),
            ]),
    ])


def write_hmicfrs_fire(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Appendix 1", level=1)
    document.add_paragraph(HMICFRS_FIRE.title, style="Title")
    document.add_paragraph("This plan sets out how the service will respond to the cause of concern and areas for "
                           "improvement in its 2022 inspection report.")
    header = ["Ref", "Area for improvement / Cause of concern", "Action", "Lead", "Target date", "Status"]
    kinds = {"afi": "Area for improvement", "cause_of_concern": "Cause of concern"}
    for pillar in ("Effectiveness", "Efficiency", "People"):
        rows = []
        for rec in (r for r in HMICFRS_FIRE.recommendations if r.group == pillar):
            for i, act in enumerate(rec.actions):
                rec_cell = f"{kinds[rec.kind]}\n{rec.text}" if i == 0 else ""
                rows.append([act.ref or rec.ref, rec_cell, act.text, "\n".join(act.owners), act.written_due,
                             act.status_text])
        _table(document, header, rows, heading=f"Pillar: {pillar}")
        document.add_paragraph("")
    _save(document, path)


# 2. NHS CQC must-do / should-do action plan ----------------------------------------------------------------

CQC = Fixture(
    name="cqc_must_should",
    file="cqc_must_should.docx",
    imitates="An NHS trust's action plan after a CQC inspection: a section heading per core service with a "
             "table under it; 'must do' and 'should do' requirements numbered MD1, SD1 … again in each core "
             "service; owners written as a role and a place ('Ward Manager, Ward 3'); bulleted actions.",
    classes=[1, 2, 6, 7, 10],
    title="Eastvale Hospitals NHS Trust: CQC Inspection Action Plan",
    group_called="core service",
    notes=["'Ward Manager, Ward 3' is one post: the comma is part of its name.",
           "'MD1' under Urgent and emergency care and 'MD1' under Medical care are different requirements."],
    recommendations=[
        Rec("MD1", "must_do", "The trust must make sure that patients in the emergency department are assessed "
            "within 15 minutes of arrival.", group="Urgent and emergency care", actions=[
                Act("Put a registered nurse on the front door for streaming at all times.\n"
                    "- add the role to the rota template\n- audit compliance weekly", ["Matron, Emergency Department"],
                    "2023-06-30", "in_progress", due_text="End of June 2023", condition="End of June 2023",
                    status_text="In progress"),
                Act("Report time to initial assessment to the Quality Committee each month.",
                    ["Divisional Director of Nursing, Urgent Care"], "2023-07-31", "completed",
                    status_text="Complete"),
            ]),
        Rec("SD1", "should_do", "The trust should make sure that all staff complete level 3 safeguarding "
            "children training.", group="Urgent and emergency care", actions=[
                Act("Book all outstanding staff onto level 3 training.", ["Practice Educator, Emergency Department"],
                    "2023-05-21", "in_progress", due_text="w/c 15/05/2023", condition="w/c 15/05/2023",
                    status_text="In progress"),
            ]),
        Rec("MD1", "must_do", "The trust must make sure that medicines are stored at the right temperature on "
            "the medical wards.", group="Medical care (including older people's care)", actions=[
                Act("Fit fridge temperature alarms on every medical ward.", ["Ward Manager, Ward 3"],
                    "2023-04-30", "completed", status_text="Complete"),
            ]),
        Rec("SD1", "should_do", "The trust should make sure that patients' nutrition and hydration charts are "
            "completed.", group="Medical care (including older people's care)", actions=[
                Act("Introduce a daily check of food and fluid charts at the safety huddle.",
                    ["Ward Manager, Ward 3", "Practice Educator, Medicine"], "2023-08-31", "not_started",
                    status_text="Not started"),
            ]),
    ])


def write_cqc(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(CQC.title, style="Title")
    document.add_paragraph("Inspection report published 14 March 2023. Progress as reported to the Quality "
                           "Committee.")
    header = ["Ref", "Requirement", "Action", "Action owner", "Completion date", "RAG"]
    for service in dict.fromkeys(r.group for r in CQC.recommendations):
        document.add_heading(service, level=2)
        rows = []
        for rec in (r for r in CQC.recommendations if r.group == service):
            for i, act in enumerate(rec.actions):
                rows.append([rec.ref if i == 0 else "", rec.text if i == 0 else "", act.text,
                             "\n".join(act.owners), act.written_due, act.status_text])
        _table(document, header, rows)
    _save(document, path)


# 3. A peer review's recommendations appendix, with no action column --------------------------------------

APPENDIX = Fixture(
    name="peer_review_appendix",
    file="peer_review_appendix.docx",
    imitates="A committee appendix reporting progress on a peer review: one row per recommendation and no "
             "action column; a recommendation split across a page break (its text continues on the next row); "
             "a completion date written inside prose in the date column.",
    classes=[6, 8, 10],
    title="Operational Assurance Peer Review: Progress on Recommendations",
    notes=["No action column: each recommendation is its own single action with the recommendation's "
           "reference.",
           "Recommendation 3's text continues on the next row and must be joined once.",
           "'Completed 14/02/2024' in the date column is a completion date, not a due date."],
    recommendations=[
        Rec("1", "recommendation", "Review the attendance standard so it reflects the risk in rural areas.", actions=[
            Act("Review the attendance standard so it reflects the risk in rural areas.", ["Head of Response"],
                "2022-09-30", "completed", due_text="Sept 2022", condition="Sept 2022", status_text="Complete",
                ref="1")]),
        Rec("2", "recommendation", "Set out how learning from operational debriefs is shared with crews.", actions=[
            Act("Set out how learning from operational debriefs is shared with crews.",
                ["Operational Assurance Manager"], "2022-12-31", "in_progress", status_text="In progress",
                ref="2")]),
        Rec("3", "recommendation", "Make sure that incident commanders at every level are assessed against the "
            "national competence standard before they take charge of an incident, and that their assessment is "
            "repeated every two years.", actions=[
                Act("Make sure that incident commanders at every level are assessed against the national "
                    "competence standard before they take charge of an incident, and that their assessment is "
                    "repeated every two years.", ["Head of Training"], None, "completed",
                    due_text="Completed 14/02/2024", status_text="Complete", completed_on="2024-02-14",
                    ref="3")]),
        Rec("4", "recommendation", "Agree the future of the water rescue capability with neighbouring services.",
            actions=[Act("Agree the future of the water rescue capability with neighbouring services.",
                         ["Area Manager, Special Operations"], None, "not_started", due_text="TBC", condition="TBC",
                         status_text="Not started", ref="4")]),
    ])


def write_appendix(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Appendix B", level=1)
    title = document.add_paragraph(APPENDIX.title)
    title.runs[0].bold, title.runs[0].font.size = True, Pt(14)
    header = ["No.", "Recommendation", "Lead officer", "Target date", "Status"]
    rows = []
    for rec in APPENDIX.recommendations:
        act = rec.actions[0]
        row = [rec.ref, rec.text, "\n".join(act.owners), act.written_due, act.status_text]
        if rec.ref == "3":  # split by a page break: the rest of the text on a row of its own
            cut = rec.text.index("before they take")
            rows.append([rec.ref, rec.text[:cut].strip(), *row[2:]])
            rows.append(["", rec.text[cut:], "", "", ""])
        else:
            rows.append(row)
    _table(document, header, rows)
    document.add_paragraph("Status as reported by lead officers.")
    _save(document, path)


WORD = [(HMICFRS_FIRE, write_hmicfrs_fire), (CQC, write_cqc), (APPENDIX, write_appendix)]

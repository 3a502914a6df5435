"""Fixtures shaped like the trackers organisations keep for themselves: a council's internal-audit follow-up
tracker (two-row header with "Original | Revised" under a merged cell, % complete), a fire service
improvement plan with a sheet per directorate and an "As at" title row, a consolidated plan drawing on
several sources, and a SharePoint list exported to CSV. All content is invented; only the shapes follow
published documents (see README.md)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl.utils import get_column_letter

from .sheets import down, put, real, save, sheet, span, widths, workbook
from .spec import Act, Fixture, Rec

# 7. Council internal-audit follow-up tracker ----------------------------------------------------------------

AUDIT = Fixture(
    name="audit_followup_tracker",
    file="audit_followup_tracker.xlsx",
    imitates="A council's report to its audit committee on internal-audit agreed actions: title rows, a "
             "two-row header ('Implementation date' merged over 'Original' and 'Revised'), the audit merged "
             "down its rows with findings numbered again in each audit, responsible officers as posts or e-mail "
             "addresses, '% complete' instead of a status, and the management response.",
    classes=[2, 3, 5, 6, 7],
    title="Internal Audit: Follow-up of Agreed Actions",
    group_called="audit",
    notes=["The due date in force is the Revised date where there is one, else the Original; the Original is "
           "the baseline.",
           "'% complete' gives the status: 100% completed, 0% not started, anything between in progress.",
           "Finding 1 of Payroll and Finding 1 of Procurement cards are different findings."],
    recommendations=[
        Rec("1", "finding", "Starters were added to the payroll without a signed contract in three of the 25 cases "
            "tested.", group="Payroll 2022/23", actions=[
                Act("Check every new starter against a signed contract before their first pay run.",
                    ["payroll.manager@northshire.gov.uk"], "2023-03-31", "completed", status_text="1")]),
        Rec("2", "finding", "Overtime claims were not always authorised before they were paid.",
            group="Payroll 2022/23", actions=[
                Act("Authorise overtime claims in the HR system before they reach payroll.",
                    ["Head of HR and Payroll"], "2023-12-31", "in_progress", baseline="2023-06-30",
                    status_text="0.5")]),
        Rec("1", "finding", "Cardholders' monthly statements were not reviewed by their line managers.",
            group="Procurement cards 2022/23", actions=[
                Act("Line managers to sign off statements each month; Finance to chase any not signed within ten "
                    "days.", ["Head of Finance (S151 Officer)"], "2023-12-31", "in_progress", baseline="2023-04-30",
                    due_text="Q3 2023/24", condition="Q3 2023/24", status_text="0.25")]),
        Rec("2", "finding", "The purchasing card policy had not been reviewed since 2018.",
            group="Procurement cards 2022/23", actions=[
                Act("Review and reissue the purchasing card policy.",
                    ["Head of Finance (S151 Officer)", "procurement@northshire.gov.uk"], "2023-09-30", "not_started",
                    status_text="0")]),
        Rec("1", "finding", "Records of processing activity were incomplete for two directorates.",
            group="Information governance 2023/24", actions=[
                Act("Complete the records of processing activity for every directorate.", ["Data Protection Officer"],
                    "2024-03-31", "not_started", due_text="Mar-24", condition="Mar-24", status_text="0")]),
    ])


def write_audit(path: Path) -> None:
    book = workbook()
    ws = sheet(book, "Appendix 2 - Tracker")
    put(ws, 1, [AUDIT.title], bold=True)
    put(ws, 2, ["Audit and Governance Committee, 20 September 2023"])
    put(ws, 4, ["Audit", "Finding No.", "Finding", "Priority", "Agreed action", "Responsible officer",
                "Implementation date", "", "% complete", "Management response"], bold=True)
    put(ws, 5, ["", "", "", "", "", "", "Original", "Revised"], bold=True)
    for column in (1, 2, 3, 4, 5, 6, 9, 10):
        down(ws, column, 4, 5)
    span(ws, 4, 7, 8)
    row = 6
    for audit in dict.fromkeys(r.group for r in AUDIT.recommendations):
        start = row
        for rec in (r for r in AUDIT.recommendations if r.group == audit):
            act = rec.actions[0]
            original = real(act.baseline) if act.baseline else (act.due_text or real(act.due))
            revised = (act.due_text or real(act.due)) if act.baseline else ""
            put(ws, row, [audit if row == start else "", int(rec.ref), rec.text, "High" if rec.ref == "1" else
                          "Medium", act.text, "; ".join(act.owners), original, revised, float(act.status_text),
                          "Agreed." if act.status == "not_started" else "Agreed; work under way."])
            ws.cell(row=row, column=9).number_format = "0%"
            row += 1
        down(ws, 1, start, row - 1)
    widths(ws, [18, 8, 40, 8, 40, 26, 12, 12, 9, 30])
    save(book, path)


# 8. A fire service improvement plan with a sheet per directorate --------------------------------------------

DIRECTORATES = Fixture(
    name="directorate_improvement_plan",
    file="directorate_improvement_plan.xlsx",
    imitates="A fire and rescue service's improvement plan kept as a workbook with a contents sheet, a status "
             "key and a sheet per directorate, each with the plan's title and 'As at 31 March 2022' above the "
             "header; refs 1.1, 1.2 restart on every sheet; an executive lead and an operational lead; actions "
             "marked complete with no completion date.",
    classes=[1, 2, 4, 6, 7, 9],
    title="Northshire Fire and Rescue Service Improvement Plan 2021-2024",
    group_called="directorate",
    as_at="2022-03-31",
    notes=["A completed action with no completion date is completed as at 31 March 2022 (the document's as-at "
           "date), recorded as an assumption, never the import date.",
           "Recommendation 1 of Service Delivery and recommendation 1 of People & Culture are different."],
    recommendations=[
        Rec("1", "recommendation", "Improve the availability of on-call fire engines.", group="Service Delivery",
            actions=[
                Act("Introduce flexible on-call contracts.", ["Director of Service Delivery", "Area Manager, On-call"],
                    "2022-03-31", "completed", status_text="Complete", ref="1.1", completed_on="2022-03-31",
                    completed_assumed=True),
                Act("Recruit twenty on-call firefighters in the eastern area.",
                    ["Director of Service Delivery", "Area Manager, On-call"], "2022-09-30", "in_progress",
                    status_text="In progress", ref="1.2"),
            ]),
        Rec("2", "recommendation", "Make sure operational policies are reviewed on time.", group="Service Delivery",
            actions=[
                Act("Clear the backlog of overdue operational policies.",
                    ["Director of Service Delivery", "Head of Operational Policy"], "2022-01-31", "completed",
                    status_text="Complete", ref="2.1", completed_on="2022-01-20"),
            ]),
        Rec("1", "recommendation", "Target fire safety audits at the highest-risk premises.",
            group="Prevention & Protection", actions=[
                Act("Adopt the national risk-based inspection programme.",
                    ["Director of Prevention and Protection", "Head of Protection"], "2022-06-30", "in_progress",
                    status_text="In progress", ref="1.1"),
                Act("Recruit and train four more fire safety inspectors.",
                    ["Director of Prevention and Protection", "Head of Protection"], "2022-09-30", "not_started",
                    due_text="Q2 2022/23", condition="Q2 2022/23", status_text="Not started", ref="1.2"),
            ]),
        Rec("1", "recommendation", "Improve the diversity of the workforce.", group="People & Culture", actions=[
            Act("Run positive action open days at every wholetime station.",
                ["Director of People", "Head of Organisational Development"], "2021-12-31", "completed",
                status_text="Complete", ref="1.1", completed_on="2022-03-31", completed_assumed=True),
        ]),
    ])


def write_directorates(path: Path) -> None:
    book = workbook()
    groups = list(dict.fromkeys(r.group for r in DIRECTORATES.recommendations))
    contents = sheet(book, "Contents")
    put(contents, 1, ["Contents"], bold=True)
    for n, name in enumerate(["Key", *groups], start=2):
        put(contents, n, [name])
    key = sheet(book, "Key")
    put(key, 1, ["Status", "Meaning"], bold=True)
    for n, pair in enumerate([("Not started", "Work has not begun"), ("In progress", "Work is under way"),
                              ("Complete", "The action is delivered")], start=2):
        put(key, n, list(pair))
    for group in groups:
        ws = sheet(book, group)
        put(ws, 1, [DIRECTORATES.title], bold=True)
        put(ws, 2, ["As at 31 March 2022"])
        put(ws, 4, ["Ref", "Improvement area", "Action", "Executive lead", "Operational lead", "Due date", "Status",
                    "Date completed"], bold=True)
        row = 5
        for rec in (r for r in DIRECTORATES.recommendations if r.group == group):
            for i, act in enumerate(rec.actions):
                done = real(act.completed_on) if act.completed_on and not act.completed_assumed else ""
                put(ws, row, [act.ref, rec.text if i == 0 else "", act.text, act.owners[0], act.owners[1],
                              act.due_text or real(act.due), act.status_text, done])
                row += 1
        widths(ws, [6, 34, 40, 26, 28, 12, 12, 12])
    save(book, path)


# 9. A consolidated plan from several sources ----------------------------------------------------------------

CONSOLIDATED = Fixture(
    name="consolidated_improvement_plan",
    file="consolidated_improvement_plan.xlsx",
    imitates="A service's single improvement plan drawing together an HMICFRS inspection, two inquiries and an "
             "internal audit: a Source and a Type column, the sources' own references (E1, EF1, 33.22c, "
             "'Volume 2 recommendation 5', '47, 48 and 49', 4) and action references (E1b, 33.22c-2, 4.1), "
             "Original and Revised date columns, and status words such as Deferred and Superseded.",
    classes=[1, 2, 3, 5, 6],
    title="Northshire FRS Consolidated Improvement Plan",
    group_called="source",
    notes=["Each recommendation records its source and kind.",
           "'Deferred' is paused; 'Superseded' is cancelled; 'Complete – awaiting sign-off' is completed."],
    recommendations=[
        Rec("E1", "afi", "The service should make sure its firefighters can get up-to-date risk information at "
            "incidents.", group="HMICFRS 2022", actions=[
                Act("Replace the mobile data terminal software.", ["Head of ICT"], "2023-06-30", "in_progress",
                    baseline="2022-12-31", status_text="In progress", ref="E1a"),
                Act("Train crews in the new risk information screens.", ["Head of Training"], "2023-03-31", "paused",
                    status_text="Deferred", ref="E1b"),
            ]),
        Rec("EF1", "afi", "The service should make sure its fleet replacement plan is affordable.",
            group="HMICFRS 2022", actions=[
                Act("Re-profile the fleet replacement programme in the medium-term financial plan.",
                    ["Head of Finance"], "2022-11-30", "completed", status_text="Complete – awaiting sign-off",
                    ref="EF1a"),
            ]),
        Rec("33.22c", "recommendation", "Fire and rescue services should develop policies for the partial and "
            "total evacuation of high-rise residential buildings.", group="Grenfell Tower Inquiry Phase 1", actions=[
                Act("Buy smoke hoods for every front-line fire engine.", ["Head of Fleet and Equipment"],
                    "2023-06-30", "in_progress", baseline="2023-03-31", due_text="Q1 2023/24",
                    condition="Q1 2023/24", status_text="In progress", ref="33.22c-2"),
            ]),
        Rec("Volume 2 recommendation 5", "recommendation", "Control rooms should be able to speak to each other "
            "directly during a major incident.", group="Manchester Arena Inquiry", actions=[
                Act("Join the tests of the regional multi-agency control room talk group.", ["Control Room Manager"],
                    "2023-01-31", "cancelled", status_text="Superseded"),
            ]),
        Rec("47, 48 and 49", "recommendation", "Emergency services should review how they share casualty "
            "information with hospitals and families.", group="Manchester Arena Inquiry", actions=[
                Act("Agree a casualty information protocol with the ambulance service and police.",
                    ["Head of Resilience"], "2023-09-30", "not_started", status_text="Not started"),
            ]),
        Rec("4", "finding", "Business continuity plans had not been tested for two years.",
            group="Internal audit 2023/24", actions=[
                Act("Test every department's business continuity plan.", ["Business Continuity Manager"],
                    "2024-03-31", "in_progress", status_text="In progress", ref="4.1"),
            ]),
    ])
_TYPES = {"afi": "Area for improvement", "recommendation": "Recommendation", "finding": "Finding"}


def write_consolidated(path: Path) -> None:
    book = workbook()
    ws = sheet(book, "Improvement Plan")
    put(ws, 1, [CONSOLIDATED.title], bold=True)
    put(ws, 3, ["Source", "Type", "Ref", "Recommendation", "Action ref", "Action", "Owner", "Original date",
                "Revised date", "Status", "Latest update"], bold=True)
    row = 4
    for rec in CONSOLIDATED.recommendations:
        for act in rec.actions:
            original = real(act.baseline) if act.baseline else (act.due_text or real(act.due))
            revised = (act.due_text or real(act.due)) if act.baseline else ""
            put(ws, row, [rec.group, _TYPES[rec.kind], rec.ref, rec.text, act.ref, act.text, "\n".join(act.owners),
                          original, revised, act.status_text, act.progress])
            row += 1
    widths(ws, [22, 18, 12, 40, 9, 40, 24, 12, 12, 14, 30])
    ws.freeze_panes = f"{get_column_letter(1)}4"
    save(book, path)


# 10. A SharePoint list exported to CSV ----------------------------------------------------------------------

SHAREPOINT = Fixture(
    name="sharepoint_list_export",
    file="sharepoint_list_export.csv",
    imitates="An action list kept in SharePoint and exported to CSV: ID (the list's row id), Title (the "
             "action), a Recommendation column that starts with the reference, Assigned To as e-mail "
             "addresses separated by semicolons, SharePoint's status choices, Due Date and Modified as ISO "
             "date-times in UTC, and rich-text notes as HTML.",
    classes=[1, 3, 5, 6, 7, 10],
    title="",
    notes=["ID is a row id, never a recommendation or action number.",
           "'2023-03-31T23:00:00Z' is 1 April 2023 in the UK (British Summer Time).",
           "Modified is not a due date.",
           "Notes are HTML: the progress is their text, a paragraph a line."],
    recommendations=[
        Rec("AFI 3", "afi", "The service should make sure on-call fire engines are available when they are "
            "needed.", actions=[
                Act("Review the on-call availability policy", ["sam.jones@northshirefire.gov.uk"], "2023-04-01",
                    "in_progress", due_text="2023-03-31T23:00:00Z", status_text="In Progress",
                    progress="Draft policy written.\nConsultation with the representative bodies closes in March."),
                Act("Publish on-call availability figures every month",
                    ["a.patel@northshirefire.gov.uk", "sam.jones@northshirefire.gov.uk"], "2022-11-30", "completed",
                    due_text="2022-11-30T00:00:00Z", status_text="Completed", progress="Published from November."),
            ]),
        Rec("AFI 5", "afi", "The service should improve the wellbeing support it gives its staff.", actions=[
            Act("Set up a wellbeing support service for control staff", ["k.brown@northshirefire.gov.uk"],
                "2024-07-01", "not_started", due_text="2024-06-30T23:00:00Z", status_text="Not Started"),
            Act("Evaluate the wellbeing support service", ["k.brown@northshirefire.gov.uk"], None, "paused",
                due_text="", status_text="Deferred", progress="Waiting for the new provider."),
        ]),
    ])
_HTML = {
    "Draft policy written.\nConsultation with the representative bodies closes in March.":
        '<div class="ExternalClassA1"><p>Draft policy written.</p><p>Consultation with the <strong>representative '
        "bodies</strong> closes in March.</p></div>",
    "Published from November.": "<div>Published from November.</div>",
    "Waiting for the new provider.": "<div><p>Waiting for the new&#160;provider.</p></div>",
    "": "",
}


def write_sharepoint(path: Path) -> None:
    ids = iter([14, 15, 17, 21])
    modified = iter(["2023-02-10T14:22:05Z", "2022-12-01T09:03:41Z", "2023-05-02T16:40:00Z", "2023-06-19T08:15:12Z"])
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "Title", "Recommendation", "Assigned To", "Status", "Due Date", "Notes", "Modified",
                         "Created By"])
        for rec in SHAREPOINT.recommendations:
            for act in rec.actions:
                writer.writerow([next(ids), act.text, f"{rec.ref} – {rec.text}", ";".join(act.owners),
                                 act.status_text, act.due_text, _HTML[act.progress], next(modified),
                                 "Governance Team"])


# 11. A register of areas for improvement, saved from Excel as CSV -----------------------------------------

REGISTER = Fixture(
    name="afi_register_csv",
    file="afi_register_csv.csv",
    imitates="A fire service's register of the areas for improvement from its latest inspection, kept in Excel "
             "and saved as CSV by an older Excel (Windows-1252, semicolons): two title rows, the second 'As at "
             "30 September 2023'; one row per area for improvement, no action column and no owner column; "
             "comments as the latest progress.",
    classes=[1, 3, 6, 8, 9],
    title="Areas for Improvement Register",
    as_at="2023-09-30",
    default_owner="Head of Corporate Assurance",
    notes=["No action column: each area for improvement is its own single action with its reference.",
           "No owner column: the plan manager gives a default owner (here the Head of Corporate Assurance).",
           "'Complete' in the Target column is no date; the action is complete, as at 30 September 2023 "
           "(an assumption).",
           "The file is Windows-1252: '£' and '–' must read as themselves."],
    recommendations=[
        Rec("AFI 1", "afi", "The service should make sure its £250,000 investment in new breathing apparatus is "
            "matched by training – every firefighter assessed by March.", actions=[
                Act("The service should make sure its £250,000 investment in new breathing apparatus is matched "
                    "by training – every firefighter assessed by March.", ["Head of Corporate Assurance"],
                    "2024-03-31", "in_progress", due_text="Q4 2023/24", condition="Q4 2023/24",
                    status_text="In progress", ref="AFI 1", progress="Two of three stations assessed.")]),
        Rec("AFI 2", "afi", "The service should assure itself that its fire safety audits meet the national "
            "competency standard.", actions=[
                Act("The service should assure itself that its fire safety audits meet the national competency "
                    "standard.", ["Head of Corporate Assurance"], "2023-12-31", "not_started", due_text="Dec-23",
                    condition="Dec-23", status_text="Not started", ref="AFI 2")]),
        Rec("AFI 3", "afi", "The service should improve how it records the outcome of safe and well visits.", actions=[
            Act("The service should improve how it records the outcome of safe and well visits.",
                ["Head of Corporate Assurance"], None, "completed", due_text="Complete", status_text="Complete",
                ref="AFI 3", completed_on="2023-09-30", completed_assumed=True,
                progress="New recording form live since July.")]),
        Rec("AFI 4", "afi", "The service should make sure staff understand the grievance process.", actions=[
            Act("The service should make sure staff understand the grievance process.",
                ["Head of Corporate Assurance"], "2023-12-31", "in_progress", status_text="In progress",
                ref="AFI 4")]),
    ])


def write_register(path: Path) -> None:
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([REGISTER.title, "", "", "", ""])
        writer.writerow(["As at 30 September 2023", "", "", "", ""])
        writer.writerow(["AFI", "Area for improvement", "Target", "Status", "Comments"])
        for rec in REGISTER.recommendations:
            act = rec.actions[0]
            writer.writerow([rec.ref, rec.text, act.written_due, act.status_text, act.progress])


TRACKERS = [(AUDIT, write_audit), (DIRECTORATES, write_directorates), (CONSOLIDATED, write_consolidated),
            (SHAREPOINT, write_sharepoint), (REGISTER, write_register)]

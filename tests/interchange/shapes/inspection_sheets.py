"""Excel fixtures shaped like inspection and inquiry trackers: a police PEEL areas-for-improvement tracker
(cover and key sheets, merged group cells, two owner columns, a BRAG key), a Grenfell Tower Inquiry Phase 1
tracker kept by a fire service (theme rows spanning the table, a hidden code column, a read-me sheet) and a
Manchester Arena Inquiry tracker (a sheet per volume with numbering that restarts, a summary sheet).
All content is invented; only the shapes follow published documents (see README.md)."""

from __future__ import annotations

from pathlib import Path

from .sheets import down, put, real, save, sheet, span, widths, workbook
from .spec import Act, Fixture, Rec

# 4. Police PEEL areas-for-improvement tracker --------------------------------------------------------------

POLICE = Fixture(
    name="police_peel_afi",
    file="police_peel_afi.xlsx",
    imitates="A police force's tracker of the areas for improvement and cause of concern from its PEEL "
             "inspection: a cover sheet, the tracker with the inspection area merged down its rows, an "
             "executive lead and an operational lead, a BRAG column whose key (Blue = complete, Green = on "
             "track) is on its own sheet, and header cells with line breaks.",
    classes=[1, 2, 3, 4, 5, 6, 7],
    title="PEEL 2021/22: Areas for Improvement Action Plan",
    group_called="inspection area",
    notes=["The cover and key sheets are not trackers; the key sheet's BRAG key gives the colours' meanings.",
           "Green means on track (in progress), Blue means complete.",
           "'Executive lead' is the lead owner and 'Operational lead' the supporting owner.",
           "An e-mail address is a user (and so the posts they hold), never a post name."],
    recommendations=[
        Rec("AFI 1", "afi", "The force should make sure neighbourhood teams have the time to carry out "
            "problem-solving work.", group="Preventing crime and anti-social behaviour", actions=[
                Act("Protect neighbourhood officers from being moved to response duties except in emergencies.",
                    ["ACC Local Policing", "Superintendent Neighbourhoods"], "2022-12-31", "in_progress",
                    due_text="31 Dec 22", status_text="Green"),
                Act("Train all neighbourhood sergeants in problem-solving.",
                    ["ACC Local Policing", "j.okoro@westmoor.police.uk"], "2023-03-31", "completed",
                    status_text="Blue"),
            ]),
        Rec("AFI 2", "afi", "The force should improve how it supervises investigations.",
            group="Investigating crime", actions=[
                Act("Introduce a supervisory review template on the crime recording system.",
                    ["ACC Crime", "Det Supt Crime Standards"], "2023-06-30", "in_progress",
                    due_text="End of June 2023", condition="End of June 2023", status_text="Amber"),
            ]),
        Rec("CoC 1", "cause_of_concern", "The force does not make sure vulnerable victims are safeguarded when "
            "they first contact it.", group="Investigating crime", actions=[
                Act("Put a vulnerability assessment in every call-handling script.",
                    ["ACC Contact", "Head of Contact Management"], "2023-09-30", "in_progress",
                    due_text="Q2 2023/24", condition="Q2 2023/24", status_text="Red"),
                Act("Audit a sample of one hundred calls each month.", ["ACC Contact", "Head of Contact Management"],
                    "2023-06-30", "completed", status_text="Blue"),
            ]),
        Rec("AFI 3", "afi", "The force should make sure its use of stop and search is fair and properly recorded.",
            group="Treatment of the public", actions=[
                Act("Publish stop and search data by ethnicity every quarter.",
                    ["DCC", "Chief Inspector Professional Standards"], "2023-01-31", "in_progress",
                    status_text="Green"),
            ]),
    ])


def write_police(path: Path) -> None:
    book = workbook()
    cover = sheet(book, "Cover")
    put(cover, 1, ["Westmoor Police"], bold=True)
    put(cover, 3, [POLICE.title], bold=True)
    put(cover, 5, ["Owner: Strategic Planning Unit"])
    put(cover, 6, ["Version 3.2, reviewed at Force Performance Board"])
    ws = sheet(book, "Tracker")
    put(ws, 1, ["Area", "Ref", "Area for improvement", "Action", "Executive\nlead", "Operational\nlead",
                "Target\ncompletion date", "BRAG", "Latest update"], bold=True)
    row = 2
    for group in dict.fromkeys(r.group for r in POLICE.recommendations):
        start = row
        for rec in (r for r in POLICE.recommendations if r.group == group):
            for i, act in enumerate(rec.actions):
                due = act.due_text or real(act.due)
                put(ws, row, [group if row == start else "", rec.ref if i == 0 else "", rec.text if i == 0 else "",
                              act.text, act.owners[0], act.owners[1], due, act.status_text, act.progress])
                row += 1
        down(ws, 1, start, row - 1)
    widths(ws, [22, 8, 40, 40, 18, 22, 14, 8, 30])
    key = sheet(book, "Key")
    put(key, 1, ["BRAG key"], bold=True)
    put(key, 2, ["Colour", "Meaning"], bold=True)
    for n, pair in enumerate([("Blue", "Complete and evidenced"), ("Green", "On track"),
                              ("Amber", "At risk of missing the target date"), ("Red", "Off track")], start=3):
        put(key, n, list(pair))
    save(book, path)


# 5. Grenfell Tower Inquiry Phase 1 tracker ------------------------------------------------------------------

GRENFELL = Fixture(
    name="grenfell_phase1_tracker",
    file="grenfell_phase1_tracker.xlsx",
    imitates="A fire and rescue service's tracker of the Grenfell Tower Inquiry Phase 1 recommendations that "
             "apply to it: references like 33.22c with action references 33.22c-1, themes as rows spanning the "
             "table, a read-me sheet, a hidden RAG code column beside the visible Status column, and a "
             "recommendation whose text runs on to the next row.",
    classes=[1, 2, 3, 4, 6, 10],
    title="Grenfell Tower Inquiry Phase 1 Recommendations: Service Tracker",
    group_called="theme",
    notes=["The hidden 'RAG' column (codes C, G, A) loses to the visible 'Status' column.",
           "Recommendation 33.22c continues on the row below and is joined once."],
    recommendations=[
        Rec("33.10b", "recommendation", "Fire and rescue services should make sure their staff at every level "
            "understand how fire can spread in the external walls of high-rise buildings and how to recognise it.",
            group="Knowledge of external walls", actions=[
                Act("Add external wall fire spread to the incident command courses.", ["Head of Training"],
                    "2022-06-30", "completed", status_text="Complete", ref="33.10b-1"),
                Act("Issue a risk information note on external wall systems to all crews.",
                    ["Head of Operational Policy"], None, "not_started", due_text="TBC", condition="TBC",
                    status_text="Not started", ref="33.10b-2"),
            ]),
        Rec("33.15a", "recommendation", "Fire and rescue services should have a policy for handling many fire "
            "survival guidance calls at the same time.", group="Control room and incident commander", actions=[
                Act("Write a control room procedure for handling many fire survival guidance calls at once.",
                    ["Control Room Manager"], "2023-03-31", "in_progress", status_text="In progress",
                    ref="33.15a-1"),
            ]),
        Rec("33.22c", "recommendation", "Fire and rescue services should develop policies for the partial and "
            "total evacuation of high-rise residential buildings, and train their officers to recognise when an "
            "evacuation is needed and how to carry it out.", group="Evacuation", actions=[
                Act("Publish a high-rise evacuation policy.", ["Head of Operational Policy"], "2023-01-31",
                    "completed", status_text="Complete", ref="33.22c-1"),
                Act("Train all incident commanders in the evacuation policy.", ["Head of Training"], None,
                    "in_progress", due_text="Ongoing", condition="Ongoing", status_text="In progress",
                    ref="33.22c-2"),
            ]),
    ])


def write_grenfell(path: Path) -> None:
    book = workbook()
    readme = sheet(book, "Read me")
    for n, line in enumerate(["How to use this tracker",
                              "Each recommendation is listed under its theme with the actions agreed against it.",
                              "Update the Status and Update columns before each Programme Board.",
                              "Do not change the references: they are the Inquiry's."], start=1):
        put(readme, n, [line], bold=n == 1)
    ws = sheet(book, "GTI Phase 1")
    put(ws, 1, [GRENFELL.title], bold=True)
    header = ["Rec ref", "Recommendation", "Action ref", "Action", "Owner", "Target date", "RAG", "Status",
              "Update"]
    put(ws, 3, header, bold=True)
    codes = {"completed": "C", "in_progress": "G", "not_started": "A"}
    row = 4
    for theme in dict.fromkeys(r.group for r in GRENFELL.recommendations):
        number = list(dict.fromkeys(r.group for r in GRENFELL.recommendations)).index(theme) + 1
        put(ws, row, [f"Theme {number}: {theme}"], bold=True)
        span(ws, row, 1, len(header))
        row += 1
        for rec in (r for r in GRENFELL.recommendations if r.group == theme):
            for i, act in enumerate(rec.actions):
                text = rec.text if i == 0 else ""
                if rec.ref == "33.22c" and i == 0:
                    text = rec.text[:rec.text.index("and train their")].strip()
                put(ws, row, [rec.ref if i == 0 else "", text, act.ref, act.text, "\n".join(act.owners),
                              act.due_text or real(act.due), codes[act.status], act.status_text, act.progress])
                row += 1
                if rec.ref == "33.22c" and i == 0:  # the rest of the recommendation, on the next row
                    put(ws, row, ["", rec.text[rec.text.index("and train their"):]])
                    row += 1
    ws.column_dimensions["G"].hidden = True
    widths(ws, [9, 50, 10, 40, 24, 12, 6, 12, 30])
    save(book, path)


# 6. Manchester Arena Inquiry tracker -----------------------------------------------------------------------

ARENA = Fixture(
    name="arena_inquiry_tracker",
    file="arena_inquiry_tracker.xlsx",
    imitates="A tracker of the Manchester Arena Inquiry recommendations with a sheet per volume (numbering "
             "restarts in each: R1 in Volume 1 is not R1 in Volume 2), a summary sheet of counts, an 'Action No.' "
             "column that numbers actions within a recommendation, and the plan's own status phrases.",
    classes=[1, 2, 4, 5, 6],
    title="Manchester Arena Inquiry Recommendations Tracker",
    group_called="volume",
    notes=["The Summary sheet is counts, not a tracker.",
           "'Action No.' numbers the action within its recommendation; it is not the recommendation number.",
           "'Complete – awaiting sign-off' is completed; 'Not ours to deliver' is cancelled (with that reason); "
           "'Off track' is in progress."],
    recommendations=[
        Rec("R1", "recommendation", "Emergency services should take part in the counter-terrorism exercises run "
            "by large venues in their area.", group="Volume 1", actions=[
                Act("Agree an exercise calendar with the three arena operators.", ["Head of Resilience"],
                    "2023-03-31", "completed", due_text="Mar-23", condition="Mar-23",
                    status_text="Complete – awaiting sign-off"),
            ]),
        Rec("R2", "recommendation", "Government should place a duty on venue operators to plan for a terrorist "
            "attack.", group="Volume 1", actions=[
                Act("Respond to the consultation on the new duty for venue operators.", ["Head of Protection"],
                    "2022-07-31", "cancelled", status_text="Not ours to deliver"),
            ]),
        Rec("R1", "recommendation", "Fire and rescue services should make sure their officers declare a major "
            "incident as soon as the criteria are met.", group="Volume 2", actions=[
                Act("Revise the major incident declaration procedure.", ["Head of Operational Policy"],
                    "2022-12-31", "in_progress", due_text="31 Dec 22", status_text="On track"),
                Act("Exercise the declaration procedure with control staff.", ["Control Room Manager"],
                    "2023-03-31", "in_progress", due_text="Q4 22/23", condition="Q4 22/23",
                    status_text="Off track"),
            ]),
        Rec("R12", "recommendation", "Fire and rescue services should make sure an inter-agency liaison officer is "
            "available to every incident commander at all times.", group="Volume 2", actions=[
                Act("Increase the liaison officer rota to four officers on each watch.", ["Area Manager, Response"],
                    "2023-09-30", "in_progress", status_text="On track"),
            ]),
        Rec("R1", "recommendation", "All public bodies should review how their staff report concerns about "
            "radicalisation.", group="Volume 3", actions=[
                Act("Add the reporting of radicalisation concerns to the safeguarding policy.",
                    ["Head of Safeguarding"], "2023-06-30", "completed", status_text="Complete – awaiting sign-off"),
            ]),
    ])


def write_arena(path: Path) -> None:
    book = workbook(title=ARENA.title)
    summary = sheet(book, "Summary")
    put(summary, 1, [ARENA.title], bold=True)
    put(summary, 3, ["Volume", "Recommendations", "Completed", "Outstanding"], bold=True)
    volumes = list(dict.fromkeys(r.group for r in ARENA.recommendations))
    for n, volume in enumerate(volumes, start=4):
        acts = [a for r in ARENA.recommendations if r.group == volume for a in r.actions]
        done = sum(a.status == "completed" for a in acts)
        put(summary, n, [volume, sum(r.group == volume for r in ARENA.recommendations), done, len(acts) - done])
    for volume in volumes:
        ws = sheet(book, volume)
        put(ws, 1, ["Rec No.", "Recommendation", "Action No.", "Action", "Lead", "Due", "Progress status"],
            bold=True)
        row = 2
        for rec in (r for r in ARENA.recommendations if r.group == volume):
            for i, act in enumerate(rec.actions, start=1):
                put(ws, row, [rec.ref if i == 1 else "", rec.text if i == 1 else "", i, act.text,
                              "\n".join(act.owners), act.due_text or real(act.due), act.status_text])
                row += 1
        widths(ws, [8, 50, 10, 40, 24, 12, 24])
    save(book, path)


# 12. HMICFRS fire inspection tracker numbering areas for improvement by pillar --------------------------------

HMICFRS_AFI = Fixture(
    name="hmicfrs_afi_tracker",
    file="hmicfrs_afi_tracker.xlsx",
    imitates="A fire and rescue service's Excel tracker of its HMICFRS inspection: the title line above the "
             "header names the inspectorate, the areas for improvement are numbered within each pillar (AFI 1.1, "
             "AFI 1.2, AFI 2.1: each its own area for improvement) with the reference on every row, an 'Action "
             "no.' column numbers each one's actions (1, 2, or AFI 1.2a), and a completion date column.",
    classes=[1, 2, 6, 9],
    title="HMICFRS inspection 2023 – action plan",
    group_called="pillar",
    notes=["'AFI 1.1' and 'AFI 1.2' are two areas for improvement, not actions 1 and 2 of an 'AFI 1': the "
           "tracker numbers its actions in its own 'Action no.' column.",
           "A plain number in 'Action no.' numbers the action within its area for improvement (AFI 1.1-2).",
           "The title names HMICFRS: the plan's source is an HMICFRS inspection.",
           "Completed actions carry their completion date; the preview shows it."],
    recommendations=[
        Rec("AFI 1.1", "afi", "The service should make sure its prevention work is focused on the people most at "
            "risk of fire.", group="Effectiveness", actions=[
                Act("Refresh the risk model used to target home fire safety visits.", ["Head of Prevention"],
                    "2023-09-30", "completed", status_text="Complete", completed_on="2023-08-14"),
                Act("Report the share of visits made to the highest-risk households each quarter.",
                    ["Head of Prevention"], "2024-03-31", "in_progress", status_text="In progress"),
            ]),
        Rec("AFI 1.2", "afi", "The service should make sure it has enough qualified protection staff to meet its "
            "risk-based inspection programme.", group="Effectiveness", actions=[
                Act("Recruit four fire safety inspectors.", ["Head of Protection"], "2024-06-30", "in_progress",
                    status_text="In progress", ref="AFI 1.2a"),
                Act("Put two fire safety inspectors through the level 4 diploma.", ["Head of Protection"],
                    "2024-12-31", "not_started", status_text="Not started", ref="AFI 1.2b"),
            ]),
        Rec("AFI 2.1", "afi", "The service should make sure it has a clear way of showing how its workforce plan "
            "matches its community risk management plan.", group="Efficiency", actions=[
                Act("Publish a workforce plan linked to the community risk management plan.",
                    ["Director of People"], "2023-12-31", "completed", status_text="Completed",
                    completed_on="2024-01-19"),
            ]),
    ])


def write_hmicfrs_afi(path: Path) -> None:
    book = workbook()
    ws = sheet(book, "Action plan")
    put(ws, 1, [HMICFRS_AFI.title], bold=True)
    put(ws, 2, ["Northshire Fire and Rescue Service"])
    put(ws, 4, ["Pillar", "AFI no.", "Area for improvement", "Action no.", "Action", "Lead officer",
                "Target date", "Status", "Completion date"], bold=True)
    row = 5
    for rec in HMICFRS_AFI.recommendations:
        for i, act in enumerate(rec.actions, start=1):
            put(ws, row, [rec.group, rec.ref, rec.text if i == 1 else "", act.ref or i, act.text, act.owners[0],
                          real(act.due), act.status_text, real(act.completed_on)])
            row += 1
    widths(ws, [14, 9, 44, 10, 44, 22, 12, 12, 14])
    save(book, path)


INSPECTION_SHEETS = [(POLICE, write_police), (GRENFELL, write_grenfell), (ARENA, write_arena),
                     (HMICFRS_AFI, write_hmicfrs_afi)]

"""The demo plan's board report for the meeting of 30 November 2021: header and authored text transcribed from
the source report (tests/seeds/000_e915e5bff516a6a7.txt); the action table, key, counts and changes are
generated from the demo plan as at that date. Loaded as a draft through the services, like real use."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from actiontrack.plans.demo import LOADER, REFERENCE, load_demo
from actiontrack.plans.models import Plan

from . import services
from .choices import PROTECTED_CHARACTERISTICS, Impact, ReportType
from .models import BoardReport

MEETING_DATE = date(2021, 11, 30)
WRITTEN_ON = date(2021, 11, 23)  # assumed: a week before the meeting; the document does not say

HEADER = {
    "meeting": "Performance and Resources Board",
    "agenda_item": "7",
    "authors": "Chris Parker Area Manager Prevention and Protection",
    "presented_by": "Moira Bruin, Director of Operations",
    "subject": "Monthly Update - Protection Improvement Plan Peer Review",
    "report_type": ReportType.INFORMATION,
    "action_point": "",
    "for_publication": True,
    "classification": "OFFICIAL",
}

SECTIONS = {
    "recommendations": "None. This report is for information.",
    "executive_summary": "This report provides an update on progress against the Protection Peer Review Action "
                         "Plan.",
    "options_and_analysis": "Following the report, an action plan was developed as outlined below. Progress is "
                            "identified as a RAG status where the following definitions apply:",
    "risks_and_mitigations": "Not meeting the deadline of improvement recommendations. (Mitigation) – Active "
                             "monitoring and reporting of this plan to ensure early identification of issues.",
    "links_to_plan": "- Prevention, protection and response\n- Make best use of our resources",
    "financial_implications": "None associated with this report.",
    "legal_implications": "None associated with this report.",
    "staffing_implications": "There has been an impact on staff having to move flexi banks to realign the "
                             "operational rota.",
    "equality_implications": "We have considered whether individuals with protected characteristics will be "
                             "disadvantaged as a consequence of the actions being taken. Due regard has also been "
                             "given to whether there is impact on each of the following protected groups as defined "
                             "within the Equality Act 2010:",
    "workforce_engagement": "Protection staff have been engaged in the development of this action plan.",
    "health_and_safety": "None associated with this report.",
    "consultation_and_engagement": "Staff have been made aware of the content of this plan.",
    "future_plans": "The improvements from this action plan will fall into BAU",
    "background_papers": "N/A",
}

# The source marks every characteristic "X": no impact.
EQUALITY = {key: {"impact": Impact.NONE.value, "note": ""} for key, _ in PROTECTED_CHARACTERISTICS}


@transaction.atomic
def load_demo_report() -> tuple[BoardReport, bool]:
    """The draft report for the 30 November 2021 meeting (and the demo plan, if it is not loaded yet).
    Running it again changes nothing. Returns the report and whether it was created now."""
    plan = Plan.objects.filter(reference=REFERENCE).first() or load_demo().plan
    existing = BoardReport.objects.filter(plan=plan, meeting_date=MEETING_DATE).first()
    if existing is not None:
        return existing, False
    report = services.report_create(actor=LOADER, plan=plan, meeting_date=MEETING_DATE, today=WRITTEN_ON,
                                    **HEADER)
    report = services.report_update(actor=LOADER, report=report, expected_version=report.version, today=WRITTEN_ON,
                                    changes={"sections": SECTIONS, "equality": EQUALITY, "summary_sentence": ""})
    return report, True

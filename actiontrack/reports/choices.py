"""The board report's vocabularies, each defined once (DESIGN rule 5): report status and type, the impact
recorded against each protected characteristic, the output formats, and the report's sections in the order
of the source report. Every output (web, DOCX, PDF, HTML) reads them here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"


class ReportType(models.TextChoices):
    INFORMATION = "information", "Information"
    DECISION = "decision", "Decision"
    DISCUSSION = "discussion", "Discussion"


class Impact(models.TextChoices):
    """What the author recorded against a protected characteristic. The source report marks "X" for no impact."""

    NONE = "none", "No impact"
    POSITIVE = "positive", "Positive impact"
    NEGATIVE = "negative", "Negative impact"
    NOT_ASSESSED = "not_assessed", "Not yet assessed"


# The nine protected characteristics of the Equality Act 2010, in the order committee papers' Equality and
# Diversity tables list them, two to a row (the source report's): (key, name).
PROTECTED_CHARACTERISTICS = (
    ("race", "Race"),
    ("religion_belief", "Religion or belief"),
    ("sex", "Sex"),
    ("gender_reassignment", "Gender reassignment"),
    ("age", "Age"),
    ("pregnancy_maternity", "Pregnancy and maternity"),
    ("disability", "Disability"),
    ("marriage_civil_partnership", "Marriage and civil partnership"),
    ("sexual_orientation", "Sexual orientation"),
)


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    media_type: str
    extension: str


FORMATS = {
    "pdf": Format("pdf", "PDF", "application/pdf", "pdf"),
    "docx": Format("docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "docx"),
    "html": Format("html", "Web page (HTML)", "text/html; charset=utf-8", "html"),
}

ReportFormat = models.TextChoices("ReportFormat", [(f.key.upper(), (f.key, f.label)) for f in FORMATS.values()])


@dataclass(frozen=True)
class SectionSpec:
    """One section of the committee paper. `authored`: the author writes its text (stored per report, carried
    into the next report); the rest of a section, if any, is generated from the plan as at the as-at date."""

    key: str
    heading: str
    authored: bool
    generated: str  # what the system adds to the section, in words ("" if nothing)
    hint: str = ""
    default: str = ""  # the text of a plan's first report


NONE_ASSOCIATED = "None associated with this report."

SECTIONS = (
    SectionSpec("recommendations", "Recommendations", True, "",
                "What the board is asked to decide or note.", "None. This report is for information."),
    SectionSpec("executive_summary", "Executive summary", True,
                "A sentence on overdue actions, which you can keep or replace.",
                "The opening of the summary; the sentence on overdue actions follows it."),
    SectionSpec("background", "Background", False,
                "The plan's background, its source and dates, the documents reviewed and the recommendations."),
    SectionSpec("options_and_analysis", "Options and analysis", True,
                "The RAG key, the action table, the status counts with a chart, and the changes since the last "
                "issued report.",
                "Introduces the RAG key and the action table, which follow it.",
                "Following the report, an action plan was developed as outlined below. Progress is identified as a "
                "RAG status where the following definitions apply:"),
    SectionSpec("risks_and_mitigations", "Risks and mitigations", True, "", "",
                "Not meeting the deadline of improvement recommendations. (Mitigation) – Active monitoring and "
                "reporting of this plan to ensure early identification of issues."),
    SectionSpec("links_to_plan", "Links to Fire and Rescue Plan", True, "",
                "Start a line with “- ” to make a bulleted list."),
    SectionSpec("financial_implications", "Financial implications", True, "", "", NONE_ASSOCIATED),
    SectionSpec("legal_implications", "Legal implications", True, "", "", NONE_ASSOCIATED),
    SectionSpec("staffing_implications", "Staffing implications", True, "", "", NONE_ASSOCIATED),
    SectionSpec("equality_implications", "Equality and diversity implications", True,
                "The table of the nine protected characteristics with the impact recorded against each.",
                "Introduces the table of protected characteristics, which follows it.",
                "We have considered whether individuals with protected characteristics will be disadvantaged as a "
                "consequence of the actions being taken. Due regard has also been given to whether there is impact "
                "on each of the following protected groups as defined within the Equality Act 2010:"),
    SectionSpec("workforce_engagement", "Workforce engagement", True, ""),
    SectionSpec("health_and_safety", "Health and safety implications", True, "", "", NONE_ASSOCIATED),
    SectionSpec("consultation_and_engagement", "Consultation and engagement", True, ""),
    SectionSpec("future_plans", "Future plans", True, ""),
    SectionSpec("background_papers", "List of background papers and appendices", True, "", "", "N/A"),
)

AUTHORED_SECTIONS = tuple(spec for spec in SECTIONS if spec.authored)
SECTION_BY_KEY = {spec.key: spec for spec in SECTIONS}

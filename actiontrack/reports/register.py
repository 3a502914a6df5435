"""The public progress register: what a published plan shows anyone, without signing in.

Read only from the plan's issued reports, frozen as issued, in their public version (exempt sections removed):
the latest one for each recommendation and action, every one for each recommendation's status history. No draft,
no journal, no evidence, nothing exempt; people are named only where the plan chooses (Plan.public_holder_names).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from actiontrack.plans.choices import SourceKind
from actiontrack.plans.models import Plan

from .build import MEASURES_HEADING
from .choices import ReportStatus
from .data import ActionLine, ReportData, Status, StatusCount, load, public_version
from .models import BoardReport

CONTINUED = "(continued)"  # how the report's table marks a recommendation's second and later actions


@dataclass(frozen=True)
class PublicAction:
    ref: str
    text: str
    owners: str  # posts, with their holders' names only where the plan chooses
    due: str  # "31/12/2021 (On Approval)"
    status: Status
    reason: str  # "due 31/12/2021, not complete on 30/11/2021"
    progress: str  # the progress text the issued report gave the board
    progress_period: str  # "November 2021"
    assurance: str = ""  # "Limited assurance: completed on the owner's word; …" ("" before assurance existed)


@dataclass(frozen=True)
class Standing:
    """A recommendation as one issued report showed it: its actions counted by status."""

    meeting: str
    meeting_date: date
    as_at: date
    counts: tuple[StatusCount, ...]

    @property
    def text(self) -> str:
        """ "2 Green – Complete; 1 Red – Overdue" """
        return "; ".join(f"{count.count} {count.status.title}" for count in self.counts)


@dataclass(frozen=True)
class PublicRecommendation:
    key: str  # identifies it across reports
    ref: str  # "" in reports issued before the register (their table did not carry it)
    kind: str  # "Cause of concern", "Area for improvement"; "Recommendation" in reports issued before it was kept
    group: str
    text: str
    actions: tuple[PublicAction, ...]
    history: tuple[Standing, ...]  # oldest report first, the latest last


@dataclass(frozen=True)
class PublicPlan:
    reference: str
    title: str
    organisation: str
    source: str  # "HMICFRS inspection"
    source_body: str
    meeting: str
    meeting_date: date
    as_at: date
    issued_on: date | None
    published_at: datetime
    counts: tuple[StatusCount, ...]
    recommendations: tuple[PublicRecommendation, ...]
    withheld: bool  # the latest report's table of actions is exempt from publication
    reports: int  # issued reports the history draws on
    measures: tuple[str, ...] = ()  # the latest report's measures against their targets, in its words

    @property
    def total(self) -> int:
        return sum(count.count for count in self.counts)


def published_plans() -> list[PublicPlan]:
    """Every published plan with an issued report, by title."""
    found = [public_plan_of(plan) for plan in Plan.objects.filter(published_at__isnull=False).order_by("title", "pk")]
    return [plan for plan in found if plan is not None]


def public_plan(reference: str) -> PublicPlan | None:
    """The published plan's register, or None if no plan of that reference is published (or it has no issued
    report): the caller answers exactly as for a plan that does not exist."""
    plan = Plan.objects.filter(reference=reference, published_at__isnull=False).first()
    return None if plan is None else public_plan_of(plan)


def public_plan_of(plan: Plan) -> PublicPlan | None:
    reports = list(plan.board_reports.filter(status=ReportStatus.ISSUED).order_by("meeting_date", "issued_at", "pk"))
    if not reports:
        return None
    issued = [(report, public_version(load(report.snapshot))) for report in reports]
    latest, data = issued[-1]
    lines = _lines(data)
    history = _history(issued)
    recommendations = tuple(
        PublicRecommendation(key=key, ref=ref, kind=rows[0].rec_kind or "Recommendation", group=group, text=text,
                             history=history.get(key, ()),
                             actions=tuple(_public(line, latest, plan.public_holder_names) for line in rows))
        for key, ref, group, text, rows in _by_recommendation(lines or []))
    counts = Counter(line.status.key for line in lines or [])
    return PublicPlan(
        reference=plan.reference, title=plan.title, organisation=plan.organisation,
        source=SourceKind(plan.source_kind).label, source_body=plan.source_body, meeting=latest.meeting,
        meeting_date=latest.meeting_date, as_at=latest.as_at, issued_on=latest.issued_on,
        published_at=plan.published_at, counts=_ordered(counts, data), recommendations=recommendations,
        withheld=lines is None, reports=len(reports), measures=_measures(data))


def _measures(data: ReportData) -> tuple[str, ...]:
    """The list under the report's "Measures against their targets" heading, if it has one (and it is not in
    an exempt section)."""
    for section in data.sections:
        after_heading = False
        for block in section.blocks:
            if after_heading and block.kind == "bullets":
                return block.items
            after_heading = block.kind == "subheading" and block.text == MEASURES_HEADING
    return ()


def _lines(data: ReportData) -> list[ActionLine] | None:
    """The report's action table rows, or None where its public version has none (the section is exempt)."""
    tables = data.blocks("action_table")
    return [row for table in tables for row in table.rows] if tables else None


def _by_recommendation(lines: list[ActionLine]) -> list[tuple[str, str, str, str, list[ActionLine]]]:
    """The table's rows under their recommendations, in the report's order."""
    found: list[tuple[str, str, str, str, list[ActionLine]]] = []
    for line in lines:
        if not found or not line.recommendation.endswith(CONTINUED):
            key = f"{line.group}\u241f{line.rec_ref}" if line.rec_ref else line.recommendation
            found.append((key, line.rec_ref, line.group, line.rec_text or line.recommendation, []))
        found[-1][4].append(line)
    return found


def _history(issued: list[tuple[BoardReport, ReportData]]) -> dict[str, tuple[Standing, ...]]:
    history: dict[str, list[Standing]] = {}
    for report, data in issued:
        for key, _ref, _group, _text, rows in _by_recommendation(_lines(data) or []):
            counts = _ordered(Counter(line.status.key for line in rows), data, rows)
            history.setdefault(key, []).append(Standing(report.meeting, report.meeting_date, report.as_at, counts))
    return {key: tuple(standings) for key, standings in history.items()}


def _ordered(counts: Counter, data: ReportData, rows: list[ActionLine] = ()) -> tuple[StatusCount, ...]:
    """Counts in the order of the report's own key (red, amber, green... as its scheme has them)."""
    statuses = {status.key: status for status in data.statuses()}
    statuses.update((line.status.key, line.status) for line in rows)
    order = list(statuses)
    return tuple(StatusCount(statuses[key], counts[key]) for key in sorted(counts, key=order.index))


def _public(line: ActionLine, report: BoardReport, names: bool) -> PublicAction:
    return PublicAction(ref=line.ref, text=line.text, owners=_owners(line, report, names), due=line.due,
                        status=line.status, reason=line.reason, progress=line.progress,
                        progress_period=line.progress_period or _period_of_byline(line.progress_by),
                        assurance=f"{line.assurance}: {line.assurance_reason}" if line.assurance else "")


def _owners(line: ActionLine, report: BoardReport, names: bool) -> str:
    if names:
        return line.owners  # with the holders' names if the report gave them
    if line.owner_posts:
        return line.owner_posts
    # A report issued before the register: its owners are posts only unless it named the holders.
    return "" if report.show_holder_names else line.owners


def _period_of_byline(byline: str) -> str:
    """ "November 2021, by Chris Parker; worded for the board" → "November 2021" (no name)."""
    return byline.split("; ")[0].split(", by ")[0]

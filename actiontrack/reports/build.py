"""The report data (data.py) from the database: the plan as at the report's as-at date (replayed from the
journal by plans.selectors), the plan's RAG scheme for the key and the labels, the journal since the previous
issued report for the changes, and the report's header and authored text. Renderers never touch the ORM."""

from __future__ import annotations

import base64
import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, from_json
from actiontrack.core.models import JournalEvent
from actiontrack.domain.assurance import LEVELS
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.periods import Period, period_of
from actiontrack.domain.rag import Band, Condition, RagScheme
from actiontrack.domain.text import printable
from actiontrack.domain.ukdates import format_due, format_long, format_short
from actiontrack.people.models import Post
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.selectors import PlanAsAt, plan_as_at
from actiontrack.plans.selectors.measures import measures_as_at
from actiontrack.plans.selectors.progress import Progress, latest_progress, no_update

from . import changes as changes_mod
from .choices import PROTECTED_CHARACTERISTICS, SECTIONS, Impact, ReportStatus, ReportType
from .data import (
    ActionLine,
    ActionTable,
    BulletList,
    ChangeList,
    EqualityRow,
    EqualityTable,
    HeaderField,
    NumberedItem,
    NumberedList,
    Paragraph,
    RagKey,
    ReportData,
    Section,
    Status,
    StatusCount,
    StatusSummary,
    Subheading,
    with_text,
)
from .models import BoardReport
from .organisation import branding
from .palette import PALETTE
from .prose import blocks_from_text, moved_sentence, summary_sentence, with_sentence
from .slippage import slippage_blocks

LANGUAGE = "en-GB"
CHANGES_HEADING = "Changes since the last issued report"
SUMMARY_HEADING = "Summary of status"
MEASURES_HEADING = "Measures against their targets"


def status_of(band: Band) -> Status:
    fill, ink, bar = PALETTE.get(band.colour, PALETTE["grey"])
    return Status(key=band.key, colour=band.colour, label=band.label, meaning=band.meaning, fill=fill, ink=ink,
                  bar=bar)


def overdue_band(scheme: RagScheme) -> str | None:
    """The band the scheme gives overdue actions (its rules say which: no scheme is special-cased)."""
    return next((rule.band for rule in scheme.rules if rule.condition is Condition.OVERDUE), None)


def overdue_refs(view: PlanAsAt) -> list[str]:
    overdue = overdue_band(view.scheme)
    return [action.ref for action in view.actions if action.rating.band.key == overdue]


def previous_issued(report: BoardReport) -> BoardReport | None:
    """The last issued report on the plan with an earlier as-at date."""
    return (BoardReport.objects.filter(plan_id=report.plan_id, status=ReportStatus.ISSUED, as_at__lt=report.as_at)
            .exclude(pk=report.pk).order_by("-as_at", "-issued_at", "-id").first())


# Changes since the last issued report -------------------------------------------------------------------

def _states(view: PlanAsAt) -> list[changes_mod.ActionState]:
    overdue = overdue_band(view.scheme)
    return [changes_mod.ActionState(
        ref=a.ref, text=a.text, owners=" / ".join(o.post for o in a.owners), due=a.due_text,
        complete=a.lifecycle.is_complete, overdue=a.rating.band.key == overdue,
        cancelled=a.lifecycle is Lifecycle.CANCELLED, completed_on=a.completed_on,
        cancel_reason=a.lifecycle_reason if a.lifecycle is Lifecycle.CANCELLED else "") for a in view.actions]


_ACTION_FIELDS = {DUE: changes_mod.DUE, "owner_posts": changes_mod.OWNERS, "supporting_posts": changes_mod.OWNERS,
                  "lifecycle": changes_mod.LIFECYCLE, "text": changes_mod.TEXT}


def change_events(plan: Plan, since: date, until: date, view: PlanAsAt) -> list[changes_mod.Event]:
    """The journal's changes that took effect after `since` up to `until`, in words: the plan's actions' dates,
    owners, lifecycle and wording, its recommendations' wording, and new holders of the posts owning its actions
    (a post's holder is not the plan's data, but the board reads "who owns this" from it)."""
    window = {"effective_on__gt": since, "effective_on__lte": until}
    events = list(JournalEvent.objects.filter(
        Q(entity_type=EntityType.ACTION, field__in=list(_ACTION_FIELDS))
        | Q(entity_type=EntityType.RECOMMENDATION, field="text"), plan=plan, **window).order_by("effective_on", "id"))
    owning = dict(Post.objects.filter(actions__plan=plan)
                  .values_list("pk", "name").distinct())
    holders = list(JournalEvent.objects.filter(entity_type=EntityType.POST, field="holder",
                                               entity_id__in=list(owning), **window).order_by("effective_on", "id"))
    refs = dict(Action.objects.filter(plan=plan).values_list("pk", "ref"))
    rec_refs = dict(plan.recommendations.values_list("pk", "ref"))
    posts = dict(Post.objects.values_list("pk", "name"))

    def words(field: str, value) -> str:
        if field == DUE:
            value = from_json(DUE, value)
            return format_due(value["on"], value["condition"]) if value else "No date set"
        if field in ("owner_posts", "supporting_posts"):
            return " / ".join(posts.get(pk, f"post {pk}") for pk in value or []) or "no owner"
        return value or ""

    found = []
    for e in events:
        if e.entity_type == EntityType.RECOMMENDATION:
            found.append(changes_mod.Event(key=f"journal:{e.pk}", ref=rec_refs.get(e.entity_id, "?"),
                                           what=changes_mod.REC_TEXT, old=e.old or "", new=e.new or "",
                                           reason=e.reason, effective_on=e.effective_on))
            continue
        old, new = words(e.field, e.old), words(e.field, e.new)
        if e.field == "supporting_posts":
            old, new = f"supporting: {old}", f"supporting: {new}"
        found.append(changes_mod.Event(key=f"journal:{e.pk}", ref=refs.get(e.entity_id, "?"),
                                       what=_ACTION_FIELDS[e.field], old=old, new=new, reason=e.reason,
                                       effective_on=e.effective_on))
    for e in holders:
        name = owning[e.entity_id]
        owned = tuple(a.ref for a in view.actions if any(o.post == name for o in a.owners))
        found.append(changes_mod.Event(key=f"journal:{e.pk}", ref=name, what=changes_mod.HOLDER, old=e.old or "",
                                       new=e.new or "", reason=e.reason, effective_on=e.effective_on, owned=owned))
    return found


def _since(report: BoardReport) -> tuple[date, BoardReport | None]:
    """The date the list of changes starts after: the previous issued report's as-at date, or the plan's
    agreement for its first report."""
    previous = previous_issued(report)
    return (previous.as_at if previous else report.plan.agreed_on), previous


def changes_since(report: BoardReport, view: PlanAsAt | None = None) -> ChangeList:
    """What changed in the plan's data between the previous issued report's as-at date (or the plan's
    agreement, for a plan's first report) and this report's."""
    plan = report.plan
    view = view or plan_as_at(plan, report.as_at)
    since, previous = _since(report)
    if previous:
        intro = (f"Since the report to the {previous.meeting} of {format_long(previous.meeting_date)}, which "
                 f"showed the plan as at {format_long(previous.as_at)}, to {format_long(report.as_at)}:")
    else:
        intro = (f"No report on this plan has been issued before, so these are the changes since the plan was "
                 f"agreed on {format_long(plan.agreed_on)}, to {format_long(report.as_at)}:")
    before = plan_as_at(plan, since) if since < report.as_at else view
    groups = changes_mod.changes_between(_states(before), _states(view), change_events(plan, since, report.as_at, view),
                                         report.change_reasons)
    return ChangeList(intro=intro, groups=groups)


# Sections ---------------------------------------------------------------------------------------------

def _authored(report: BoardReport, key: str) -> tuple:
    return blocks_from_text(report.authored(key)) or (Paragraph("None."),)


def _background(plan: Plan, view: PlanAsAt) -> tuple:
    blocks = list(blocks_from_text(plan.background))
    documents = plan.documents_reviewed_list
    if plan.reported_on:
        who = plan.source_body or f"The {plan.get_source_kind_display().lower()}"
        to = f" to {plan.organisation}" if plan.organisation else ""
        tail = ", having provided a review of the following documents:" if documents else "."
        blocks.append(Paragraph(f"{who} reported back{to} on {format_long(plan.reported_on)}{tail}"))
    elif documents:
        blocks.append(Paragraph("The following documents were reviewed:"))
    if documents:
        blocks.append(BulletList(tuple(documents)))
    if view.recommendations:
        blocks.append(Paragraph("The following recommendations were identified and reported back."))
        blocks.append(Subheading("Recommendations"))
        # One numbered list per group, under the group's name, where the source groups them.
        for group, recs in itertools.groupby(view.recommendations, key=lambda rec: rec.group):
            if view.grouped:
                label = view.plan.group_label
                blocks.append(Paragraph(f"{label}: {group}" if label and group else group
                                        or f"Not in a {label.lower() or 'group'}"))
            blocks.append(NumberedList(tuple(
                NumberedItem(f"{rec.ref})", rec.text if rec.kind == RecommendationKind.RECOMMENDATION
                             else f"{rec.kind_label}: {rec.text}") for rec in recs)))
    return tuple(blocks) or (Paragraph("None."),)


BOARD_EDITED = "edited for the board"


def progress_words(progress: Progress | None, asked: Period, still_open: bool, board: str = "") -> tuple[str, str]:
    """(the Progress cell, its byline) for one action: the update for the report's period (or the board's version
    of it, where the report's author edited one); else, for an open action, that there is none; for one already
    done, its last update (there is nothing more to write)."""
    if progress is not None and progress.is_for_period and board:
        return board, f"{progress.byline}; {BOARD_EDITED}"
    if progress is not None and (progress.is_for_period or not still_open):
        return progress.text, progress.byline
    return no_update(asked), ""


def _period_of(progress: Progress | None, byline: str) -> str:
    return progress.period.label if byline and progress is not None else ""


@dataclass(frozen=True)
class EditableProgress:
    """An owner's update for the report's period, which the report's author may word for the board."""

    action_id: int
    ref: str
    text: str  # the owner's
    byline: str


def editable_progress(report: BoardReport, view: PlanAsAt) -> list[EditableProgress]:
    latest = latest_progress(view.plan, view.as_at)
    return [EditableProgress(action.id, action.ref, p.text, p.byline) for action in view.actions
            if (p := latest.get(action.id)) is not None and p.is_for_period]


@dataclass(frozen=True)
class EditableReason:
    """A change in the report's list whose reason the report's author may word differently."""

    key: str
    what: str  # "1.1: due date 31/05/2021 → 31/12/2021"
    reason: str  # the journal's


def editable_reasons(report: BoardReport, view: PlanAsAt) -> list[EditableReason]:
    since, _ = _since(report)
    found = []
    for event in change_events(report.plan, since, report.as_at, view):
        if event.what == changes_mod.LIFECYCLE and not changes_mod.listed_lifecycle(event.old, event.new):
            continue  # work begun: not in the list
        found.append(EditableReason(event.key, changes_mod.describe(event), event.reason))
    return found


def _action_table(report: BoardReport, view: PlanAsAt) -> ActionTable:
    rows = []
    asked = period_of(view.as_at, view.plan.reporting_period)
    latest = latest_progress(view.plan, view.as_at)
    for rec in view.recommendations:
        for position, action in enumerate(rec.actions):
            owners = " / ".join(o.text if report.show_holder_names else o.post for o in action.owners)
            progress, progress_by = progress_words(latest.get(action.id), asked, action.lifecycle.is_open,
                                                   (report.board_progress or {}).get(str(action.id), ""))
            rows.append(ActionLine(
                ref=action.ref, text=action.text, owners=owners, due=action.due_text,
                recommendation=(f"{rec.group}: " if rec.group else "") + (
                    rec.headline if position == 0 else f"{rec.kind_label} {rec.ref} (continued)"),
                baseline=format_short(action.baseline_on) if action.slipped else "",
                status=status_of(action.rating.band),
                reason="; ".join(filter(None, (action.rating.reason, action.external_text))), progress=progress,
                progress_by=progress_by, rec_ref=rec.ref, rec_kind=rec.kind_label, group=rec.group or "",
                rec_text=rec.text, owner_posts=" / ".join(o.post + (", supporting" if o.supporting else "")
                                                          for o in action.owners),
                progress_period=_period_of(latest.get(action.id), progress_by),
                assurance=action.assurance.level.label, assurance_reason=action.assurance.reason))
    return ActionTable(caption=f"Actions and their RAG status as at {format_short(view.as_at)}", rows=tuple(rows))


def _measures(view: PlanAsAt) -> tuple:
    """Each measure's latest value against its target, in words (the measures page has the chart)."""
    shown = measures_as_at(view.plan, view.as_at)
    if not shown:
        return ()
    items = tuple(
        f"{m.measure.name} (recommendation {m.measure.recommendation.ref}): "
        + (f"{m.latest.rating.title}: {m.latest.rating.reason}" if m.latest else "no value recorded yet")
        + ("; on target for the periods set, so the change has held" if m.held else "")
        + (f"; it had held until {m.held_until}, but at least one period since was not on target" if m.slipped
           else "") + "."
        for m in shown)
    return Subheading(MEASURES_HEADING), BulletList(items)


def _assurance_summary(view: PlanAsAt) -> Paragraph:
    counts = Counter(action.assurance.level for action in view.actions)
    listed = "; ".join(f"{level.label}: {counts[level]}" for level in LEVELS if counts[level])
    return Paragraph(f"Assurance that the actions worked, from what the record holds: {listed or 'none'}.")


def _status_summary(view: PlanAsAt) -> StatusSummary:
    counts = tuple(StatusCount(status_of(band), count) for band, count in view.counts)
    total = len(view.actions)
    numbers = "; ".join(f"{c.status.title}: {c.count}" for c in counts)
    return StatusSummary(
        caption=f"Number of actions by RAG status as at {format_short(view.as_at)}", counts=counts, total=total,
        chart_alt=f"Bar chart of the number of actions by RAG status as at {format_short(view.as_at)}. {numbers}. "
                  f"Total: {total}.")


def _equality(report: BoardReport) -> EqualityTable:
    rows = []
    for key, name in PROTECTED_CHARACTERISTICS:
        impact, note = report.impact(key)
        rows.append(EqualityRow(characteristic=name, impact=Impact(impact).label, note=note))
    return EqualityTable(caption="Impact on each protected characteristic (Equality Act 2010)", rows=tuple(rows))


def generated_sentence(view: PlanAsAt) -> str:
    return summary_sentence(overdue_refs(view))


def _sections(report: BoardReport, view: PlanAsAt) -> tuple[Section, ...]:
    sections = []
    changes = changes_since(report, view)
    for spec in SECTIONS:
        if spec.key == "executive_summary":
            sentence = report.summary_sentence.strip() or generated_sentence(view)
            moved = moved_sentence({group.title: len(group.items) for group in changes.groups},
                                   len(overdue_refs(view)), previous_issued(report) is None)
            blocks = with_sentence(blocks_from_text(report.authored(spec.key)), f"{sentence} {moved}")
        elif spec.key == "background":
            blocks = _background(report.plan, view)
        elif spec.key == "options_and_analysis":
            blocks = (*blocks_from_text(report.authored(spec.key)),
                      RagKey(tuple(status_of(band) for band in view.scheme.bands if band.in_key)),
                      _action_table(report, view),
                      Subheading(SUMMARY_HEADING), _status_summary(view), _assurance_summary(view),
                      Subheading(CHANGES_HEADING), changes, *slippage_blocks(view), *_measures(view))
        elif spec.key == "equality_implications":
            blocks = (*blocks_from_text(report.authored(spec.key)), _equality(report))
        else:
            blocks = _authored(report, spec.key)
        sections.append(Section(key=spec.key, heading=spec.heading, blocks=tuple(blocks)))
    return tuple(sections)


def _header(report: BoardReport, issued_on: date | None) -> tuple[HeaderField, ...]:
    publication = "Yes" if report.for_publication else f"No. {report.exemption}".strip()
    status = f"Issued on {format_long(issued_on)}" if issued_on else "Draft – not yet issued"
    fields = [
        ("Meeting", report.meeting), ("Agenda item no.", report.agenda_item or "—"),
        ("Meeting date", format_long(report.meeting_date)), ("Report authors", report.authors or "—"),
        ("Presented by", report.presented_by or "—"), ("Subject", report.subject),
        ("Type of report", ReportType(report.report_type).label), ("Action point no.", report.action_point or "—"),
        ("For publication", publication), ("Classification", report.classification or "—"),
        ("Plan", f"{report.plan.title} ({report.plan.reference})"),
        ("Status of actions as at", format_long(report.as_at)), ("Report status", status),
    ]
    return tuple(HeaderField(label, value) for label, value in fields)


def build_report_data(report: BoardReport, *, issued_on: date | None = None) -> ReportData:
    """The report as it would be issued now: the plan as at the report's as-at date, live. `issued_on` is
    given only when issuing. Its text is printable whatever is stored (text stored before input was normalised),
    so the preview, the issued snapshot and every file show the same words."""
    plan = report.plan
    view = plan_as_at(plan, report.as_at)
    brand = branding()
    return with_text(ReportData(
        title=f"{report.subject} – {report.meeting}, {format_long(report.meeting_date)}",
        subject=report.subject, meeting=report.meeting, authors=report.authors, language=LANGUAGE,
        organisation=brand.name or plan.organisation,
        logo=f"data:image/png;base64,{base64.b64encode(brand.logo).decode()}" if brand.logo else "",
        logo_alt=brand.logo_alt, for_publication=report.for_publication, exemption=report.exemption,
        exempt=tuple(report.exempt_sections or ()),
        plan_reference=plan.reference, plan_title=plan.title, classification=report.classification,
        status=ReportStatus.ISSUED.label if issued_on else ReportStatus.DRAFT.label,
        meeting_date=report.meeting_date, as_at=report.as_at, issued_on=issued_on, header=_header(report, issued_on),
        sections=_sections(report, view)), printable)


RECORD = "Record"  # a plan as it stood (plan_record_data): neither a draft paper nor an issued one (data.is_record)


def plan_record_data(plan: Plan, as_at: date) -> ReportData:
    """The plan as it stood on a day, as a document rather than a board paper (the evidence pack's): its
    background, the RAG key, every action with its owners (the post holders named), due date, progress and status
    as at that day, and the counts. Built from the journal alone: no report's authored text."""
    view = plan_as_at(plan, as_at)
    record = BoardReport(plan=plan, meeting_date=as_at, as_at=as_at, show_holder_names=True, board_progress={})
    organisation = branding().name or plan.organisation
    header = tuple(HeaderField(label, value) for label, value in (
        ("Plan", f"{plan.title} ({plan.reference})"), ("Organisation", organisation or "—"),
        ("Status of actions as at", format_long(as_at)), ("Classification", plan.classification or "—")))
    actions = (RagKey(tuple(status_of(band) for band in view.scheme.bands if band.in_key)),
               _action_table(record, view), Subheading(SUMMARY_HEADING), _status_summary(view), *_measures(view))
    return with_text(ReportData(
        title=f"{plan.title} as at {format_long(as_at)}", subject=plan.title, meeting=plan.board, authors="",
        language=LANGUAGE, organisation=organisation, plan_reference=plan.reference, plan_title=plan.title,
        classification=plan.classification, status=RECORD, meeting_date=as_at, as_at=as_at, issued_on=None,
        header=header, sections=(Section("background", "Background", tuple(_background(plan, view))),
                                 Section("actions", "Recommendations and actions", actions))), printable)

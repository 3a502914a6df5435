"""The tracker both the Excel and the CSV export write: one row per action with every field, as the plan
stood on the as-at date (replayed from the journal). The headers are ones the importer recognises, so an
exported tracker can be edited and imported again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from actiontrack.domain.ukdates import format_short
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.models import Evidence, Plan
from actiontrack.plans.selectors import PlanAsAt, plan_as_at
from actiontrack.plans.selectors.progress import latest_progress


@dataclass(frozen=True)
class Col:
    header: str
    width: int  # in Excel's character widths
    kind: str = "text"  # text, date, number, rag


COLUMNS = (
    Col("Group", 18),
    Col("Recommendation ref", 12),
    Col("Action ref", 10),
    Col("Recommendation kind", 16),
    Col("Recommendation", 45),
    Col("Action", 55),
    Col("Owner", 32),
    Col("Supporting owner", 26),
    Col("Post holder", 22),
    Col("Baseline date", 13, "date"),
    Col("Due date", 12, "date"),
    Col("Due date condition", 16),
    Col("Revisions", 10, "number"),
    Col("Status", 22),
    Col("Status reason", 24),
    Col("Completed on", 13, "date"),
    Col("RAG status", 26, "rag"),
    Col("RAG reason", 34),
    Col("Latest progress update", 50),
    Col("Update period", 15),
    Col("Update author", 18),
    Col("Evidence", 40),
    Col("Closure by an outside body", 34),
)
AS_AT_COLUMNS = {"Post holder", "RAG status"}  # what these say depends on the as-at date


def headers(as_at: date) -> list[str]:
    return [f"{c.header} as at {format_short(as_at)}" if c.header in AS_AT_COLUMNS else c.header for c in COLUMNS]


@dataclass
class Tracker:
    view: PlanAsAt
    headers: list[str]
    rows: list[list]  # values in COLUMNS order: str, int, date or None
    ratings: list  # each row's Rating, for colours


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def build(plan: Plan, as_at: date) -> Tracker:
    view = plan_as_at(plan, as_at)
    ids = [a.id for a in view.actions]
    latest = latest_progress(plan, as_at, ids)
    evidence: dict[int, list[str]] = {}
    for item in Evidence.objects.filter(action_id__in=ids, added_at__lte=_end_of(as_at)).order_by("added_at", "pk"):
        line = f"{item.title} {item.url}" if item.url and item.title != item.url else (
            item.url or f"{item.title} (file {item.original_name}, SHA-256 {item.sha256[:12]}…)")
        evidence.setdefault(item.action_id, []).append(line)
    rows, ratings = [], []
    for rec in view.recommendations:
        for action in rec.actions:
            update = latest.get(action.id)
            rows.append([
                rec.group, rec.ref, action.ref, RecommendationKind(rec.kind).label, rec.text, action.text,
                " / ".join(owner.post for owner in action.owners if not owner.supporting),
                " / ".join(owner.post for owner in action.owners if owner.supporting),
                " / ".join(owner.holder or "—" for owner in action.owners),
                action.baseline_on, action.due_on, action.due_condition, action.revisions,
                action.lifecycle.label, action.lifecycle_reason, action.completed_on,
                action.rating.label, action.rating.reason,
                update.text if update else "", update.period.label if update else "", update.author if update else "",
                "\n".join(evidence.get(action.id, [])), action.external_text,
            ])
            ratings.append(action.rating)
    return Tracker(view=view, headers=headers(as_at), rows=rows, ratings=ratings)


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_short(value)
    return str(value)

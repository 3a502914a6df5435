"""Writing text straight into the rows, around the services, as text stored before input was normalised (or
limited) would be: the plan's, its recommendations' and actions' (rows and journal alike, so the plan as at any
date shows it), the owner posts', the progress updates' and the board report's."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.people.models import Post
from actiontrack.plans.models import Action, Plan, ProgressUpdate, Recommendation
from actiontrack.reports.choices import PROTECTED_CHARACTERISTICS, SECTIONS
from actiontrack.reports.models import BoardReport

PLAN_FIELDS = ("title", "organisation", "board", "classification", "background", "documents_reviewed")
REPORT_FIELDS = ("subject", "meeting", "authors", "presented_by", "classification", "agenda_item", "exemption")


def _journal_text(entity_type: str, entity_id: int, text: str) -> None:
    """The entity's text in its journal too, as the services would have written it. (The journal's own
    queryset refuses updates; this is old data being made, not a change.)"""
    events = JournalEvent.objects.filter(entity_type=entity_type, entity_id=entity_id)
    QuerySet.update(events.filter(field="text"), new=text)
    for event in events.filter(field="created"):
        if isinstance(event.new, dict) and "text" in event.new:
            QuerySet.update(events.filter(pk=event.pk), new={**event.new, "text": text})


def _fitted(model, name: str, text: str) -> str:
    """As much of the text as the column holds (PostgreSQL refuses more than a varchar's length)."""
    length = model._meta.get_field(name).max_length
    return text[:length] if length else text


def store_raw(plan: Plan, text: Callable[[str], str], report: BoardReport | None = None) -> None:
    """Every free text of the plan (and the report) set to `text(name)`, without the services: no
    normalising, no limits (beyond the columns' own), no journal of the change. The plan's read version moves,
    as it would after any write, so nothing kept from before is shown."""
    Plan.objects.filter(pk=plan.pk).update(**{name: _fitted(Plan, name, text(name)) for name in PLAN_FIELDS})
    for rec in Recommendation.objects.filter(plan=plan):
        Recommendation.objects.filter(pk=rec.pk).update(text=text("recommendation"))
        _journal_text(EntityType.RECOMMENDATION, rec.pk, text("recommendation"))
    for action in Action.objects.filter(plan=plan):
        Action.objects.filter(pk=action.pk).update(text=text("action"))
        _journal_text(EntityType.ACTION, action.pk, text("action"))
    ProgressUpdate.objects.filter(action__plan=plan).update(text=text("update"))
    for pk in set(Post.objects.filter(actions__plan=plan).values_list("pk", flat=True)):
        Post.objects.filter(pk=pk).update(name=f"{_fitted(Post, 'name', text('post'))[:190]} {pk}")
    if report is not None:
        BoardReport.objects.filter(pk=report.pk).update(
            **{name: _fitted(BoardReport, name, text(name)) for name in REPORT_FIELDS}, for_publication=False,
            sections={spec.key: text(spec.key) for spec in SECTIONS},
            equality={key: {"impact": "none", "note": text("note")} for key, _ in PROTECTED_CHARACTERISTICS})
        report.refresh_from_db()
    plan.refresh_from_db()
    Plan.objects.filter(pk=plan.pk).update(read_version=plan.read_version + 1)
    plan.refresh_from_db()

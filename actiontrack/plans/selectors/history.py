"""An action's history: every journalled change, in words people read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, from_json
from actiontrack.core.models import JournalEvent
from actiontrack.domain.external import FIELD as EXTERNAL
from actiontrack.domain.external import external_text
from actiontrack.domain.journal import CREATED
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_due, format_short
from actiontrack.people.models import Post
from actiontrack.plans.choices import FIELD_LABELS, ProposalStatus
from actiontrack.plans.models import Action
from actiontrack.plans.selectors.as_at import owners_on, posts_with_holdings


@dataclass(frozen=True)
class HistoryRow:
    recorded_at: object
    effective_on: date
    actor: str
    source: str
    what: str
    old: str
    new: str
    reason: str


def _describe(field_name: str, value, posts: dict[int, Post], day: date) -> str:
    value = from_json(field_name, value)
    if value in (None, "", []):
        return "—"
    if field_name in ("owner_posts", "supporting_posts"):
        return " / ".join(owner.text for owner in owners_on(value, posts, day))
    if field_name == DUE:
        return format_due(value["on"], value["condition"])
    if isinstance(value, date):
        return format_short(value)
    if field_name == "lifecycle":
        return Lifecycle(value).label
    if field_name == EXTERNAL:
        return external_text(value)
    return str(value)


def _describe_created(new: dict, posts: dict[int, Post], day: date) -> str:
    owners = " / ".join(owner.text for owner in owners_on(new.get("owner_posts") or [], posts, day,
                                                           new.get("supporting_posts") or ())) or "—"
    due = _describe(DUE, new.get(DUE), posts, day)
    return f"“{new.get('text', '')}” — owner {owners}; due {due}"


def _describe_related(event: JournalEvent) -> tuple[str, str, str]:
    """(what, from, to) for events about an action's updates, date proposals, evidence and comments."""
    new, old = event.new or {}, event.old or {}
    if event.entity_type == EntityType.UPDATE and event.field == "board_version":
        return "Board version of the progress update", old.get("text") or "—", new.get("text", "")
    if event.entity_type == EntityType.UPDATE:
        return "Progress update", old.get("text") or "—", new.get("text", "")
    if event.entity_type == EntityType.COMMENT:
        return ("Comment edited" if old else "Comment"), old.get("text") or "—", new.get("text", "")
    if event.entity_type == EntityType.PROPOSAL:
        status = ProposalStatus(new.get("status", "pending")).label
        return "Date proposal", ProposalStatus(old).label if isinstance(old, str) else "—", (
            f"{new['due']} — {status}" if new.get("due") else status)
    return "Evidence added", "—", new.get("file") or new.get("url") or ""


RELATED = (EntityType.UPDATE, EntityType.PROPOSAL, EntityType.EVIDENCE, EntityType.COMMENT)


def action_journal(action: Action) -> list[JournalEvent]:
    """In one read, every event the action page needs, in effective-date order: the action's own, its
    recommendation's (for replaying it as at a date) and those of its updates, date proposals, evidence and
    comments (its history)."""
    return list(JournalEvent.objects.filter(
        Q(entity_type=EntityType.ACTION, entity_id=action.pk)
        | Q(plan=action.plan_id, entity_type=EntityType.RECOMMENDATION, entity_id=action.recommendation_id)
        | Q(plan=action.plan_id, entity_type__in=RELATED, new__action=action.pk)).order_by("effective_on", "id"))


def recorded_kinds(journal: list[JournalEvent] | None) -> set[str]:
    """Which kinds of the action's records (updates, date proposals, evidence, comments) it has at all, from its
    journal (action_journal): each is journalled with its action whenever it is written, so a kind with no event
    has no rows, and the action page need not read them (a query each, the page's dearest part). Without the
    journal, every kind may have some."""
    if journal is None:
        return set(RELATED)
    return {event.entity_type for event in journal if event.entity_type in RELATED}


def action_history(action: Action, *, posts: dict | None = None,
                   journal: list[JournalEvent] | None = None) -> list[HistoryRow]:
    """Every journalled change to an action — and to its updates, date proposals and evidence — in
    effective-date order, in words. `posts`: posts_with_holdings(), and `journal`: action_journal(), if the
    caller has read them already."""
    posts = posts if posts is not None else posts_with_holdings()
    journal = journal if journal is not None else action_journal(action)
    rows = []
    for event in journal:
        if event.entity_type == EntityType.RECOMMENDATION:
            continue  # the recommendation's own history is not the action's
        if event.entity_type != EntityType.ACTION:
            what, old, new = _describe_related(event)
        elif event.field == CREATED:
            what, old, new = "Created", "—", _describe_created(event.new, posts, event.effective_on)
        else:
            what = FIELD_LABELS.get(event.field, event.field)
            old = _describe(event.field, event.old, posts, event.effective_on)
            new = _describe(event.field, event.new, posts, event.effective_on)
        rows.append(HistoryRow(recorded_at=event.recorded_at, effective_on=event.effective_on,
                               actor=event.actor_name, source=event.get_source_display(), what=what, old=old,
                               new=new, reason=event.reason))
    return rows

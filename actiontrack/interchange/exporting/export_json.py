"""The whole plan as JSON: its details, recommendations, actions, the posts that own (or owned) them with
their holders, the journal, progress updates, date proposals, period locks, comments, measures, off-track notices
and evidence metadata (not the files: their names, sizes and SHA-256). Importing it into an installation that has
no plan with its reference recreates the plan exactly (importing/restore.py). The as-at date does not apply: the
journal holds every date. Every text in it is printable (`domain.text.printable`), as a restore would store it,
whatever was stored."""

from __future__ import annotations

import json
from datetime import date, datetime

from django.utils import timezone

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.core.snapshot import one_snapshot
from actiontrack.domain.text import printable
from actiontrack.people.models import Post
from actiontrack.plans.models import (
    Comment,
    DateProposal,
    Evidence,
    Measure,
    OffTrackNotice,
    PeriodLock,
    Plan,
    PlanRole,
    ProgressUpdate,
)

FORMAT = "actiontrack-plan"
VERSION = 1
PLAN_FIELDS = ("reference", "title", "organisation", "source_kind", "source_body", "commissioned_on", "reported_on",
               "agreed_on", "background", "documents_reviewed", "board", "classification", "rag_scheme",
               "rag_window_days", "reminder_window_days", "reporting_period", "managers_change_dates_directly",
               "created_at", "group_label", "escalate_after_days", "escalate_senior_after_days")


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _user(user) -> str | None:
    return user.get_username() if user is not None else None


def _post_ids(plan: Plan, journal: list[JournalEvent]) -> set[int]:
    ids = set(plan.actions.values_list("owner_posts", flat=True)) - {None}
    for event in journal:
        if event.entity_type != EntityType.ACTION:
            continue
        if event.field == "created":
            ids.update((event.new or {}).get("owner_posts") or [])
        elif event.field == "owner_posts":
            ids.update(event.old or [])
            ids.update(event.new or [])
    if plan.escalate_senior_post_id:  # the post told when an action is long overdue
        ids.add(plan.escalate_senior_post_id)
    return ids


def _event(event: JournalEvent) -> dict:
    return {"id": event.pk, "entity_type": event.entity_type, "entity_id": event.entity_id, "field": event.field,
            "old": event.old, "new": event.new, "reason": event.reason, "actor": _user(event.actor),
            "actor_name": event.actor_name, "source": event.source, "recorded_at": _value(event.recorded_at),
            "effective_on": _value(event.effective_on)}


def document(plan: Plan) -> dict:
    """The plan, its journal and its records, read in one snapshot: an update saved while the file is read is
    either in both its records and its journal, or in neither (a restore refuses a file where they disagree)."""
    with one_snapshot():
        return _document(Plan.objects.get(pk=plan.pk))  # its own fields as of the snapshot too


def _document(plan: Plan) -> dict:
    journal = list(plan.journal.select_related("actor").order_by("id"))
    post_ids = _post_ids(plan, journal)
    posts = Post.objects.filter(pk__in=post_ids).prefetch_related("holdings__user").order_by("pk")
    post_journal = (JournalEvent.objects.filter(entity_type=EntityType.POST, entity_id__in=post_ids)
                    .select_related("actor").order_by("id"))
    actions = (plan.actions.select_related("recommendation").prefetch_related("owner_posts", "supporting_posts")
               .order_by("pk"))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "plan": {"id": plan.pk, **{name: _value(getattr(plan, name)) for name in PLAN_FIELDS},
                 "escalate_senior_post": plan.escalate_senior_post_id},
        "posts": [{"id": post.pk, "name": post.name, "aliases": post.alias_list, "description": post.description,
                   "holdings": [{"holder_name": h.holder_name, "user": _user(h.user), "starts_on": _value(h.starts_on),
                                 "ends_on": _value(h.ends_on)} for h in post.holdings.order_by("starts_on", "pk")]}
                  for post in posts],
        "groups": [{"id": g.pk, "name": g.name, "position": g.position} for g in plan.groups.order_by("pk")],
        "recommendations": [{"id": r.pk, "ref": r.ref, "slug": r.slug, "group": r.group_id, "source": r.source,
                             "kind": r.kind, "text": r.text, "position": r.position}
                            for r in plan.recommendations.order_by("pk")],
        "actions": [{"id": a.pk, "recommendation": a.recommendation_id, "ref": a.ref, "slug": a.slug,
                     "number": a.number,
                     "text": a.text, "owner_posts": sorted(p.pk for p in a.owner_posts.all()),
                     "supporting_posts": sorted(p.pk for p in a.supporting_posts.all()),
                     "baseline_on": _value(a.baseline_on), "due_on": _value(a.due_on), "due_condition": a.due_condition,
                     "lifecycle": a.lifecycle, "lifecycle_reason": a.lifecycle_reason,
                     "completed_on": _value(a.completed_on), "version": a.version, "position": a.position}
                    for a in actions],
        "updates": [{"id": u.pk, "action": u.action_id, "period_start": _value(u.period_start), "text": u.text,
                     "author": _user(u.author), "created_at": _value(u.created_at), "updated_at": _value(u.updated_at),
                     "version": u.version}
                    for u in ProgressUpdate.objects.filter(action__plan=plan).select_related("author").order_by("pk")],
        "proposals": [{"id": p.pk, "action": p.action_id, "due_on": _value(p.due_on), "due_condition": p.due_condition,
                       "reason": p.reason, "proposed_by": _user(p.proposed_by), "proposed_at": _value(p.proposed_at),
                       "status": p.status, "decided_by": _user(p.decided_by), "decided_at": _value(p.decided_at),
                       "decision_comment": p.decision_comment}
                      for p in DateProposal.objects.filter(action__plan=plan)
                      .select_related("proposed_by", "decided_by").order_by("pk")],
        "evidence": [{"id": e.pk, "action": e.action_id, "kind": e.kind, "title": e.title, "url": e.url,
                      "original_name": e.original_name, "content_type": e.content_type, "size": e.size,
                      "sha256": e.sha256, "added_by": _user(e.added_by), "added_at": _value(e.added_at)}
                     for e in Evidence.objects.filter(action__plan=plan).select_related("added_by").order_by("pk")],
        "comments": [{"id": c.pk, "action": c.action_id, "text": c.text, "author": _user(c.author),
                      "author_name": c.author_name, "created_at": _value(c.created_at),
                      "edited_at": _value(c.edited_at), "version": c.version}
                     for c in Comment.objects.filter(action__plan=plan).select_related("author").order_by("pk")],
        "measures": [{"id": m.pk, "recommendation": m.recommendation_id, "action": m.action_id, "name": m.name,
                      "unit": m.unit, "direction": m.direction, "period": m.period, "target": str(m.target),
                      "tolerance": str(m.tolerance), "hold_periods": m.hold_periods, "position": m.position,
                      "values": [{"period_start": _value(v.period_start), "value": str(v.value),
                                  "target": str(v.target), "tolerance": str(v.tolerance),
                                  "recorded_by": v.recorded_by, "recorded_on": _value(v.recorded_on)}
                                 for v in m.values.order_by("period_start")]}
                     for m in Measure.objects.filter(plan=plan).order_by("pk")],
        "off_track_notices": [{"id": n.pk, "action": n.action_id, "agreed_on": _value(n.agreed_on),
                               "due_on": _value(n.due_on), "drafted_on": _value(n.drafted_on), "text": n.text,
                               "sent_to": n.sent_to, "status": n.status, "decided_on": _value(n.decided_on),
                               "decided_by": n.decided_by, "note": n.note}
                              for n in OffTrackNotice.objects.filter(action__plan=plan).order_by("pk")],
        "period_locks": [{"period_start": _value(lock.period_start), "locked_by": _user(lock.locked_by),
                          "locked_at": _value(lock.locked_at)}
                         for lock in PeriodLock.objects.filter(plan=plan).select_related("locked_by").order_by("pk")],
        "roles": [{"user": _user(role.user), "role": role.role}
                  for role in PlanRole.objects.filter(plan=plan).select_related("user").order_by("pk")],
        "journal": [_event(event) for event in journal],
        "post_journal": [_event(event) for event in post_journal],
    }


def printable_values(value):
    """Every string in a JSON value made printable (keys are ours)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: printable_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable_values(item) for item in value]
    return value


def render(plan: Plan, as_at: date | None = None) -> bytes:
    return json.dumps(printable_values(document(plan)), ensure_ascii=False, indent=1).encode("utf-8")

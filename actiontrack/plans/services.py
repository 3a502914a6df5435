"""Every write to plans, recommendations and actions. Each service is atomic and journals its change in
the same transaction; the action row is then brought in line with its journal, so the row is always
the journal replayed (DESIGN rules 2 and 3)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.domain.journal import CREATED, state_as_at
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_due, format_long
from actiontrack.people.models import Post

from .choices import EntityType, RecommendationKind, SourceKind
from .journal import DUE, Actor, as_change, due_value, record, to_json
from .models import Action, JournalEvent, Plan, Recommendation

ACTION_FIELDS = ("text", "baseline_on", "lifecycle", "lifecycle_reason", "completed_on")


def _require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Give a reason for {what}."})
    return reason


def _check_effective(plan: Plan, effective_on: date) -> None:
    if effective_on < plan.agreed_on:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before the plan was agreed "
            f"({format_long(plan.agreed_on)}).")})


def _created_on(entity_type: str, entity_id: int) -> date:
    return JournalEvent.objects.get(entity_type=entity_type, entity_id=entity_id, field=CREATED).effective_on


def _check_after_creation(action: Action, effective_on: date) -> None:
    created = _created_on(EntityType.ACTION, action.pk)
    if effective_on < created:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before action {action.ref} was added "
            f"({format_long(created)}).")})


def _sync_action(action: Action) -> None:
    """Set the row from its whole journal, so back-dated changes land in the right order."""
    events = [as_change(e) for e in JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id=action.pk)]
    state = state_as_at(events, date.max)
    for field in ACTION_FIELDS:
        setattr(action, field, state[field])
    action.due_on, action.due_condition = state[DUE]["on"], state[DUE]["condition"]
    action.version += 1
    action.save()
    action.owner_posts.set(state["owner_posts"])


def _post_ids(posts: list[Post]) -> list[int]:
    if not posts:
        raise ValidationError({"owner_posts": "An action needs at least one owner post."})
    return sorted({post.pk for post in posts})


@transaction.atomic
def plan_create(*, actor: Actor, reference: str, title: str, agreed_on: date, source_kind: str = SourceKind.OTHER,
                reason: str = "Plan agreed", **details) -> Plan:
    if Plan.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": f"A plan with reference {reference!r} already exists."})
    plan = Plan(reference=reference, title=title.strip(), agreed_on=agreed_on, source_kind=source_kind, **details)
    plan.full_clean()
    plan.save()
    snapshot = {"reference": plan.reference, "title": plan.title, "source_kind": plan.source_kind}
    record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=CREATED, old=None,
           new=snapshot, effective_on=agreed_on, reason=reason)
    return plan


@transaction.atomic
def recommendation_create(*, actor: Actor, plan: Plan, number: int, text: str,
                          kind: str = RecommendationKind.RECOMMENDATION, effective_on: date | None = None,
                          reason: str = "") -> Recommendation:
    effective_on = effective_on or plan.agreed_on
    _check_effective(plan, effective_on)
    if plan.recommendations.filter(number=number).exists():
        raise ValidationError({"number": f"Recommendation {number} already exists in {plan.reference}."})
    recommendation = Recommendation(plan=plan, number=number, text=text.strip(), kind=kind)
    recommendation.full_clean()
    recommendation.save()
    record(actor=actor, plan=plan, entity_type=EntityType.RECOMMENDATION, entity_id=recommendation.pk,
           field=CREATED, old=None, new={"number": number, "kind": kind, "text": recommendation.text},
           effective_on=effective_on, reason=reason)
    return recommendation


@transaction.atomic
def recommendation_change_text(*, actor: Actor, recommendation: Recommendation, text: str, reason: str,
                               effective_on: date) -> Recommendation:
    reason = _require_reason(reason, "changing the recommendation's text")
    _check_effective(recommendation.plan, effective_on)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "The recommendation's text cannot be empty."})
    old = recommendation.text
    recommendation.text = text
    recommendation.save(update_fields=["text"])
    record(actor=actor, plan=recommendation.plan, entity_type=EntityType.RECOMMENDATION,
           entity_id=recommendation.pk, field="text", old=old, new=text, effective_on=effective_on, reason=reason)
    return recommendation


@transaction.atomic
def action_create(*, actor: Actor, recommendation: Recommendation, text: str, owner_posts: list[Post],
                  due_on: date | None, due_condition: str = "", effective_on: date | None = None,
                  number: int | None = None, reason: str = "") -> Action:
    plan = recommendation.plan
    effective_on = effective_on or plan.agreed_on
    _check_effective(plan, effective_on)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Describe the action: its text cannot be empty."})
    if number is None:
        number = max(recommendation.actions.values_list("number", flat=True), default=0) + 1
    elif recommendation.actions.filter(number=number).exists():
        raise ValidationError({"number": f"Action {recommendation.number}.{number} already exists."})
    posts = _post_ids(owner_posts)
    action = Action.objects.create(plan=plan, recommendation=recommendation, number=number, text=text,
                                   baseline_on=due_on, due_on=due_on, due_condition=due_condition.strip())
    snapshot = {"recommendation": recommendation.pk, "number": number, "text": text, "owner_posts": posts,
                "baseline_on": to_json(due_on), DUE: to_json(due_value(due_on, action.due_condition)),
                "lifecycle": Lifecycle.NOT_STARTED.value, "lifecycle_reason": "", "completed_on": None}
    record(actor=actor, plan=plan, entity_type=EntityType.ACTION, entity_id=action.pk, field=CREATED, old=None,
           new=snapshot, effective_on=effective_on, reason=reason)
    _sync_action(action)
    return action


def _change(actor: Actor, action: Action, field: str, new, effective_on: date, reason: str) -> None:
    if field == "owner_posts":
        old = list(action.owner_posts.values_list("pk", flat=True).order_by("pk"))
    elif field == DUE:
        old = due_value(action.due_on, action.due_condition)
    else:
        old = getattr(action, field)
    if old == new:
        return
    record(actor=actor, plan=action.plan, entity_type=EntityType.ACTION, entity_id=action.pk, field=field,
           old=old, new=new, effective_on=effective_on, reason=reason)


@transaction.atomic
def action_change_due_date(*, actor: Actor, action: Action, due_on: date, due_condition: str = "", reason: str,
                           effective_on: date) -> Action:
    """A revision: the due date in force changes, with a reason. The baseline never changes."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    reason = _require_reason(reason, "changing the due date")
    _check_after_creation(action, effective_on)
    due_condition = (due_condition or "").strip()
    if (due_on, due_condition) == (action.due_on, action.due_condition):
        raise ValidationError({"due_on": f"Action {action.ref} is already due {format_due(due_on, due_condition)}."})
    _change(actor, action, DUE, due_value(due_on, due_condition), effective_on, reason)
    _sync_action(action)
    return action


@transaction.atomic
def action_change_owners(*, actor: Actor, action: Action, owner_posts: list[Post], reason: str,
                         effective_on: date) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    reason = _require_reason(reason, "changing the owner")
    _check_after_creation(action, effective_on)
    _change(actor, action, "owner_posts", _post_ids(owner_posts), effective_on, reason)
    _sync_action(action)
    return action


@transaction.atomic
def action_change_text(*, actor: Actor, action: Action, text: str, reason: str, effective_on: date) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    reason = _require_reason(reason, "changing what the action says")
    _check_after_creation(action, effective_on)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Describe the action: its text cannot be empty."})
    _change(actor, action, "text", text, effective_on, reason)
    _sync_action(action)
    return action


@transaction.atomic
def action_change_lifecycle(*, actor: Actor, action: Action, lifecycle: Lifecycle, effective_on: date,
                            reason: str = "", completed_on: date | None = None) -> Action:
    """Move an action through its lifecycle. Completing needs a completion date; pausing and cancelling
    need a reason; leaving a completed state clears the completion date."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    lifecycle = Lifecycle(lifecycle)
    _check_after_creation(action, effective_on)
    if lifecycle is Lifecycle(action.lifecycle):
        raise ValidationError({"lifecycle": f"Action {action.ref} is already {lifecycle.label.lower()}."})
    if lifecycle.needs_reason:
        reason = _require_reason(reason, f"marking the action {lifecycle.label.lower()}")
    if lifecycle.is_complete:
        completed_on = completed_on or action.completed_on or effective_on
        if completed_on > effective_on:
            raise ValidationError({"completed_on": "The completion date cannot be after the date the change "
                                                   "takes effect."})
    else:
        completed_on = None
    _change(actor, action, "lifecycle", lifecycle.value, effective_on, reason)
    _change(actor, action, "lifecycle_reason", reason if lifecycle.needs_reason else "", effective_on, reason)
    _change(actor, action, "completed_on", completed_on, effective_on, reason)
    _sync_action(action)
    return action

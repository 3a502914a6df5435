"""The steps every write to an action is made of: checks of dates and reasons, one journalled change of one
field, the row set from its journal. None of them checks who is acting: only the services in this package
call them, after they have checked."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, Actor, as_change, due_value, record
from actiontrack.core.models import JournalEvent
from actiontrack.domain.external import FIELD as EXTERNAL
from actiontrack.domain.journal import CREATED, due_revisions, state_as_at
from actiontrack.domain.lifecycle import Lifecycle, without_evidence_reason
from actiontrack.domain.text import Limit, normalise
from actiontrack.domain.ukdates import format_due, format_long
from actiontrack.people.models import Post
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.selectors.periods import added_on

ACTION_FIELDS = ("text", "baseline_on", "lifecycle", "lifecycle_reason", "completed_on")


def require_reason(reason: str, what: str) -> str:
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
    if not reason:
        raise ValidationError({"reason": f"Give a reason for {what}."})
    return reason


def clean_condition(due_condition: str | None) -> str:
    """A due date's condition, "On Approval": a few words."""
    return clean_text(due_condition, limit=Limit.CONDITION, what="the date's condition", field="due_on")


def check_effective(plan: Plan, effective_on: date) -> None:
    if effective_on < plan.agreed_on:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before the plan was agreed "
            f"({format_long(plan.agreed_on)}).")})


def check_source_dates(plan: Plan) -> None:
    """The source's dates in their order: commissioned, then reported."""
    if plan.commissioned_on and plan.reported_on and plan.reported_on < plan.commissioned_on:
        raise ValidationError({"reported_on": (
            f"The source reported on {format_long(plan.reported_on)}, before it was commissioned "
            f"({format_long(plan.commissioned_on)}): check both dates.")})


def check_not_after_today(plan: Plan, effective_on: date, today: date | None, what: str) -> None:
    """Something new takes effect by the plan's today (today, or the agreement day while that is still to come):
    with a later date it would not show in the plan until then. Checked when the caller says what today is."""
    latest = None if today is None else max(today, plan.agreed_on)
    if latest is not None and effective_on > latest:
        raise ValidationError({"effective_on": (
            f"The {what} cannot take effect in the plan after {format_long(latest)}: with a later date it would not "
            "show in the plan until then.")})


def check_after_creation(action: Action, effective_on: date) -> None:
    check_after_added(action.ref, added_on(action), effective_on)


def check_after_added(ref: str, created: date, effective_on: date) -> None:
    if effective_on < created:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before action {ref} was added "
            f"({format_long(created)}).")})


def taken_slugs(rows, stems: list[str]) -> set[str]:
    """The slugs among `rows` (a plan's actions or recommendations) starting with any of `stems`, compared
    without case: all unique_slug needs, read without fetching every slug of a large plan for each new one."""
    starts = Q()
    for stem in stems:
        starts |= Q(slug__istartswith=stem)
    return set(rows.filter(starts).values_list("slug", flat=True))


def sync_action(action: Action) -> None:
    """Set the row from its whole journal, so back-dated changes land in the right order."""
    events = [as_change(e) for e in JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id=action.pk)]
    state = state_as_at(events, date.max)
    for field in ACTION_FIELDS:
        setattr(action, field, state[field])
    action.revisions = due_revisions(events, DUE).get((EntityType.ACTION, action.pk), 0)
    action.due_on, action.due_condition = state[DUE]["on"], state[DUE]["condition"]
    action.external_closure = state.get(EXTERNAL)  # actions created before it have none in their snapshot
    action.version += 1
    action.save()
    action.owner_posts.set(state["owner_posts"])
    action.supporting_posts.set(state.get("supporting_posts", []))  # events before supporting owners have none


def locked(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("plan", "recommendation").get(pk=action.pk)


def post_ids(posts: list[Post]) -> list[int]:
    if not posts:
        raise ValidationError({"owner_posts": "An action needs at least one owner post."})
    return sorted({post.pk for post in posts})


def owner_ids(lead: list[Post], supporting: list[Post] = ()) -> tuple[list[int], list[int]]:
    """(every owner post, the supporting ones): a post is a lead or a supporting owner, and there is a lead."""
    leads, helping = set(post_ids(lead)), {post.pk for post in supporting}
    both = leads & helping
    if both:
        names = ", ".join(sorted(post.name for post in supporting if post.pk in both))
        raise ValidationError({"supporting_posts": f"{names} cannot be both a lead and a supporting owner: "
                                                   "choose one for each post."})
    return sorted(leads | helping), sorted(helping)


def change(actor: Actor, action: Action, field: str, new, effective_on: date, reason: str) -> bool:
    """Journal one field's change if it differs from the row; the caller then calls sync_action."""
    if field in ("owner_posts", "supporting_posts"):
        old = list(getattr(action, field).values_list("pk", flat=True).order_by("pk"))
    elif field == DUE:
        old = due_value(action.due_on, action.due_condition)
    else:
        old = getattr(action, field)
    if old == new:
        return False
    record(actor=actor, plan=action.plan, entity_type=EntityType.ACTION, entity_id=action.pk, field=field,
           old=old, new=new, effective_on=effective_on, reason=reason)
    return True


def last_status_change(action: Action) -> date:
    """When the action's status last changed (or it was added): a status change taking effect before that would
    be overtaken by it when the journal is replayed, so the person would be told of a change that never stands."""
    return (JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id=action.pk,
                                        field__in=("lifecycle", CREATED))
            .order_by("-effective_on", "-id").values_list("effective_on", flat=True).first())


def check_after_last_status(action: Action, effective_on: date) -> None:
    check_after_status_on(action.ref, Lifecycle(action.lifecycle), last_status_change(action), effective_on)


def check_after_status_on(ref: str, current: Lifecycle, latest: date, effective_on: date) -> None:
    if effective_on < latest:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before action {ref}'s status last changed "
            f"({format_long(latest)}, when it became {current.label.lower()}): a status change "
            "cannot take effect before the one it follows. Use that date or a later one.")})


def set_lifecycle(actor: Actor, action: Action, lifecycle: Lifecycle, effective_on: date, reason: str = "",
                  completed_on: date | None = None, status_reason: str | None = None) -> None:
    """Move the lifecycle (no permission check: callers check), as status_fields works it out."""
    check_after_creation(action, effective_on)
    reason, fields = status_fields(
        ref=action.ref, current=Lifecycle(action.lifecycle), current_completed_on=action.completed_on,
        lifecycle=lifecycle, effective_on=effective_on, reason=reason, completed_on=completed_on,
        status_reason=status_reason, last_status_on=lambda: last_status_change(action),
        has_evidence=lambda: action.evidence.exists())
    for field, value in fields:
        change(actor, action, field, value, effective_on, reason)
    sync_action(action)


def status_fields(*, ref: str, current: Lifecycle, current_completed_on: date | None, lifecycle: Lifecycle,
                  effective_on: date, reason: str, completed_on: date | None, status_reason: str | None,
                  last_status_on, has_evidence) -> tuple[str, list[tuple[str, object]]]:
    """A status change worked out from what the action is, writing nothing: (the reason, [(field, value)]).
    Completing keeps a completion date; leaving a completed state clears it. The status reason is the given
    reason where the new status needs one (paused, cancelled), `status_reason` where the caller says (a closure
    without evidence), else empty. `last_status_on` and `has_evidence` are asked only when needed."""
    lifecycle = Lifecycle(lifecycle)
    if lifecycle is current:
        raise ValidationError({"lifecycle": f"Action {ref} is already {lifecycle.label.lower()}."})
    check_after_status_on(ref, current, last_status_on(), effective_on)
    if lifecycle.needs_reason:
        reason = require_reason(reason, f"marking the action {lifecycle.label.lower()}")
    else:  # from the services above, which hold what people typed to its limit
        reason = normalise(reason).strip()
    if lifecycle.is_complete:
        completed_on = completed_on or current_completed_on or effective_on
        if completed_on > effective_on:
            raise ValidationError({"completed_on": "The completion date cannot be after the date the change "
                                                   "takes effect."})
    else:
        completed_on = None
    if status_reason is None and lifecycle is Lifecycle.CLOSED and not has_evidence():
        # Closed by a route with no verifier to ask (an import, the command line): say so, never imply a check.
        status_reason = without_evidence_reason(reason or "no evidence was recorded")
    if status_reason is None:
        status_reason = reason if lifecycle.needs_reason else ""
    return reason, [("lifecycle", lifecycle.value), ("lifecycle_reason", status_reason),
                    ("completed_on", completed_on)]


def reopen_if_closed(actor: Actor, action: Action, effective_on: date) -> None:
    """Editing a closed action reopens it: what was verified is no longer what stands. The reopening takes effect
    no earlier than the closure, so a back-dated edit still leaves the action open."""
    if action.lifecycle == Lifecycle.CLOSED:
        set_lifecycle(actor, action, Lifecycle.IN_PROGRESS, max(effective_on, last_status_change(action)),
                      reason="Reopened: the action was edited after it had been closed.")
        action.refresh_from_db()


def revise_due_date(actor: Actor, action: Action, due_on: date, due_condition: str, reason: str,
                    effective_on: date) -> Action:
    """The revision itself, for callers that have checked who may make it."""
    reason = require_reason(reason, "changing the due date")
    check_after_creation(action, effective_on)
    reason, fields = revision_fields(ref=action.ref, due_on=due_on, due_condition=due_condition, reason=reason,
                                     current=(action.due_on, action.due_condition), undated=is_undated(action))
    reopen_if_closed(actor, action, effective_on)
    for field, value in fields:
        change(actor, action, field, value, effective_on, reason)
    sync_action(action)
    return action


def revision_fields(*, ref: str, due_on: date, due_condition: str, reason: str, current: tuple,
                    undated: bool) -> tuple[str, list[tuple[str, object]]]:
    """A due date revision worked out from the date in force, writing nothing: (the reason, [(field, value)]).
    An action never dated gets its first date as its baseline too, however it arrives (a proposal, an import)."""
    reason = require_reason(reason, "changing the due date")
    due_condition = clean_condition(due_condition)
    if (due_on, due_condition) == current:
        raise ValidationError({"due_on": f"Action {ref} is already due {format_due(due_on, due_condition)}."})
    fields = [("baseline_on", due_on)] if undated else []
    return reason, [*fields, (DUE, due_value(due_on, due_condition))]


def is_undated(action: Action) -> bool:
    """Never given a due date: its first one is its baseline, set directly by a plan manager, not a revision."""
    return action.due_on is None and action.baseline_on is None


def swap_position(items: list, item, direction: int) -> tuple | None:
    index = [i.pk for i in items].index(item.pk)
    other = index + direction
    if not 0 <= other < len(items):
        return None
    return items[index], items[other]


def move_position(actor, plan, items, item, direction, entity_type, effective_on) -> None:
    if direction not in (-1, 1):
        raise ValidationError({"direction": "Move up (-1) or down (+1)."})
    for position, each in enumerate(items, start=1):  # make positions dense first
        each.position = position
    pair = swap_position(items, item, direction)
    if pair is None:
        raise ValidationError({"direction": "It is already at the " + ("top." if direction < 0 else "bottom.")})
    first, second = pair
    first.position, second.position = second.position, first.position
    for each in items:
        type(each).objects.filter(pk=each.pk).update(position=each.position)
    record(actor=actor, plan=plan, entity_type=entity_type, entity_id=item.pk, field="position",
           old=second.position, new=first.position, effective_on=effective_on)

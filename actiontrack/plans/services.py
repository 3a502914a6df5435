"""Every write to plans, recommendations and actions. Each service checks who is acting, is atomic, and
journals its change in the same transaction; the action row is then set from its journal, so the row is
always the journal replayed (DESIGN rules 2 and 3). Owner and verifier workflows are in workflow.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actiontrack.domain.journal import CREATED, state_as_at
from actiontrack.domain.lifecycle import Lifecycle, without_evidence_reason
from actiontrack.domain.text import Limit, normalise
from actiontrack.domain.ukdates import format_due, format_long, format_short
from actiontrack.people import permissions as perms
from actiontrack.people.models import PlanRole, Post

from .choices import EntityType, PlanRoleKind, RecommendationKind, SourceKind
from .errors import EditConflict
from .inputs import clean_plan_details, clean_text
from .journal import DUE, Actor, as_change, due_value, record, to_json
from .models import Action, JournalEvent, Plan, Recommendation

RESERVED_REFERENCES = {"new", "edit", "queue"}
ACTION_FIELDS = ("text", "baseline_on", "lifecycle", "lifecycle_reason", "completed_on")
PLAN_EDITABLE = ("title", "organisation", "source_kind", "source_body", "commissioned_on", "reported_on",
                 "background", "documents_reviewed", "board", "classification", "rag_scheme", "rag_window_days",
                 "reminder_window_days", "reporting_period", "managers_change_dates_directly")


def require_reason(reason: str, what: str) -> str:
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
    if not reason:
        raise ValidationError({"reason": f"Give a reason for {what}."})
    return reason


def _condition(due_condition: str | None) -> str:
    """A due date's condition, "On Approval": a few words."""
    return clean_text(due_condition, limit=Limit.CONDITION, what="the date's condition", field="due_on")


def _check_effective(plan: Plan, effective_on: date) -> None:
    if effective_on < plan.agreed_on:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before the plan was agreed "
            f"({format_long(plan.agreed_on)}).")})


def _check_source_dates(plan: Plan) -> None:
    """The source's dates in their order: commissioned, then reported."""
    if plan.commissioned_on and plan.reported_on and plan.reported_on < plan.commissioned_on:
        raise ValidationError({"reported_on": (
            f"The source reported on {format_long(plan.reported_on)}, before it was commissioned "
            f"({format_long(plan.commissioned_on)}): check both dates.")})


def _check_not_after_today(plan: Plan, effective_on: date, today: date | None, what: str) -> None:
    """Something new takes effect by the plan's today (today, or the agreement day while that is still to come):
    with a later date it would not show in the plan until then. Checked when the caller says what today is."""
    latest = None if today is None else max(today, plan.agreed_on)
    if latest is not None and effective_on > latest:
        raise ValidationError({"effective_on": (
            f"The {what} cannot take effect in the plan after {format_long(latest)}: with a later date it would not "
            "show in the plan until then.")})


def added_on(action: Action) -> date:
    """The date the action took effect in the plan (its creation event)."""
    return JournalEvent.objects.get(entity_type=EntityType.ACTION, entity_id=action.pk, field=CREATED).effective_on


def check_after_creation(action: Action, effective_on: date) -> None:
    created = added_on(action)
    if effective_on < created:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before action {action.ref} was added "
            f"({format_long(created)}).")})


def sync_action(action: Action) -> None:
    """Set the row from its whole journal, so back-dated changes land in the right order."""
    events = [as_change(e) for e in JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id=action.pk)]
    state = state_as_at(events, date.max)
    for field in ACTION_FIELDS:
        setattr(action, field, state[field])
    action.due_on, action.due_condition = state[DUE]["on"], state[DUE]["condition"]
    action.version += 1
    action.save()
    action.owner_posts.set(state["owner_posts"])


def locked(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("plan", "recommendation").get(pk=action.pk)


def _post_ids(posts: list[Post]) -> list[int]:
    if not posts:
        raise ValidationError({"owner_posts": "An action needs at least one owner post."})
    return sorted({post.pk for post in posts})


def change(actor: Actor, action: Action, field: str, new, effective_on: date, reason: str) -> bool:
    """Journal one field's change if it differs from the row; the caller then calls sync_action."""
    if field == "owner_posts":
        old = list(action.owner_posts.values_list("pk", flat=True).order_by("pk"))
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
    latest = last_status_change(action)
    if effective_on < latest:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before action {action.ref}'s status last changed "
            f"({format_long(latest)}, when it became {action.get_lifecycle_display().lower()}): a status change "
            "cannot take effect before the one it follows. Use that date or a later one.")})


def set_lifecycle(actor: Actor, action: Action, lifecycle: Lifecycle, effective_on: date, reason: str = "",
                  completed_on: date | None = None, status_reason: str | None = None) -> None:
    """Move the lifecycle (no permission check: callers check). Completing keeps a completion date;
    leaving a completed state clears it. The status reason is the given reason where the new status needs one
    (paused, cancelled), `status_reason` where the caller says (a closure without evidence), else empty."""
    lifecycle = Lifecycle(lifecycle)
    check_after_creation(action, effective_on)
    if lifecycle is Lifecycle(action.lifecycle):
        raise ValidationError({"lifecycle": f"Action {action.ref} is already {lifecycle.label.lower()}."})
    check_after_last_status(action, effective_on)
    if lifecycle.needs_reason:
        reason = require_reason(reason, f"marking the action {lifecycle.label.lower()}")
    else:  # from the services above, which hold what people typed to its limit
        reason = normalise(reason).strip()
    if lifecycle.is_complete:
        completed_on = completed_on or action.completed_on or effective_on
        if completed_on > effective_on:
            raise ValidationError({"completed_on": "The completion date cannot be after the date the change "
                                                   "takes effect."})
    else:
        completed_on = None
    if status_reason is None and lifecycle is Lifecycle.CLOSED and not action.evidence.exists():
        # Closed by a route with no verifier to ask (an import, the command line): say so, never imply a check.
        status_reason = without_evidence_reason(reason or "no evidence was recorded")
    if status_reason is None:
        status_reason = reason if lifecycle.needs_reason else ""
    change(actor, action, "lifecycle", lifecycle.value, effective_on, reason)
    change(actor, action, "lifecycle_reason", status_reason, effective_on, reason)
    change(actor, action, "completed_on", completed_on, effective_on, reason)
    sync_action(action)


def _reopen_if_closed(actor: Actor, action: Action, effective_on: date) -> None:
    """Editing a closed action reopens it: what was verified is no longer what stands. The reopening takes effect
    no earlier than the closure, so a back-dated edit still leaves the action open."""
    if action.lifecycle == Lifecycle.CLOSED:
        set_lifecycle(actor, action, Lifecycle.IN_PROGRESS, max(effective_on, last_status_change(action)),
                      reason="Reopened: the action was edited after it had been closed.")
        action.refresh_from_db()


@transaction.atomic
def plan_create(*, actor: Actor, reference: str, title: str, agreed_on: date, source_kind: str = SourceKind.OTHER,
                reason: str = "Plan agreed", **details) -> Plan:
    if actor.user is not None and not perms.can_create_plans(actor.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    if reference.lower() in RESERVED_REFERENCES:
        raise ValidationError({"reference": f"{reference!r} is a word the site uses in its addresses; choose "
                                            "another reference."})
    if Plan.objects.filter(reference__iexact=reference).exists():
        raise ValidationError({"reference": f"A plan with reference {reference!r} already exists."})
    details = clean_plan_details({"title": title, **details})
    plan = Plan(reference=reference, agreed_on=agreed_on, source_kind=source_kind, **details)
    plan.full_clean()
    _check_source_dates(plan)
    plan.save()
    snapshot = {"reference": plan.reference, "title": plan.title, "source_kind": plan.source_kind}
    record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=CREATED, old=None,
           new=snapshot, effective_on=agreed_on, reason=reason)
    if actor.user is not None:
        PlanRole.objects.create(user=actor.user, plan=plan, role=PlanRoleKind.MANAGER)
        record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field="role_granted",
               old=None, new={"user": actor.user.get_username(), "role": PlanRoleKind.MANAGER.value},
               effective_on=agreed_on, reason="The plan's creator manages it.")
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, changes: dict, effective_on: date, reason: str = "",
                expected_version: int | None = None) -> Plan:
    """Change the plan's details; each changed field is journalled. With `expected_version` (the edit form's),
    refused with EditConflict if someone else saved the details since the form was opened."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    perms.require_manager(actor, plan, "change the plan's details")
    if expected_version is not None and plan.details_version != expected_version:
        raise EditConflict("The plan's details", plan_snapshot(plan), plan.details_version, plural=True)
    unknown = set(changes) - set(PLAN_EDITABLE)
    if unknown:
        raise ValidationError({field: "This field cannot be changed here." for field in sorted(unknown)})
    changes = clean_plan_details(changes)
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
    old = {field: getattr(plan, field) for field in changes}
    for field, value in changes.items():
        setattr(plan, field, value)
    plan.full_clean()
    _check_source_dates(plan)
    if any(getattr(plan, field) != old[field] for field in changes):
        plan.details_version += 1
    plan.save()
    for field in changes:
        if getattr(plan, field) != old[field]:
            record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=field,
                   old=to_json(old[field]), new=to_json(getattr(plan, field)), effective_on=effective_on,
                   reason=reason)
    return plan


@transaction.atomic
def recommendation_create(*, actor: Actor, plan: Plan, number: int, text: str,
                          kind: str = RecommendationKind.RECOMMENDATION, effective_on: date | None = None,
                          reason: str = "", today: date | None = None) -> Recommendation:
    perms.require_manager(actor, plan, "add recommendations")
    effective_on = effective_on or plan.agreed_on
    _check_effective(plan, effective_on)
    _check_not_after_today(plan, effective_on, today, "recommendation")
    if plan.recommendations.filter(number=number).exists():
        raise ValidationError({"number": f"Recommendation {number} already exists in {plan.reference}."})
    text = clean_text(text, limit=Limit.TEXT, what="the recommendation's text", field="text")
    position = max(plan.recommendations.values_list("position", flat=True), default=0) + 1
    recommendation = Recommendation(plan=plan, number=number, text=text, kind=kind, position=position)
    recommendation.full_clean()
    recommendation.save()
    record(actor=actor, plan=plan, entity_type=EntityType.RECOMMENDATION, entity_id=recommendation.pk,
           field=CREATED, old=None, new={"number": number, "kind": kind, "text": recommendation.text},
           effective_on=effective_on, reason=reason)
    return recommendation


@transaction.atomic
def recommendation_update(*, actor: Actor, recommendation: Recommendation, text: str, kind: str | None, reason: str,
                          effective_on: date, expected_version: int | None = None) -> Recommendation:
    """Change the text or kind (None: keep the kind stored now). With `expected_version` (the edit form's),
    refused with EditConflict if someone else saved the recommendation since the form was opened."""
    recommendation = Recommendation.objects.select_for_update().select_related("plan").get(pk=recommendation.pk)
    kind = recommendation.kind if kind is None else kind
    plan = recommendation.plan
    perms.require_manager(actor, plan, "change a recommendation")
    if expected_version is not None and recommendation.version != expected_version:
        raise EditConflict(f"Recommendation {recommendation.number}",
                           {"text": recommendation.text, "kind": recommendation.get_kind_display()},
                           recommendation.version)
    reason = require_reason(reason, "changing the recommendation")
    _check_effective(plan, effective_on)
    text = clean_text(text, limit=Limit.TEXT, what="the recommendation's text", field="text")
    if not text:
        raise ValidationError({"text": "The recommendation's text cannot be empty."})
    changed = False
    for field, new in (("text", text), ("kind", kind)):
        old = getattr(recommendation, field)
        if old != new:
            setattr(recommendation, field, new)
            changed = True
            record(actor=actor, plan=plan, entity_type=EntityType.RECOMMENDATION, entity_id=recommendation.pk,
                   field=field, old=old, new=new, effective_on=effective_on, reason=reason)
    if changed:
        recommendation.version += 1
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def recommendation_change_text(*, actor: Actor, recommendation: Recommendation, text: str, reason: str,
                               effective_on: date) -> Recommendation:
    return recommendation_update(actor=actor, recommendation=recommendation, text=text, kind=None, reason=reason,
                                 effective_on=effective_on)


@transaction.atomic
def action_create(*, actor: Actor, recommendation: Recommendation, text: str, owner_posts: list[Post],
                  due_on: date | None, due_condition: str = "", effective_on: date | None = None,
                  number: int | None = None, reason: str = "", today: date | None = None) -> Action:
    plan = recommendation.plan
    perms.require_manager(actor, plan, "add actions")
    effective_on = effective_on or plan.agreed_on
    _check_effective(plan, effective_on)
    _check_not_after_today(plan, effective_on, today, "action")
    rec_added = JournalEvent.objects.get(entity_type=EntityType.RECOMMENDATION, entity_id=recommendation.pk,
                                         field=CREATED).effective_on
    if effective_on < rec_added:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before recommendation {recommendation.number} was "
            f"added ({format_long(rec_added)}).")})
    text = clean_text(text, limit=Limit.TEXT, what="the action's text", field="text")
    due_condition = _condition(due_condition)
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
    if not text:
        raise ValidationError({"text": "Describe the action: its text cannot be empty."})
    if number is None:
        number = max(recommendation.actions.values_list("number", flat=True), default=0) + 1
    elif recommendation.actions.filter(number=number).exists():
        raise ValidationError({"number": f"Action {recommendation.number}.{number} already exists."})
    posts = _post_ids(owner_posts)
    position = max(recommendation.actions.values_list("position", flat=True), default=0) + 1
    action = Action.objects.create(plan=plan, recommendation=recommendation, number=number, text=text,
                                   baseline_on=due_on, due_on=due_on, due_condition=due_condition,
                                   position=position)
    snapshot = {"recommendation": recommendation.pk, "number": number, "text": text, "owner_posts": posts,
                "baseline_on": to_json(due_on), DUE: to_json(due_value(due_on, action.due_condition)),
                "lifecycle": Lifecycle.NOT_STARTED.value, "lifecycle_reason": "", "completed_on": None}
    record(actor=actor, plan=plan, entity_type=EntityType.ACTION, entity_id=action.pk, field=CREATED, old=None,
           new=snapshot, effective_on=effective_on, reason=reason)
    sync_action(action)
    return action


@transaction.atomic
def action_change_due_date(*, actor: Actor, action: Action, due_on: date, due_condition: str = "", reason: str,
                           effective_on: date) -> Action:
    """A revision: the due date in force changes, with a reason. The baseline never changes. People reach
    this through an accepted proposal (workflow.py), or directly where the plan lets its managers."""
    action = locked(action)
    if actor.user is not None and not action.plan.managers_change_dates_directly and not is_undated(action):
        raise PermissionDenied(f"Due dates in {action.plan.reference} change only through an accepted proposal.")
    perms.require_manager(actor, action.plan, "change due dates")
    return revise_due_date(actor, action, due_on, due_condition, reason, effective_on)


def revise_due_date(actor: Actor, action: Action, due_on: date, due_condition: str, reason: str,
                    effective_on: date) -> Action:
    """The revision itself, for callers that have checked who may make it."""
    reason = require_reason(reason, "changing the due date")
    check_after_creation(action, effective_on)
    due_condition = _condition(due_condition)
    if (due_on, due_condition) == (action.due_on, action.due_condition):
        raise ValidationError({"due_on": f"Action {action.ref} is already due {format_due(due_on, due_condition)}."})
    _reopen_if_closed(actor, action, effective_on)
    if is_undated(action):  # its first date, however it arrives (a proposal, an import): that is the baseline
        change(actor, action, "baseline_on", due_on, effective_on, reason)
    change(actor, action, DUE, due_value(due_on, due_condition), effective_on, reason)
    sync_action(action)
    return action


@transaction.atomic
def action_change_owners(*, actor: Actor, action: Action, owner_posts: list[Post], reason: str,
                         effective_on: date) -> Action:
    action = locked(action)
    perms.require_manager(actor, action.plan, "change an action's owner")
    reason = require_reason(reason, "changing the owner")
    check_after_creation(action, effective_on)
    _reopen_if_closed(actor, action, effective_on)
    change(actor, action, "owner_posts", _post_ids(owner_posts), effective_on, reason)
    sync_action(action)
    return action


@transaction.atomic
def action_change_text(*, actor: Actor, action: Action, text: str, reason: str, effective_on: date) -> Action:
    action = locked(action)
    perms.require_manager(actor, action.plan, "change what an action says")
    reason = require_reason(reason, "changing what the action says")
    check_after_creation(action, effective_on)
    text = clean_text(text, limit=Limit.TEXT, what="the action's text", field="text")
    if not text:
        raise ValidationError({"text": "Describe the action: its text cannot be empty."})
    _reopen_if_closed(actor, action, effective_on)
    change(actor, action, "text", text, effective_on, reason)
    sync_action(action)
    return action


def plan_snapshot(plan: Plan) -> dict:
    """The plan's editable details as people read them, by field name, to show beside what someone typed."""
    shown = {}
    for name in PLAN_EDITABLE:
        field, value = Plan._meta.get_field(name), getattr(plan, name)
        if field.choices:
            value = getattr(plan, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, date):
            value = format_short(value)
        shown[name] = "" if value is None else str(value)
    return shown


def action_snapshot(action: Action) -> dict:
    return {"text": action.text, "owners": " / ".join(p.name for p in action.owner_posts.all()),
            "due": format_due(action.due_on, action.due_condition)}


@transaction.atomic
def action_edit(*, actor: Actor, action: Action, expected_version: int, text: str, owner_posts: list[Post],
                reason: str, effective_on: date, due_on: date | None = None, due_condition: str = "") -> Action:
    """The plan manager's edit form: text, owners and (where the plan allows) the due date in one save.
    Refused with EditConflict if someone else saved the action since the form was opened."""
    action = locked(action)
    perms.require_manager(actor, action.plan, "edit an action")
    if action.version != expected_version:
        raise EditConflict(f"Action {action.ref}", action_snapshot(action), action.version)
    reason = require_reason(reason, "editing the action")
    check_after_creation(action, effective_on)
    text = clean_text(text, limit=Limit.TEXT, what="the action's text", field="text")
    if not text:
        raise ValidationError({"text": "Describe the action: its text cannot be empty."})
    new_due = due_value(due_on, _condition(due_condition))
    first_date = due_on is not None and is_undated(action)
    if due_on is not None and new_due != due_value(action.due_on, action.due_condition):
        if not first_date and not action.plan.managers_change_dates_directly:
            raise ValidationError({"due_on": "Due dates in this plan change only through an owner's proposal."})
    else:
        new_due = None
    posts = _post_ids(owner_posts)
    changed_text = text != action.text
    changed_owners = posts != sorted(action.owner_posts.values_list("pk", flat=True))
    if not (changed_text or changed_owners or new_due):
        raise ValidationError({"text": "Nothing was changed."})
    _reopen_if_closed(actor, action, effective_on)
    change(actor, action, "text", text, effective_on, reason)
    change(actor, action, "owner_posts", posts, effective_on, reason)
    if new_due:
        if first_date:
            change(actor, action, "baseline_on", due_on, effective_on, reason)
        change(actor, action, DUE, new_due, effective_on, reason)
    sync_action(action)
    return action


def is_undated(action: Action) -> bool:
    """Never given a due date: its first one is its baseline, set directly by a plan manager, not a revision."""
    return action.due_on is None and action.baseline_on is None


@transaction.atomic
def action_set_first_due_date(*, actor: Actor, action: Action, due_on: date, due_condition: str = "",
                              effective_on: date, reason: str = "") -> Action:
    """Give an action with no due date its first one: the baseline and the date in force, in one change. Any
    later change is a revision (a proposal, or a direct change where the plan allows)."""
    action = locked(action)
    perms.require_manager(actor, action.plan, "set a due date")
    if not is_undated(action):
        raise ValidationError({"due_on": f"Action {action.ref} already has a due date "
                                         f"({format_due(action.due_on, action.due_condition)}): a new one is a "
                                         "revision, with a reason."})
    check_after_creation(action, effective_on)
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason") or "First due date set"
    change(actor, action, "baseline_on", due_on, effective_on, reason)
    change(actor, action, DUE, due_value(due_on, _condition(due_condition)), effective_on, reason)
    sync_action(action)
    return action


@transaction.atomic
def action_change_lifecycle(*, actor: Actor, action: Action, lifecycle: Lifecycle, effective_on: date,
                            reason: str = "", completed_on: date | None = None, today: date | None = None) -> Action:
    """The plan manager's control of the lifecycle: pause, resume, cancel (with a reason), or any move the
    system makes (demo, import). Owners and verifiers use the workflow services instead."""
    action = locked(action)
    perms.require_manager(actor, action.plan, "change an action's status")
    # A status that takes effect later would stand in the row at once but not in the plan as at today.
    _check_not_after_today(action.plan, effective_on, today, "status change")
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
    lifecycle = Lifecycle(lifecycle)
    current = Lifecycle(action.lifecycle)
    if actor.user is not None and lifecycle is not current and not current.manager_may_move_to(lifecycle):
        raise ValidationError({"lifecycle": (
            f"Action {action.ref} is {current.label.lower()}; a plan manager can start, pause, resume, cancel or "
            f"reinstate an action, but not make it {lifecycle.label.lower()}: completion is the owner's, with "
            "evidence, and closure a verifier's.")})
    set_lifecycle(actor, action, lifecycle, effective_on, reason, completed_on)
    return action


@transaction.atomic
def action_record_starting_status(*, actor: Actor, action: Action, lifecycle: Lifecycle, effective_on: date,
                                  reason: str, completed_on: date | None = None) -> Action:
    """A plan brought in from a file records each action as it stood then, whatever its status: completion
    and closure included, which by hand are the owner's and a verifier's. Only a plan manager may."""
    action = locked(action)
    perms.require_manager(actor, action.plan, "import into it")
    set_lifecycle(actor, action, lifecycle, effective_on, reason + " Recorded as the plan stood when it was "
                  "brought in.", completed_on)
    return action


@transaction.atomic
def action_record_starting_due_date(*, actor: Actor, action: Action, due_on: date, due_condition: str, reason: str,
                                    effective_on: date) -> Action:
    """A revised date a plan brought in from a file already had, recorded as a revision whether or not the plan
    lets its managers change dates directly (the revision was agreed before the plan came here)."""
    action = locked(action)
    perms.require_manager(actor, action.plan, "import into it")
    return revise_due_date(actor, action, due_on, due_condition, reason, effective_on)


def _swap_position(items: list, item, direction: int) -> tuple | None:
    index = [i.pk for i in items].index(item.pk)
    other = index + direction
    if not 0 <= other < len(items):
        return None
    return items[index], items[other]


@transaction.atomic
def recommendation_move(*, actor: Actor, recommendation: Recommendation, direction: int,
                        effective_on: date) -> None:
    """Move up (-1) or down (+1) in the plan's order. Numbers (and so refs) never change."""
    plan = recommendation.plan
    perms.require_manager(actor, plan, "reorder recommendations")
    _move(actor, plan, list(plan.recommendations.select_for_update().order_by("position", "number")),
          recommendation, direction, EntityType.RECOMMENDATION, effective_on)


@transaction.atomic
def action_move(*, actor: Actor, action: Action, direction: int, effective_on: date) -> None:
    perms.require_manager(actor, action.plan, "reorder actions")
    siblings = list(action.recommendation.actions.select_for_update().order_by("position", "number"))
    _move(actor, action.plan, siblings, action, direction, EntityType.ACTION, effective_on)


def _move(actor, plan, items, item, direction, entity_type, effective_on) -> None:
    if direction not in (-1, 1):
        raise ValidationError({"direction": "Move up (-1) or down (+1)."})
    for position, each in enumerate(items, start=1):  # make positions dense first
        each.position = position
    pair = _swap_position(items, item, direction)
    if pair is None:
        raise ValidationError({"direction": "It is already at the " + ("top." if direction < 0 else "bottom.")})
    first, second = pair
    first.position, second.position = second.position, first.position
    for each in items:
        type(each).objects.filter(pk=each.pk).update(position=each.position)
    record(actor=actor, plan=plan, entity_type=entity_type, entity_id=item.pk, field="position",
           old=second.position, new=first.position, effective_on=effective_on)

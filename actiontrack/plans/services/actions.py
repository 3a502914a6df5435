"""The plan manager's writes to actions: adding them, their text, owners, due dates, status and order; and
an imported plan's starting state."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, Actor, due_value
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_due
from actiontrack.people.models import Post
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import NotificationKind
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, Recommendation
from actiontrack.plans.services._changes import (
    change,
    check_after_creation,
    check_not_after_today,
    clean_condition,
    is_undated,
    locked,
    move_position,
    owner_ids,
    reopen_if_closed,
    require_reason,
    revise_due_date,
    set_lifecycle,
    sync_action,
)
from actiontrack.plans.services.new_actions import NewAction, actions_add

from . import notifications


@transaction.atomic
def action_create(*, actor: Actor, recommendation: Recommendation, text: str, owner_posts: list[Post],
                  due_on: date | None, due_condition: str = "", effective_on: date | None = None,
                  supporting_posts: list[Post] = (),
                  ref: str = "", number: int | None = None, reason: str = "", today: date | None = None) -> Action:
    """An action with the reference its source gives it ("E1b", "4.1"), or, given none, one derived from its
    recommendation's ("2.1"). `number` is its place among the recommendation's actions (by default the next)."""
    added, = actions_add(actor=actor, plan=recommendation.plan, today=today, new=[NewAction(
        recommendation=recommendation, text=text, owner_posts=owner_posts, supporting_posts=supporting_posts,
        due_on=due_on, due_condition=due_condition, effective_on=effective_on, ref=ref, number=number,
        reason=reason)])
    if added.refused is not None:
        raise added.refused
    return added.action


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


@transaction.atomic
def action_change_owners(*, actor: Actor, action: Action, owner_posts: list[Post], reason: str,
                         effective_on: date, supporting_posts: list[Post] = ()) -> Action:
    """Set the lead owners (`owner_posts`) and the supporting ones."""
    action = locked(action)
    perms.require_manager(actor, action.plan, "change an action's owner")
    reason = require_reason(reason, "changing the owner")
    check_after_creation(action, effective_on)
    reopen_if_closed(actor, action, effective_on)
    posts, supporting = owner_ids(owner_posts, supporting_posts)
    before = set(action.owner_posts.values_list("pk", flat=True))
    change(actor, action, "owner_posts", posts, effective_on, reason)
    change(actor, action, "supporting_posts", supporting, effective_on, reason)
    sync_action(action)
    _tell_new_owners(actor, action, before, posts, effective_on)
    return action


def _tell_new_owners(actor: Actor, action: Action, before: set[int], after: list[int], day: date) -> None:
    """The holders of posts that now own the action (lead or supporting: Action.owner_posts holds both)."""
    added = set(after) - before
    if added:
        notifications.tell(notifications.holders(added, day), NotificationKind.ASSIGNED, action,
                           f"{actor.name} gave action {action.ref} ({action.plan.reference}) to a post you hold: "
                           f"{action.text[:200]}", actor)


@transaction.atomic
def action_change_text(*, actor: Actor, action: Action, text: str, reason: str, effective_on: date) -> Action:
    action = locked(action)
    perms.require_manager(actor, action.plan, "change what an action says")
    reason = require_reason(reason, "changing what the action says")
    check_after_creation(action, effective_on)
    text = clean_text(text, limit=Limit.TEXT, what="the action's text", field="text")
    if not text:
        raise ValidationError({"text": "Describe the action: its text cannot be empty."})
    reopen_if_closed(actor, action, effective_on)
    change(actor, action, "text", text, effective_on, reason)
    sync_action(action)
    return action


def action_snapshot(action: Action) -> dict:
    supporting = set(action.supporting_posts.all())
    return {"text": action.text,
            "owners": " / ".join(p.name + (" (supporting)" if p in supporting else "")
                                 for p in action.owner_posts.all()),
            "due": format_due(action.due_on, action.due_condition)}


@transaction.atomic
def action_edit(*, actor: Actor, action: Action, expected_version: int, text: str, owner_posts: list[Post],
                reason: str, effective_on: date, due_on: date | None = None, due_condition: str = "",
                supporting_posts: list[Post] = ()) -> Action:
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
    new_due = due_value(due_on, clean_condition(due_condition))
    first_date = due_on is not None and is_undated(action)
    if due_on is not None and new_due != due_value(action.due_on, action.due_condition):
        if not first_date and not action.plan.managers_change_dates_directly:
            raise ValidationError({"due_on": "Due dates in this plan change only through an owner's proposal."})
    else:
        new_due = None
    posts, supporting = owner_ids(owner_posts, supporting_posts)
    changed_text = text != action.text
    changed_owners = (posts != sorted(action.owner_posts.values_list("pk", flat=True))
                      or supporting != sorted(action.supporting_posts.values_list("pk", flat=True)))
    if not (changed_text or changed_owners or new_due):
        raise ValidationError({"text": "Nothing was changed."})
    reopen_if_closed(actor, action, effective_on)
    before = set(action.owner_posts.values_list("pk", flat=True))
    change(actor, action, "text", text, effective_on, reason)
    change(actor, action, "owner_posts", posts, effective_on, reason)
    change(actor, action, "supporting_posts", supporting, effective_on, reason)
    if new_due:
        if first_date:
            change(actor, action, "baseline_on", due_on, effective_on, reason)
        change(actor, action, DUE, new_due, effective_on, reason)
    sync_action(action)
    _tell_new_owners(actor, action, before, posts, effective_on)
    return action


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
    change(actor, action, DUE, due_value(due_on, clean_condition(due_condition)), effective_on, reason)
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
    check_not_after_today(action.plan, effective_on, today, "status change")
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


@transaction.atomic
def action_move(*, actor: Actor, action: Action, direction: int, effective_on: date) -> None:
    perms.require_manager(actor, action.plan, "reorder actions")
    siblings = list(action.recommendation.actions.select_for_update().order_by("position", "number"))
    move_position(actor, action.plan, siblings, action, direction, EntityType.ACTION, effective_on)

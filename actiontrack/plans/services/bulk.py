"""Changes to many actions at once, from a selection people have looked at first. Each applies in one
transaction — all of them or none — through the same service as the single change, so each action is checked
and journalled exactly as it would be alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.core.journal import Actor
from actiontrack.domain.periods import Period, period_of
from actiontrack.people.models import Post
from actiontrack.plans import permissions as perms
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.selectors.periods import is_locked
from actiontrack.plans.selectors.queues import missing_updates

from . import actions as action_services
from . import workflow
from .workflow import period_lock_needs_confirmation

LIMIT = 500  # more than this at once is more than anyone has looked at


def _check_count(actions: list[Action]) -> None:
    if not actions:
        raise ValidationError("Choose at least one action.")
    if len(actions) > LIMIT:
        raise ValidationError(f"{len(actions)} actions are chosen; do at most {LIMIT} at once.")


@transaction.atomic
def bulk_verify(*, actor: Actor, actions: list[Action], today: date, comment: str = "") -> list[Action]:
    """Verify and close each completed action (the verifier has checked each one's evidence). One refusal —
    an action not awaiting verification, one the verifier owns, one with no evidence — and none is closed."""
    _check_count(actions)
    return [workflow.action_verify(actor=actor, action=action, today=today, comment=comment) for action in actions]


@dataclass(frozen=True)
class Reassignment:
    action: Action
    leads: list[Post]
    supporting: list[Post]


def reassignments(actions: list[Action], from_post: Post, to_post: Post) -> list[Reassignment]:
    """What moving every action owned by `from_post` to `to_post` would make each one's owners: the new post
    takes the old one's place, as lead or supporting owner (once, if it owned the action already)."""
    changes = []
    for action in actions:
        supporting = list(action.supporting_posts.all())
        leads = [post for post in action.owner_posts.all() if post not in supporting]

        def moved(posts: list[Post]) -> list[Post]:
            out = []
            for post in posts:
                post = to_post if post == from_post else post
                if post not in out:
                    out.append(post)
            return out

        new_leads = moved(leads)
        new_supporting = [post for post in moved(supporting) if post not in new_leads]
        if from_post in leads or from_post in supporting:
            changes.append(Reassignment(action, new_leads, new_supporting))
    return changes


@transaction.atomic
def bulk_reassign(*, actor: Actor, actions: list[Action], from_post: Post, to_post: Post, reason: str,
                  effective_on: date) -> list[Reassignment]:
    """After a restructure: every chosen action owned by `from_post` is owned by `to_post` instead, each change
    journalled as action_change_owners journals it."""
    if from_post == to_post:
        raise ValidationError({"to_post": "Choose a different post to move the actions to."})
    changes = reassignments(actions, from_post, to_post)
    _check_count([change.action for change in changes])
    for plan in {change.action.plan for change in changes}:
        perms.require_manager(actor, plan, "move its actions to another post")
    for change in changes:
        action_services.action_change_owners(actor=actor, action=change.action, owner_posts=change.leads,
                                             supporting_posts=change.supporting, reason=reason,
                                             effective_on=effective_on)
    return changes


@transaction.atomic
def bulk_change_due_dates(*, actor: Actor, actions: list[Action], due_on: date, reason: str,
                          effective_on: date) -> list[Action]:
    """The same new due date for each chosen action, with one reason; only in plans whose managers may change
    dates directly (elsewhere dates change through an owner's proposal), and one refusal changes none."""
    _check_count(actions)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the dates change: it is recorded against each action."})
    return [action_services.action_change_due_date(actor=actor, action=action, due_on=due_on, reason=reason,
                                                   effective_on=effective_on) for action in actions]


@dataclass(frozen=True)
class PeriodToLock:
    plan: Plan
    period: Period
    locked: bool  # already
    missing: int  # open actions with no update for it
    running: bool  # not yet ended on the day


def periods_to_lock(plans: list[Plan], day: date, today: date) -> list[PeriodToLock]:
    """For each plan, its reporting period containing `day`, and what locking it would leave out."""
    found = []
    for plan in plans:
        period = period_of(day, plan.reporting_period)
        if not plan.has_updates_for(period) or period.start > today:
            continue
        found.append(PeriodToLock(plan, period, is_locked(plan, period), len(missing_updates(plan, period)),
                                  period_lock_needs_confirmation(plan, period.start, today)))
    return found


@transaction.atomic
def bulk_lock_periods(*, actor: Actor, plans: list[Plan], day: date, today: date,
                      confirmed_current: bool = False) -> list[PeriodToLock]:
    """Lock, in every plan given, its period containing `day` (those not locked already), all or none."""
    to_lock = [each for each in periods_to_lock(plans, day, today) if not each.locked]
    if not to_lock:
        raise ValidationError("Nothing to lock: the periods of that day are locked already, or have not begun.")
    for each in to_lock:
        workflow.period_lock(actor=actor, plan=each.plan, period_start=each.period.start, today=today,
                             confirmed_current=confirmed_current)
    return to_lock


"""Closure by an outside body (domain.external): a plan manager submits a completed action for closure to the body
that must authorise it, then records the body's answer — closed (with its letter's reference, and the letter as
evidence where it is given), or refused, which reopens the action with the body's reasons. Each step is journalled
on the action like any change to it, so the plan as at any date shows where it stood."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.core.journal import Actor
from actiontrack.domain import external
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_long
from actiontrack.plans import permissions as perms
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, Recommendation

from . import evidence
from ._changes import change, check_after_creation, locked, set_lifecycle, sync_action


def _words(value: str, limit: int, what: str, field: str, required: str = "") -> str:
    value = clean_text(value, limit=limit, what=what, field=field)
    if required and not value:
        raise ValidationError({field: required})
    return value


def _check_day(action: Action, on: date, today: date, field: str) -> None:
    if on > today:
        raise ValidationError({field: f"The date {format_long(on)} is in the future."})
    check_after_creation(action, on)


@transaction.atomic
def action_submit_external(*, actor: Actor, action: Action, body: str, reference: str, submitted_on: date,
                           today: date) -> Action:
    """Submitted for closure to `body` (the date and reference of the submission). Only a completed or closed
    action can be, and not one already waiting for an answer."""
    action = locked(action)
    perms.require_manager(actor, action.plan, "submit actions for closure by an outside body")
    if action.lifecycle not in (Lifecycle.COMPLETED, Lifecycle.CLOSED):
        raise ValidationError({"body": f"Action {action.ref} is {Lifecycle(action.lifecycle).label.lower()}: only "
                                       "a completed action can be submitted for closure."})
    if external.is_pending(action.external_closure):
        raise ValidationError({"body": f"Action {action.ref} is already waiting for "
                                       f"{action.external_closure['body']}'s answer."})
    body = _words(body, 200, "the body", "body", "Name the body that closes it, for example HMICFRS.")
    reference = _words(reference, 100, "the reference", "reference")
    _check_day(action, submitted_on, today, "submitted_on")
    if action.completed_on and submitted_on < action.completed_on:
        raise ValidationError({"submitted_on": f"Action {action.ref} was completed on "
                                               f"{format_long(action.completed_on)}: it can only have been submitted "
                                               "for closure on or after that day."})
    change(actor, action, external.FIELD, external.submitted(body, reference, submitted_on), submitted_on,
           f"Submitted to {body} for closure" + (f" (their reference {reference})" if reference else ""))
    sync_action(action)
    return action


def _pending(actor: Actor, action: Action, doing: str) -> tuple[Action, dict]:
    action = locked(action)
    perms.require_manager(actor, action.plan, doing)
    if not external.is_pending(action.external_closure):
        raise ValidationError({"decided_on": f"Action {action.ref} is not waiting for an outside body's answer."})
    return action, action.external_closure


@transaction.atomic
def action_closed_externally(*, actor: Actor, action: Action, letter: str, decided_on: date, today: date,
                             letter_file=None) -> Action:
    """The body closed it: its letter's reference and date, the letter itself as evidence if given. A completed
    action is closed by it; one already closed stays so."""
    action, current = _pending(actor, action, "record an outside body's closure")
    letter = _words(letter, 100, "the letter's reference", "letter", "Give the reference of the body's letter.")
    _check_day(action, decided_on, today, "decided_on")
    if date.fromisoformat(current["submitted_on"]) > decided_on:
        raise ValidationError({"decided_on": "The body's answer cannot be before the submission."})
    if letter_file is not None:  # kept even on an action already closed: the letter is what closed it
        letter_file.seek(0)
        evidence.file_evidence_store(actor=actor, action=action, upload=letter_file, today=today,
                                     title=f"{current['body']} letter {letter}", effective_on=decided_on)
    reason = f"Closed by {current['body']} (letter {letter})"
    change(actor, action, external.FIELD, external.decided(current, external.CLOSED, decided_on, letter=letter),
           decided_on, reason)
    sync_action(action)
    if action.lifecycle == Lifecycle.COMPLETED:
        set_lifecycle(actor, action, Lifecycle.CLOSED, decided_on, reason=reason)
    return action


@transaction.atomic
def action_refused_externally(*, actor: Actor, action: Action, reasons: str, decided_on: date,
                              today: date) -> Action:
    """The body refused: the action reopens (in progress) with their reasons."""
    action, current = _pending(actor, action, "record an outside body's refusal")
    reasons = _words(reasons, 2000, "their reasons", "reasons", "Give the body's reasons for refusing.")
    _check_day(action, decided_on, today, "decided_on")
    if date.fromisoformat(current["submitted_on"]) > decided_on:
        raise ValidationError({"decided_on": "The body's answer cannot be before the submission."})
    reason = f"Closure refused by {current['body']}: {reasons}"
    change(actor, action, external.FIELD, external.decided(current, external.REFUSED, decided_on, reasons=reasons),
           decided_on, reason)
    sync_action(action)
    set_lifecycle(actor, action, Lifecycle.IN_PROGRESS, decided_on, reason=reason)
    return action


def _actions_of(recommendation: Recommendation) -> list[Action]:
    """Its actions that an outside body closes: all but the cancelled, in display order."""
    actions = [action for action in recommendation.actions.order_by("position", "pk")
               if action.lifecycle != Lifecycle.CANCELLED]
    if not actions:
        raise ValidationError({"body": f"Recommendation {recommendation.ref} has no actions to close."})
    return actions


@transaction.atomic
def recommendation_submit_external(*, actor: Actor, recommendation: Recommendation, body: str, reference: str,
                                   submitted_on: date, today: date) -> list[Action]:
    """Every action of the recommendation submitted together; refused, naming the action, unless each is
    complete and none waits for an answer already."""
    perms.require_manager(actor, recommendation.plan, "submit recommendations for closure by an outside body")
    actions = _actions_of(recommendation)
    for action in actions:
        if action.lifecycle not in (Lifecycle.COMPLETED, Lifecycle.CLOSED):
            raise ValidationError({"body": f"Action {action.ref} is {Lifecycle(action.lifecycle).label.lower()}: "
                                           f"recommendation {recommendation.ref} can be submitted for closure once "
                                           "every action of it is complete."})
    return [action_submit_external(actor=actor, action=action, body=body, reference=reference,
                                   submitted_on=submitted_on, today=today) for action in actions]


def _check_all_pending(recommendation: Recommendation, actions: list[Action]) -> None:
    waiting = [external.is_pending(action.external_closure) for action in actions]
    if not all(waiting):
        raise ValidationError({"decided_on": f"Recommendation {recommendation.ref} is not waiting for an outside "
                                             "body's answer" + (" for every action." if any(waiting) else ".")})


@transaction.atomic
def recommendation_closed_externally(*, actor: Actor, recommendation: Recommendation, letter: str,
                                     decided_on: date, today: date, letter_file=None) -> list[Action]:
    """The body closed the recommendation: each action closed by the same letter (kept as each one's evidence,
    so every action's folder in an evidence pack holds it)."""
    perms.require_manager(actor, recommendation.plan, "record an outside body's closure")
    actions = _actions_of(recommendation)
    _check_all_pending(recommendation, actions)
    return [action_closed_externally(actor=actor, action=action, letter=letter, decided_on=decided_on, today=today,
                                     letter_file=letter_file) for action in actions]


@transaction.atomic
def recommendation_refused_externally(*, actor: Actor, recommendation: Recommendation, reasons: str,
                                      decided_on: date, today: date) -> list[Action]:
    """The body refused: every action of the recommendation reopens with their reasons."""
    perms.require_manager(actor, recommendation.plan, "record an outside body's refusal")
    actions = _actions_of(recommendation)
    _check_all_pending(recommendation, actions)
    return [action_refused_externally(actor=actor, action=action, reasons=reasons, decided_on=decided_on,
                                      today=today) for action in actions]

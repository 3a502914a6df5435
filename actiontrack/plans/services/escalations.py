"""Raising overdue actions with the people above their owners, by each plan's escalation rule: once per level
and due date, as a notification (shown in the app and folded into the daily digest) and a row the queue lists.
Run daily by `actiontrack remind`, before the digests, so they carry what was raised."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.domain.escalation import MANAGERS, SENIOR, days_overdue, levels_reached
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_due
from actiontrack.plans.choices import NotificationKind, WebhookEvent
from actiontrack.plans.models import Action, Escalation, Plan

from . import notifications, webhooks

OPEN = [life for life in Lifecycle if life.is_open]
SYSTEM = Actor(user=None, name="actiontrack", source=ChangeSource.CLI)


def escalations_raise(*, today: date) -> list[Escalation]:
    """Every escalation due today and not raised before; each in its own transaction, so one failure loses
    nothing already raised."""
    raised = []
    plans = Plan.objects.filter(Q(escalate_after_days__isnull=False) | Q(escalate_senior_after_days__isnull=False))
    for plan in plans.select_related("escalate_senior_post"):
        thresholds = [days for days in (plan.escalate_after_days, plan.escalate_senior_after_days) if days]
        overdue = Action.objects.filter(plan=plan, lifecycle__in=OPEN,
                                        due_on__lte=today - timedelta(days=min(thresholds))).select_related("plan")
        done = set(Escalation.objects.filter(action__plan=plan).values_list("action_id", "level", "due_on"))
        for action in overdue:
            days = days_overdue(action.due_on, today)
            for level in levels_reached(days, plan.escalate_after_days, plan.escalate_senior_after_days):
                if (action.pk, level, action.due_on) not in done and (escalation := _raise(action, level, days,
                                                                                             today)):
                    raised.append(escalation)
    return raised


def _raise(action: Action, level: int, days: int, today: date) -> Escalation | None:
    plan = action.plan
    if level == SENIOR and plan.escalate_senior_post_id is None:
        return None
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(action=action, level=level, due_on=action.due_on, raised_on=today)
            who = (notifications.managers_of(action) if level == MANAGERS
                   else notifications.holders([plan.escalate_senior_post_id], today))
            notifications.tell(who, NotificationKind.ESCALATED, action,
                               f"Action {action.ref} ({plan.reference}) is {days} days overdue: due "
                               f"{format_due(action.due_on, action.due_condition)}. {action.text[:200]}", SYSTEM)
            due = format_due(action.due_on, action.due_condition)
            webhooks.emit(plan, WebhookEvent.ESCALATED, webhooks.event_payload(
                action, f"Action {action.ref} is {days} days overdue (due {due}) and was escalated to "
                        f"{'the plan managers' if level == MANAGERS else 'the senior post'}."))
            return escalation
    except IntegrityError:  # raised a moment ago by another run
        return None

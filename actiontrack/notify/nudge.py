"""A plan manager's reminder about chosen actions, sent now to the people holding their owner posts: one email
per person listing their actions among those chosen, with the manager's note. People who turned reminder emails
off, or have no address, are not sent one, and the manager is told who they are."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.domain.ukdates import format_due
from actiontrack.plans import permissions as perms
from actiontrack.plans.models import Action
from actiontrack.plans.services.notifications import owners_of

from .digest import link
from .services import reminders_enabled

logger = logging.getLogger(__name__)


@dataclass
class Nudges:
    """Who gets which of the chosen actions."""

    to: dict = field(default_factory=dict)  # user -> their actions among those chosen
    turned_off: list = field(default_factory=list)
    no_address: list = field(default_factory=list)
    unheld: list[Action] = field(default_factory=list)  # no one holds an owner post today


def nudges_for(actions: list[Action], today: date) -> Nudges:
    found, users = Nudges(), get_user_model().objects.in_bulk([pk for a in actions for pk in owners_of(a, today)])
    for action in actions:
        holders = [users[pk] for pk in owners_of(action, today) if pk in users and users[pk].is_active]
        if not holders:
            found.unheld.append(action)
        for user in holders:
            found.to.setdefault(user, []).append(action)
    for user in list(found.to):
        if not reminders_enabled(user):
            found.turned_off.append(user)
            del found.to[user]
        elif not user.email:
            found.no_address.append(user)
            del found.to[user]
    return found


def owners_remind(*, actor: Actor, actions: list[Action], note: str, today: date) -> Nudges:
    """Send them. Only a plan manager of every chosen action's plan may."""
    for plan in {action.plan for action in actions}:
        perms.require_manager(actor, plan, "remind its owners")
    nudges = nudges_for(actions, today)
    messages = []
    for user, theirs in nudges.to.items():
        lines = [f"Hello {user.get_full_name() or user.get_username()},", "",
                 f"{actor.name} asks you to look at {'this action' if len(theirs) == 1 else 'these actions'}:"]
        for action in theirs:
            lines += ["", f"* {action.plan.title}, action {action.ref}: {action.text[:200]}",
                      f"  Due {format_due(action.due_on, action.due_condition) or 'date not set'}.",
                      f"  {link(reverse('action', args=[action.plan.reference, action.slug]))}"]
        if note.strip():
            lines += ["", f"{actor.name} adds: {note.strip()}"]
        messages.append(EmailMessage(
            subject=f"actiontrack: {actor.name} asks about {len(theirs)} of your actions"[:200],
            body="\n".join(lines) + "\n", from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None), to=[user.email]))
    if messages:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages(messages)
    logger.info("owners reminded", extra={"sent": len(messages), "actions": len(actions)})
    return nudges

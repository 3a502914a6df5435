"""People's choice about reminder emails (a write, so a service, like every other write)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actiontrack.plans.choices import NotificationKind

from .choices import EmailWhen
from .models import ReminderPreference

logger = logging.getLogger(__name__)


def reminders_enabled(user) -> bool:
    """On unless the person has turned them off."""
    preference = ReminderPreference.objects.filter(user=user).first()
    return preference is None or preference.enabled


@transaction.atomic
def reminders_set(*, user, enabled: bool) -> ReminderPreference:
    """Turn your own reminder emails on or off."""
    if not (user and user.is_authenticated):
        raise PermissionDenied("Sign in to change your reminder emails.")
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    if preference.enabled != enabled:
        preference.enabled, preference.updated_at = enabled, timezone.now()
        preference.save(update_fields=["enabled", "updated_at"])
        logger.info("Reminder emails turned %s by %s", "on" if enabled else "off", user.get_username())
    return preference


def email_choices(user) -> dict[str, str]:
    """For each notification kind, how this person gets it by email (EmailWhen): in the daily digest unless
    they chose otherwise."""
    preference = ReminderPreference.objects.filter(user=user).first()
    off = set(preference.kinds_off) if preference else set()
    at_once = set(preference.kinds_at_once) if preference else set()
    return {kind: EmailWhen.OFF if kind in off else EmailWhen.AT_ONCE if kind in at_once else EmailWhen.DIGEST
            for kind in NotificationKind.values}


def emailed_kinds(user) -> set[str]:
    """The notification kinds folded into this person's digest: all, unless some were switched off (those sent
    at once are listed there too if the email at once could not go)."""
    return {kind for kind, when in email_choices(user).items() if when != EmailWhen.OFF}


@transaction.atomic
def notification_emails_set(*, user, choices: dict[str, str]) -> ReminderPreference:
    """Choose, for each kind of notification, whether it is emailed at once, folded into your daily email, or
    not emailed. A kind left out keeps its present choice."""
    if not (user and user.is_authenticated):
        raise PermissionDenied("Sign in to change your reminder emails.")
    unknown = set(choices) - set(NotificationKind.values)
    if unknown:
        raise ValidationError(f"Unknown kind of notification: {', '.join(sorted(unknown))}.")
    wrong = sorted(kind for kind, when in choices.items() if when not in EmailWhen.values)
    if wrong:
        raise ValidationError(f"Choose how to email “{NotificationKind(wrong[0]).label}”: "
                              f"{', '.join(str(label) for label in EmailWhen.labels)}.")
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    chosen = email_choices(user) | dict(choices)
    preference.kinds_off = sorted(kind for kind, when in chosen.items() if when == EmailWhen.OFF)
    preference.kinds_at_once = sorted(kind for kind, when in chosen.items() if when == EmailWhen.AT_ONCE)
    preference.updated_at = timezone.now()
    preference.save(update_fields=["kinds_off", "kinds_at_once", "updated_at"])
    return preference

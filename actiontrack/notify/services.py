"""People's choice about reminder emails (a write, so a service, like every other write)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actiontrack.plans.choices import NotificationKind

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


def emailed_kinds(user) -> set[str]:
    """The notification kinds folded into this person's digest: all, unless some were switched off."""
    preference = ReminderPreference.objects.filter(user=user).first()
    return set(NotificationKind.values) - set(preference.kinds_off if preference else [])


@transaction.atomic
def notification_emails_set(*, user, kinds: set[str]) -> ReminderPreference:
    """Choose which kinds of notification your daily digest includes."""
    if not (user and user.is_authenticated):
        raise PermissionDenied("Sign in to change your reminder emails.")
    unknown = set(kinds) - set(NotificationKind.values)
    if unknown:
        raise ValidationError(f"Unknown kind of notification: {', '.join(sorted(unknown))}.")
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.kinds_off = sorted(set(NotificationKind.values) - set(kinds))
    preference.updated_at = timezone.now()
    preference.save(update_fields=["kinds_off", "updated_at"])
    return preference


"""Reminders: who has turned them off, and which daily digests have gone (so a second run sends nothing)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderPreference(models.Model):
    """A person's choice about reminder emails. No row means reminders are on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reminder_preference")
    enabled = models.BooleanField(default=True)
    # Notification kinds (plans.choices.NotificationKind) this person does not want in the digest; every other
    # kind is folded into it.
    kinds_off = models.JSONField(default=list, blank=True)
    # Kinds emailed as they happen (notify/at_once.py) rather than folded into the next digest.
    kinds_at_once = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Reminders {'on' if self.enabled else 'off'} for {self.user}"


class ReminderSent(models.Model):
    """One digest sent to one person on one day. The unique key makes `actiontrack remind` idempotent per day,
    even when two runs overlap."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    address = models.EmailField(max_length=254)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_on", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_reminder_per_user_per_day")]

    def __str__(self):
        return f"Reminder to {self.user} on {self.sent_on:%d/%m/%Y}"

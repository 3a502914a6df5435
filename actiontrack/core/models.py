"""The journal: every change to anything, append-only. The state of a plan as at any date is its journal
replayed (domain/journal.py); services write the rows and their events in one transaction."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import ChangeSource, EntityType


class JournalQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("the journal is append-only")

    def update(self, **kwargs):
        raise PermissionError("the journal is append-only")


class JournalEvent(models.Model):
    """One change: who, when recorded, when effective, which field, old -> new, why. Append-only."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="journal")
    entity_type = models.CharField(max_length=20, choices=EntityType.choices)
    entity_id = models.BigIntegerField()
    field = models.CharField(max_length=40)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="journal_events")
    actor_name = models.CharField(max_length=200, help_text="Who, as shown; kept even if the user is renamed")
    source = models.CharField(max_length=20, choices=ChangeSource.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    effective_on = models.DateField()

    objects = JournalQuerySet.as_manager()

    class Meta:
        db_table = "plans_journalevent"  # created by the plans app, before the journal had an app of its own
        ordering = ["effective_on", "id"]
        indexes = [
            models.Index(fields=["plan", "effective_on"], name="plans_journ_plan_id_7e952e_idx"),
            models.Index(fields=["entity_type", "entity_id"], name="plans_journ_entity__eed95d_idx"),
        ]

    def __str__(self):
        return f"{self.entity_type} {self.entity_id} {self.field} on {self.effective_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the journal is append-only: events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the journal is append-only: events cannot be deleted")

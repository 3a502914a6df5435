"""The journal: every change to anything, append-only. The state of a plan as at any date is its journal
replayed (domain/journal.py); services write the rows and their events in one transaction."""

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform
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
            # An action's updates, proposals, evidence and comments name it in `new`: without this, finding
            # them (the action page, the API's journal of one action) read every event of the plan.
            models.Index("entity_type", KeyTransform("action", "new"), name="journal_related_action"),
        ]

    def __str__(self):
        return f"{self.entity_type} {self.entity_id} {self.field} on {self.effective_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the journal is append-only: events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the journal is append-only: events cannot be deleted")


class BackgroundJob(models.Model):
    """Work too long for a web request (issuing a board report: seconds to minutes), done by the worker
    (`actiontrack worker`, which `actiontrack serve` starts) through Django's tasks framework. The row is what
    the page shows while it waits — queued, running, done or failed with a message a person can act on — and is
    kept afterwards as the record of what was asked for, by whom and how it ended."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Under way"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)  # e.g. "report_issue"
    object_id = models.BigIntegerField(help_text="What it works on, of a kind given by `kind` (e.g. a report)")
    key = models.CharField(max_length=64, blank=True, default="",
                           help_text="What it works on when that has no row of its own (an import's upload)")
    label = models.CharField(max_length=300, help_text="What it does, as people read it")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="background_jobs")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True, help_text="Why it failed, or what it did, in words for the person who "
                                                     "asked")

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"], name="core_job_kind_object"),
                   models.Index(fields=["kind", "key"], name="core_job_kind_key")]

    def __str__(self):
        return f"{self.label} ({self.get_status_display()})"

    @property
    def waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

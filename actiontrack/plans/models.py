"""Plans, who has which role on them, their recommendations, actions, updates, proposals and evidence.

The rows hold the current state for fast queries; the journal holds every change, and the state as at
any date is the journal replayed (domain/journal.py). Services write both in one transaction.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from actiontrack.domain.periods import Period, period_of
from actiontrack.domain.rag import RagScheme, scheme_for
from actiontrack.domain.references import REF_MAX, SLUG_MAX

from .choices import (
    DeliveryStatus,
    EvidenceKind,
    LifecycleChoices,
    NotificationKind,
    PeriodKindChoices,
    PlanRoleKind,
    ProposalStatus,
    RagSchemeChoices,
    RecommendationKind,
    SourceKind,
    WebhookEvent,
    WebhookStyle,
)


class Plan(models.Model):
    reference = models.SlugField(max_length=40, unique=True, help_text="Short reference, e.g. PIP-PR")
    title = models.CharField(max_length=300)
    organisation = models.CharField(max_length=200, blank=True)
    source_kind = models.CharField(max_length=30, choices=SourceKind.choices, default=SourceKind.OTHER)
    source_body = models.CharField(max_length=300, blank=True, help_text="Who carried out the review")
    commissioned_on = models.DateField(null=True, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    agreed_on = models.DateField(help_text="The day the plan was agreed; nothing is shown before it")
    background = models.TextField(blank=True)
    documents_reviewed = models.TextField(blank=True, help_text="One per line")
    board = models.CharField(max_length=200, blank=True)
    group_label = models.CharField(max_length=60, blank=True, default="",
                                   help_text="What the source calls its groups: theme, pillar, volume, directorate")
    classification = models.CharField(max_length=100, blank=True, default="OFFICIAL")
    rag_scheme = models.CharField(max_length=20, choices=RagSchemeChoices.choices, default="rag")
    rag_window_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="BRAG: an open action is Amber when due within this many days")
    reminder_window_days = models.PositiveSmallIntegerField(
        default=14, validators=[MaxValueValidator(366)],
        help_text="Owners are reminded of an open action due within this many days")
    reporting_period = models.CharField(max_length=20, choices=PeriodKindChoices.choices, default="monthly")
    managers_change_dates_directly = models.BooleanField(
        default=False, help_text="Plan managers may change due dates without a proposal (still with a reason)")
    # Escalation (services.escalations): an open action this many days overdue is raised with the plan managers,
    # and after the second number with the holders of a named senior post. Empty: not escalated.
    escalate_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Tell the plan managers when an action is this many days overdue")
    escalate_senior_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="Tell the senior post's holders when an action is this many days overdue")
    escalate_senior_post = models.ForeignKey("people.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                             related_name="+")
    # Published: its latest issued report is on the public pages (reports.publication); None: not published.
    published_at = models.DateTimeField(null=True, blank=True, db_default=None)
    public_holder_names = models.BooleanField(
        default=False, db_default=False, help_text="The public pages name the people holding the owner posts")
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on by the journal, in the same transaction, with every event about the plan (journal.record), and
    # never set otherwise: reads kept between requests are used only while it is unchanged (readcache).
    read_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Moved on by the journal with every progress update, in the same transaction (as read_version): which
    # actions' updates changed is read again only when it moves (selectors.progress.kept_progress_stamps).
    progress_version = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)
    # Raised by every saved change to the details above (services.plan_update): an edit form opened on an
    # earlier one is refused, so two plan managers cannot overwrite each other's changes unseen.
    # db_default too: during a rolling upgrade, servers still on the old code insert rows without the column.
    details_version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def scheme(self) -> RagScheme:
        return scheme_for(self.rag_scheme, self.rag_window_days)

    def has_updates_for(self, period) -> bool:
        """Progress updates are written for the periods the plan exists in: the one it was agreed in onwards."""
        return period.end >= self.agreed_on

    @property
    def documents_reviewed_list(self) -> list[str]:
        return [line.strip() for line in self.documents_reviewed.splitlines() if line.strip()]


class PlanRole(models.Model):
    """A user's role on one plan. Owners need no row: owning comes from holding an owner post."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_roles")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=PlanRoleKind.choices)

    class Meta:
        db_table = "people_planrole"  # created by the people app, before roles moved to the plans they are on
        constraints = [models.UniqueConstraint(fields=["user", "plan", "role"], name="one_role_row_per_kind")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.plan.reference}"


class Group(models.Model):
    """What the source groups its recommendations by, under the name it uses (the plan's `group_label`: theme,
    pillar, volume, directorate ...). Numbering may restart in each group. Its name is not history: a renamed
    group reads with its new name on every date, as a post does."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0, help_text="Display order")

    class Meta:
        # By the plan's id, not its title: every list of these is one plan's (or grouped by plan), and "plan"
        # joined the plan into every read only to order by its title. Recommendation and Measure alike.
        ordering = ["plan_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="group_name_unique")]

    def __str__(self):
        return self.name


class Recommendation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="recommendations")
    ref = models.CharField(max_length=REF_MAX, help_text="The reference the source gives it, as text; never changes")
    slug = models.CharField(max_length=SLUG_MAX, help_text="The reference in the plan's addresses; never changes")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations")
    source = models.CharField(max_length=300, blank=True,
                              help_text="Which review it comes from, where the plan consolidates several")
    kind = models.CharField(max_length=30, choices=RecommendationKind.choices,
                            default=RecommendationKind.RECOMMENDATION)
    text = models.TextField()
    position = models.PositiveIntegerField(default=0, help_text="Display order; the reference never changes")
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False,
                                          help_text="Raised by every change to its text or kind; guards edits")

    class Meta:
        ordering = ["plan_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="recommendation_slug_unique"),
            # The same reference twice only in different groups: the second "R3" of a plan restarting its numbering.
            models.UniqueConstraint(fields=["plan", "group", "ref"], name="recommendation_ref_unique_in_group"),
            models.UniqueConstraint(fields=["plan", "ref"], condition=models.Q(group=None),
                                    name="recommendation_ref_unique_ungrouped"),
        ]

    def __str__(self):
        return f"{self.ref}) {self.text[:60]}"


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveIntegerField(help_text="Its place in the order actions were added to the recommendation: "
                                                   "the n of a derived reference such as 2.1")
    ref = models.CharField(max_length=REF_MAX, help_text="The source's reference, or one derived from the "
                                                         "recommendation's; never changes")
    slug = models.CharField(max_length=SLUG_MAX, help_text="The reference in the action's address; never changes")
    text = models.TextField()
    owner_posts = models.ManyToManyField("people.Post", related_name="actions",
                                         help_text="Every post that owns it: its lead and its supporting owners")
    # Which of the owner posts support the lead (an operational lead beside an executive lead). Their holders
    # are owners like the lead's: they may update and complete the action.
    supporting_posts = models.ManyToManyField("people.Post", related_name="supported_actions", blank=True)
    baseline_on = models.DateField(null=True, blank=True, help_text="The first agreed due date; never changes")
    due_on = models.DateField(null=True, blank=True)
    # Due-date changes in force (domain.journal.due_revisions), kept by the services with the row (sync_action),
    # so a plan is read without counting its journal. db_default: servers still on the old code insert rows too.
    revisions = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    due_condition = models.CharField(max_length=100, blank=True)
    lifecycle = models.CharField(max_length=20, choices=LifecycleChoices.choices, default="not_started")
    lifecycle_reason = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    # Closure by an outside body (domain.external): as its journal replayed, kept by the services (sync_action).
    external_closure = models.JSONField(null=True, blank=True, db_default=None)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change; guards concurrent edits")
    position = models.PositiveIntegerField(default=0, help_text="Display order within the recommendation")

    class Meta:
        # By the recommendation's id after its plan and position (what its own ordering adds): the same order,
        # without joining the plan a second time for every list of actions.
        ordering = ["plan", "recommendation__position", "recommendation_id", "position", "number"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "number"], name="action_number_unique"),
                       models.UniqueConstraint(fields=["plan", "slug"], name="action_slug_unique")]

    def __str__(self):
        return f"{self.ref} {self.text[:60]}"


# A restored plan credits no local account with what the file says others did (they may be different people
# with the same username); the names it records are kept as text, and shown where there is no account.
RECORDED_NAME_HELP = "Who did it, as recorded in a restored file, when no account is linked"


def shown_name(user, recorded: str) -> str:
    """The account's name, or the name recorded in a restored file, or ""."""
    if user is not None:
        return shown_name_of(user.first_name, user.last_name, user.get_username(), recorded)
    return recorded


def shown_name_of(first_name: str | None, last_name: str | None, username: str | None, recorded: str) -> str:
    """shown_name from columns read without building the account (`username` None: no account), for lists
    read as plain values: the same words as User.get_full_name(), else the username."""
    if username is not None:
        return f"{first_name} {last_name}".strip() or username
    return recorded


class ProgressUpdate(models.Model):
    """An owner's narrative for one reporting period: one per action per period."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    period_start = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200, blank=True, db_default="", default="",
                                   help_text=RECORDED_NAME_HELP)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # By the action's id, not its display order: read one action's (or one plan's, by action) at a time, and
        # ordering by "action" joined the action, its recommendation and the plan twice into every read.
        ordering = ["action_id", "-period_start"]
        constraints = [models.UniqueConstraint(fields=["action", "period_start"], name="one_update_per_period")]
        # Everything selectors.progress.progress_stamps counts per action, in the index itself: the database
        # reads a plan's stamps from the index alone, action by action, rather than every update of every plan
        # (3 years of monthly updates on 100 plans: 220 -> 7 ms on PostgreSQL, bench/SCALE.md).
        indexes = [models.Index(fields=["action", "period_start", "version", "id"], name="progress_stamp_parts")]

    def __str__(self):
        return f"Update on {self.action_id} for {self.period_start:%m/%Y}"

    @property
    def period(self) -> Period:
        return period_of(self.period_start, self.action.plan.reporting_period)

    @property
    def author_shown(self) -> str:
        return shown_name(self.author, self.author_name)


class Comment(models.Model):
    """A remark about an action between its plan manager, owners and verifier. Kept for good: an edit keeps the
    earlier text in the journal, where the action's page shows it (selectors.comments)."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    text = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in",
                                      help_text="People named with @username who can see the action")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.action_id}: {self.text[:40]}"


class Notification(models.Model):
    """Something a person should know about an action, written by the service that made it happen, in the same
    transaction (services.notifications)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when it went by email at once (the person's choice for its kind), so the digest does not repeat it.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text[:40]}"


class Escalation(models.Model):
    """An overdue action raised with someone, once per level and due date (a new due date starts again)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(help_text="1: the plan managers; 2: the senior post's holders")
    due_on = models.DateField()
    raised_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "level", "due_on"], name="escalated_once")]

    def __str__(self) -> str:
        return f"{self.action_id} level {self.level} on {self.raised_on}"


class Measure(models.Model):
    """A figure a recommendation promises (domain.measures), optionally one of its actions': a target and a
    tolerance, rated each period on the value its owner records. Written through services.measures."""

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="measures")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="measures")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT, related_name="measures")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=60, blank=True, help_text="What is counted: audits, days, %")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    period = models.CharField(max_length=20, choices=PeriodKindChoices.choices, default="quarterly")
    target = models.DecimalField(max_digits=14, decimal_places=2)
    tolerance = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    hold_periods = models.PositiveSmallIntegerField(
        default=2, help_text="Periods on target in a row for the change to count as having held (assurance)")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class MeasureValue(models.Model):
    """One period's value, with the target and tolerance in force for that period."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    tolerance = models.DecimalField(max_digits=14, decimal_places=2)
    recorded_by = models.CharField(max_length=200)
    recorded_on = models.DateField()

    class Meta:
        ordering = ["measure", "period_start"]
        constraints = [models.UniqueConstraint(fields=["measure", "period_start"], name="one_value_per_period")]

    def __str__(self) -> str:
        return f"{self.measure_id} from {self.period_start}: {self.value}"


class OffTrackNotice(models.Model):
    """A notice to the plan's oversight body that an action will miss, or has missed, the date agreed with it:
    drafted by the daily run (services.off_track), worded by a plan manager, recorded as sent (or as not needed).
    One per action and due date in force: a new date that is missed too gets a new one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: to send"
        SENT = "sent", "Sent"
        NOT_NEEDED = "not_needed", "Not needed"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="off_track_notices")
    agreed_on = models.DateField(null=True, blank=True, help_text="The date first agreed (the baseline)")
    due_on = models.DateField(help_text="The due date in force when it was drafted")
    drafted_on = models.DateField()
    text = models.TextField()
    sent_to = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    decided_on = models.DateField(null=True, blank=True, help_text="When it was sent, or found not needed")
    decided_by = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True, help_text="Why it was not needed")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "due_on"], name="off_track_once_per_date")]

    def __str__(self) -> str:
        return f"{self.action_id} due {self.due_on}: {self.status}"


class Webhook(models.Model):
    """Where a plan sends its events: a chat tool's incoming-webhook address (services.webhooks)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=1000)
    style = models.CharField(max_length=10, choices=WebhookStyle.choices)
    events = models.JSONField(default=list, help_text="WebhookEvent values sent")
    secret = models.CharField(max_length=64, help_text="Signs plain JSON bodies (HMAC-SHA256)")
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.plan_id} → {self.url[:60]}"


class WebhookDelivery(models.Model):
    """One event for one webhook: written with the change, sent by the worker, retried with back-off."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_response = models.CharField(max_length=300, blank=True, help_text="The last HTTP status or error")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=60, blank=True,
                           help_text="Names an event raised by the daily run, so it is sent once (e.g. overdue)")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "key"], condition=~models.Q(key=""),
                                               name="webhook_delivery_once_per_key")]

    def __str__(self) -> str:
        return f"{self.event} to webhook {self.webhook_id}: {self.status}"


class PeriodLock(models.Model):
    """A reporting period closed by the plan manager: its updates can no longer be edited."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="period_locks")
    period_start = models.DateField()
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "period_start"], name="one_lock_per_period")]

    def __str__(self):
        return f"{self.plan_id} locked from {self.period_start:%m/%Y}"


class DateProposal(models.Model):
    """An owner's proposed new due date. Only a plan manager's acceptance changes the due date."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="proposals")
    due_on = models.DateField()
    due_condition = models.CharField(max_length=100, blank=True)
    reason = models.TextField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    proposed_by_name = models.CharField(max_length=200, blank=True, db_default="", default="",
                                        help_text=RECORDED_NAME_HELP)
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [models.UniqueConstraint(fields=["action"], condition=models.Q(status="pending"),
                                               name="one_pending_proposal_per_action")]

    def __str__(self):
        return f"Proposal for {self.action_id}: {self.due_on:%d/%m/%Y} ({self.status})"

    @property
    def proposed_by_shown(self) -> str:
        return shown_name(self.proposed_by, self.proposed_by_name)


class Evidence(models.Model):
    """A file or link supporting an action's completion. Files are stored under random names."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=2000, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=150, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_by_name = models.CharField(max_length=200, blank=True, db_default="", default="",
                                     help_text=RECORDED_NAME_HELP)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action_id", "added_at"]  # by id, not display order: see ProgressUpdate

    def __str__(self):
        return self.title

    @property
    def added_by_shown(self) -> str:
        return shown_name(self.added_by, self.added_by_name)

    @property
    def held(self) -> bool:
        """False for a file listed without its contents (restored from a JSON export, which holds a file's name
        and SHA-256 but not the file)."""
        return self.kind != EvidenceKind.FILE or bool(self.stored_name)

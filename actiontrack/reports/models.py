"""Board reports: the committee paper for one meeting of the board a plan reports to.

A draft is rendered live from the plan as at its as-at date. Issuing freezes it: the report data is kept as
a JSON snapshot and each rendered file is kept with its SHA-256, so an issued report downloads byte-identical
for ever, whatever happens to the plan afterwards. Writes go through services.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from actiontrack.domain.ukdates import format_long

from .choices import Impact, ReportFormat, ReportStatus, ReportType


class BoardReport(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="board_reports")
    meeting = models.CharField(max_length=200, help_text="The board or committee, e.g. Performance and Resources Board")
    meeting_date = models.DateField()
    agenda_item = models.CharField(max_length=20, blank=True)
    authors = models.CharField(max_length=300, blank=True)
    presented_by = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    report_type = models.CharField(max_length=20, choices=ReportType.choices, default=ReportType.INFORMATION)
    action_point = models.CharField(max_length=50, blank=True)
    for_publication = models.BooleanField(default=True)
    exemption = models.TextField(blank=True, help_text="If not for publication: the exemption paragraph")
    classification = models.CharField(max_length=100, blank=True)
    as_at = models.DateField(help_text="The date the plan's data is shown as at; by default the meeting date")
    show_holder_names = models.BooleanField(default=False, help_text="Name the post holders beside the owner posts")
    # Authored text, one entry per authored section key (choices.SECTIONS); carried into the next report.
    sections = models.JSONField(default=dict, blank=True)
    # The author's own wording for the executive summary's sentence on overdue actions; blank: the generated one.
    summary_sentence = models.TextField(blank=True)
    # The impact recorded against each protected characteristic: {key: {"impact": Impact, "note": str}}.
    equality = models.JSONField(default=dict, blank=True)
    # The report's own wording of the reasons in its list of changes: {change key ("journal:<id>"): reason}.
    # Unset: the journal's reason.
    change_reasons = models.JSONField(default=dict, db_default=models.Value({}, models.JSONField()), blank=True)
    # The board's version of owners' progress updates, edited in the draft: {action id: text}. The owner's own
    # update is never changed by it.
    board_progress = models.JSONField(default=dict, db_default=models.Value({}, models.JSONField()), blank=True)
    # Sections left out of the public version, each replaced there by the exemption paragraph: [section key].
    exempt_sections = models.JSONField(default=list, db_default=models.Value([], models.JSONField()), blank=True)
    # A draft is for the plan's managers until they share it with the board (viewers); an issued report is read by
    # everyone who can see the plan.
    shared = models.BooleanField(default=False, db_default=False, help_text="A draft shared with the board")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    snapshot = models.JSONField(null=True, blank=True, help_text="The report data as issued")
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change; guards concurrent edits")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_by_name = models.CharField(max_length=200, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-meeting_date", "-id"]
        indexes = [models.Index(fields=["plan", "status", "as_at"])]

    def __str__(self):
        return f"{self.meeting}, {format_long(self.meeting_date)}"

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    def authored(self, key: str) -> str:
        return (self.sections or {}).get(key, "")

    def impact(self, key: str) -> tuple[str, str]:
        entry = (self.equality or {}).get(key) or {}
        return entry.get("impact", Impact.NOT_ASSESSED), entry.get("note", "")


ISSUED_FOLDER = "reports"  # in the file store (actiontrack.core.files)


class IssuedFile(models.Model):
    """One rendered file of an issued report, kept byte for byte in the file store (under `store_name`) with its
    SHA-256."""

    report = models.ForeignKey(BoardReport, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=10, choices=ReportFormat.choices)
    stored_name = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "format"]
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="one_issued_file_per_format")]

    def __str__(self):
        return f"{self.report} ({self.format}, {self.sha256[:12]})"

    @property
    def store_name(self) -> str:
        return f"{ISSUED_FOLDER}/{self.stored_name}"


class Organisation(models.Model):
    """The organisation's name, logo and committee-paper template, set once by an administrator: one row
    (reports/organisation.py reads and writes it). Board reports carry the name and logo; their DOCX is built on
    the template when there is one."""

    name = models.CharField(max_length=200, blank=True)
    logo = models.BinaryField(null=True, blank=True, help_text="PNG, re-encoded from the upload")
    logo_alt = models.CharField(max_length=300, blank=True)
    docx_template = models.BinaryField(null=True, blank=True)
    template_name = models.CharField(max_length=200, blank=True)
    template_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name or "The organisation"

"""Each vocabulary defined once: value and label together; every output reads them here (DESIGN rule 5)."""

from django.db import models

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.periods import PeriodKind
from actiontrack.domain.rag import SCHEME_KEYS


class SourceKind(models.TextChoices):
    PEER_REVIEW = "peer_review", "Peer review"
    HMICFRS = "hmicfrs", "HMICFRS inspection"
    GRENFELL = "grenfell", "Grenfell Tower Inquiry"
    AUDIT = "audit", "Audit"
    OTHER = "other", "Other"


class RecommendationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    AREA_FOR_IMPROVEMENT = "afi", "Area for improvement"
    CAUSE_OF_CONCERN = "cause_of_concern", "Cause of concern"
    MUST_DO = "must_do", "Must do"  # CQC: what a provider must do to meet the regulations
    SHOULD_DO = "should_do", "Should do"
    FINDING = "finding", "Finding"  # an audit's
    OTHER = "other", "Other"


LifecycleChoices = models.TextChoices("LifecycleChoices", [(item.name, (item.value, item.label))
                                                           for item in Lifecycle])

RagSchemeChoices = models.TextChoices("RagSchemeChoices", [(key.upper(), (key, label))
                                                           for key, label in SCHEME_KEYS.items()])


PeriodKindChoices = models.TextChoices("PeriodKindChoices", [(item.name, (item.value, item.label))
                                                             for item in PeriodKind])


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Pending decision"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"


class PlanRoleKind(models.TextChoices):
    MANAGER = "manager", "Plan manager"
    VERIFIER = "verifier", "Verifier"
    VIEWER = "viewer", "Viewer"


# Human names of journalled fields, for history tables.
FIELD_LABELS = {
    "created": "Created",
    "text": "Text",
    "owner_posts": "Owner",
    "supporting_posts": "Supporting owners",
    "due": "Due date",
    "baseline_on": "Baseline date",
    "lifecycle": "Status",
    "lifecycle_reason": "Status reason",
    "completed_on": "Completed on",
    "external_closure": "Closure by an outside body",
    "holder": "Holder",
    "kind": "Kind",
    "number": "Number",
    "title": "Title",
    "position": "Order",
    "evidence": "Evidence",
    "update": "Progress update",
    "proposal": "Date proposal",
    "period_locked": "Updates locked",
    "period_unlocked": "Updates unlocked",
    "import_rows_left_out": "Rows left out of an import",
    "published": "Public page",
    "off_track_notice": "Off-track notice",
}

# How a verifier's return reads in the journal: the queue shows the owner what follows it.
RETURNED = "Returned by the verifier:"


class NotificationKind(models.TextChoices):
    """What a person is told about in the app (the header's count and /notifications/)."""

    PROPOSAL_DECIDED = "proposal_decided", "Your date proposal was decided"
    RETURNED = "returned", "Your action was returned by the verifier"
    ASSIGNED = "assigned", "An action was given to a post you hold"
    MENTIONED = "mentioned", "You were mentioned in a comment"
    PROPOSAL_WAITING = "proposal_waiting", "A date proposal is waiting for your decision"
    COMPLETION_WAITING = "completion_waiting", "A completed action is waiting for you to verify it"
    ESCALATED = "escalated", "An action is overdue past the plan's escalation point"


class WebhookStyle(models.TextChoices):
    """How a plan's events are written for the receiver."""

    TEAMS = "teams", "Microsoft Teams (a workflow's incoming webhook)"
    SLACK = "slack", "Slack (incoming webhook)"
    JSON = "json", "Plain JSON, signed (anything else)"


class WebhookEvent(models.TextChoices):
    COMPLETED = "completed", "An action is completed by its owner"
    OVERDUE = "overdue", "An action becomes overdue"
    ESCALATED = "escalated", "An overdue action is escalated"
    REPORT_ISSUED = "report_issued", "A board report is issued"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed: given up after several tries"


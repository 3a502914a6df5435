"""The journal's vocabulary: what kind of thing changed, and through what."""

from django.db import models


class EntityType(models.TextChoices):
    PLAN = "plan", "Plan"
    RECOMMENDATION = "recommendation", "Recommendation"
    ACTION = "action", "Action"
    POST = "post", "Post"
    UPDATE = "update", "Progress update"
    PROPOSAL = "proposal", "Date proposal"
    EVIDENCE = "evidence", "Evidence"
    COMMENT = "comment", "Comment"
    MEASURE = "measure", "Measure"
    USER = "user", "User"
    ORGANISATION = "organisation", "Organisation"


class ChangeSource(models.TextChoices):
    WEB = "web", "Web"
    CLI = "cli", "Command line"
    IMPORT = "import", "Import"
    DEMO = "demo", "Demo data"
    API = "api", "API"

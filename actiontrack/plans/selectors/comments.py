"""An action's comments as its page shows them: each with the texts it had before it was edited (from the
journal), and the names it mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Action, Comment


@dataclass(frozen=True)
class Earlier:
    text: str
    replaced_at: datetime


@dataclass
class CommentView:
    comment: Comment
    earlier: list[Earlier] = field(default_factory=list)  # oldest first


def action_comments(action: Action) -> list[CommentView]:
    """Every comment on the action, oldest first, in two queries and one for their mentions."""
    comments = list(action.comments.prefetch_related("mentions"))
    views = {comment.pk: CommentView(comment) for comment in comments}
    if any(comment.edited_at for comment in comments):
        for entity_id, old, recorded_at in JournalEvent.objects.filter(
                entity_type=EntityType.COMMENT, entity_id__in=list(views), old__isnull=False).order_by(
                "recorded_at", "id").values_list("entity_id", "old", "recorded_at"):
            if old:
                views[entity_id].earlier.append(Earlier(old["text"], recorded_at))
    return list(views.values())

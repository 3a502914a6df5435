"""Comments on an action between its plan manager, owners and verifier, with @username mentions. Kept for good:
each comment and each edit is journalled with its text, so an edit never loses what was said before."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.text import Limit
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import NotificationKind, PlanRoleKind
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, Comment

from . import notifications

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


def may_comment(user, action: Action, day: date) -> bool:
    """The people an action's comments are between: its plan's managers and verifiers, and its owners."""
    return bool(user and user.is_authenticated) and (
        perms.has_role(user, action.plan, PlanRoleKind.MANAGER) or perms.has_role(user, action.plan,
                                                                                   PlanRoleKind.VERIFIER)
        or perms.owns(user, action, day))


def mentioned(text: str, action: Action, day: date) -> list:
    """The people named with @username who can see the action; other names stay plain words."""
    names = {name.rstrip(".") for name in MENTION.findall(text)}
    users = get_user_model().objects.filter(username__in=names, is_active=True) if names else []
    return [user for user in users if perms.can_view_plan(user, action.plan, day)]


def _text(value: str) -> str:
    text = clean_text(value, limit=Limit.REASON, what="the comment", field="text")
    if not text:
        raise ValidationError({"text": "Write the comment: it cannot be empty."})
    return text


def _require(actor: Actor, action: Action, today: date) -> None:
    if actor.user is not None and not may_comment(actor.user, action, today):
        raise PermissionDenied(f"Only the plan manager, the verifier and the owners of action {action.ref} "
                                     "can comment on it.")


def comment_add(*, actor: Actor, action: Action, text: str, today: date) -> Comment:
    with transaction.atomic():
        action = Action.objects.select_related("plan").get(pk=action.pk)
        _require(actor, action, today)
        text = _text(text)
        comment = Comment.objects.create(action=action, author=actor.user, author_name=actor.name, text=text)
        comment.mentions.set(mentioned(text, action, today))
        _tell_mentioned(actor, comment, set())
        record(actor=actor, plan=action.plan, entity_type=EntityType.COMMENT, entity_id=comment.pk, field="text",
               old=None, new={"action": action.pk, "text": text}, effective_on=today)
        return comment


def comment_edit(*, actor: Actor, comment: Comment, text: str, expected_version: int, today: date) -> Comment:
    """The author's correction of their own comment; the earlier text stays in the journal and on the page."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("action__plan").get(pk=comment.pk)
        action = comment.action
        if actor.user is not None and comment.author_id != actor.user.pk:
            raise PermissionDenied("Only the person who wrote a comment can edit it.")
        _require(actor, action, today)
        text = _text(text)
        if comment.version != expected_version:
            raise EditConflict("The comment", {"text": comment.text}, comment.version)
        if text == comment.text:
            return comment
        earlier = comment.text
        comment.text, comment.edited_at, comment.version = text, timezone.now(), comment.version + 1
        comment.save(update_fields=["text", "edited_at", "version"])
        before = set(comment.mentions.values_list("pk", flat=True))
        comment.mentions.set(mentioned(text, action, today))
        _tell_mentioned(actor, comment, before)
        record(actor=actor, plan=action.plan, entity_type=EntityType.COMMENT, entity_id=comment.pk, field="text",
               old={"action": action.pk, "text": earlier}, new={"action": action.pk, "text": text},
               effective_on=today)
        return comment


def _tell_mentioned(actor: Actor, comment: Comment, before: set[int]) -> None:
    """Everyone newly mentioned (an edit does not tell again those already told)."""
    new = set(comment.mentions.values_list("pk", flat=True)) - before
    if new:
        notifications.tell(new, NotificationKind.MENTIONED, comment.action,
                           f"{actor.name} mentioned you on action {comment.action.ref} "
                           f"({comment.action.plan.reference}): {comment.text[:300]}", actor)


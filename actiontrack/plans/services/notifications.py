"""In-app notifications: what a person should know about an action, written by the service that made it happen,
in the same transaction (so a change rolled back tells nobody). Never to the person who acted. Once the change
is committed, `notifications_saved` announces them, so the notify layer (above this one) can email those whose
owners want them at once."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.people.models import PostHolding
from actiontrack.plans.choices import NotificationKind, PlanRoleKind
from actiontrack.plans.models import Action, Notification, PlanRole

# Sent after commit with `ids`, the notifications just written.
notifications_saved = Signal()


def _save(notes: list[Notification]) -> None:
    created = Notification.objects.bulk_create(notes, batch_size=500)
    ids = [note.pk for note in created if note.pk is not None]
    if ids:
        transaction.on_commit(lambda: notifications_saved.send(sender=Notification, ids=ids))


def tell(users, kind: NotificationKind, action: Action, text: str, actor: Actor) -> None:
    """One notification to each of `users` (people or ids), except the one who acted, each once."""
    ids = {getattr(user, "pk", user) for user in users if user is not None}
    ids.discard(actor.user.pk if actor.user is not None else None)
    active = get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
    _save([Notification(user_id=pk, kind=kind, plan_id=action.plan_id, action=action, text=text[:500])
           for pk in sorted(active)])


def tell_post_holders(notes: list[tuple[Action, list[int], str]], kind: NotificationKind, day: date,
                      actor: Actor) -> None:
    """For each (action, posts, text): one notification to each person holding one of the posts on `day`. A
    batch of thousands (an import) reads the holdings once and writes in a few statements."""
    posts = {post for _, ids, _ in notes for post in ids}
    held = defaultdict(set)
    for post, user in _holdings(posts, day).values_list("post_id", "user_id"):
        held[post].add(user)
    users = set().union(*held.values()) - {actor.user.pk if actor.user is not None else None}
    active = set(get_user_model().objects.filter(pk__in=users, is_active=True).values_list("pk", flat=True))
    _save([Notification(user_id=pk, kind=kind, plan_id=action.plan_id, action=action, text=text[:500])
           for action, ids, text in notes for pk in sorted(set().union(*(held[p] for p in ids)) & active)])


def _holdings(post_ids, day: date):
    return (PostHolding.objects.filter(post_id__in=list(post_ids), user__isnull=False, starts_on__lte=day)
            .filter(Q(ends_on=None) | Q(ends_on__gte=day)))


def holders(post_ids, day: date) -> list[int]:
    """The people holding any of the posts on `day`."""
    return list(_holdings(post_ids, day).values_list("user_id", flat=True))


def with_role(action: Action, role: str) -> list[int]:
    return list(PlanRole.objects.filter(plan_id=action.plan_id, role=role).values_list("user_id", flat=True))


def owners_of(action: Action, day: date) -> list[int]:
    return holders(action.owner_posts.values_list("pk", flat=True), day)


def verifiers_of(action: Action, day: date) -> list[int]:
    """The plan's verifiers, less the action's owners (who may not verify their own work)."""
    owners = set(owners_of(action, day))
    return [pk for pk in with_role(action, PlanRoleKind.VERIFIER) if pk not in owners]


def managers_of(action: Action) -> list[int]:
    return with_role(action, PlanRoleKind.MANAGER)


def notifications_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read: those with `ids`, or all. Only their own, whatever ids are given."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


KEEP_READ = timedelta(days=90)  # a notification read this long ago has done its work
KEEP_UNREAD = timedelta(days=365)  # unread for a year: the person is not coming back for it


def notifications_prune(*, now) -> int:
    """Forget notifications read more than KEEP_READ ago, or written more than KEEP_UNREAD ago: what they said
    is in the journal of the change that wrote them. Returns how many were deleted."""
    return Notification.objects.filter(Q(read_at__lt=now - KEEP_READ) | Q(created_at__lt=now - KEEP_UNREAD)).delete()[0]

"""Writes for posts and who holds them, journalled like every other change."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.domain.journal import CREATED
from actiontrack.domain.ukdates import format_long
from actiontrack.plans.choices import EntityType
from actiontrack.plans.journal import Actor, record

from .models import Post, PostHolding


def normalise_post_name(name: str) -> str:
    """Case, punctuation and word order do not matter: "Head of Protection and Prevention" is the same
    post as "Head of Prevention and Protection"."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return " ".join(sorted(w for w in words if w not in {"and", "of", "the", "&"}))


def post_find(name: str) -> Post:
    """The post with this name or one of its aliases; a clear error naming the known posts if none."""
    wanted = normalise_post_name(name)
    if not wanted:
        raise ValidationError({"owner_posts": "An owner post name is empty."})
    for post in Post.objects.all():
        if any(normalise_post_name(candidate) == wanted for candidate in [post.name, *post.alias_list]):
            return post
    known = ", ".join(Post.objects.values_list("name", flat=True)) or "none yet"
    raise ValidationError({"owner_posts": f"Unknown post {name.strip()!r}. Known posts: {known}."})


@transaction.atomic
def post_create(*, actor: Actor, name: str, aliases: list[str] = (), description: str = "",
                effective_on: date) -> Post:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A post needs a name."})
    try:
        existing = post_find(name)
    except ValidationError:
        existing = None
    if existing:
        raise ValidationError({"name": f"{name!r} is already a post: {existing.name!r}."})
    post = Post.objects.create(name=name, aliases="\n".join(aliases), description=description)
    record(actor=actor, plan=None, entity_type=EntityType.POST, entity_id=post.pk, field=CREATED, old=None,
           new={"name": name, "aliases": list(aliases)}, effective_on=effective_on)
    return post


def holding_on(post: Post, day: date) -> PostHolding | None:
    for holding in post.holdings.all():
        if holding.in_force_on(day):
            return holding
    return None


@transaction.atomic
def post_holder_change(*, actor: Actor, post: Post, holder_name: str, starts_on: date, user=None,
                       reason: str = "") -> PostHolding:
    """A new holder from `starts_on`; the holding in force until then ends the day before."""
    holder_name = " ".join(holder_name.split())
    if not holder_name:
        raise ValidationError({"holder_name": "Name the person who holds the post."})
    later = post.holdings.filter(starts_on__gte=starts_on).first()
    if later:
        raise ValidationError({"starts_on": (
            f"{later.holder_name} already holds {post.name} from {format_long(later.starts_on)}; "
            f"a new holding must start after that.")})
    current = post.holdings.filter(ends_on__isnull=True).first()
    old_name = current.holder_name if current else None
    if current:
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    holding = PostHolding.objects.create(post=post, holder_name=holder_name, user=user, starts_on=starts_on)
    record(actor=actor, plan=None, entity_type=EntityType.POST, entity_id=post.pk, field="holder",
           old=old_name, new=holder_name, effective_on=starts_on, reason=reason)
    return holding

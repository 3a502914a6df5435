"""Reads about posts and who holds them."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from .models import Post, PostHolding


def in_force(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))


def posts_held(user, day: date) -> QuerySet[Post]:
    if not user or not user.is_authenticated:
        return Post.objects.none()
    return Post.objects.filter(in_force(day, "holdings__") & Q(holdings__user=user)).distinct()


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


def holding_on(post: Post, day: date) -> PostHolding | None:
    for holding in post.holdings.all():
        if holding.in_force_on(day):
            return holding
    return None

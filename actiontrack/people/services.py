"""Writes for posts and who holds them, journalled like every other change."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.journal import CREATED
from actiontrack.domain.text import normalise, too_long
from actiontrack.domain.ukdates import format_long

from .models import Post, PostHolding
from .permissions import require_administrator
from .selectors import normalise_post_name

NAME_LIMIT = 200  # Post.name, PostHolding.holder_name


def _name(value: str, field: str, what: str) -> str:
    """A name on one line: control characters gone, spaces collapsed, no longer than the column holds."""
    name = " ".join(normalise(value).split())
    message = too_long(name, NAME_LIMIT, what)
    if message:
        raise ValidationError({field: message})
    return name


def _check_names_free(names: list[str], post: Post | None = None) -> None:
    """Every name and other spelling must identify one post only, or owners in imports and forms become
    ambiguous."""
    taken = {}
    for other in Post.objects.exclude(pk=post.pk if post else None):
        for candidate in [other.name, *other.alias_list]:
            taken[normalise_post_name(candidate)] = other.name
    for name in names:
        clash = taken.get(normalise_post_name(name))
        if clash:
            field = "name" if name == names[0] else "aliases"
            raise ValidationError({field: f"{name!r} is already a name or spelling of the post {clash!r}."})


@transaction.atomic
def post_create(*, actor: Actor, name: str, aliases: list[str] = (), description: str = "",
                effective_on: date) -> Post:
    require_administrator(actor, "create posts")
    name = _name(name, "name", "the post's name")
    if not name:
        raise ValidationError({"name": "A post needs a name."})
    aliases = [_name(alias, "aliases", "an alias") for alias in aliases if normalise(alias).strip()]
    _check_names_free([name, *aliases])
    post = Post.objects.create(name=name, aliases="\n".join(aliases), description=normalise(description).strip())
    record(actor=actor, plan=None, entity_type=EntityType.POST, entity_id=post.pk, field=CREATED, old=None,
           new={"name": name, "aliases": list(aliases)}, effective_on=effective_on)
    return post


@transaction.atomic
def post_holder_change(*, actor: Actor, post: Post, holder_name: str, starts_on: date, user=None,
                       reason: str = "") -> PostHolding:
    """A new holder from `starts_on`; the holding in force until then ends the day before."""
    require_administrator(actor, "change who holds a post")
    holder_name = _name(holder_name, "holder_name", "the holder's name")
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


@transaction.atomic
def post_update(*, actor: Actor, post: Post, name: str, aliases: list[str], today: date) -> Post:
    require_administrator(actor, "change posts")
    name = _name(name, "name", "the post's name")
    if not name:
        raise ValidationError({"name": "A post needs a name."})
    aliases = [_name(alias, "aliases", "an alias") for alias in aliases if normalise(alias).strip()]
    _check_names_free([name, *aliases], post)
    for field, new in (("name", name), ("aliases", "\n".join(aliases))):
        old = getattr(post, field)
        if old != new:
            setattr(post, field, new)
            record(actor=actor, plan=None, entity_type=EntityType.POST, entity_id=post.pk, field=field, old=old,
                   new=new, effective_on=today)
    post.save()
    return post


@transaction.atomic
def user_create(*, actor: Actor, username: str, first_name: str, last_name: str, email: str, password: str | None,
                is_staff: bool = False, today: date):
    """A new account. With no password (None), it has none until its owner sets one from an e-mailed link
    (notify/password_links.py), or signs in through single sign-on."""
    require_administrator(actor, "create users")
    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError({"username": "Give a username."})
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username!r} is taken."})
    user = user_model(username=username, first_name=normalise(first_name).strip(),
                      last_name=normalise(last_name).strip(), email=email.strip(), is_staff=is_staff)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field="created", old=None,
           new={"username": username, "is_staff": is_staff}, effective_on=today)
    return user


@transaction.atomic
def user_set_active(*, actor: Actor, user, active: bool, today: date):
    require_administrator(actor, "turn accounts on or off")
    if actor.user is not None and actor.user.pk == user.pk and not active:
        raise ValidationError({"active": "You cannot turn off your own account."})
    if user.is_active != active:
        record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field="is_active",
               old=user.is_active, new=active, effective_on=today)
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_update(*, actor: Actor, user, first_name: str, last_name: str, email: str, today: date):
    """Change a user's name and email address; each changed field is journalled."""
    require_administrator(actor, "change users' names and email addresses")
    changes = {"first_name": normalise(first_name).strip(), "last_name": normalise(last_name).strip(),
               "email": email.strip()}
    for field, new in changes.items():
        setattr(user, field, new)
    try:
        user.full_clean(exclude=["password", "username"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError({field: messages for field, messages in exc.message_dict.items()
                               if field in changes} or exc.messages) from None
    old = type(user).objects.filter(pk=user.pk).values(*changes).get()
    for field, new in changes.items():
        if old[field] != new:
            record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field=field,
                   old=old[field], new=new, effective_on=today)
    user.save(update_fields=list(changes))
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user, password: str, today: date):
    """A new password, checked by the password validators. The journal records that it changed, never what
    it is."""
    require_administrator(actor, "set users' passwords")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field="password", old=None,
           new="set by an administrator", effective_on=today)
    return user


@transaction.atomic
def user_set_administrator(*, actor: Actor, user, administrator: bool, today: date):
    """Make someone an administrator, or stop them being one; never yourself, so nobody locks themselves out
    (or, the other way, grants themselves more)."""
    require_administrator(actor, "make someone an administrator")
    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError({"administrator": "You cannot change whether you are an administrator yourself: "
                                                "ask another administrator."})
    if user.is_staff != administrator:
        record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field="is_staff",
               old=user.is_staff, new=administrator, effective_on=today)
        user.is_staff = administrator
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def holding_end(*, actor: Actor, holding: PostHolding, vacant_from: date, reason: str = "") -> PostHolding:
    """End a holding with nobody to follow: the post is vacant from `vacant_from` (the holding ends the day
    before), until post_holder_change records a new holder."""
    require_administrator(actor, "end someone's holding of a post")
    holding = PostHolding.objects.select_for_update().select_related("post").get(pk=holding.pk)
    if holding.ends_on is not None:
        raise ValidationError({"vacant_from": (
            f"{holding.holder_name}'s holding of {holding.post.name} already ended on "
            f"{format_long(holding.ends_on)}.")})
    if vacant_from <= holding.starts_on:
        raise ValidationError({"vacant_from": (
            f"{holding.holder_name} has held {holding.post.name} only from {format_long(holding.starts_on)}; the post "
            f"can be vacant from the day after that at the earliest.")})
    holding.ends_on = vacant_from - timedelta(days=1)
    holding.save(update_fields=["ends_on"])
    record(actor=actor, plan=None, entity_type=EntityType.POST, entity_id=holding.post_id, field="holder",
           old=holding.holder_name, new=None, effective_on=vacant_from, reason=reason)
    return holding


@transaction.atomic
def holding_set_user(*, actor: Actor, holding: PostHolding, user, today: date) -> PostHolding:
    """Link a holding to the holder's user account (so they can update the post's actions), or unlink it
    (user None)."""
    require_administrator(actor, "link holders to user accounts")
    holding = PostHolding.objects.select_for_update(of=("self",)).select_related("post", "user").get(pk=holding.pk)
    if user is not None and not user.is_active:
        raise ValidationError({"user": f"The account {user.get_username()} is turned off: turn it on first."})
    old = holding.user.get_username() if holding.user else None
    new = user.get_username() if user else None
    if old == new:
        raise ValidationError({"user": f"{holding.holder_name}'s holding is already "
                                       + (f"linked to {new}." if new else "linked to no account.")})
    holding.user = user
    holding.save(update_fields=["user"])
    record(actor=actor, plan=None, entity_type=EntityType.POST, entity_id=holding.post_id, field="holder_account",
           old={"holder": holding.holder_name, "user": old}, new={"holder": holding.holder_name, "user": new},
           effective_on=today)
    return holding

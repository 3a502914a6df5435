"""Creating, revoking and checking API tokens (the writes go through here, as every write does).

A token is "at_<prefix>_<secret>". The prefix is not secret: it finds the row and is shown in the token
list so people can tell their tokens apart. Only the SHA-256 of the whole token is stored, and it is
compared in constant time. The token itself is returned once, by `token_create`, and never again."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

logger = logging.getLogger(__name__)

PREFIX = "at_"
NAME_MAX = 100
# Recording every use would make every API request a write; once a minute is enough to answer "is this
# token still in use?".
LAST_USED_EVERY = timedelta(minutes=1)
SHAPE = re.compile(r"at_(?P<prefix>[0-9a-f]{8})_[A-Za-z0-9_-]{20,100}")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token, which is not stored and cannot be shown again."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied("Sign in to create an API token.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the token a name, so you can tell it apart from your others."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"The name is {len(name)} characters long; use {NAME_MAX} or fewer."})
    if ApiToken.objects.filter(user=user, name__iexact=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": f"You already have a token named {name!r}; choose another name."})
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 4 billion values: a clash is rare, not impossible
        prefix = secrets.token_hex(4)
    token = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(user=user, name=name, prefix=prefix, token_hash=digest(token))
    logger.info("API token %s (%r) created by %s", prefix, name, user.get_username())
    return row, token


@transaction.atomic
def token_revoke(*, user, token: ApiToken) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != user.pk:
        raise PermissionDenied("You can revoke only your own API tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        logger.info("API token %s (%r) revoked by %s", token.prefix, token.name, user.get_username())
    return token


class TokenRefused(Exception):
    """The presented token does not identify an active user; the message says why, for the 401 response."""


def token_user(raw: str):
    """The active user a presented token belongs to. Raises TokenRefused if it is malformed, unknown,
    revoked, or its user can no longer sign in."""
    raw = (raw or "").strip()
    shape = SHAPE.fullmatch(raw)
    if shape is None:
        raise TokenRefused("This is not an actiontrack API token: a token starts 'at_'. Create one on your "
                           "account page.")
    try:
        token = ApiToken.objects.select_related("user").get(prefix=shape["prefix"])  # the prefix is unique
    except ApiToken.DoesNotExist:
        token = None
    if token is None or not hmac.compare_digest(token.token_hash, digest(raw)):
        raise TokenRefused("This API token is not valid. Check it was copied in full, or create a new one on "
                           "your account page.")
    if token.revoked_at is not None:
        raise TokenRefused("This API token has been revoked. Create a new one on your account page.")
    if not token.user.is_active:
        raise TokenRefused("The account this API token belongs to is deactivated.")
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

"""Writes for people's own passwords: changing one's own, setting one from an e-mailed link, and asking for
such a link ("Forgotten your password?"), throttled. Journalled as every change is: that it changed and how,
never what it is. (An administrator typing one for someone is people/services.user_set_password.)"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record

from .models import PasswordLinkRequest
from .permissions import require_administrator

# "Forgotten your password?" is answered the same, in the same time, whether or not the address belongs to anyone
# (the link is sent by the worker), so it cannot be used to find accounts; these limits stop it being used to
# flood someone's inbox, or to try addresses in bulk.
LINKS_PER_ADDRESS_PER_HOUR = 3  # links sent to one e-mail address
REQUESTS_PER_CLIENT_PER_HOUR = 10  # requests from one network address (pages/client.py: behind proxies, the
# client's own address only with TRUSTED_PROXY_COUNT set)
_HOUR = timedelta(hours=1)


def check_new(password: str, user, field: str = "new_password1") -> None:
    """A new password the validators accept (settings.AUTH_PASSWORD_VALIDATORS), or why not, under `field`."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def check_change(user, current: str, new: str) -> None:
    """What password_change checks, for a form to say before anything is written."""
    if user is None or not user.check_password(current):
        raise ValidationError({"old_password": "The current password is not right. Enter the password you signed "
                                               "in with."})
    check_new(new, user)


def _set(user, password: str, how: str, today: date, actor: Actor) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field="password", old=None,
           new=how, effective_on=today)


@transaction.atomic
def password_change(*, actor: Actor, current: str, new: str, today: date):
    """The signed-in person changes their own password, giving the one they have now."""
    user = actor.user
    check_change(user, current, new)
    _set(user, new, "changed by its owner", today, actor)
    return user


@transaction.atomic
def password_set_from_link(*, user, new: str, today: date):
    """The person set their password with a link e-mailed to them (the link's token was checked by the view)."""
    check_new(new, user)
    _set(user, new, "set from an e-mailed link", today, Actor.of(user, "web"))
    return user


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@transaction.atomic
def password_link_request(*, email: str, client_address: str, now: datetime) -> int | None:
    """Someone asks for a link to set their password. Recorded; returns the request's id for
    password_link_accounts to answer later (in the worker, so the answer takes the same time whether or not the
    address belongs to anyone), or None when this client has asked too often in the last hour. Every request,
    for any address, costs the same queries here."""
    recent = PasswordLinkRequest.objects.filter(requested_at__gt=now - _HOUR, client_address=client_address[:45])
    too_many = recent.count() >= REQUESTS_PER_CLIENT_PER_HOUR
    PasswordLinkRequest.objects.filter(requested_at__lt=now - 24 * _HOUR).delete()  # nothing older is needed
    asked = PasswordLinkRequest.objects.create(requested_at=now, client_address=client_address[:45],
                                               email_digest=_digest(email))
    return None if too_many else asked.pk


@transaction.atomic
def password_link_accounts(*, request_id: int, email: str, now: datetime, admins_only: bool = False) -> list:
    """The accounts to send a link to for this request: the active accounts with this e-mail address that sign
    in with a password (only administrators', with `admins_only`: everyone else signs in through single
    sign-on), unless LINKS_PER_ADDRESS_PER_HOUR have gone to this address in the last hour. The accounts are
    locked first, so two requests at once cannot both count below the limit."""
    accounts = get_user_model().objects.select_for_update().filter(email__iexact=email.strip(), is_active=True)
    wanted = [user for user in (accounts.filter(is_staff=True) if admins_only else accounts)
              if user.has_usable_password()]
    digest = _digest(email)
    sent = PasswordLinkRequest.objects.filter(requested_at__gt=now - _HOUR, email_digest=digest, sent=True).count()
    if not wanted or sent >= LINKS_PER_ADDRESS_PER_HOUR:
        return []
    PasswordLinkRequest.objects.filter(pk=request_id).update(sent=True)
    return wanted


def password_link_for(*, actor: Actor, user):
    """An administrator sends someone a link to set their own password, instead of typing one for them."""
    require_administrator(actor, "send someone a link to set their password")
    if not user.is_active:
        raise ValidationError(f"{user.get_username()}'s account is switched off: switch it on before sending a "
                              "link.")
    if not user.email:
        raise ValidationError(f"{user.get_username()} has no e-mail address to send a link to: add one first.")
    return user

"""Who a single sign-on is: the account for a person the provider vouches for (its claims already checked by the
OpenID Connect client, web/signin/oidc.py). Recognised by the provider's stable id; the first time, linked once
to the account with the same verified e-mail address; otherwise a new account with no roles, so it sees nothing
until an administrator gives it some. Name and e-mail follow the directory at each sign-in. Journalled."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actiontrack.core.choices import ChangeSource, EntityType
from actiontrack.core.journal import Actor, record

from .models import SignInIdentity
from .services import user_update

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignIn:
    """The account to sign in, or why there is none (`refusal`, said on the page)."""

    user: object | None = None
    refusal: str = ""


def subject_of(claims: dict) -> str:
    """Entra ID's object id (the same for the person in every app of the tenant), else the standard `sub`."""
    return str(claims.get("oid") or claims.get("sub") or "")


def address_verified(claims: dict) -> bool:
    """The provider vouches for the e-mail address: `email_verified` true (some providers send it as text); or,
    from Microsoft Entra ID, which never sends that claim for work accounts, its optional `xms_edov` claim (the
    address's domain is verified by the tenant), only when `email_verified` is absent."""
    if "email_verified" in claims:
        return claims["email_verified"] in (True, "true")
    return claims.get("xms_edov") in (True, "true", "1", 1)


def _names(claims: dict) -> tuple[str, str]:
    first, last = claims.get("given_name") or "", claims.get("family_name") or ""
    if not first and not last and claims.get("name"):
        first, _, last = str(claims["name"]).strip().rpartition(" ")
        first, last = (first, last) if first else (last, "")
    return str(first)[:150], str(last)[:150]


def _new_username(claims: dict) -> str:
    """From the provider's username or the e-mail address's local part: letters, digits and . - _ only, and
    a number added until it is free."""
    wanted = str(claims.get("preferred_username") or claims.get("email") or subject_of(claims))
    base = re.sub(r"[^A-Za-z0-9._-]", "", wanted.split("@")[0])[:140] or "user"
    taken = get_user_model().objects.filter(username__iexact=base).exists()
    n = 1
    username = base
    while taken:
        n += 1
        username = f"{base}{n}"
        taken = get_user_model().objects.filter(username__iexact=username).exists()
    return username


def _follow_directory(user, claims: dict, actor: Actor, today) -> None:
    """Name, and e-mail address when the provider vouches for it, as the directory has them now. An address
    it does not vouch for is not taken (it could be anyone's), and one that cannot be stored is left as it was."""
    first, last = _names(claims)
    email = str(claims.get("email") or "").strip()
    email = email if email and address_verified(claims) else user.email
    first, last = first or user.first_name, last or user.last_name
    if (first, last, email) == (user.first_name, user.last_name, user.email):
        return
    try:
        with transaction.atomic():
            user_update(actor=actor, user=user, first_name=first, last_name=last, email=email, today=today)
    except ValidationError as exc:
        user.refresh_from_db()
        logger.warning("the directory's name or address for user %s was not taken: %s", user.pk, exc.messages)


def _new_account(claims: dict, email: str, actor: Actor, today):
    first, last = _names(claims)
    user = get_user_model().objects.create_user(_new_username(claims), email=email, first_name=first,
                                                last_name=last)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field="created", old=None,
           new={"username": user.username, "is_staff": False}, effective_on=today)
    return user


@transaction.atomic
def sign_in_from_directory(*, issuer: str, provider_name: str, claims: dict, create_users: bool,
                           now: datetime) -> SignIn:
    """The account for these checked claims (see the module's docstring), or a refusal."""
    subject, today = subject_of(claims), now.date()
    if not subject:
        return SignIn(refusal=f"{provider_name} did not say who you are (no subject in its answer).")
    actor = Actor.system(f"{provider_name} (single sign-on)", ChangeSource.WEB)
    users = get_user_model().objects
    identity = SignInIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        user = identity.user
        if not user.is_active:
            return SignIn(refusal="Your actiontrack account is switched off. Ask an administrator of actiontrack "
                                  "in your organisation to switch it on.")
        identity.last_signed_in_at = now
        identity.save(update_fields=["last_signed_in_at"])
        _follow_directory(user, claims, actor, today)
        return SignIn(user=user)

    email = str(claims.get("email") or "").strip()
    same_address = list(users.filter(email__iexact=email)) if email else []
    if same_address:
        if not address_verified(claims):
            return SignIn(refusal=f"{provider_name} does not say that your e-mail address {email} is verified, so it "
                                  "cannot be matched to the actiontrack account with that address. Ask an "
                                  "administrator of actiontrack in your organisation.")
        if len(same_address) > 1:
            return SignIn(refusal=f"More than one actiontrack account has the e-mail address {email}, so it is not "
                                  "clear which is yours. Ask an administrator to give the others different "
                                  "addresses.")
        user = same_address[0]
        if user.sign_in_identities.filter(issuer=issuer).exists():
            return SignIn(refusal=f"The actiontrack account with the e-mail address {email} is already linked to "
                                  f"someone else's {provider_name}. Ask an administrator.")
        if not user.is_active:
            return SignIn(refusal="Your actiontrack account is switched off. Ask an administrator of actiontrack "
                                  "in your organisation to switch it on.")
        how = "linked by its verified e-mail address"
    elif not create_users:
        return SignIn(refusal="You do not have an actiontrack account yet. Ask an administrator of actiontrack in "
                              "your organisation to create one for you.")
    else:
        user, how = None, "created at its first single sign-on"
    try:
        with transaction.atomic():  # the new account and its link together, or neither
            if user is None:
                user = _new_account(claims, email, actor, today)
            SignInIdentity.objects.create(user=user, issuer=issuer, subject=subject, linked_at=now,
                                          last_signed_in_at=now)
    except IntegrityError:  # signing in twice at once (the other request linked them), or two people at once
        # to one account (the one-identity-per-provider constraint): decide again on what is now stored
        return sign_in_from_directory(issuer=issuer, provider_name=provider_name, claims=claims,
                                      create_users=create_users, now=now)
    record(actor=actor, plan=None, entity_type=EntityType.USER, entity_id=user.pk, field="sign_in_identity",
           old=None, new={"issuer": issuer, "how": how}, effective_on=today)
    _follow_directory(user, claims, actor, today)
    return SignIn(user=user)

"""E-mails with a link to set a password: asked for by its owner ("Forgotten your password?") or sent by an
administrator. The link is Django's password-reset link (a token that stops working once the password is set,
when the account next signs in, or after PASSWORD_RESET_TIMEOUT), to SITE_URL's /accounts/reset/ page."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from actiontrack.people.passwords import password_link_accounts

logger = logging.getLogger(__name__)
FORGOTTEN, FROM_ADMINISTRATOR = "forgotten", "administrator"


def link_for(user) -> str:
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return settings.SITE_URL + path


def send_password_link(user, why: str, sent_by: str = "") -> None:
    """One e-mail, in plain text and HTML, to the user's address. Raises what the mail server raised."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    context = {"name": user.get_full_name() or user.get_username(), "username": user.get_username(),
               "link": link_for(user), "hours": hours, "forgotten": why == FORGOTTEN, "sent_by": sent_by,
               "site": settings.SITE_URL}
    subject = ("Reset your actiontrack password" if why == FORGOTTEN else "Set your actiontrack password")
    message = EmailMultiAlternatives(subject=subject, body=render_to_string("notify/password_link.txt", context),
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])
    message.attach_alternative(render_to_string("notify/password_link.html", context), "text/html")
    message.send()
    logger.info("password link sent", extra={"user_id": user.pk, "why": why})


@task()
def send_forgotten_links(request_id: int, email: str, requested_at: str, admins_only: bool) -> None:
    """In the worker: "Forgotten your password?" answered (people/passwords.password_link_accounts decides to
    whom). A failure to send is logged; the person was told the same either way."""
    for user in password_link_accounts(request_id=request_id, email=email, admins_only=admins_only,
                                       now=datetime.fromisoformat(requested_at)):
        try:
            send_password_link(user, FORGOTTEN)
        except OSError:
            logger.exception("a password link could not be sent", extra={"user_id": user.pk})

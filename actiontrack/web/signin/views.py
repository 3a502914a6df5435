"""Password pages. Django's own token checking for e-mailed links (default_token_generator, through
PasswordResetConfirmView's rules), with the writes in people/passwords.py and the e-mail in
notify/password_links.py."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from actiontrack.notify.password_links import FORGOTTEN, send_password_link
from actiontrack.pages.client import client_address
from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor
from actiontrack.people import passwords

from .forms import ChangePasswordForm, ForgottenForm, NewPasswordForm, SignInForm

T = "web/signin/"
logger = logging.getLogger(__name__)


class SignInView(LoginView):
    """Django's sign-in view, with single sign-on offered first when it is set up (settings read at each request)."""

    template_name = "web/login.html"
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_login": settings.PASSWORD_LOGIN,
                "sso_name": settings.OIDC_NAME if settings.OIDC_ISSUER else ""}


def _hours() -> int:
    """How long an e-mailed link works (PASSWORD_LINK_HOURS), for the pages that say so."""
    return settings.PASSWORD_RESET_TIMEOUT // 3600


@sensitive_post_parameters()
@never_cache
@login_required
def password_change(request):
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = passwords.password_change(actor=actor(request), current=form.cleaned_data["old_password"],
                                             new=form.cleaned_data["new_password1"], today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, user)  # stay signed in here; signed out everywhere else
            messages.success(request, "Your password has been changed. You have been signed out everywhere else.")
            return redirect("account:index")
    return render(request, T + "password_change.html", {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters()
@never_cache
def password_forgotten(request):
    form = ForgottenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for user in passwords.password_link_request(email=form.cleaned_data["email"],
                                                    client_address=client_address(request), now=timezone.now(),
                                                    admins_only=settings.PASSWORD_LOGIN == "admins-only"):
            try:
                send_password_link(user, FORGOTTEN)
            except OSError:  # the same answer whatever happened: the log says what went wrong
                logger.exception("a password link could not be sent", extra={"user_id": user.pk})
        return redirect("password_reset_done")
    return render(request, T + "password_forgotten.html", {"form": form}, status=400 if form.errors else 200)


def password_link_sent(request):
    return render(request, T + "password_link_sent.html", {"hours": _hours()})


_SESSION_TOKEN = "_password_reset_token"
_SET_PASSWORD = "set-password"


def _user_of(uidb64: str):
    try:
        return get_user_model()._default_manager.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist, ValidationError):
        return None


@sensitive_post_parameters()
@never_cache
def password_from_link(request, uidb64, token):
    """As Django's PasswordResetConfirmView: the token is moved from the address into the session at once (so it
    does not leak through the Referer header), then the form is shown at an address without it."""
    user = _user_of(uidb64)
    if token != _SET_PASSWORD:
        if user is not None and default_token_generator.check_token(user, token):
            request.session[_SESSION_TOKEN] = token
            return redirect(request.path.replace(token, _SET_PASSWORD))
        return render(request, T + "password_link_invalid.html", {"hours": _hours()}, status=400)
    token = request.session.get(_SESSION_TOKEN, "")
    if user is None or not user.is_active or not default_token_generator.check_token(user, token):
        return render(request, T + "password_link_invalid.html", {"hours": _hours()}, status=400)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_set_from_link(user=user, new=form.cleaned_data["new_password1"],
                                             today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            del request.session[_SESSION_TOKEN]
            return redirect("password_reset_complete")
    return render(request, T + "password_from_link.html", {"form": form, "username": user.get_username()},
                  status=400 if form.errors else 200)


def password_set(request):
    return render(request, T + "password_set.html")

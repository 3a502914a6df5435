"""Sign-in and password pages: Django's own views (sign-in, password change, "Forgotten your password?" and the
e-mailed link, whose token Django checks and moves out of the address at once), with our templates and forms
(forms.py), the writes in people/passwords.py and the e-mail in notify/password_links.py. A form with errors
answers 400, as every form of ours does."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from .forms import ChangePasswordForm, ForgottenForm, NewPasswordForm, SignInForm

T = "web/signin/"


def _link_hours() -> int:
    """How long an e-mailed link works (PASSWORD_LINK_HOURS), for the pages that say so."""
    return settings.PASSWORD_RESET_TIMEOUT // 3600


class _ErrorsAre400:
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignInView(auth_views.LoginView):
    """Django's sign-in view, with single sign-on offered first when it is set up (settings read at each request)."""

    template_name = "web/login.html"
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_login": settings.PASSWORD_LOGIN,
                "sso_name": settings.OIDC_NAME if settings.OIDC_ISSUER else ""}


class PasswordChange(_ErrorsAre400, auth_views.PasswordChangeView):
    """Keeps this session signed in (Django updates its hash); every other session of the account ends."""

    template_name = T + "password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("account:index")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed. You have been signed out everywhere else.")
        return response


class PasswordForgotten(_ErrorsAre400, auth_views.PasswordResetView):
    template_name = T + "password_forgotten.html"
    form_class = ForgottenForm


class PasswordLinkSent(auth_views.PasswordResetDoneView):
    template_name = T + "password_link_sent.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "hours": _link_hours()}


class PasswordFromLink(_ErrorsAre400, auth_views.PasswordResetConfirmView):
    """A link that has been used, has expired or was mangled shows the invalid-link page, with a 400."""

    template_name = T + "password_from_link.html"
    form_class = NewPasswordForm

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "hours": _link_hours(),
                "username": self.user.get_username() if self.user else ""}


class PasswordSet(auth_views.PasswordResetCompleteView):
    template_name = T + "password_set.html"

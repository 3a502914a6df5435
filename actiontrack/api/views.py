"""The account page: reminder emails on or off, and API tokens (create — shown once — list, revoke). Each view
parses the form, calls one service (api/tokens.py, notify/services.py) and renders or redirects."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from actiontrack.notify.choices import EmailWhen
from actiontrack.notify.services import email_choices, notification_emails_set, reminders_enabled, reminders_set
from actiontrack.pages.forms import add_service_errors
from actiontrack.plans.choices import NotificationKind

from .models import ApiToken
from .tokens import NAME_MAX, token_create, token_revoke

T = "api/"


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name", max_length=NAME_MAX, strip=True,
        error_messages={"required": "Give the token a name, so you can tell it apart from your others."},
        help_text="What the token is for, so you can tell your tokens apart, for example “Power BI report”.",
        widget=forms.TextInput(attrs={"class": "input input--w20", "autocomplete": "off"}))


def _account(request, form=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user)
    chosen = email_choices(request.user)
    return render(request, T + "account.html", {
        "form": form or TokenForm(), "active": [t for t in tokens if t.is_active],
        "revoked": [t for t in tokens if not t.is_active], "reminders_on": reminders_enabled(request.user),
        "notification_kinds": [(value, label, chosen[value]) for value, label in NotificationKind.choices],
        "email_when": EmailWhen.choices,
        "has_email": bool(request.user.email),
        "sso_name": settings.OIDC_NAME if request.user.sign_in_identities.exists() else "",
    }, status=status)


@login_required
def account(request):
    return _account(request)


@never_cache
@login_required
@require_POST
def token_new(request):
    """Create a token and show it, once: it is not stored, so this page is the only time it can be copied."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            row, token = token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, T + "token_created.html", {"row": row, "token": token})
    return _account(request, form, status=400)


def _own_token(request, pk):
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:  # someone else's token does not exist, as far as this person can tell
        raise Http404("No such token")
    return token


@login_required
def token_revoke_view(request, pk):
    token = _own_token(request, pk)
    if request.method != "POST" or not token.is_active:
        return render(request, T + "token_revoke.html", {"row": token})
    token_revoke(user=request.user, token=token)
    messages.success(request, f"The API token “{token.name}” is revoked: anything still using it will be refused.")
    return redirect("account:index")


@login_required
@require_POST
def reminders(request):
    enabled = request.POST.get("reminders") == "on"
    reminders_set(user=request.user, enabled=enabled)
    messages.success(request, "Reminder emails are on: you will get a daily digest when something needs you."
                     if enabled else "Reminder emails are off: you will not be sent any.")
    return redirect("account:index")


@login_required
@require_POST
def notification_emails(request):
    """Each kind's choice comes as `email-<kind>`; a kind missing or given a value not offered keeps its choice."""
    choices = {kind: request.POST.get(f"email-{kind}") for kind in NotificationKind.values}
    chosen = notification_emails_set(user=request.user, choices={
        kind: when for kind, when in choices.items() if when in EmailWhen.values})
    at_once, off = len(chosen.kinds_at_once), len(chosen.kinds_off)
    messages.success(request, f"Saved. Of the {len(NotificationKind.values)} kinds of notification, "
                              f"{len(NotificationKind.values) - at_once - off} will be in your daily email, "
                              f"{at_once} emailed at once and {off} not emailed.")
    return redirect("account:index")


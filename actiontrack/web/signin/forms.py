"""The sign-in and password forms, in GOV.UK words, with the interfaces Django's own password views expect
(web/signin/views.py). What they check and write is people/passwords.py's."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.notify.password_links import send_forgotten_links
from actiontrack.pages.client import client_address
from actiontrack.pages.forms import add_service_errors
from actiontrack.people import passwords

_PASSWORD = {"class": "input input--w20", "spellcheck": "false", "autocapitalize": "none"}


def _password(label: str, autocomplete: str, required: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, strip=False, help_text=help_text, max_length=4096,
                           error_messages={"required": required},
                           widget=forms.PasswordInput(attrs={**_PASSWORD, "autocomplete": autocomplete}))


def _new_help() -> str:
    """The rules of the password validators in force (settings.AUTH_PASSWORD_VALIDATORS), in a sentence."""
    lengths = [v.min_length for v in password_validation.get_default_password_validators() if hasattr(v, "min_length")]
    least = f"At least {max(lengths)} characters. " if lengths else ""
    return least + "Not a common password, not all numbers, and not like your name, username or email address."


class NewPasswordForm(forms.Form):
    """Setting a password from an e-mailed link (Django's SetPasswordForm interface: `user`, `save()`)."""

    new_password1 = _password("New password", "new-password", "Enter a new password")
    new_password2 = _password("Confirm new password", "new-password", "Enter the new password again")

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _new_help()

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password1"), data.get("new_password2")
        if new and again and new != again:
            self.add_error("new_password2", ValidationError("The passwords do not match. Enter the same new "
                                                            "password twice."))
        elif new and again:
            self.check(data)
        return data

    def check(self, data) -> None:
        try:
            passwords.check_new(data["new_password1"], self.user)
        except ValidationError as exc:
            add_service_errors(self, exc)

    def save(self, commit=True):
        return passwords.password_set_from_link(user=self.user, new=self.cleaned_data["new_password1"],
                                                today=timezone.localdate())


class ChangePasswordForm(NewPasswordForm):
    """Changing your own password (Django's PasswordChangeForm interface)."""

    old_password = _password("Current password", "current-password", "Enter your current password")
    field_order = ["old_password", "new_password1", "new_password2"]

    def check(self, data) -> None:
        try:
            passwords.check_change(self.user, data.get("old_password", ""), data["new_password1"])
        except ValidationError as exc:
            add_service_errors(self, exc)

    def save(self, commit=True):
        return passwords.password_change(actor=Actor.of(self.user), current=self.cleaned_data["old_password"],
                                         new=self.cleaned_data["new_password1"], today=timezone.localdate())


class ForgottenForm(PasswordResetForm):
    """"Forgotten your password?" (Django's PasswordResetForm interface): recorded and throttled here
    (people/passwords.py); the worker sends the link (notify/password_links.py), so every answer takes the
    same time whether or not the address has an account."""

    email = forms.EmailField(
        label="Email address", max_length=254,
        help_text="The address your account has in actiontrack. We will send a link to set a new password.",
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like name@example.org"},
        widget=forms.EmailInput(attrs={"class": "input input--w20", "autocomplete": "email",
                                       "spellcheck": "false"}))

    def save(self, request=None, **_options):
        now = timezone.now()
        asked = passwords.password_link_request(email=self.cleaned_data["email"],
                                                client_address=client_address(request), now=now)
        if asked is not None:
            send_forgotten_links.enqueue(asked, self.cleaned_data["email"], now.isoformat(),
                                         settings.PASSWORD_LOGIN == "admins-only")


class SignInForm(AuthenticationForm):
    """Django's sign-in form, which shows a username's maximum length but does not check it: a longer one went
    on to be recorded as a failed sign-in in a column too short for it (a server error on PostgreSQL). It is
    refused with the same words as a wrong password, so the form says nothing about which accounts exist."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if settings.PASSWORD_LOGIN == "admins-only" and not user.is_staff:
            # The same words as a wrong password: saying more would confirm the password was right. The page
            # says who may use a password.
            raise self.get_invalid_login_error()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                  params={"username": self.username_field.verbose_name})
        return username

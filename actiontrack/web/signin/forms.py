"""The sign-in and password forms, in GOV.UK words. The checks that matter (current password, validators) are the
services' (people/passwords.py); the forms only say which fields are missing or do not match."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

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
    new_password1 = _password("New password", "new-password", "Enter a new password")
    new_password2 = _password("Confirm new password", "new-password", "Enter the new password again")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _new_help()

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and (
                data["new_password1"] != data["new_password2"]):
            self.add_error("new_password2", ValidationError("The passwords do not match. Enter the same new "
                                                            "password twice."))
        return data


class ChangePasswordForm(NewPasswordForm):
    old_password = _password("Current password", "current-password", "Enter your current password")
    field_order = ["old_password", "new_password1", "new_password2"]


class ForgottenForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254,
        help_text="The address your account has in actiontrack. We will send a link to set a new password.",
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like name@example.org"},
        widget=forms.EmailInput(attrs={"class": "input input--w20", "autocomplete": "email",
                                       "spellcheck": "false"}))


class SignInForm(AuthenticationForm):
    """Django's sign-in form, which shows a username's maximum length but does not check it: a longer one went
    on to be recorded as a failed sign-in in a column too short for it (a server error on PostgreSQL). It is
    refused with the same words as a wrong password, so the form says nothing about which accounts exist."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if settings.PASSWORD_LOGIN == "admins-only" and not user.is_staff:
            raise ValidationError(f"Sign in with {settings.OIDC_NAME}: here, only administrators sign in with a "
                                  "password.", code="password_login_off")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                  params={"username": self.username_field.verbose_name})
        return username

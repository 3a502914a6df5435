"""The sign-in form (the one form of web/ that is not an area's: see actiontrack/urls.py)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    """Django's sign-in form, which shows a username's maximum length but does not check it: a longer one went
    on to be recorded as a failed sign-in in a column too short for it (a server error on PostgreSQL). It is
    refused with the same words as a wrong password, so the form says nothing about which accounts exist."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                  params={"username": self.username_field.verbose_name})
        return username

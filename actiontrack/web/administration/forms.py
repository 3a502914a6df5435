"""Forms of the administration pages. They only parse what was typed; the services in people/services.py
decide whether it is allowed and whether it clashes with what is stored."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from actiontrack.domain.text import Limit
from actiontrack.pages.forms import (
    IdChoiceField,
    LimitedText,
    PasswordConfirmation,
    UKDateField,
    limit_of,
    password_input,
)
from actiontrack.people.models import Post, PostHolding
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import Plan

TEXT = {"class": "input input--w20", "autocomplete": "off", "spellcheck": "false"}


def _text(autocomplete: str = "off", **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={**TEXT, "autocomplete": autocomplete, **attrs})


class UserCreateForm(PasswordConfirmation, forms.Form):
    username = forms.CharField(label="Username", max_length=150,
                               help_text="What they type to sign in: letters, digits and @ . + - _ only.",
                               widget=_text(autocapitalize="none"))
    first_name = forms.CharField(label="First name", max_length=150, required=False,
                                 widget=_text(spellcheck="false"))
    last_name = forms.CharField(label="Last name", max_length=150, required=False, widget=_text())
    email = forms.EmailField(label="Email address", required=False,
                             widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}))
    send_link = forms.BooleanField(
        label="Email them a link to set their own password", required=False, initial=True,
        help_text="So that nobody else ever knows it. Needs their email address. Untick to type a password for "
                  "them instead.")
    password = password_input("Password", "Only if you do not send a link: at least 12 characters, not a common "
                                          "password, not all digits, and not like their name or username.")
    password_confirm = password_input("Confirm password")
    is_staff = forms.BooleanField(label="Administrator: can manage users, roles and posts", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].required = self.fields["password_confirm"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("send_link"):
            if not cleaned.get("email") and "email" not in self.errors:
                self.add_error("email", "Enter their email address, for the link to set their password; or untick "
                                        "the link and type a password for them.")
            if cleaned.get("password"):
                self.add_error("password", "Either send a link or type a password, not both: leave the password "
                                           "empty to send a link.")
        elif not cleaned.get("password"):
            self.add_error("password", "Type a password for them, or tick the box to email them a link instead.")
        return cleaned


class UserActiveForm(forms.Form):
    active = forms.ChoiceField(label="Account", choices=[("on", "On"), ("off", "Off")])

    def clean_active(self):
        return self.cleaned_data["active"] == "on"


class RoleGrantForm(forms.Form):
    plan = IdChoiceField(label="Plan", queryset=Plan.objects.order_by("reference"),
                                  empty_label="Choose a plan", widget=forms.Select(attrs={"class": "select"}))
    role = forms.ChoiceField(label="Role", choices=[("", "Choose a role"), *PlanRoleKind.choices],
                             widget=forms.Select(attrs={"class": "select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.reference} – {plan.title}"


def aliases_from_text(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


class PostForm(forms.Form):
    name = LimitedText(label="Name of the post", limit=limit_of(Post, "name", Limit.LINE), what="the post's name",
                           help_text="As it should appear as an owner, for example Head of Protection.",
                           widget=_text())
    aliases = LimitedText(label="Other spellings", required=False, limit=Limit.TEXT, what="the other spellings",
                              help_text="Other names the post goes by in documents, one a line, so imports "
                                        "recognise them.",
                              widget=forms.Textarea(attrs={"class": "textarea", "rows": 4, "cols": 40}))

    def clean_aliases(self):
        return aliases_from_text(self.cleaned_data["aliases"])


class UserChoiceField(IdChoiceField):
    def label_from_instance(self, user):
        full_name = user.get_full_name()
        return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class HolderForm(forms.Form):
    holder_name = LimitedText(label="Holder's name", limit=limit_of(PostHolding, "holder_name", Limit.LINE),
                              what="the holder's name",
                                  help_text="As it should appear on the plan, for example AM Chris Parker.",
                                  widget=_text())
    user = UserChoiceField(label="User account", required=False, empty_label="No account",
                           queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
                           help_text="Link the account so they can update the actions the post owns.",
                           widget=forms.Select(attrs={"class": "select"}))
    starts_on = UKDateField(label="Starts on", help_text="For example 01/10/2021. The previous holder's time in "
                                                         "the post ends the day before.")
    reason = LimitedText(label="Reason", required=False, limit=Limit.REASON, what="the reason", widget=_text())


class UserDetailsForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150, required=False, widget=_text())
    last_name = forms.CharField(label="Last name", max_length=150, required=False, widget=_text())
    email = forms.EmailField(label="Email address", required=False,
                             widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}))


class PasswordForm(PasswordConfirmation, forms.Form):
    password = password_input("New password", "At least 12 characters, not a common password, not all digits, and "
                                              "not like their name or username. Tell them it, and ask them to keep it "
                                              "safe.")
    password_confirm = password_input("Confirm the new password")


class AdministratorForm(forms.Form):
    administrator = forms.ChoiceField(label="Administrator", choices=[("yes", "Yes"), ("no", "No")])

    def clean_administrator(self):
        return self.cleaned_data["administrator"] == "yes"


class HoldingAccountForm(forms.Form):
    user = UserChoiceField(label="User account", required=False, empty_label="No account",
                           queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
                           help_text="The account of the person who holds the post, so they can update the actions "
                                     "it owns. Choose “No account” to unlink it.",
                           widget=forms.Select(attrs={"class": "select"}))


class HoldingEndForm(forms.Form):
    vacant_from = UKDateField(label="Vacant from",
                              help_text="The first day nobody holds the post, as day/month/year, for example "
                                        "01/04/2026. The holding ends the day before.",
                              error_messages={"required": "Enter the date the post is vacant from."})
    reason = LimitedText(label="Reason", required=False, limit=Limit.REASON, what="the reason", widget=_text())


class OrganisationForm(forms.Form):
    """The organisation's name, logo and committee-paper template for board reports."""

    name = forms.CharField(label="Organisation name", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"class": "input input--w20"}),
                           help_text="As board reports name it, for example “Essex County Fire and Rescue Service”")
    logo = forms.FileField(label="Logo", required=False, allow_empty_file=True,
                           widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
                           help_text="A PNG or JPEG. It is shown above the title of every board report.")
    logo_alt = forms.CharField(label="What the logo shows", required=False, max_length=300,
                               widget=forms.TextInput(attrs={"class": "input input--w20"}),
                               help_text="For people who cannot see it, for example “Essex County Fire and Rescue "
                                         "Service logo”")
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    template = forms.FileField(
        label="Committee-paper template (Word)", required=False, allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument."
                                                "wordprocessingml.document"}),
        help_text="A Word document (.docx) with your committee papers' styles, headers and footers: board reports "
                  "downloaded as Word are built on it. Its own text is not used.")
    remove_template = forms.BooleanField(label="Stop using the template", required=False)

"""Shared form pieces: free text held to its limit, UK date entry (dd/mm/yyyy, with conditions and repairs
reported), choices of stored things by id, a new password typed twice, and turning a service's ValidationError
into form errors so the page can show them in the GOV.UK error summary."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from actiontrack.domain.text import Limit, normalise, too_long
from actiontrack.domain.ukdates import DateError, format_short, parse_uk_date

ID_MAX = 2**63 - 1  # the largest id a database column holds (web/converters.py holds addresses to it too)


def is_id(value) -> bool:
    """Whether a submitted value can be a stored row's id: ASCII digits, no larger than any id column holds.
    Anything else names nothing, and is refused before the database is asked (which would fail on it)."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 19 and int(text) <= ID_MAX


class LimitedText(forms.CharField):
    """Free text held to the limit of its kind (domain.text.Limit), which the services enforce too: the browser's
    maxlength, and the same message as the service's ("… is 2,345 characters long; keep it to 2,000 or fewer").
    Counted as the service counts, after normalising (a line break typed as CR LF is one character)."""

    def __init__(self, *, limit: int, what: str, hint: str = "", **kwargs):
        super().__init__(max_length=int(limit), **kwargs)
        self.what, self.hint = what, hint
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def validate(self, value):
        super().validate(value)
        message = too_long(normalise(value), self.max_length, self.what)
        if message:
            raise ValidationError(f"{message} {self.hint}".strip(), code="max_length")


def limit_of(model, field_name: str, limit: Limit) -> int:
    """The kind's limit, or the column's width where that is narrower, so no form accepts what cannot be stored."""
    column = model._meta.get_field(field_name).max_length
    return min(int(limit), column) if column else int(limit)


class UKDateField(forms.CharField):
    """A date typed as dd/mm/yyyy (or 31 May 2021). `allow_condition` accepts "31/12/2021 (On Approval)" and
    cleans to (date, condition); otherwise to a date."""

    def __init__(self, *args, allow_condition: bool = False, **kwargs):
        self.allow_condition = allow_condition
        # A date and, with it, a condition of at most Limit.CONDITION characters: "31/12/2021 (On Approval)".
        kwargs.setdefault("max_length", 40 + (Limit.CONDITION if allow_condition else 0))
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "max_length", "This is %(show_value)d characters long, too long for a date"
            + (" and its condition" if allow_condition else "") + ": enter the date as day/month/year.")
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                           "spellcheck": "false", "class": "input input--w10"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return format_short(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            parsed = parse_uk_date(value)
        except DateError as exc:
            raise ValidationError(f"{exc}. Enter it as day/month/year, for example 31/12/2021.") from None
        if parsed.warnings:
            raise ValidationError(f"{parsed.warnings[0]}. Check the date and enter it as day/month/year.")
        if parsed.condition and not self.allow_condition:
            raise ValidationError("Enter the date without anything in brackets.")
        if parsed.condition and too_long(parsed.condition, Limit.CONDITION, "the condition in brackets"):
            raise ValidationError(too_long(parsed.condition, Limit.CONDITION, "the condition in brackets"))
        return (parsed.value, parsed.condition) if self.allow_condition else parsed.value


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one stored row, refusing a value that cannot be an id as "not one of the choices"."""

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several stored rows, refusing a value that cannot be an id as "not one of the choices"."""

    def _check_values(self, value):
        for each in value:
            if not is_id(each):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": str(each)[:40]})
        return super()._check_values(value)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to the named field if the form has it, else to the
    form as a whole."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def password_input(label: str, help_text: str = "") -> forms.CharField:
    """A new password, typed as it is (not stripped), which the browser may offer to generate."""
    return forms.CharField(label=label, strip=False, help_text=help_text,
                           widget=forms.PasswordInput(attrs={"class": "input input--w20",
                                                             "autocomplete": "new-password"}))


class PasswordConfirmation:
    """A form mixin for a new password typed twice, in fields `password` and `password_confirm`
    (see password_input): two different ones are an error on the second."""

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", "The two passwords are different. Type the same password twice.")
        return cleaned

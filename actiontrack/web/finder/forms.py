"""The filters of /actions/, read from the address (so a view can be bookmarked and shared): each field named as
the address names it, each mistake said beside its field."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.rag import CANCELLED_BAND, COLOURS, UNDATED_BAND
from actiontrack.domain.ukdates import DateError, parse_as_at
from actiontrack.plans.choices import LifecycleChoices, SourceKind
from actiontrack.plans.selectors.finder import SORTS, Search

ANY = [("", "Any")]
GREY_BANDS = (UNDATED_BAND, CANCELLED_BAND)  # the two greys, which a plan's counts show apart
YES = "Yes"


class UkDateField(forms.CharField):
    def clean(self, value) -> date | None:
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            return parse_as_at(text)
        except DateError as exc:
            raise ValidationError(f"The as-at date could not be read: {exc}.") from None


class FinderForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200,
                        help_text="Words from the reference, the action, its recommendation or a progress update")
    plan = forms.MultipleChoiceField(label="Plan", required=False, widget=forms.SelectMultiple(attrs={"size": 4}))
    group = forms.ChoiceField(label="Group", required=False)
    source = forms.ChoiceField(label="Source", required=False, choices=ANY + list(SourceKind.choices))
    rag = forms.ChoiceField(label="RAG status", required=False, choices=ANY + [
        (colour, colour.title()) for colour in COLOURS] + [(band.key, band.title) for band in GREY_BANDS])
    lifecycle = forms.ChoiceField(label="Progress", required=False, choices=ANY + list(LifecycleChoices.choices))
    owner = forms.ChoiceField(label="Owner", required=False, help_text="A post, or a person (the posts they hold)")
    due_within = forms.IntegerField(label="Due within (days)", required=False, min_value=0, max_value=3650,
                                    widget=forms.NumberInput(attrs={"class": "input input--w4"}))
    overdue = forms.BooleanField(label="Overdue", required=False)
    revised = forms.BooleanField(label="Due date revised", required=False)
    no_update = forms.BooleanField(label="No update this period", required=False)
    awaiting_verification = forms.BooleanField(label="Awaiting verification", required=False)
    as_at = UkDateField(label="As at", required=False, help_text="Day/month/year, for example 30/11/2021; "
                                                                 "empty for today")
    sort = forms.ChoiceField(label="Sort by", required=False,
                             choices=[(key, label) for name, label in SORTS.items()
                                      for key, label in ((name, label), (f"-{name}", f"{label}, reversed"))])
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000, widget=forms.HiddenInput)

    def __init__(self, data, *, plans, groups: list[str], posts, people):
        super().__init__(data)
        self.fields["plan"].choices = [(plan.reference, f"{plan.reference}: {plan.title}") for plan in plans]
        self.fields["group"].choices = ANY + [(name, name) for name in groups]
        self.fields["owner"].choices = ANY + [
            ("Posts", [(f"post-{post.pk}", post.name) for post in posts]),
            ("People", [(f"person-{person.pk}", person.get_full_name() or person.username) for person in people])]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", {
                forms.CheckboxInput: "checkbox", forms.Select: "select", forms.SelectMultiple: "select",
            }.get(type(field.widget), "input"))
            field.widget.attrs.setdefault("id", f"f-{name}")

    def clean_lifecycle(self):
        value = self.cleaned_data["lifecycle"]
        return Lifecycle(value) if value else None

    def search(self) -> Search:
        """The search the valid form asks for."""
        data = self.cleaned_data
        kind, _, pk = (data["owner"] or "").partition("-")
        return Search(q=data["q"].strip(), plans=tuple(data["plan"]), group=data["group"], source=data["source"],
                      rag=data["rag"], lifecycle=data["lifecycle"],
                      owner_post=int(pk) if kind == "post" else None,
                      owner_person=int(pk) if kind == "person" else None,
                      due_within=data["due_within"], overdue=True if data["overdue"] else None, revised=data["revised"],
                      no_update=data["no_update"], awaiting_verification=data["awaiting_verification"],
                      sort=data["sort"] or "plan")

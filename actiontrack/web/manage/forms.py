"""Forms of the plan manager pages. They parse input only; the services decide what is allowed."""

from __future__ import annotations

import json

from django import forms

from actiontrack.domain.references import REF_MAX
from actiontrack.domain.text import Limit, normalise
from actiontrack.domain.ukdates import format_due
from actiontrack.pages.forms import IdChoiceField, IdsChoiceField, LimitedText, UKDateField, limit_of
from actiontrack.people.models import Post
from actiontrack.plans.choices import PeriodKindChoices, RagSchemeChoices, RecommendationKind, SourceKind
from actiontrack.plans.models import Plan
from actiontrack.plans.services import RESERVED_REFERENCES

TEXT = {"class": "input input--w20"}
AREA = {"class": "textarea", "rows": 5}
SELECT = {"class": "select"}
VERSION_MAX = 2**31 - 1  # versions and numbers are integer columns: a larger one is refused, not sent to the database


def _text(label, *, limit: int, required=True, help_text="", **kwargs):
    return LimitedText(label=label, limit=limit, what=label.lower(), required=required, help_text=help_text,
                       widget=forms.TextInput(attrs=TEXT), **kwargs)


def _area(label, *, limit: int, required=True, help_text="", what="", **kwargs):
    return LimitedText(label=label, limit=limit, what=what or label.lower(), required=required, help_text=help_text,
                       widget=forms.Textarea(attrs=AREA), **kwargs)


def _plan_line(label, field_name, **kwargs):
    """A one-line detail of the plan: Limit.LINE, or its column's width where narrower."""
    return _text(label, limit=limit_of(Plan, field_name, Limit.LINE), **kwargs)


def _select(label, choices, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.Select(attrs=SELECT), **kwargs)


def _reason(what: str):
    return _area("Reason for the change", limit=Limit.REASON, what="the reason",
                 help_text="Recorded in the plan's history with your name.",
                 error_messages={"required": f"Give a reason for {what}."})


def _version_field():
    """The version of what the form was opened on: a stale one is refused (services raise EditConflict)."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX,
                              error_messages={"required": "The form was incomplete: open it again.",
                                              "invalid": "The form was incomplete: open it again."})


class PlanDetailsForm(forms.Form):
    """The details of a plan that can change after it is agreed (services.PLAN_EDITABLE)."""

    title = _plan_line("Title", "title", error_messages={"required": "Enter the plan's title."})
    organisation = _plan_line("Organisation", "organisation", required=False)
    source_kind = _select("Kind of source", SourceKind.choices)
    source_body = _plan_line("Carried out by", "source_body", required=False,
                        help_text="Who carried out the review, inspection or inquiry.")
    group_label = _plan_line("What the source calls its groups", "group_label", required=False,
                             help_text="For example Theme, Directorate, Volume or Core service, where the source "
                                       "lists its recommendations under headings. Leave empty if it does not.")
    commissioned_on = UKDateField(label="Commissioned on", required=False,
                                  help_text="Enter it as day/month/year, for example 01/11/2020.")
    reported_on = UKDateField(label="Reported on", required=False,
                              help_text="The date of the source's report, as day/month/year.")
    background = _area("Background", limit=Limit.LONG, required=False)
    documents_reviewed = _area("Documents reviewed", limit=Limit.LONG, required=False, help_text="One per line.")
    board = _plan_line("Board", "board", required=False,
                  help_text="The board or committee the plan reports to.")
    classification = _plan_line("Classification", "classification", required=False, initial="OFFICIAL")
    rag_scheme = _select("RAG scheme", RagSchemeChoices.choices, initial="rag")
    rag_window_days = forms.IntegerField(
        label="At-risk window in days", min_value=0, max_value=365, initial=14,
        help_text="For schemes with an at-risk band: an action due within this many days is at risk.",
        widget=forms.NumberInput(attrs={"class": "input input--w10"}))
    reminder_window_days = forms.IntegerField(
        label="Reminder window in days", min_value=0, max_value=366, initial=14, required=False,
        help_text="Owners' daily reminder lists an open action once it is due within this many days (14 if "
                  "left empty).",
        widget=forms.NumberInput(attrs={"class": "input input--w10"}))
    reporting_period = _select("Reporting period", PeriodKindChoices.choices, initial="monthly",
                               help_text="How often owners write a progress update.")
    managers_change_dates_directly = forms.BooleanField(
        label="Plan managers may change due dates directly", required=False,
        help_text="Otherwise a due date changes only when a plan manager accepts an owner's proposal.")

    escalate_after_days = forms.IntegerField(
        label="Escalate to the plan managers after (days overdue)", min_value=1, max_value=366, required=False,
        help_text="They are told, once, when an open action is this many days overdue. Leave empty not to.",
        widget=forms.NumberInput(attrs={"class": "input input--w10"}))
    escalate_senior_after_days = forms.IntegerField(
        label="Escalate to a senior post after (days overdue)", min_value=1, max_value=366, required=False,
        help_text="Its holders are told, once, when an open action is this many days overdue.",
        widget=forms.NumberInput(attrs={"class": "input input--w10"}))
    escalate_senior_post_id = IdChoiceField(
        label="Senior post", queryset=Post.objects.order_by("name"), required=False, empty_label="None",
        help_text="For example Deputy Chief Fire Officer.", widget=forms.Select(attrs={"class": "select"}))

    DETAILS = ("title", "organisation", "source_kind", "source_body", "commissioned_on", "reported_on",
               "background", "documents_reviewed", "board", "classification", "rag_scheme", "rag_window_days",
               "reminder_window_days", "reporting_period", "managers_change_dates_directly", "group_label",
               "escalate_after_days", "escalate_senior_after_days", "escalate_senior_post_id")

    def clean(self):
        data = super().clean()
        senior, post = data.get("escalate_senior_after_days"), data.get("escalate_senior_post_id")
        if senior and not post:
            self.add_error("escalate_senior_post_id", "Choose the senior post to tell, or leave its days empty.")
        if post and not senior:
            self.add_error("escalate_senior_after_days", "Say after how many days overdue the senior post is told.")
        managers = data.get("escalate_after_days")
        if senior and managers and senior <= managers:
            self.add_error("escalate_senior_after_days", f"The senior post is told after the plan managers: more "
                                                         f"than {managers} days.")
        return data

    def clean_reminder_window_days(self) -> int:
        value = self.cleaned_data["reminder_window_days"]
        return 14 if value is None else value

    def details(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.DETAILS}
        post = data["escalate_senior_post_id"]
        data["escalate_senior_post_id"] = post.pk if post else None
        data["documents_reviewed"] = "\n".join(
            line.strip() for line in data["documents_reviewed"].splitlines() if line.strip())
        return data


class PlanCreateForm(PlanDetailsForm):
    reference = forms.SlugField(
        label="Reference", max_length=40,
        help_text="A short reference used in the plan's address, for example HMI-2022: letters, numbers and "
                  "hyphens only.",
        error_messages={"required": "Enter a reference for the plan.",
                        "invalid": "Use only letters, numbers, hyphens and underscores in the reference."},
        widget=forms.TextInput(attrs={"class": "input input--w10", "autocomplete": "off", "spellcheck": "false"}))
    agreed_on = UKDateField(label="Agreed on", help_text="The day the plan was agreed, as day/month/year: nothing "
                                                          "is shown as at an earlier date.",
                            error_messages={"required": "Enter the date the plan was agreed."})

    field_order = ["reference", "title", "organisation", "source_kind", "source_body", "commissioned_on",
                   "reported_on", "agreed_on"]

    def clean_reference(self):
        reference = self.cleaned_data["reference"]
        if reference.lower() in RESERVED_REFERENCES:
            raise forms.ValidationError(f"{reference!r} cannot be a plan's reference: choose another.")
        return reference


def _as_compared(shown: str) -> str:
    """A detail as the services would store it, line by line: a browser sends a textarea's lines with CR LF, and
    text stored by an import may carry spacing the form would trim, neither of which is a change someone made."""
    return "\n".join(line.strip() for line in normalise(shown).splitlines() if line.strip())


class PlanEditForm(PlanDetailsForm):
    version = _version_field()
    # The details as they were when the form was opened (services.plan_snapshot, as JSON), so that what this
    # person changed can be told from what they left alone: only their changes are saved, and only those are
    # compared with what someone else saved meanwhile.
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4 * Limit.LONG)
    reason = _reason("changing the plan's details")

    @staticmethod
    def started_from(snapshot: dict) -> str:
        return json.dumps(snapshot, sort_keys=True, ensure_ascii=False)

    def started_snapshot(self) -> dict | None:
        """What the form was opened on, or None (a form opened before this field existed, or tampered with)."""
        try:
            started = json.loads(self.cleaned_data.get("started") or "null")
        except ValueError:
            return None
        if not isinstance(started, dict) or set(started) != set(self.DETAILS):
            return None
        return started

    def changed_details(self, typed: dict) -> dict:
        """The details this person changed (`typed` is the snapshot of what they submitted): all of them when
        it is not known what the form was opened on."""
        started, details = self.started_snapshot(), self.details()
        if started is None:
            return details
        return {name: value for name, value in details.items()
                if _as_compared(typed[name]) != _as_compared(started[name])}


def _since_field(what: str):
    """When the new recommendation or action took effect in the plan: the plan as at an earlier date does not
    show it. Today (or the day the plan is agreed, if that is still to come) unless someone copying in an
    existing plan sets it to the day that plan was agreed."""
    return UKDateField(label="In the plan since", required=False,
                       help_text=f"The day the {what} took effect in the plan, as day/month/year. Leave it as it "
                                 "is for something new; when copying in a plan agreed earlier, enter the day it was "
                                 "agreed, so the plan as at any date since shows it.")


class RecommendationCreateForm(forms.Form):
    ref = forms.CharField(label="Reference", max_length=REF_MAX,
                          help_text="As the source writes it, for example 3, AFI 3, R12 or 33.22c. It never changes.",
                          widget=forms.TextInput(attrs={"class": "input input--w10", "spellcheck": "false"}),
                          error_messages={"required": "Enter the recommendation's reference.",
                                          "max_length": f"Keep the reference to {REF_MAX} characters or fewer."})
    group = forms.CharField(label="Group", required=False, max_length=Limit.LINE,
                            help_text="The theme, directorate, volume or report the source lists it under. "
                                      "Numbering may restart in each.",
                            widget=forms.TextInput(attrs={"class": "input"}))
    source = forms.CharField(label="Source", required=False, max_length=Limit.LINE,
                             help_text="The review it comes from, where this plan brings several together.",
                             widget=forms.TextInput(attrs={"class": "input"}))
    kind = _select("Kind", RecommendationKind.choices, initial=RecommendationKind.RECOMMENDATION)
    text = _area("Text", limit=Limit.TEXT, what="the recommendation's text", help_text="As the source words it.",
                 error_messages={"required": "Enter the recommendation's text."})
    effective_on = _since_field("recommendation")

    def __init__(self, *args, group_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if group_label:  # what the plan's source calls its groups: Theme, Directorate ...
            self.fields["group"].label = group_label[:1].upper() + group_label[1:]


class RecommendationEditForm(forms.Form):
    version = _version_field()
    text = _area("Text", limit=Limit.TEXT, what="the recommendation's text",
                 error_messages={"required": "Enter the recommendation's text: it cannot be empty."})
    kind = _select("Kind", RecommendationKind.choices)
    reason = _reason("changing the recommendation")


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field id is the first box's, so the error summary's link lands on it."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class OwnerPostsField(IdsChoiceField):
    widget = Checkboxes

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Owner")
        kwargs.setdefault("help_text", "The post or posts that lead the action. Select all that apply.")
        super().__init__(queryset=Post.objects.order_by("name"),
                         error_messages={"required": "Choose at least one owner post."}, **kwargs)


def _supporting_field():
    return OwnerPostsField(label="Supporting owners", required=False,
                           help_text="Posts that support the lead, such as an operational lead beside an executive "
                                     "lead. Their holders can update the action too.")


def _due_field():
    return UKDateField(label="Due date", required=False, allow_condition=True,
                       widget=forms.TextInput(attrs={"class": "input input--w20", "autocomplete": "off",
                                                     "spellcheck": "false"}),
                       help_text="As day/month/year, for example 31/12/2021. A condition may follow in brackets: "
                                 "31/12/2021 (On Approval).")


class ActionCreateForm(forms.Form):
    text = _area("What the action is", limit=Limit.TEXT, what="the action's text",
                 error_messages={"required": "Describe the action: its text cannot be empty."})
    owner_posts = OwnerPostsField()
    supporting_posts = _supporting_field()
    due = _due_field()
    effective_on = _since_field("action")


class ActionEditForm(forms.Form):
    version = _version_field()
    text = _area("What the action is", limit=Limit.TEXT, what="the action's text",
                 error_messages={"required": "Describe the action: its text cannot be empty."})
    owner_posts = OwnerPostsField()
    supporting_posts = _supporting_field()
    due = _due_field()
    reason = _reason("editing the action")

    def __init__(self, *args, dates_editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not dates_editable:
            del self.fields["due"]

    def due_parts(self) -> tuple:
        """(due_on, due_condition), or (None, "") when the date is left as it is."""
        return self.cleaned_data.get("due") or (None, "")

    def typed(self) -> dict:
        """What was typed, in the words of services.action_snapshot, to show beside what is stored."""
        due_on, condition = self.due_parts()
        return {"text": self.cleaned_data["text"],
                "owners": " / ".join([post.name for post in self.cleaned_data["owner_posts"]]
                                     + [f"{post.name} (supporting)" for post in self.cleaned_data["supporting_posts"]]),
                "due": format_due(due_on, condition) if due_on else "Not changed"}


class LifecycleForm(forms.Form):
    reason = _area("Reason", limit=Limit.REASON, what="the reason", required=False)

    def __init__(self, *args, reason_required: bool, what: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = reason_required
        field.error_messages["required"] = f"Give a reason for {what}."
        field.help_text = "Recorded in the action's history and shown with its status."


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")],
                                 error_messages={"required": "Choose to accept or reject the proposal."})
    comment = LimitedText(limit=Limit.REASON, what="the comment", required=False)
    next = forms.CharField(required=False)


class LockForm(forms.Form):
    period_start = forms.DateField(input_formats=["%Y-%m-%d"], widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        required=False, label="Lock it before the period ends",
        help_text="Owners will not be able to write or change their updates for it unless you unlock it.")


class UnlockForm(forms.Form):
    period_start = forms.DateField(input_formats=["%Y-%m-%d"], widget=forms.HiddenInput)
    reason = _area("Why the updates are being unlocked", limit=Limit.REASON, what="the reason",
                   help_text="Recorded in the plan's history with your name.",
                   error_messages={"required": "Give a reason for unlocking the updates."})

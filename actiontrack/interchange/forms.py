"""Forms of the import pages. They read input only: the import service decides what is allowed."""

from __future__ import annotations

from django import forms

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_short
from actiontrack.pages.forms import LimitedText, UKDateField, limit_of
from actiontrack.people.models import Post
from actiontrack.plans.choices import SourceKind
from actiontrack.plans.models import Plan

from .importing import decisions
from .importing.columns import FIELDS, NOT_IMPORTED
from .importing.refs import parse_ref
from .importing.safety import ACCEPTED, max_bytes
from .importing.values import STATUS_VALUE, loose_status, read_status

ACCEPT = ".docx,.xlsx,.csv,.json"
FIELD_CHOICES = [NOT_IMPORTED, *[(f.key, f.label) for f in FIELDS]]
STATUS_CHOICES = [(life.value, life.label) for life in Lifecycle]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to import", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Choose the file to import."})

    def __init__(self, *args, new_plan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (f"{ACCEPTED}, up to {max_bytes() // (1024 * 1024)} MB. Nothing is "
                                         "changed until you have checked the preview and applied it.")
        if new_plan:
            self.fields["reference"] = forms.SlugField(
                label="Reference for the new plan", max_length=40,
                help_text="Short, with letters, numbers and hyphens only, for example PIP-PR.",
                widget=forms.TextInput(attrs={"class": "input input--w10", "autocomplete": "off"}),
                error_messages={"required": "Enter a reference for the new plan, for example PIP-PR.",
                                "invalid": "Use only letters, numbers, hyphens and underscores in the reference."})
            self.fields["title"] = LimitedText(
                label="Title", required=False, limit=limit_of(Plan, "title", Limit.LINE), what="the title",
                help_text="Leave it blank to take the title from the document.",
                widget=forms.TextInput(attrs={"class": "input input--w20"}))
            self.fields["agreed_on"] = UKDateField(
                label="Date the plan was agreed", required=False,
                help_text="As day/month/year, for example 01/02/2021. Leave it blank for today.")
            self.order_fields(["reference", "title", "agreed_on", "file"])


class MappingForm(forms.Form):
    """One choice per column header: what it is read as. Built from the report's columns."""

    create_posts = forms.BooleanField(label="Create these owners as new posts", required=False)
    default_owner = forms.ChoiceField(
        label="Owner of rows that name none", required=False,
        help_text="For a plan with no owner column, or rows with an empty owner cell.",
        widget=forms.Select(attrs={"class": "select"}))
    as_at = UKDateField(
        label="Date the document is as at", required=False,
        help_text="As day/month/year. Actions the file says are complete without saying when are recorded as "
                  "completed on this date, and their history says it is an assumption.")
    leave_out = forms.MultipleChoiceField(
        label="Rows to leave out", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Rows with an error, and rows already left out. A row left out is not imported; the plan's "
                  "history lists it with the reason.")
    leave_out_reason = LimitedText(
        label="Why these rows are left out", required=False, limit=Limit.REASON, what="the reason",
        widget=forms.TextInput(attrs={"class": "input"}))

    refs = forms.ChoiceField(
        label="How to read a Ref with a number after a dot", required=False, widget=forms.RadioSelect,
        help_text="Some trackers number each recommendation or area for improvement so (AFI 1.1, AFI 1.2) and its "
                  "actions in a column of their own; others mean action 1 of recommendation 2 by 2.1.")

    source_kind = forms.ChoiceField(
        label="Kind of source", required=False, choices=SourceKind.choices,
        widget=forms.Select(attrs={"class": "select"}),
        help_text="Of the new plan: what its recommendations come from. Worked out from its title where the title "
                  "names one (HMICFRS, the Grenfell Tower Inquiry, a peer review, an audit); the plan's details can "
                  "change it later too.")

    def __init__(self, *args, columns=(), statuses: dict[str, str] | None = None, can_create_posts: bool = False,
                 rows_with_errors=(), chosen: dict[str, str] | None = None, split_ref: str = "",
                 split_ref_default: str = "", source_kind: str = "", source_kind_found: str = "", **kwargs):
        chosen = chosen or {}
        left_out = decisions.excluded(chosen)
        kwargs.setdefault("initial", {})
        as_at = decisions.as_at(chosen)
        kwargs["initial"] = {"default_owner": decisions.default_owner(chosen),
                             "as_at": format_short(as_at) if as_at else "",
                             "leave_out": list(left_out), "leave_out_reason": next(iter(left_out.values()), ""),
                             **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.fields["default_owner"].choices = [("", "None: each row names its owner")] + [
            (name, name) for name in Post.objects.order_by("name").values_list("name", flat=True)]
        rows = list(dict.fromkeys([*left_out, *rows_with_errors]))
        self.fields["leave_out"].choices = [(row, row) for row in rows]
        if not rows:
            del self.fields["leave_out"], self.fields["leave_out_reason"]
        self.source_kind_found = source_kind_found or SourceKind.OTHER
        if source_kind:  # a new plan
            self.fields["source_kind"].initial = source_kind
        else:
            del self.fields["source_kind"]
        self.split_ref_default = split_ref_default or decisions.REFS_SPLIT
        if split_ref:
            whole, split = parse_ref(split_ref, whole=True), parse_ref(split_ref)
            self.fields["refs"].choices = [
                (decisions.REFS_WHOLE, f"{split_ref} is a recommendation of its own, {whole[0]}; its actions are "
                                       "numbered in the action column, or 1, 2 … under it"),
                (decisions.REFS_SPLIT, f"{split_ref} is action {split[1]} of recommendation {split[0]}")]
            self.fields["refs"].initial = decisions.refs(chosen) or self.split_ref_default
        else:
            del self.fields["refs"]
        self.keys: list[tuple[str, object]] = []
        self.status_keys: list[tuple[str, str]] = []  # (field name, the status value as the file writes it)
        for n, (value, meaning) in enumerate((statuses or {}).items()):
            name = f"status-{n}"
            self.fields[name] = forms.ChoiceField(
                label=value, choices=STATUS_CHOICES, required=False, initial=meaning,
                widget=forms.Select(attrs={"class": "select"}))
            self.status_keys.append((name, value))
        for n, column in enumerate(columns):
            name = f"column-{n}"
            where = f"column {column.label}" + (f" of {column.table}" if column.table else "")
            self.fields[name] = forms.ChoiceField(
                label=f"{column.header} ({where})", choices=FIELD_CHOICES, required=False,
                initial=column.field, widget=forms.Select(attrs={"class": "select"}))
            self.keys.append((name, column))
        if not can_create_posts:
            del self.fields["create_posts"]

    def clean(self):
        data = super().clean()
        if data.get("leave_out") and not data.get("leave_out_reason", "").strip():
            self.add_error("leave_out_reason", "Say why these rows are left out: the plan's history keeps it.")
        return data

    def mapping(self, detected: dict[str, str]) -> dict[str, str]:
        """Only the choices that differ from what recognition found, and the decisions made."""
        chosen = {}
        if self.cleaned_data.get("default_owner"):
            chosen[decisions.DEFAULT_OWNER] = self.cleaned_data["default_owner"]
        if self.cleaned_data.get("as_at"):
            chosen[decisions.AS_AT] = self.cleaned_data["as_at"].isoformat()
        if self.cleaned_data.get("source_kind") and self.cleaned_data["source_kind"] != self.source_kind_found:
            chosen[decisions.SOURCE_KIND] = self.cleaned_data["source_kind"]
        if self.cleaned_data.get("refs") and self.cleaned_data["refs"] != self.split_ref_default:
            chosen[decisions.REFS] = self.cleaned_data["refs"]
        for row in self.cleaned_data.get("leave_out") or []:
            chosen[decisions.exclude_key(row)] = self.cleaned_data["leave_out_reason"].strip()
        for name, column in self.keys:
            value = self.cleaned_data.get(name, "")
            if value != detected.get(column.key, ""):
                chosen[column.key] = value
        for name, value in self.status_keys:  # a meaning other than the one the word has anyway
            meaning = self.cleaned_data.get(name, "")
            usual = read_status(value).value
            if meaning and meaning != (usual.value if usual else ""):
                chosen[STATUS_VALUE + loose_status(value)] = meaning
        return chosen

    def status_rows(self):
        return [self[name] for name, _ in self.status_keys]

    def rows(self):
        return [(self[name], column) for name, column in self.keys]

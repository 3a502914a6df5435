"""Forms for the board report pages. They parse input only; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from actiontrack.domain.text import Limit
from actiontrack.pages.forms import LimitedText, UKDateField, limit_of

from .choices import AUTHORED_SECTIONS, PROTECTED_CHARACTERISTICS, SECTIONS, Impact, ReportType
from .models import BoardReport

TEXT = {"class": "input input--w20"}
SHORT = {"class": "input input--w10"}
AREA = {"class": "textarea", "rows": 4}
YES_NO = [("yes", "Yes"), ("no", "No")]


class ReportCreateForm(forms.Form):
    meeting_date = UKDateField(label="Meeting date", help_text="For example, 30/11/2021")
    as_at = UKDateField(label="Show the plan as at", required=False,
                        help_text="The date the action table shows the plan as at. Leave empty for the meeting date.")
    meeting = LimitedText(label="Meeting", limit=limit_of(BoardReport, "meeting", Limit.LINE), what="the meeting",
                          widget=forms.TextInput(attrs=TEXT), help_text="The board or committee the report goes to")
    agenda_item = forms.CharField(label="Agenda item no.", max_length=20, required=False,
                                  widget=forms.TextInput(attrs=SHORT))
    second_for_meeting = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def header(self) -> dict:
        data = self.cleaned_data
        return {"as_at": data["as_at"], "meeting": data["meeting"], "agenda_item": data["agenda_item"]}


def section_field(key: str) -> str:
    return f"section_{key}"


def impact_field(key: str) -> str:
    return f"impact_{key}"


def note_field(key: str) -> str:
    return f"note_{key}"


def progress_field(action_id: int) -> str:
    return f"progress_{action_id}"


def reason_field(key: str) -> str:
    return "reason_" + key.replace(":", "_")


class ReportEditForm(forms.Form):
    """The whole draft: header, authored sections, the summary sentence, the equality impacts, and the board's
    wording of owners' updates and of the reasons in the list of changes."""

    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    meeting = LimitedText(label="Meeting", limit=limit_of(BoardReport, "meeting", Limit.LINE), what="the meeting",
                          widget=forms.TextInput(attrs=TEXT))
    meeting_date = UKDateField(label="Meeting date")
    as_at = UKDateField(label="Show the plan as at", help_text="The date the action table shows the plan as at")
    agenda_item = forms.CharField(label="Agenda item no.", max_length=20, required=False,
                                  widget=forms.TextInput(attrs=SHORT))
    authors = LimitedText(label="Report authors", limit=limit_of(BoardReport, "authors", Limit.LINE),
                          what="the report authors", required=False, widget=forms.TextInput(attrs=TEXT))
    presented_by = LimitedText(label="Presented by", limit=limit_of(BoardReport, "presented_by", Limit.LINE),
                               what="who presents it", required=False, widget=forms.TextInput(attrs=TEXT))
    subject = LimitedText(label="Subject", limit=limit_of(BoardReport, "subject", Limit.LINE), what="the subject",
                          widget=forms.TextInput(attrs=TEXT))
    report_type = forms.ChoiceField(label="Type of report", choices=ReportType.choices,
                                    widget=forms.Select(attrs={"class": "select"}))
    action_point = forms.CharField(label="Action point no.", max_length=50, required=False,
                                   widget=forms.TextInput(attrs=SHORT))
    for_publication = forms.ChoiceField(label="For publication", choices=YES_NO,
                                        widget=forms.Select(attrs={"class": "select"}))
    exemption = LimitedText(label="Exemption paragraph", required=False, widget=forms.Textarea(attrs=AREA),
                            limit=Limit.REASON, what="the exemption paragraph",
                                help_text="Only for a report not for publication: the exemption it relies on")
    exempt_sections = forms.MultipleChoiceField(
        label="Sections exempt from publication", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(spec.key, spec.heading) for spec in SECTIONS],
        help_text="Left out of the public version, with the exemption paragraph in their place")
    classification = LimitedText(label="Classification", limit=limit_of(BoardReport, "classification", Limit.LINE),
                                 what="the classification", required=False, widget=forms.TextInput(attrs=SHORT))
    show_holder_names = forms.BooleanField(label="Name the post holders beside the owner posts in the action table",
                                           required=False)
    summary_sentence = LimitedText(label="Your own sentence on progress", required=False, limit=Limit.REASON,
                                   what="your sentence on progress",
                                   widget=forms.Textarea(attrs={"class": "textarea", "rows": 2}))

    def __init__(self, *args, generated_sentence: str = "", progress=(), reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.progress, self.reasons = list(progress), list(reasons)
        self.fields["summary_sentence"].help_text = (
            f"Leave empty to use the generated sentence: “{generated_sentence}”" if generated_sentence
            else "Leave empty to use the generated sentence.")
        for spec in AUTHORED_SECTIONS:
            self.fields[section_field(spec.key)] = LimitedText(
                label=spec.heading, required=False, help_text=spec.hint, widget=forms.Textarea(attrs=AREA),
                limit=Limit.LONG, what=f"the section “{spec.heading}”")
        for key, name in PROTECTED_CHARACTERISTICS:
            self.fields[impact_field(key)] = forms.ChoiceField(
                label=f"{name}: impact", choices=Impact.choices, widget=forms.Select(attrs={"class": "select"}))
            self.fields[note_field(key)] = LimitedText(
                label=f"{name}: notes", required=False, limit=Limit.REASON, what=f"the notes on {name.lower()}",
                widget=forms.TextInput(attrs=TEXT))
        for item in self.progress:
            self.fields[progress_field(item.action_id)] = LimitedText(
                label=f"Action {item.ref}: progress as the board reads it", required=False, limit=Limit.UPDATE,
                what=f"the progress on action {item.ref}", widget=forms.Textarea(attrs=AREA),
                help_text=f"The owner's update ({item.byline}) is kept as they wrote it. Empty: theirs.")
        for item in self.reasons:
            self.fields[reason_field(item.key)] = LimitedText(
                label=item.what, required=False, limit=Limit.REASON, what=f"the reason for {item.what}",
                widget=forms.Textarea(attrs={"class": "textarea", "rows": 2}),
                help_text=f"As recorded: “{item.reason}”. Empty: as recorded." if item.reason
                else "None was recorded.")

    @classmethod
    def initial_for(cls, report: BoardReport, progress=(), reasons=()) -> dict:
        initial = {name: getattr(report, name) for name in (
            "version", "meeting", "meeting_date", "as_at", "agenda_item", "authors", "presented_by", "subject",
            "report_type", "action_point", "exemption", "classification", "show_holder_names", "summary_sentence",
            "exempt_sections")}
        initial["for_publication"] = "yes" if report.for_publication else "no"
        for spec in AUTHORED_SECTIONS:
            initial[section_field(spec.key)] = report.authored(spec.key)
        for key, _ in PROTECTED_CHARACTERISTICS:
            initial[impact_field(key)], initial[note_field(key)] = report.impact(key)
        for item in progress:
            initial[progress_field(item.action_id)] = (report.board_progress or {}).get(str(item.action_id), item.text)
        for item in reasons:
            initial[reason_field(item.key)] = (report.change_reasons or {}).get(item.key, item.reason)
        return initial

    def progress_fields(self):
        """(the update, its field, whether the field holds words other than the owner's)."""
        fields = [(item, self[progress_field(item.action_id)]) for item in self.progress]
        return [(item, field, (field.value() or "").strip() not in ("", item.text.strip())) for item, field in fields]

    def reason_fields(self):
        return [self[reason_field(item.key)] for item in self.reasons]

    def section_fields(self):
        return [self[section_field(spec.key)] for spec in AUTHORED_SECTIONS]

    def equality_fields(self):
        return [(name, self[impact_field(key)], self[note_field(key)]) for key, name in PROTECTED_CHARACTERISTICS]

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {name: data[name] for name in (
            "meeting", "meeting_date", "as_at", "agenda_item", "authors", "presented_by", "subject", "report_type",
            "action_point", "exemption", "classification", "show_holder_names", "summary_sentence")}
        changes["exempt_sections"] = list(data["exempt_sections"])
        changes["for_publication"] = data["for_publication"] == "yes"
        changes["sections"] = {spec.key: data[section_field(spec.key)] for spec in AUTHORED_SECTIONS}
        changes["equality"] = {key: {"impact": data[impact_field(key)], "note": data[note_field(key)].strip()}
                               for key, _ in PROTECTED_CHARACTERISTICS}
        # Kept only where the author's words differ from the owner's or the journal's (empty: theirs).
        changes["board_progress"] = {
            str(item.action_id): text for item in self.progress
            if (text := data[progress_field(item.action_id)].strip()) and text != item.text.strip()}
        changes["change_reasons"] = {item.key: text for item in self.reasons
                                     if (text := data[reason_field(item.key)].strip()) and text != item.reason.strip()}
        return changes


class IssueForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

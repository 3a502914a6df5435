"""Forms of the owner's pages. They only read input; the services in plans/workflow.py and
plans/evidence.py decide what is allowed (and their messages land on these fields by name)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings

from actiontrack.domain.filetypes import ALLOWED, ALLOWED_NAMES
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_short
from actiontrack.pages.forms import LimitedText, UKDateField
from actiontrack.plans.services.workflow import UPDATE_HINT

ACCEPT = ",".join(extension for kind in ALLOWED for extension in kind.extensions)


def textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "textarea", "rows": rows})


class UpdateForm(forms.Form):
    text = LimitedText(
        label="Progress update", widget=textarea(8), strip=True, limit=Limit.UPDATE, what="the update",
        hint=UPDATE_HINT,
        error_messages={"required": "Write the progress update: it cannot be empty."},
        help_text="What has been done since the last update, what happens next, and anything in the way. "
                  "You can change it until the plan manager locks the period.")
    # The version of the update the form was opened on; 0 when there was none yet. A stale one is refused.
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class ProposeDateForm(forms.Form):
    due_on = UKDateField(label="New due date", allow_condition=True)
    reason = LimitedText(
        label="Reason", widget=textarea(5), limit=Limit.REASON, what="the reason",
        error_messages={"required": "Give a reason for proposing a new due date."},
        help_text="Why the date needs to change. The plan manager reads this before deciding.")

    def __init__(self, *args, example: date, **kwargs):
        """`example`: a date to show in the hint, one that could be proposed (a proposed date cannot be past)."""
        super().__init__(*args, **kwargs)
        field, shown = self.fields["due_on"], format_short(example)
        field.error_messages["required"] = f"Enter the new due date, for example {shown}."
        field.help_text = (f"As day/month/year, for example {shown}. If the date depends on something, add it in "
                           f"brackets: {shown} (On Approval).")


class EvidenceFileForm(forms.Form):
    file = forms.FileField(
        label="File", allow_empty_file=True,  # an empty file is refused by the service, with its own message
        error_messages={"required": "Choose a file to upload."},
        widget=forms.FileInput(attrs={"accept": ACCEPT}))
    title = LimitedText(label="Title", required=False, limit=Limit.LINE, what="the title",
                        widget=forms.TextInput(attrs={"class": "input input--w20"}),
                        help_text="What the file shows. If you leave it empty, the file's name is used.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = getattr(settings, "EVIDENCE_MAX_MB", 25)
        self.fields["file"].help_text = (f"{ALLOWED_NAMES}, up to {limit} MB. The file is checked by its "
                                         "content, not its name.")


class EvidenceLinkForm(forms.Form):
    url = forms.CharField(label="Web address", max_length=2000,
                          widget=forms.URLInput(attrs={"class": "input input--w20", "spellcheck": "false"}),
                          error_messages={"required": "Enter the web address, starting https://."},
                          help_text="Starting https:// or http://, for example a page on the intranet.")
    title = LimitedText(label="Title", required=False, limit=Limit.LINE, what="the title",
                        widget=forms.TextInput(attrs={"class": "input input--w20"}),
                        help_text="What the page shows. If you leave it empty, the address is used.")


class CompleteForm(forms.Form):
    completed_on = UKDateField(label="Date completed",
                               error_messages={"required": "Enter the date the action was completed."},
                               help_text="As day/month/year, for example 30/11/2021.")
    note = LimitedText(label="Note", required=False, widget=textarea(4), limit=Limit.REASON, what="the note",
                           help_text="What was done, for the verifier and the history.")

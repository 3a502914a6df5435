"""Forms of the verifier's pages: verify and close, or return to the owner. They only read input; the services
in plans/workflow.py decide what is allowed."""

from __future__ import annotations

from django import forms

from actiontrack.domain.text import Limit
from actiontrack.pages.forms import LimitedText

from ..owner.forms import textarea


class VerifyForm(forms.Form):
    comment = LimitedText(label="Comment", required=False, widget=textarea(3), limit=Limit.REASON, what="the comment",
                          help_text="What you checked. If you leave it empty, “Evidence verified” and the number of "
                                    "items is recorded.")
    without_evidence = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = LimitedText(label="Why it is being closed without evidence", widget=textarea(3), limit=Limit.REASON,
                         what="the reason", help_text="Shown with the action's status wherever it appears.",
                         error_messages={"required": "Give a reason for closing the action without evidence."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reason is asked for only by the page for an action with no evidence, which sends without_evidence.
        if self.is_bound and not self.data.get(self.add_prefix("without_evidence")):
            self.fields["reason"].required = False

    def decision(self) -> dict:
        """The service's arguments: a closure without evidence takes its reason as the comment."""
        if self.cleaned_data["without_evidence"]:
            return {"comment": self.cleaned_data["reason"], "without_evidence": True}
        return {"comment": self.cleaned_data["comment"]}

    def done(self, ref: str) -> str:
        if self.cleaned_data["without_evidence"]:
            return f"Action {ref} is closed without evidence."
        return f"Action {ref} is verified and closed."


class ReturnForm(forms.Form):
    comment = LimitedText(label="Why it is being returned", widget=textarea(3), limit=Limit.REASON,
                          what="the reason for returning it",
                              error_messages={"required": "Give a reason for returning the action."},
                              help_text="The owner sees this. Say what is missing or needs to change.")

    def decision(self) -> dict:
        return {"comment": self.cleaned_data["comment"]}

    def done(self, ref: str) -> str:
        return f"Action {ref} is returned to its owner and is in progress again."

from django import forms

from actiontrack.domain.text import Limit
from actiontrack.pages.forms import LimitedText


class CommentForm(forms.Form):
    text = LimitedText(
        label="Comment", widget=forms.Textarea(attrs={"rows": 4, "class": "textarea"}), strip=True,
        limit=Limit.REASON, what="the comment", error_messages={"required": "Write the comment: it cannot be empty."},
        help_text="Seen by everyone who can see this action. Write @ and a username to mention someone, for "
                  "example @cparker.")
    # The version of the comment an edit started from; a stale one is refused with what is saved now.
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

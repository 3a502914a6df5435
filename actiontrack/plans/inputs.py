"""Free text on its way into a service: normalised (domain/text.py) and held to its kind's maximum length, with
a message naming the field. Every service that stores text a person typed, pasted or imported takes it through
here, so the web, the API, imports and the command line store the same thing."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from actiontrack.domain.text import Limit, normalise, too_long


def clean_text(value, *, limit: Limit, what: str, field: str, hint: str = "") -> str:
    """The text as stored: normalised and trimmed. Over its limit: a ValidationError on `field`, with `hint`."""
    text = normalise(value).strip()
    message = too_long(text, limit, what)
    if message:
        raise ValidationError({field: f"{message} {hint}".strip()})
    return text


# The plan's free-text details and the kind of text each is (CharFields also have the model's max_length).
PLAN_TEXT = {"title": (Limit.LINE, "the title"), "organisation": (Limit.LINE, "the organisation"),
             "source_body": (Limit.LINE, "who carried out the review"), "board": (Limit.LINE, "the board"),
             "classification": (Limit.LINE, "the classification"),
             "group_label": (Limit.LINE, "what the source calls its groups"),
             "background": (Limit.LONG, "the background"),
             "documents_reviewed": (Limit.LONG, "the list of documents reviewed")}


def clean_plan_details(details: dict) -> dict:
    cleaned = dict(details)
    for name, (limit, what) in PLAN_TEXT.items():
        if name in cleaned and cleaned[name] is not None:
            cleaned[name] = clean_text(cleaned[name], limit=limit, what=what, field=name)
    return cleaned

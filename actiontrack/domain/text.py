"""Free text as people type or paste it, made fit to store and to carry into every output.

Text arrives from web forms, the API, imported files and restored plans. Word's manual line break (Shift+Enter)
pastes as a vertical tab, and other control characters come with copied text or crafted input; XML 1.0, and so
DOCX, XLSX and tagged PDF, cannot carry them. They are normalised once, on the way in, so what is stored is
what every output can show; the renderers stay safe on their own as well (`printable`).

Each kind of free text has a maximum length, sized for what it is (a title, a paragraph, a board update) and
far below what makes a renderer slow.
"""

from __future__ import annotations

import re
from enum import IntEnum

# Breaks a person meant as a new line: CR LF, CR, Word's manual line break (VT), form feed, NEL, and the
# Unicode line and paragraph separators.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What no output can carry: the other C0 controls (tab and line feed stay), DEL, the C1 controls, lone
# surrogates, and the two non-characters XML forbids.
_UNCARRIABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class Limit(IntEnum):
    """Maximum lengths, in characters, of each kind of free text."""

    CONDITION = 100  # a due date's condition: "On Approval"
    LINE = 300  # a title, a name, an organisation, a board, a classification
    REASON = 2_000  # why something changed; a verifier's comment
    TEXT = 5_000  # a recommendation's or an action's text
    UPDATE = 10_000  # a progress update: a few paragraphs for a board paper
    LONG = 50_000  # a plan's background, documents reviewed, a report's narrative section


def normalise(text: str | None) -> str:
    """Line breaks as line feeds, and nothing an output cannot carry. Spacing and the text itself are kept."""
    if not text:
        return ""
    return _UNCARRIABLE.sub("", _LINE_BREAKS.sub("\n", str(text)))


def printable(text: str | None) -> str:
    """For renderers, whatever they are given: the same as `normalise`."""
    return normalise(text)


def too_long(text: str, limit: int, what: str) -> str:
    """The message for text over its limit, or "" when it fits."""
    if len(text) <= limit:
        return ""
    return (f"{what[:1].upper()}{what[1:]} is {len(text):,} characters long; keep it to {limit:,} or fewer "
            f"(remove {len(text) - limit:,}).")

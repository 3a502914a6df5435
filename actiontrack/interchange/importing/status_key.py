"""A tracker's own key to its colours ("Blue | Complete and evidenced", "Green | On track"), read from a key
sheet or table, so that each colour means what the document says: in a BRAG key Blue is complete and Green on
track. What the person importing gives in the preview still wins (it is applied over these)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from actiontrack.domain.lifecycle import Lifecycle

from .values import STATUS_VALUE, clean_text, loose_status, read_status

COLOURS = {"blue", "green", "amber", "red", "black", "purple", "grey", "gray", "white", "yellow", "b", "g", "a", "r",
           "c"}
# Tried in this order: "on track to complete" is in progress, "not complete" is not complete.
_MEANING = ((re.compile(r"\b(?:not (?:yet )?started|not begun|yet to start)\b", re.I), Lifecycle.NOT_STARTED),
            (re.compile(r"\b(?:on track|in progress|under way|underway|at risk|behind|delayed|off track|missing|"
                        r"slipp\w*)\b", re.I), Lifecycle.IN_PROGRESS),
            (re.compile(r"\b(?:complete[ds]?|delivered|closed|achieved|implemented|done)\b", re.I),
             Lifecycle.COMPLETED))


def meaning_of(text: str) -> Lifecycle | None:
    read = read_status(text)
    if read.value is not None and not read.warning:
        return read.value
    for pattern, life in _MEANING:
        if pattern.search(text) and not (life is Lifecycle.COMPLETED and re.search(r"\bnot\b", text, re.I)):
            return life
    return None


def key_meanings(rows: Iterable[list]) -> dict[str, tuple[str, Lifecycle]]:
    """From rows of a key ("Blue", "Complete and evidenced"): each colour's (text in the key, meaning)."""
    found: dict[str, tuple[str, Lifecycle]] = {}
    for cells in rows:
        texts = [clean_text(c) for c in cells if isinstance(c, str) and clean_text(c)]
        # A key's row has a colour and its meaning (perhaps a note): a tracker's row has more.
        if not 2 <= len(texts) <= 3 or loose_status(texts[0]) not in COLOURS or len(texts[1]) > 200:
            continue
        life = meaning_of(texts[1])
        if life is not None:
            found.setdefault(loose_status(texts[0]), (texts[1], life))
    return found


def as_mapping(found: dict[str, tuple[str, Lifecycle]]) -> dict[str, str]:
    return {f"{STATUS_VALUE}{colour}": life.value for colour, (_, life) in found.items()}


def note(found: dict[str, tuple[str, Lifecycle]]) -> str:
    said = "; ".join(f"{colour.title()} ({text!r}) → {life.label}" for colour, (text, life) in found.items())
    return (f"The document's key gives its colours' meanings, and they are read so: {said}. Change any of them in "
            "the preview (or with --status on the command line).")

"""References as trackers write them, read as text and never renumbered: in a Ref column ("2.1", "AFI 3",
"33.22c", "CoC 1a", "MD1", "R12", "47, 48 and 49") and at the start of a recommendation's text ("1) Provide …",
"AFI 3: Improve …", "33.22c The LFB should …"). Pure functions; the table reader (tables.py) decides which
recommendation and action a row is.

"Recommendation 2" and "Rec 2" are recommendation 2: the word only says what it is. Other prefixes are part of
the reference ("AFI 3" is not "3"), and say its kind where they name one (AFI, CoC, MD, SD)."""

from __future__ import annotations

import re

from actiontrack.domain.references import REF_MAX, clean_ref

from .values import clean_text, kind_line

# "Recommendation 2", "Rec. 2", "AFI 3", "Area for improvement 3", "CoC 2", "R12", "2" and "2)": a number with a
# word that names the kind.
_WORDED = (r"(?P<word>recommendation|rec|area\s+for\s+improvement|afi|cause\s+of\s+concern|coc|r)\s*\.?\s*"
           r"(?P<n>\d{1,4}[a-z]?)")
# At the start of a recommendation's text the number may have parts: "AFI 1.1 The service should …" is AFI 1.1.
_WORDED_TEXT = _WORDED.replace(r"(?P<n>\d{1,4}[a-z]?)", r"(?P<n>\d{1,4}[a-z]?(?:\.\d{1,4}[a-z]?)*)")
_PREFIXED = re.compile(rf"^\s*(?:{_WORDED_TEXT}\s*(?:[).:\-–]\s*|\s+(?=\S))|(?P<bare>\d{{1,4}})\s*(?:[):]|\.(?!\d))\s*)"
                       r"(?P<rest>.*)$", re.I | re.S)
# A code the source numbers by: "33.22c", "4a", "MD1", "EF1", "CoC 1a", "E1b", followed by a separator or by
# the capital that starts the text ("33.22c The LFB should ...").
_CODE = r"(?:[A-Za-z]{1,6} ?\d{1,4}[a-z]?(?:\.\d{1,4}[a-z]?)*|\d{1,4}(?:\.\d{1,4})+[a-z]?|\d{1,4}[a-z])"
_CODED = re.compile(rf"^\s*(?P<ref>{_CODE})\s*(?:[).:\-–]\s*|\s+(?=[A-Z\"“(]))(?P<rest>.+)$", re.S)
# A Ref cell naming a recommendation and, perhaps, its action: "2.1", "2-1", "Rec 2.1", "AFI 3".
_NUMBERED_REF = re.compile(rf"^\s*(?:{_WORDED}|(?P<bare>\d{{1,4}}))"
                           r"(?:\s*(?P<sep>[.\-/])\s*(?P<action>\d{1,4}))?\s*[.):]?\s*$", re.I)

_KIND_OF_WORD = {"recommendation": "recommendation", "rec": "recommendation", "r": "recommendation",
                 "area for improvement": "afi", "afi": "afi", "cause of concern": "cause_of_concern",
                 "coc": "cause_of_concern"}
_KIND_OF_PREFIX = {"afi": "afi", "coc": "cause_of_concern", "md": "must_do", "sd": "should_do", "f": "finding"}
_SHORT = {"afi": "AFI", "cause_of_concern": "CoC"}  # the reference "Area for improvement 3" is written "AFI 3"


def _worded(word: str | None, number: str) -> tuple[str, str]:
    """(reference, kind) for "Rec 2" -> ("2", "recommendation"), "AFI 3" -> ("AFI 3", "afi"), "R12" -> ("R12",
    "recommendation")."""
    if not word:
        return number, ""
    key = " ".join(word.lower().split())
    kind = _KIND_OF_WORD[key]
    if key == "r":
        return f"{word}{number}", kind
    return (f"{_SHORT[kind]} {number}" if kind in _SHORT else number), kind


def kind_of(ref: str) -> str:
    """The kind a reference's letters name: "AFI 3" -> afi, "MD1" -> must_do; "" if none."""
    letters = re.match(r"\s*([A-Za-z]+)", ref or "")
    return _KIND_OF_PREFIX.get(letters[1].lower(), "") if letters else ""


def split_reference(text: str) -> tuple[str | None, str, str]:
    """A recommendation cell's own reference, its kind and the rest: "1) Provide …" -> ("1", "", "Provide …");
    "AFI 3: Improve …" -> ("AFI 3", "afi", "Improve …"); "33.22c The LFB …" -> ("33.22c", "", "The LFB …");
    a kind on a line of its own above the text is read as the kind. (None, kind, text) when it has none."""
    line_kind, text = kind_line(text)
    match = _PREFIXED.match(text or "")
    if match and match["rest"].strip():
        number = match["n"] or match["bare"]
        if number.strip("0") or not number.isdigit():
            ref, kind = _worded(match["word"], number)
            return ref, kind or line_kind, match["rest"].strip()
    match = _CODED.match(text or "")
    if match and match["rest"].strip() and not match["ref"].isdigit():
        ref = clean_ref(match["ref"])
        return ref, kind_of(ref) or line_kind, match["rest"].strip()
    return None, line_kind, text


def parse_ref(value, *, whole: bool = False) -> tuple[str, int | None, str] | None:
    """A Ref cell: (the recommendation's reference, the action's number if it gives one, the kind).
    "2.1" -> ("2", 1, ""); "Rec 1" -> ("1", None, "recommendation"); "AFI 3" -> ("AFI 3", None, "afi");
    "33.22c" -> ("33.22c", None, ""); "47, 48 and 49" -> ("47, 48 and 49", None, ""). None if the cell holds
    no reference (no letter or digit, or longer than a reference can be).

    whole=True reads "2.1" or "AFI 1.1" as the recommendation's own reference, with no action number:
    ("2.1", None, ""), ("AFI 1.1", None, "afi") (an HMICFRS tracker numbers its areas for improvement so)."""
    text = clean_ref(clean_text(value))
    match = _NUMBERED_REF.match(text)
    if match:
        number = match["n"] or match["bare"]
        action = int(match["action"]) if match["action"] else None
        if (number.isdigit() and int(number) == 0) or (action == 0 and not whole):
            return None
        ref, kind = _worded(match["word"], number)
        if whole and match["action"]:
            return f"{ref}{match['sep']}{match['action']}", None, kind
        return ref, action, kind
    if not re.search(r"\w", text) or len(text) > REF_MAX:
        return None
    return clean_ref(text.rstrip(".:)")), None, kind_of(text)


def has_action_number(value) -> bool:
    """Whether a Ref cell may be read as a recommendation's reference and an action's number ("2.1", "AFI 1.1"),
    or as a reference whole: the choice decisions.REFS settles."""
    parsed = parse_ref(value)
    return parsed is not None and parsed[1] is not None

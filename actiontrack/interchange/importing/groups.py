"""Where a source puts the groups its recommendations are listed under — theme, pillar, volume, directorate,
core service, audit — besides a Group column: a heading row across the table, a heading above a Word table, a
sheet per group. And the "As at 31 March 2022" line a tracker's title carries. Pure text; no database."""

from __future__ import annotations

import re
from datetime import date

from .values import read_date

_GROUP_WORDS = (r"theme|pillar|directorate|volume|section|chapter|part|core service|priority area|workstream|"
                r"strand|audit|department|service area|portfolio")
# A heading in one cell that names a group: "Theme 1: Prevention", "Directorate – Response", "Volume 2". The word
# must be followed by a number or a separator: "Audit improvement tracker" is a title, not a group.
NAMED_GROUP = re.compile(rf"(?:{_GROUP_WORDS})(?:(?:\s*\d+[a-z]?|\s+(?:[ivxlc]+|[a-z]))\b"
                         rf"(?:\s*[:\-–—.]?\s*\S[^\n]{{0,100}})?|\s*[:\-–—]\s*\S[^\n]{{0,100}})", re.I)
# A heading across a table that groups the rows below it: short, one line, not a note or a key.
GROUP_HEADING = re.compile(r"(?!(?:notes?|key|source|total)\b)[^\n]{2,120}", re.I)
_PREFIX = re.compile(rf"^(?:{_GROUP_WORDS})\s*(?:\d+[a-z]?|[ivx]+)?\s*[:\-–—.]\s*(?P<name>\S.*)$", re.I)
# A sheet named for what is in it, not for a group: a single tracker, or its rows split by status.
_NOT_A_GROUP = re.compile(r"^(?:sheet\s*\d*|tracker|action plan|actions?|data|export|list|table\s*\d*|register|"
                          r"(?:open|closed|live|current|complete[d]?|done|archived?|outstanding|in progress)"
                          r"(?:\s+actions?)?)$", re.I)
_AS_AT = re.compile(r"^(?:position|progress|status|update|updated|data)?\s*(?:as at|as of)\s*:?\s*(?P<date>.{6,30}?)"
                    r"\.?$", re.I)


def group_name(text: str) -> str:
    """The group's name without the word that says it is one: "Theme 1: Prevention" is "Prevention", "Pillar –
    People" is "People"; "Volume 2", which has nothing else, stays "Volume 2"."""
    text = " ".join(text.split())
    found = _PREFIX.match(text)
    return found.group("name") if found else text


def sheet_groups(names: list[str]) -> bool:
    """Whether a workbook's tracker sheets are its groups: two or more, none named for a status or as the one
    tracker ("Open actions" and "Closed actions" are one list split by status)."""
    return len(names) > 1 and not any(_NOT_A_GROUP.match(" ".join(name.split())) for name in names)


def as_at(text: str) -> date | None:
    """The date of "As at 31 March 2022" (a title line of a tracker), else None."""
    found = _AS_AT.match(" ".join(text.split()))
    if not found:
        return None
    read = read_date(found.group("date"))
    return read.value.value if read.value is not None and not read.error and not read.warning else None

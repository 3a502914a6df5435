"""Reading cell values: UK dates (and Excel date serials), status words, refs, numbered recommendations and
owner cells. Pure functions: each returns the value and what it had to say about it."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.text import normalise
from actiontrack.domain.ukdates import MONTHS, DateError, ParsedDate, format_short, parse_uk_date
from actiontrack.domain.written_dates import read_written_date

EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (1, 2958465)  # 01/01/1900 .. 31/12/9999
NO_DATE = {"tbc", "tba", "tbd", "n a", "na", "none", "ongoing", "on going", "to be confirmed", "to be agreed",
           "not applicable", "not set", "no date", "no date set",
           # a status written in the date column: the status column (or the row's status) says it is done
           "complete", "completed", "done", "closed", "achieved", "delivered"}
_MONTH_YEAR = re.compile(r"^(?:end of\s+)?(?P<month>[a-z]+)\.?,?\s+(?P<y>\d{4})$", re.I)
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class Read:
    """A value read from a cell, with a warning (recoverable) or an error (unrecoverable) message."""

    value: object = None
    warning: str = ""
    error: str = ""


_HTML = re.compile(r"^\s*<(?:div|p|span|br|ul|ol|li|table|strong|b|em|i|font)\b[^>]*>", re.I)
_BLOCKS = {"p", "div", "br", "li", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4"}


class _PlainText(HTMLParser):
    """Rich text as a list exports it (SharePoint's HTML): its words, a line for each paragraph or item."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str) -> str:
    reader = _PlainText()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def clean_text(value) -> str:
    """Cell text as a person reads it, normalised as all text is on the way in (`domain.text.normalise`:
    Word's manual line break is a new line, other control characters go), without invisible characters,
    each line's spaces collapsed, no blank lines at either end (blank lines inside separate paragraphs)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.startswith("<") or text[:1].isspace():
        text = plain_text(text) if _HTML.match(text) else text
    if text.isprintable():  # most cells: one line, no control, invisible or non-breaking characters
        return " ".join(text.split())
    text = _INVISIBLE.sub("", normalise(text))
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.split("\n")]
    return "\n".join(lines).strip("\n ")


def from_serial(number: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(number))


def read_date(value) -> Read:
    """A date cell: a real date, an Excel date serial, UK text with an optional condition in brackets, or a date as
    people write one in a tracker (a quarter, a month, a week, a date in a sentence: domain/written_dates.py)."""
    if value is None or value == "":
        return Read()
    if isinstance(value, datetime):
        return Read(ParsedDate(value.date()))
    if isinstance(value, date):
        return Read(ParsedDate(value))
    if isinstance(value, bool):
        return Read(error=f"{value!r} is not a date")
    if isinstance(value, int | float):
        if not SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return Read(error=f"{value!r} is not a date in the form dd/mm/yyyy")
        day = from_serial(value)
        return Read(ParsedDate(day), warning=f"{value!r} is an Excel date serial; read as {format_short(day)}")
    text = clean_text(value)
    if not text:
        return Read()
    loose = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    if loose in NO_DATE or not loose:
        return Read(warning=f"{text!r} is not a date; read as no date set")
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        day = from_serial(float(text))
        return Read(ParsedDate(day), warning=f"{text!r} looks like an Excel date serial; read as {format_short(day)}")
    try:
        parsed = parse_uk_date(text)
    except DateError as exc:
        month = _month_only(text)
        if month is not None:
            return month
        try:
            parsed = read_written_date(text)
        except DateError as impossible:
            return Read(error=str(impossible))
        if parsed is None:
            return Read(error=str(exc))
    return Read(parsed, warning="; ".join(parsed.warnings))


def _month_only(text: str) -> Read | None:
    """"May 2021" or "End of May 2021": the last day of the month, with a warning."""
    match = _MONTH_YEAR.match(text.strip())
    if not match or match["month"].lower() not in MONTHS:
        return None
    year, month = int(match["y"]), MONTHS[match["month"].lower()]
    if not 1 <= year <= 9999:
        return None
    day = date(year, month, calendar.monthrange(year, month)[1])
    return Read(ParsedDate(day), warning=f"{text!r} gives a month only; read as its last day, {format_short(day)}")


# Status words -> lifecycle. RAG is computed in actiontrack, so a RAG word tells only whether the action is
# complete: "Red" or "Amber" means not complete (in progress), whatever the colour was.
STATUS_WORDS = {
    Lifecycle.COMPLETED: ("complete", "completed", "green", "done", "finished", "achieved", "delivered",
                          "completed awaiting verification", "green complete", "complete awaiting verification",
                          "complete awaiting sign off", "completed awaiting sign off", "implemented",
                          "fully implemented", "met"),
    Lifecycle.CLOSED: ("closed", "blue", "verified", "closed verified", "blue closed", "signed off"),
    Lifecycle.IN_PROGRESS: ("in progress", "amber", "on track", "red", "overdue", "started", "ongoing",
                            "on going", "underway", "under way", "behind", "late", "delayed", "at risk",
                            "amber on track but to be completed", "red overdue", "green on track",
                            "amber at risk", "open in progress", "wip", "work in progress", "off track",
                            "partially complete", "partially implemented", "partly implemented", "in hand"),
    Lifecycle.NOT_STARTED: ("not started", "not yet started", "to do", "todo", "planned", "open", "new",
                            "not begun", "pending", "grey not started"),
    Lifecycle.PAUSED: ("paused", "on hold", "suspended", "hold", "deferred"),
    Lifecycle.CANCELLED: ("cancelled", "canceled", "withdrawn", "no longer required", "not required",
                          "superseded", "grey cancelled", "dropped", "not ours to deliver", "not for us to deliver"),
}
_STATUS = {word: life for life, words in STATUS_WORDS.items() for word in words}
RAG_WORDS = {"red", "amber", "green", "blue", "overdue", "on track", "at risk", "behind", "late", "delayed"}


# A status value the plan manager has given a meaning (web preview, or --status "Off track=in progress" on the
# command line) travels in the column mapping under this prefix: "status value off track" -> "in_progress".
STATUS_VALUE = "status value "
UNKNOWN_STATUS = Lifecycle.IN_PROGRESS  # what a word not known means until someone says otherwise


def loose_status(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def status_meanings(mapping: dict[str, str] | None) -> dict[str, Lifecycle]:
    """The meanings given to status values, by their loose words, from a column mapping."""
    return {loose_status(key[len(STATUS_VALUE):]): Lifecycle(value) for key, value in (mapping or {}).items()
            if key.startswith(STATUS_VALUE) and value}


def read_status(value, meanings: dict[str, Lifecycle] | None = None, percent: bool = False) -> Read:
    """A status word -> (lifecycle, warning). The plan's own words first (`meanings`), then the common ones. A
    word not known never blocks the file: it is read as in progress, with a warning saying how to change that."""
    text = clean_text(value)
    if not text:
        return Read()
    if (share := _percent(value, numbers=percent)) is not None:  # numbers only in a "% complete" column
        return share
    loose = loose_status(text)
    if meanings and loose in meanings:
        return Read(meanings[loose])
    life = _STATUS.get(loose)
    if life is None:
        first = loose.split(" ", 1)[0] if loose else ""
        life = _STATUS.get(first) if first in {"red", "amber", "green", "blue"} else None
    if life is None:
        return Read(UNKNOWN_STATUS, warning=(
            f"{text!r} is not a status I know: read as {UNKNOWN_STATUS.label.lower()}. If it means something "
            f"else, give its meaning in the preview (or --status \"{text}=completed\" on the command line)"))
    words = set(re.findall(r"[a-z]+(?: track| risk)?", loose))
    if words & RAG_WORDS or loose in RAG_WORDS:
        meaning = "complete" if life.is_complete else "not complete"
        return Read(life, warning=(
            f"{text!r} is a RAG rating. actiontrack works RAG out from the due date as at each date and never "
            f"stores it, so this is read only as {meaning}: {life.label}"))
    return Read(life)


_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s*$")


def _percent(value, numbers: bool) -> Read | None:
    """A percentage complete ("50%", or a number: Excel keeps 50% as 0.5): 100% is completed, 0% not started,
    anything between in progress. None if the value is not one."""
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        share = value if 0 <= value <= 1 else value / 100
        shown = f"{share:.0%}"
    elif isinstance(value, str) and (found := _PERCENT.match(value)):
        share, shown = float(found.group(1)) / 100, value.strip()
    else:
        return None
    if not 0 <= share <= 1:
        return Read(error=f"{shown} is not a percentage complete: it must be from 0% to 100%")
    life = Lifecycle.COMPLETED if share == 1 else Lifecycle.NOT_STARTED if share == 0 else Lifecycle.IN_PROGRESS
    return Read(life, warning=f"{shown} complete is read as {life.label.lower()}")


_REC_PREFIX = re.compile(
    r"^\s*(?:(?P<kind>recommendation|rec|area\s+for\s+improvement|afi|cause\s+of\s+concern|coc|r)\s*\.?\s*"
    r"(?P<n1>\d{1,4})\s*(?:[).:\-–]\s*|\s+(?=\S))|(?P<n2>\d{1,4})\s*(?:[):]|\.(?!\d))\s*)(?P<rest>.*)$",
    re.I | re.S)
_REF = re.compile(
    r"^\s*(?:(?P<kind>recommendation|rec|area\s+for\s+improvement|afi|cause\s+of\s+concern|coc|r)\s*\.?\s*)?"
    r"(?P<rec>\d{1,4})(?:\s*[.\-/]\s*(?P<action>\d{1,4}))?\s*[.):]?\s*$", re.I)
KINDS = {"recommendation": "recommendation", "rec": "recommendation", "r": "recommendation",
         "area for improvement": "afi", "afi": "afi", "cause of concern": "cause_of_concern",
         "coc": "cause_of_concern"}
KIND_WORDS = {"recommendation": "recommendation", "rec": "recommendation", "afi": "afi",
              "area for improvement": "afi", "cause of concern": "cause_of_concern", "coc": "cause_of_concern",
              "must do": "must_do", "should do": "should_do", "finding": "finding", "audit finding": "finding",
              "other": "other"}


def _kind(word: str | None) -> str:
    return KINDS.get(" ".join(word.lower().split()), "") if word else ""


def kind_line(text: str) -> tuple[str, str]:
    """A kind written on a line of its own above the text ("Area for Improvement" / "The service should ..."):
    (kind, the rest); else ("", text)."""
    first, newline, rest = (text or "").partition("\n")
    words = " ".join(re.findall(r"[a-z]+", first.lower())).removesuffix("s")
    kind = KIND_WORDS.get(words) if newline and not re.search(r"\d", first) else None
    return (kind, rest.strip()) if kind and rest.strip() else ("", text)


def split_recommendation(text: str) -> tuple[int | None, str, str]:
    """"1) Provide..." -> (1, "", "Provide..."); "AFI 3: Improve..." -> (3, "afi", "Improve...");
    "Area for Improvement\nImprove..." -> (None, "afi", "Improve...")."""
    line_kind, text = kind_line(text)
    match = _REC_PREFIX.match(text or "")
    if not match or not match["rest"].strip():
        return None, line_kind, text
    number = int(match["n1"] or match["n2"])
    if number == 0:
        return None, line_kind, text
    return number, _kind(match["kind"]) or line_kind, match["rest"].strip()


def parse_ref(text: str) -> tuple[int, int | None, str] | None:
    """"2.1" -> (2, 1, ""); "Rec 1" -> (1, None, "recommendation"); "AFI 3" -> (3, None, "afi")."""
    match = _REF.match(clean_text(text))
    if not match:
        return None
    rec, action = int(match["rec"]), int(match["action"]) if match["action"] else None
    if rec == 0 or action == 0:
        return None
    return rec, action, _kind(match["kind"])


def read_kind(value) -> Read:
    text = " ".join(re.findall(r"[a-z]+", clean_text(value).lower()))
    if not text:
        return Read()
    kind = KIND_WORDS.get(text) or KIND_WORDS.get(text.removesuffix("s"))
    return Read(kind) if kind else Read(warning=f"{clean_text(value)!r} is not a kind of recommendation I know; "
                                                "read as Recommendation", value="recommendation")


# Owners -------------------------------------------------------------------------------------------------

_STRONG = re.compile(r"\s*(?:\n|;|\s\+\s)\s*")
_WEAK = re.compile(r"\s*[/,]\s*")


def tidy_owner(part: str) -> str:
    return " ".join(part.split()).strip(" .,-–:")


# Words that make a part a post (or a team) in its own right, rather than where the post before it works; a
# rank before a surname ("AM Palmer") makes a person, whom a place does not narrow ("AM Palmer, Corporate comms").
_POST = re.compile(r"\b(?:head|manager|director|officer|lead|leader|chief|matron|nurse|commander|superintendent|"
                   r"inspector|sergeant|constable|chair|secretary|co-?ordinator|advis[eo]r|consultant|clinician|"
                   r"analyst|specialist|partner|controller|treasurer|executive|administrator|owner|team|board|"
                   r"committee|educator|practitioner|engineer|surveyor)s?\b", re.I)
_RANK = re.compile(r"\b(?:cfo|dcfo|acfo|am|gm|sm|wm|wc|cc|ch supt|supt|ds|di|dci)\b", re.I)


def _qualifies(piece: str, before: str) -> bool:
    """A part after a comma that narrows the post before it rather than naming another: "Ward 3" in "Ward
    Manager, Ward 3", "Surgery" in "Matron, Surgery", "Emergency Department" in "Matron, Emergency Department"
    (one word, a number, a lower-case start, or words of no post or rank after a post)."""
    return (len(piece.split()) == 1 or bool(re.search(r"\d", piece)) or piece[:1].islower()
            or (not _POST.search(piece) and not _RANK.search(piece) and bool(_POST.search(before))
                and not _RANK.search(before)))


def _weak_split(chunk: str) -> list[str]:
    """A chunk split on "/" and ",", keeping "Post, qualifier" whole."""
    pieces: list[str] = []
    for part in re.split(r"\s*/\s*", chunk):
        for i, piece in enumerate(tidy_owner(p) for p in re.split(r"\s*,\s*", part)):
            if i and pieces and piece and _qualifies(piece, pieces[-1]):
                pieces[-1] = f"{pieces[-1]}, {piece}"
            else:
                pieces.append(piece)
    return [p for p in pieces if p]


def owner_parts(text: str) -> list[str]:
    """The owners an owner cell names, split where people split them: "AM Palmer/Corporate comms." ->
    ["AM Palmer", "Corporate comms"], but "Ward Manager, Ward 3" is one post. Parts are split further (or
    joined) against known names when applied: see split_known."""
    parts = []
    for chunk in _STRONG.split(clean_text(text)):
        parts.extend(_weak_split(chunk))
    return [p for p in parts if p]


def split_known(text: str, is_known: Callable[[str], bool]) -> tuple[list[str], bool]:
    """Split an owner cell into names, preferring known names: a whole chunk that is a known name stays
    whole (a post called "HR/People Lead"), and a chunk that is two known names without a separator
    ("AM Palmer Corporate Comms") is split into them. Returns (names, whether words were split)."""
    names, split_words = [], False
    for chunk in _STRONG.split(clean_text(text)):
        chunk = tidy_owner(chunk)
        if not chunk:
            continue
        if is_known(chunk):
            names.append(chunk)
            continue
        pieces = _weak_split(chunk)
        i = 0
        while i < len(pieces):  # longest run of pieces that is a known name, joined back with "/"
            for j in range(len(pieces), i, -1):
                joined = "/".join(pieces[i:j])
                if j - i > 1 and is_known(joined):
                    names.append(joined)
                    i = j
                    break
            else:
                words = _segment(pieces[i], is_known)
                split_words = split_words or len(words) > 1
                names.extend(words)
                i += 1
    return names, split_words


def _segment(text: str, is_known: Callable[[str], bool]) -> list[str]:
    """Words that are two or more known names run together; else the text as one name."""
    if is_known(text):
        return [text]
    words = text.split()
    if len(words) < 2 or len(words) > 20:
        return [text]
    best: dict[int, list[str] | None] = {len(words): []}
    for start in range(len(words) - 1, -1, -1):
        best[start] = None
        for end in range(len(words), start, -1):
            rest = best.get(end)
            candidate = " ".join(words[start:end])
            if rest is not None and is_known(candidate):
                best[start] = [candidate, *rest]
                break
    found = best[0]
    return found if found and len(found) > 1 else [text]

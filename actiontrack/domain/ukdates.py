"""UK dates as people write them in action plans: parsing with repairs that are reported, never silent,
and formatting for tables (30/11/2021) and prose (30 November 2021)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date


class DateError(ValueError):
    """A date that cannot be read. The message quotes the offending text."""


@dataclass(frozen=True)
class ParsedDate:
    value: date
    condition: str = ""
    warnings: tuple[str, ...] = field(default=())


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_CONDITION = re.compile(r"^(?P<date>.*?)\s*\((?P<condition>[^()]*)\)\s*$")
_NUMERIC = re.compile(r"^(?P<d>\d{1,2})\s*(?P<sep1>[/.\-]+)\s*(?P<m>\d{1,2})\s*(?P<sep2>[/.\-]+)\s*(?P<y>\d{2}|\d{4})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_WORDS = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})$")


def _build(year: int, month: int, day: int, text: str) -> date:
    if not MINYEAR <= year <= MAXYEAR:
        raise DateError(f"{text!r} is not a date: there is no year {year}")
    if not 1 <= month <= 12:
        raise DateError(f"{text!r} is not a date: there is no month {month}")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise DateError(
            f"{text!r} is not a date: {calendar.month_name[month]} {year} has {days_in_month} days"
        )
    return date(year, month, day)


def _year(raw: str) -> int:
    year = int(raw)
    # Two-digit years in action plans are this century ("1/4/21").
    return 2000 + year if len(raw) == 2 else year


def parse_uk_date(text: str) -> ParsedDate:
    """Read a date written the UK way, with an optional condition in brackets.

    "31/12/2021 (On Approval)" -> 31 Dec 2021 with condition "On Approval".
    "31//12/2021" -> 31 Dec 2021 with a warning saying what was repaired.
    "31/02/2021" -> DateError quoting the text.
    """
    original = text
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise DateError("no date given")
    condition = ""
    match = _CONDITION.match(cleaned)
    if match:
        cleaned, condition = match["date"].strip(), match["condition"].strip()
    warnings: list[str] = []

    if m := _ISO.match(cleaned):
        value = _build(int(m["y"]), int(m["m"]), int(m["d"]), original)
    elif m := _NUMERIC.match(cleaned):
        for sep in (m["sep1"], m["sep2"]):
            if len(sep) > 1:
                warnings.append(f"{original.strip()!r} has a doubled separator {sep!r}; read as "
                                f"{int(m['d']):02d}/{int(m['m']):02d}/{_year(m['y'])}")
        value = _build(_year(m["y"]), int(m["m"]), int(m["d"]), original)
    elif m := _WORDS.match(cleaned):
        month = MONTHS.get(m["month"].lower())
        if month is None:
            raise DateError(f"{original!r} is not a date: {m['month']!r} is not a month")
        value = _build(int(m["y"]), month, int(m["d"]), original)
    else:
        raise DateError(f"{original!r} is not a date in the form dd/mm/yyyy")
    return ParsedDate(value=value, condition=condition, warnings=tuple(warnings))


def parse_as_at(text: str) -> date:
    """An as-at date from a URL or a command line: ISO (2021-11-30, as a date field sends it) or UK."""
    parsed = parse_uk_date(text)
    if parsed.condition:
        raise DateError(f"{text!r}: an as-at date cannot carry a condition")
    if parsed.warnings:  # never repaired silently: say what it looked like and let the person confirm
        raise DateError(f"{parsed.warnings[0]}; enter it as dd/mm/yyyy, for example {format_short(parsed.value)}")
    return parsed.value


def format_short(value: date | None) -> str:
    """Table form: 30/11/2021."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


def format_long(value: date | None) -> str:
    """Prose form: 30 November 2021."""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}" if value else ""


def format_due(value: date | None, condition: str = "") -> str:
    """A due date with its condition, as the source documents write it: 31/12/2021 (On Approval)."""
    if value is None:
        return "No date set"
    return f"{format_short(value)} ({condition})" if condition else format_short(value)

"""Due dates as people write them in trackers, beyond a plain day: quarters ("Q3 2022", "Q4 22/23"), months
("Mar-23", "End of June 2023"), two-digit years ("31 Dec 22"), weeks ("w/c 15/05/2023"), a date inside a
sentence ("Completed 14/02/2024") and ISO date-times in UTC. Each reading is an interpretation, so it comes
with a warning that says what it was read as; where the words say more than the date (a quarter, a week) they
are kept as the date's condition, so "Q4 22/23" shows as "31/03/2023 (Q4 22/23)". Pure: no clock, no Django."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .ukdates import MONTHS, DateError, ParsedDate, format_short, parse_uk_date

UK = ZoneInfo("Europe/London")

_FINANCIAL_QUARTER = re.compile(r"^q(?P<q>[1-4])\s*(?:fy\s*)?(?P<y1>\d{2}|\d{4})\s*[/\-]\s*(?P<y2>\d{2}|\d{4})$")
_CALENDAR_QUARTER = re.compile(r"^q(?P<q>[1-4])\s*(?P<y>\d{4})$")
_MONTH = re.compile(r"^(?:(?:by|before)\s+)?(?:the\s+)?(?:end\s+(?:of\s+)?)?(?P<month>[a-z]+)\.?[\s\-/,']*"
                    r"(?P<y>\d{4}|\d{2})$")
_DAY_MONTH_SHORT_YEAR = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-]+(?P<month>[a-z]+)\.?[\s\-,]+(?P<y>\d{2})$")
_WEEK = re.compile(r"^(?:w/?c|w\.c\.|week\s+(?:commencing|beginning|starting))\s*:?\s*(?P<date>.+)$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+\-]\d{2}:?\d{2})?$")
_DATE_IN_TEXT = re.compile(r"(?<![\d/.\-])(\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
                           r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4})(?![\d/.\-])")


def _year(raw: str) -> int:
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter(text: str, loose: str) -> ParsedDate | None:
    if m := _FINANCIAL_QUARTER.match(loose):
        first, second = _year(m["y1"]), _year(m["y2"])
        if second != first + 1:
            raise DateError(f"{text!r} is not a financial year: {m['y2']} does not follow {m['y1']}")
        # The UK public sector's year starts in April: Q1 is April-June, Q4 January-March of the second year.
        quarter = int(m["q"])
        year, month = (first, 3 + 3 * quarter) if quarter < 4 else (second, 3)
        day = _month_end(year, month)
        return ParsedDate(day, condition=text, warnings=(
            f"{text!r} is a quarter of the financial year {first}/{str(second)[-2:]}; read as its last day, "
            f"{format_short(day)}",))
    if m := _CALENDAR_QUARTER.match(loose):
        day = _month_end(int(m["y"]), 3 * int(m["q"]))
        return ParsedDate(day, condition=text, warnings=(
            f"{text!r} is read as a calendar quarter (Q1 is January-March), so as {format_short(day)}; if the plan "
            "counts quarters from April, write it as a financial year, e.g. Q3 22/23",))
    return None


def _month(text: str, loose: str) -> ParsedDate | None:
    m = _MONTH.match(loose)
    if not m or m["month"] not in MONTHS:
        return None
    day = _month_end(_year(m["y"]), MONTHS[m["month"]])
    return ParsedDate(day, warnings=(f"{text!r} gives a month only; read as its last day, {format_short(day)}",))


def _short_year(text: str, loose: str) -> ParsedDate | None:
    m = _DAY_MONTH_SHORT_YEAR.match(loose)
    if not m or m["month"] not in MONTHS:
        return None
    day = parse_uk_date(f"{m['d']}/{MONTHS[m['month']]}/20{m['y']}").value
    return ParsedDate(day, warnings=(f"{text!r} has a two-digit year; read as {format_short(day)}",))


def _week(text: str, loose: str) -> ParsedDate | None:
    m = _WEEK.match(loose)
    if not m:
        return None
    start = parse_uk_date(m["date"]).value
    day = start + timedelta(days=6)
    return ParsedDate(day, condition=text, warnings=(
        f"{text!r} is a week; read as its last day, {format_short(day)}",))


def _iso_datetime(text: str, loose: str) -> ParsedDate | None:
    if not _ISO_DATETIME.match(loose):
        return None
    moment = datetime.fromisoformat(loose.upper().replace(" ", "T").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # list exports (SharePoint) write UTC
    day = moment.astimezone(UK).date()
    note = "" if day == moment.date() else f" ({moment:%H:%M on %d/%m/%Y} in UTC is already the next day in the UK)"
    return ParsedDate(day, warnings=(f"{text!r} is a date and time; read as the UK date {format_short(day)}{note}",))


def _in_text(text: str) -> ParsedDate | None:
    found = _DATE_IN_TEXT.findall(text)
    if len(found) != 1:  # none, or several: which one is meant is for a person to say
        return None
    day = parse_uk_date(found[0]).value
    return ParsedDate(day, warnings=(f"{text!r} is not only a date; read the date in it, {format_short(day)}",))


def read_written_date(text: str) -> ParsedDate | None:
    """The date `text` stands for when it is not a plain UK date, or None if it is none of the forms above.
    Raises DateError for a form that is recognised but impossible (31 February, Q2 22/24)."""
    cleaned = " ".join(text.split())
    loose = cleaned.lower()
    for reading in (_quarter, _iso_datetime, _week, _short_year, _month):
        found = reading(cleaned, loose)
        if found is not None:
            return found
    return _in_text(cleaned)

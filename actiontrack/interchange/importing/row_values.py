"""The values of one action's row, read from its cells: dates (due, revised, baseline, condition), status,
completion, kind, progress and evidence — and the limits on their length, checked once the row is whole."""

from __future__ import annotations

import re
from collections.abc import Callable

from actiontrack.domain.text import Limit, too_long

from .base import ERROR, WARNING, ParsedRow
from .columns import FIELD_BY_KEY
from .grid import short
from .values import clean_text, owner_parts, read_date, read_kind, read_status

# problem(severity, message, location, text="", row=None, once="") — the assembler's reporting
Report = Callable[..., None]

# The longest text each field may hold (domain.text.Limit), checked on the action as read (rows split across
# pages joined), so the person is told which row and cell to shorten before anything is written.
LIMITS = (("action", "text", Limit.TEXT, "the action's text"),
          ("status_reason", "status_reason", Limit.REASON, "the reason for the status"),
          ("progress", "progress", Limit.UPDATE, "the progress commentary"),
          ("evidence", "evidence", Limit.TEXT, "the evidence cell"))


def read_values(row: ParsedRow, raw: dict, text: dict[str, str], meanings: dict, problem: Report,
                status_once: str, percent: bool = False) -> None:
    row.owners = text.get("owner", "")
    row.supporting = text.get("supporting", "")
    dates = {}
    for key in ("due", "baseline", "revised"):
        if (done := _completion(raw.get(key))) and not clean_text(raw.get("completed")):
            raw = {**raw, "completed": done}  # "Completed 14/02/2024" in the date column: when, not a target
            problem(WARNING, f"{short(text.get(key, ''))!r} says when the action was completed, not when it is due: "
                    f"read as completed on {done}, with no due date from this cell", row.at(key), text.get(key, ""))
            dates[key] = None
            continue
        read = read_date(raw.get(key))
        if read.error:
            problem(ERROR, read.error, row.at(key), text.get(key, ""), row)
        elif read.warning:
            problem(WARNING, read.warning, row.at(key), text.get(key, ""))
            row.notes.append(f"{FIELD_BY_KEY[key].label} {read.warning}")
        dates[key] = read.value
    row.baseline_given = dates["baseline"] is not None or None not in (dates["due"], dates["revised"])
    row.baseline = dates["baseline"] or dates["due"] or dates["revised"]
    row.due = dates["revised"] or dates["due"] or dates["baseline"]
    condition = text.get("condition", "")
    if condition and row.due is not None:
        row.due = type(row.due)(row.due.value, condition, row.due.warnings)
    elif condition:
        problem(WARNING, "a condition without a due date is ignored", row.at("condition"), condition)
    status = read_status(raw.get("status"), meanings, percent=percent)
    if status.error:
        problem(ERROR, status.error, row.at("status"), text.get("status", ""), row)
    elif status.warning:
        problem(WARNING, status.warning, row.at("status"), text.get("status", ""), once=status_once)
    row.lifecycle, row.status_text, row.status_is_rag = status.value, text.get("status", ""), bool(status.warning)
    row.status_reason = text.get("status_reason", "")
    completed = read_date(raw.get("completed"))
    if completed.error:
        problem(ERROR, completed.error, row.at("completed"), text.get("completed", ""), row)
    elif completed.value is not None:
        row.completed_on = completed.value.value
        if completed.warning:
            problem(WARNING, completed.warning, row.at("completed"), text.get("completed", ""))
    if text.get("kind"):
        kind = read_kind(raw.get("kind"))
        if kind.warning:
            problem(WARNING, kind.warning, row.at("kind"), text["kind"])
        row.rec_kind = kind.value or row.rec_kind
    row.progress = text.get("progress", "")
    row.evidence = text.get("evidence", "")


def check_lengths(row: ParsedRow, problem: Report) -> None:
    """Text over its limit is an error on the action's row, naming the cell."""
    for key, attribute, limit, what in LIMITS:
        value = getattr(row, attribute)
        if message := too_long(value, limit, what):
            problem(ERROR, message, row.at(key), short(value), row)
    if row.due is not None and (message := too_long(row.due.condition, Limit.CONDITION, "the condition")):
        where = row.at("condition" if "condition" in row.columns else "due")  # or in brackets after the date
        problem(ERROR, message, where, short(row.due.condition), row)
    if message := too_long(row.rec_text, Limit.TEXT, f"the text of recommendation {row.rec_ref}"):
        problem(ERROR, message, row.at("recommendation"), short(row.rec_text), row,
                once=f"long recommendation {row.rec_ref}")
    for cell, names in (("owner", row.owners), ("supporting", row.supporting)):
        for name in owner_parts(names) if len(names) > Limit.LINE else ():  # no part longer than the cell
            if message := too_long(name, Limit.LINE, "an owner's name"):
                problem(ERROR, message, row.at(cell), short(name), row)


_COMPLETION = re.compile(r"^(?:completed|complete|done|closed|achieved|delivered|implemented)\b[\s:,\-–]*(?:on\s+)?"
                         r"(?P<date>\S.{3,40})$", re.I)


def _completion(value) -> str:
    """The date part of "Completed 14/02/2024" (or "Done: March 2023") written in a date column, else ""."""
    found = _COMPLETION.match(clean_text(value)) if isinstance(value, str) else None
    if not found:
        return ""
    read = read_date(found.group("date"))
    return found.group("date") if read.value is not None and not read.error else ""

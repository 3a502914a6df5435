"""The tracker as CSV: the same columns as the Excel tracker, UTF-8 with a byte-order mark so Excel reads
"£" and "–" correctly, dates as dd/mm/yyyy. A cell that starts with =, +, -, @, tab or carriage return is
prefixed with an apostrophe, so a spreadsheet never runs it as a formula (CSV injection); actiontrack's
importer removes the apostrophe again. Text is made printable first (no control characters; Word's manual line
break as a line break), whatever is stored."""

from __future__ import annotations

import csv
import io
from datetime import date

from actiontrack.domain.text import printable
from actiontrack.plans.models import Plan

from .tracker import as_text, build

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(DANGEROUS) else text


def render(plan: Plan, as_at: date) -> bytes:
    tracker = build(plan, as_at)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(tracker.headers)
    for row in tracker.rows:
        writer.writerow([neutralise(printable(as_text(value))) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

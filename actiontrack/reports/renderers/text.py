"""Text as the renderers draw it, whatever is stored.

Text is normalised on the way in, but a report may hold text stored before that (or written around the
services): every renderer first makes the report's text printable (`domain.text.printable`: Word's manual line
break as a line break, no control characters), so DOCX, PDF and HTML can always be made.

A very long unbroken "word" (a pasted URL, a line of dashes, 5,000 characters without a space) must wrap, not
run off the page. Browsers wrap it by CSS alone (overflow-wrap). WeasyPrint does too, but finds where to break
such a word by laying out all the rest of it again for every line, which is quadratic: one 32,767-character word
took 35 s. For the PDF, a zero-width space every few characters of such a run gives it break points, so each
line is found in the few characters it holds. Zero-width spaces draw nothing and are not in the PDF's text.
"""

from __future__ import annotations

import re

from actiontrack.domain.text import printable

from ..data import ReportData, with_text

ZERO_WIDTH_SPACE = "\u200b"
LONGEST_WORD = 30  # runs of more non-space characters than this get break points (real words are shorter)
BREAK_EVERY = 12  # characters between break points: well under a line of the narrowest column
_LONG_RUN = re.compile(rf"[^\s\u200b]{{{LONGEST_WORD + 1},}}")


def printable_report(data: ReportData) -> ReportData:
    return with_text(data, printable)


def _with_breaks(match: re.Match) -> str:
    run = match.group()
    return ZERO_WIDTH_SPACE.join(run[i:i + BREAK_EVERY] for i in range(0, len(run), BREAK_EVERY))


def breakable(text: str) -> str:
    """The text with a break point every BREAK_EVERY characters of each run longer than LONGEST_WORD."""
    return _LONG_RUN.sub(_with_breaks, text)


def breakable_report(data: ReportData) -> ReportData:
    return with_text(data, breakable)


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, ending "…" when cut: for places with room for a line (page headers,
    document properties)."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"

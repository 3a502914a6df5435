"""The board report as one self-contained HTML file: styles and the chart are inside it, so it opens anywhere
(and prints on A4). The PDF renderer draws this same document."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from actiontrack.domain.text import Limit

from ..data import ReportData
from ..palette import PALETTE
from .chart import chart_data_uri
from .text import breakable, breakable_report, printable_report, shortened

CSS = Path(__file__).resolve().parent.parent / "static" / "reports" / "document.css"
_COLOUR_NAME = re.compile(r"[a-z]{1,20}")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return CSS.read_text()


def css_string(text: str) -> str:
    """Text as a CSS string literal, safe inside a <style> element."""
    cleaned = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{cleaned}"'


def _status_rule(status) -> str:
    """A status's colours as a CSS rule. The colours come from the palette (reports/palette.py) through the
    report data; a stored report's values are checked, so nothing but a colour name and two colours reaches the
    stylesheet."""
    if not _COLOUR_NAME.fullmatch(status.colour):
        return ""
    fill, ink, _ = PALETTE["grey"]
    fill = status.fill if _HEX.fullmatch(status.fill) else fill
    ink = status.ink if _HEX.fullmatch(status.ink) else ink
    return f".status--{status.colour}, .tag--{status.colour} {{ background: {fill}; color: {ink}; }}"


def _styles(data: ReportData, for_pdf: bool) -> str:
    rules = [stylesheet(), *(_status_rule(status) for status in data.statuses())]
    if for_pdf:
        marking = ("DRAFT – " if data.is_draft else "") + f"{data.plan_reference}, {data.meeting_date:%d/%m/%Y}"
        rules.append("@page {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }} }}".format(
            *(css_string(breakable(shortened(text, Limit.LINE))) for text in (data.classification, marking))))
    return mark_safe("\n".join(rules))  # our stylesheet; values escaped by css_string; colours checked above


def document(data: ReportData, *, for_pdf: bool = False) -> str:
    """The report as HTML. Its text is made printable first; for the PDF, long unbroken words in what the page
    shows are given break points (renderers/text.py), while the title and other properties keep the words."""
    data = printable_report(data)
    shown = breakable_report(data) if for_pdf else data
    summaries = shown.blocks("status_summary")
    return render_to_string("reports/standalone.html", {
        "report": shown, "properties": data, "styles": _styles(data, for_pdf), "for_pdf": for_pdf,
        "chart_src": chart_data_uri(summaries[0]) if summaries else "",
    })


def render(data: ReportData) -> bytes:
    return document(data).encode("utf-8")

"""The board report as one self-contained HTML file: styles and the chart are inside it, so it opens anywhere
(and prints on A4). The PDF renderer draws this same document."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..data import ReportData
from .chart import chart_data_uri

CSS = Path(__file__).resolve().parent.parent / "static" / "reports" / "document.css"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return CSS.read_text()


def css_string(text: str) -> str:
    """Text as a CSS string literal, safe inside a <style> element."""
    cleaned = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{cleaned}"'


def _styles(data: ReportData, for_pdf: bool) -> str:
    rules = [stylesheet()]
    for status in data.statuses():
        rules.append(f".status--{status.colour}, .tag--{status.colour} {{ background: {status.fill}; "
                     f"color: {status.ink}; }}")
    if for_pdf:
        marking = ("DRAFT – " if data.is_draft else "") + f"{data.plan_reference}, {data.meeting_date:%d/%m/%Y}"
        rules.append(f"@page {{ @top-left {{ content: {css_string(data.classification)}; }} "
                     f"@top-right {{ content: {css_string(marking)}; }} }}")
    return mark_safe("\n".join(rules))  # our stylesheet and values escaped by css_string; colours from the palette


def document(data: ReportData, *, for_pdf: bool = False) -> str:
    summaries = data.blocks("status_summary")
    return render_to_string("reports/standalone.html", {
        "report": data, "styles": _styles(data, for_pdf), "for_pdf": for_pdf,
        "chart_src": chart_data_uri(summaries[0]) if summaries else "",
    })


def render(data: ReportData) -> bytes:
    return document(data).encode("utf-8")

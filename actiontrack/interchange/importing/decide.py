"""What a row asks for, decided once for the preview (planner.py) and the apply (apply.py), so the two never
disagree: whether a text has changed, which web addresses an evidence cell holds, which status the row asks
for, and what a new plan is called when nothing names it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_short
from actiontrack.people.models import Post
from actiontrack.people.selectors import post_find
from actiontrack.plans.choices import SourceKind

from . import decisions
from .base import ParsedRow
from .report import ImportReport
from .titles import source_kind_of

URL = re.compile(r"https?://[^\s<>\"']+", re.I)  # web addresses in an evidence cell


def title_from_filename(filename: str) -> str:
    """A new plan's title when neither the person nor the file gives one."""
    return PurePath(filename).stem.replace("_", " ").strip() or "Imported plan"


def new_plan_source(report: ImportReport, title: str) -> SourceKind:
    """A new plan's kind of source: the plan manager's choice, else the one its title names ("HMICFRS inspection
    2023 – action plan" is an HMICFRS inspection), else Other. Kept on the report for the preview to offer."""
    report.source_kind_found = source_kind_of(title)
    chosen = decisions.source_kind(report.mapping)
    kind = SourceKind(chosen if chosen in SourceKind.values else report.source_kind_found or SourceKind.OTHER)
    report.source_kind = kind.value
    return kind


def same_text(a: str, b: str) -> bool:
    """The same text but for spacing and line breaks."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def same_words(a: str, b: str) -> bool:
    """The same words but for case and punctuation (a recommendation's text copied from another document)."""
    return _words(a) == _words(b)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def evidence_links(cell: str) -> tuple[list[str], str]:
    """The web addresses in an evidence cell, each once, in order, and whatever text is left beside them."""
    urls = [url.rstrip(".,;:)]") for url in URL.findall(cell)]
    return list(dict.fromkeys(urls)), URL.sub("", cell).strip(" \n-–—;,:")


def lifecycle_target(row: ParsedRow, current: Lifecycle) -> Lifecycle | None:
    """The lifecycle the file asks for, if it is a change. A RAG word says only complete or not; a closed action
    stays closed when the file says it is complete. The preview and the apply both decide it here."""
    target = row.lifecycle
    if target is None or target == current:
        return None
    if row.status_is_rag and target.is_complete == current.is_complete:
        return None
    if target == Lifecycle.COMPLETED and current == Lifecycle.CLOSED:
        return None
    return target


def completion(row: ParsedRow, target: Lifecycle, as_at: date | None) -> tuple[date | None, str]:
    """The completion date to record for a row the file says is complete, and what the history should say of
    it: the file's own date; else the date the document is as at, said to be an assumption; else (None, ""),
    for the caller to report — never the day of the import."""
    if not target.is_complete or row.completed_on:
        return row.completed_on if target.is_complete else None, ""
    if as_at is not None:
        return as_at, (f"Completion date not in the file: taken as the date the document is as at, "
                       f"{format_short(as_at)} (an assumption).")
    return None, ""


def completion_detail(row: ParsedRow, target: Lifecycle, as_at: date | None) -> list[str]:
    """What the preview and the apply say will be recorded as the completion date, beside the status, as they say
    the due date: "completed on 14/02/2024", or "... (the date the document is as at: an assumption)"."""
    completed, assumed = completion(row, target, as_at)
    if completed is None:
        return []
    return [f"completed on {format_short(completed)}"
            + (" (the date the document is as at: an assumption)" if assumed else "")]


def default_owner(report: ImportReport) -> Post | None:
    """The post the plan manager chose for rows that name no owner, if any (an unknown one is reported)."""
    name = decisions.default_owner(report.mapping)
    if not name:
        return None
    try:
        return post_find(name)
    except ValidationError as exc:
        report.default_owner_unknown(name, exc)
        return None

"""Reads: a plan's reports, a report's data (frozen for an issued report, live for a draft) and its files.
Who may read is checked by the caller (the views: anyone who can see the plan; the command line: anyone)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from actiontrack.core import files as file_store
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import plan_as_at

from . import renderers
from .build import (
    EditableProgress,
    EditableReason,
    build_report_data,
    changes_since,
    editable_progress,
    editable_reasons,
    generated_sentence,
    previous_issued,
)
from .choices import FORMATS, ReportStatus
from .data import ChangeList, ReportData, load, public_version
from .models import BoardReport, IssuedFile
from .organisation import branding


def reports_of(plan: Plan, *, manager: bool = True) -> QuerySet[BoardReport]:
    """The plan's reports, latest meeting first: all of them for its managers; for everyone else the issued ones
    and the drafts shared with the board."""
    reports = plan.board_reports.select_related("plan", "created_by", "issued_by").order_by("-meeting_date", "-id")
    return reports if manager else reports.filter(Q(status=ReportStatus.ISSUED) | Q(shared=True))


def same_meeting(plan: Plan, meeting_date, exclude: int | None = None) -> BoardReport | None:
    """The plan's report for a meeting on that date, if there is one already (one report per meeting)."""
    return plan.board_reports.filter(meeting_date=meeting_date).exclude(pk=exclude).order_by("-status", "id").first()


def report_data(report: BoardReport) -> ReportData:
    """An issued report's data as frozen; a draft's as the plan stands now."""
    return load(report.snapshot) if report.is_issued else build_report_data(report)


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    filename: str
    media_type: str
    sha256: str
    stored: bool  # True: the file stored when the report was issued


class IssuedFileAltered(RuntimeError):
    """An issued report's stored file was changed or damaged in the file store after it was issued."""


def report_file(report: BoardReport, fmt: str, data: ReportData | None = None, *, public: bool = False) -> ReportFile:
    """The file of one format: for an issued report the stored bytes; for a draft, rendered now. The public
    version (exempt material removed) is rendered from the same data each time it is asked for."""
    if fmt not in FORMATS:
        raise renderers.UnknownFormat(f"unknown report format {fmt!r}; known: {', '.join(FORMATS)}")
    data = data or report_data(report)
    if public:
        data = public_version(data)
    if report.is_issued and not public:
        stored = IssuedFile.objects.get(report=report, format=fmt)
        content = file_store.read_bytes(stored.store_name)
        if hashlib.sha256(content).hexdigest() != stored.sha256:  # a frozen record: never serve one altered
            raise IssuedFileAltered(f"The stored {fmt} of the report for {report} ({stored.store_name}) no longer "
                                    f"matches the SHA-256 recorded when it was issued ({stored.sha256}).")
        return ReportFile(content, renderers.filename(data, fmt), FORMATS[fmt].media_type, stored.sha256, True)
    content = renderers.render(fmt, data, docx_template=branding().template if fmt == "docx" else None)
    return ReportFile(content, renderers.filename(data, fmt), FORMATS[fmt].media_type,
                      hashlib.sha256(content).hexdigest(), False)


@dataclass(frozen=True)
class DataSince:
    """What the author of a draft needs beside the form: what changed in the data, and the generated sentence."""

    previous: BoardReport | None
    changes: ChangeList
    sentence: str
    progress: list[EditableProgress]  # the owners' updates the author may word for the board
    reasons: list[EditableReason]  # the changes whose reasons the author may word for the board


def data_since(report: BoardReport) -> DataSince:
    view = plan_as_at(report.plan, report.as_at)
    return DataSince(previous=previous_issued(report), changes=changes_since(report, view),
                     sentence=generated_sentence(view), progress=editable_progress(report, view),
                     reasons=editable_reasons(report, view))

"""Board reports through the API: a plan's reports, and the files of issued ones, byte for byte as issued (with
their SHA-256). Drafts change with the plan, so their files are rendered on the web only."""

from datetime import date
from typing import Literal

from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Field, Path, Schema
from ninja.pagination import paginate

from actiontrack.reports.choices import FORMATS
from actiontrack.reports.models import IssuedFile
from actiontrack.reports.selectors import report_file as issued_file
from actiontrack.reports.selectors import reports_of

from .common import Pagination, plan_or_404
from .errors import READ
from .reads import READING, Reference, router
from .schemas import MAX_ID, Error

Format = Literal["pdf", "docx", "html"]
ReportId = Path(..., ge=1, le=MAX_ID)
FormatParam = Path(..., description="pdf, docx or html")


class IssuedFileOut(Schema):
    format: Format
    label: str
    size: int
    sha256: str
    download_url: str


class ReportOut(Schema):
    id: int
    plan: str
    meeting: str
    meeting_date: date
    subject: str
    agenda_item: str
    status: Literal["draft", "issued"]
    as_at: date = Field(description="The date the plan is shown as at in the report")
    issued_on: date | None
    issued_by: str
    files: list[IssuedFileOut] = Field(description="An issued report's files; none for a draft")
    web_url: str


def _report_out(report, files) -> dict:
    return {
        "id": report.pk, "plan": report.plan.reference, "meeting": report.meeting,
        "meeting_date": report.meeting_date, "subject": report.subject,
        "agenda_item": report.agenda_item, "status": report.status, "as_at": report.as_at,
        "issued_on": report.issued_on,
        "issued_by": report.issued_by_name,
        "files": [{"format": f.format, "label": FORMATS[f.format].label, "size": f.size, "sha256": f.sha256,
                   "download_url": reverse("api:report_file", args=[report.plan.reference, report.pk, f.format])}
                  for f in files],
        "web_url": reverse("reports:detail", args=[report.plan.reference, report.pk]),
    }


@router.get("/plans/{reference}/reports", response={200: list[ReportOut], **READ}, tags=READING,
            summary="A plan's board reports, newest meeting first")
@paginate(Pagination)
def reports(request, reference: str = Reference):
    plan = plan_or_404(request.auth, reference)
    found = list(reports_of(plan).select_related("plan"))
    files: dict[int, list] = {}
    for stored in IssuedFile.objects.filter(report__in=found).order_by("format"):
        files.setdefault(stored.report_id, []).append(stored)
    return [_report_out(report, files.get(report.pk, []) if report.is_issued else []) for report in found]


@router.get("/plans/{reference}/reports/{report_id}/files/{fmt}",
            response={200: None, 401: Error, 404: Error, 422: Error}, tags=READING, url_name="report_file",
            summary="Download an issued board report's file",
            openapi_extra={"responses": {200: {
                "description": "The file as issued, as an attachment; its ETag is its SHA-256",
                "content": {f.media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                            for f in FORMATS.values()}}}})
def report_file(request, reference: str = Reference, report_id: int = ReportId, fmt: Format = FormatParam):
    plan = plan_or_404(request.auth, reference)
    report = reports_of(plan).filter(pk=report_id).first()
    if report is None:
        raise Http404(f"There is no board report {report_id} of {plan.reference}.")
    if not report.is_issued:
        raise Http404(f"The board report {report_id} is a draft: only issued reports' files can be downloaded "
                      "through the API. See it on the web.")
    if not IssuedFile.objects.filter(report=report, format=fmt).exists():
        raise Http404(f"The board report {report_id} was not issued as {fmt}.")
    file = issued_file(report, fmt)  # the stored bytes, byte for byte as issued
    response = HttpResponse(file.content, content_type=file.media_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["ETag"] = f'"{file.sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

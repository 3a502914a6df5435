"""Board report pages: a plan's reports, create, edit a draft, preview, issue, download. A view parses input,
calls one service (or a selector), renders. Someone who cannot see the plan gets a 404 on every page; anyone
who can see it reads and downloads; only its plan managers create, edit and issue (the services check, and a
refusal is a clear 403 page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BooleanField, ChoiceField, MultipleChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actiontrack.core import background
from actiontrack.domain.ukdates import format_long
from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor, plan_or_404
from actiontrack.pages.rendering import Refusal, page
from actiontrack.plans import permissions as perms
from actiontrack.plans.errors import EditConflict

from . import forms, jobs, selectors, services
from .choices import FORMATS
from .data import public_version
from .renderers.chart import chart_data_uri

# Signed in; a PermissionDenied from the view or its service becomes the refused page (403).
report_page = page(refused=Refusal(
    reason="Only a plan manager can do this.",
    advice="You can still read and download the plan's board reports. If you think you should be able to do "
           "this, ask an administrator for the plan manager role.",
    back_to_address=False))


def _report_or_404(request, reference: str, pk: int):
    """The report, if this person may read it: a draft not shared with the board is its plan managers' only."""
    plan = plan_or_404(request.user, reference)
    return plan, get_object_or_404(selectors.reports_of(plan, manager=perms.is_manager(request.user, plan)), pk=pk)


def _managed(request, plan, doing: str) -> None:
    perms.require_manager(actor(request), plan, doing)


def _issued(request, plan, report, title: str, why: str):
    """The page (409) saying an issued report cannot be changed or thrown away, and why."""
    return render(request, "reports/problem.html", {
        "plan": plan, "board_report": report, "title": title,
        "message": f"The report for {report} was issued on {format_long(report.issued_on)}. {why}"}, status=409)


def _formats():
    return list(FORMATS.values())


@report_page
def report_list(request, reference):
    plan = plan_or_404(request.user, reference)
    manager = perms.is_manager(request.user, plan)
    return render(request, "reports/list.html", {
        "plan": plan, "reports": selectors.reports_of(plan, manager=manager), "formats": _formats(),
        "can_manage": manager})


@report_page
@require_http_methods(["GET", "POST"])
def report_new(request, reference):
    plan = plan_or_404(request.user, reference)
    _managed(request, plan, "create board reports")
    start = services.starting_point(plan)
    existing = None
    if request.method == "POST":
        form = forms.ReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_create(
                    actor=actor(request), plan=plan, today=timezone.localdate(),
                    meeting_date=form.cleaned_data["meeting_date"],
                    second_for_meeting=form.cleaned_data["second_for_meeting"], **form.header())
            except services.AlreadyReported as exc:
                existing = exc.existing  # the page links to it, and offers a second report on purpose
                add_service_errors(form, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                source = f"the report of {format_long(start.meeting_date)}" if start else "the standard wording"
                messages.success(request, f"Draft board report for {report} created, starting from {source}. "
                                          "Check each section.")
                return redirect("reports:edit", plan.reference, report.pk)
    else:
        form = forms.ReportCreateForm(initial={"meeting": start.meeting if start else plan.board})
    return render(request, "reports/new.html", {"plan": plan, "form": form, "start": start, "existing": existing},
                  status=400 if form.errors else 200)


@report_page
def report_detail(request, reference, pk):
    """The report as it will read, in the app: the frozen data of an issued report, a draft's live data."""
    plan, report = _report_or_404(request, reference, pk)
    if request.htmx and request.htmx.target == "issue-job":  # the issuing job's part of the page (see its template)
        job = background.latest(jobs.ISSUE, report.pk)
        return render(request, "reports/_issue_job.html", {"plan": plan, "board_report": report, "issue_job": job})
    data = selectors.report_data(report)
    offers_public = data.has_public_version
    if offers_public and request.GET.get("version") == "public":
        data = public_version(data)
    summaries = data.blocks("status_summary")
    return render(request, "reports/detail.html", {
        "plan": plan, "board_report": report, "report": data, "formats": _formats(),
        "files": list(report.files.order_by("format")) if report.is_issued else [],
        "chart_src": chart_data_uri(summaries[0]) if summaries else "", "offers_public": offers_public,
        "can_manage": perms.is_manager(request.user, plan), "issue_job": jobs.issue_job(report)})


def _editable(since) -> dict:
    return {"generated_sentence": since.sentence, "progress": since.progress, "reasons": since.reasons}


def _edit_page(request, plan, report, form, since, status=200, conflict=None, conflict_rows=()):
    return render(request, "reports/edit.html", {
        "plan": plan, "board_report": report, "form": form, "since": since, "conflict": conflict,
        "conflict_rows": conflict_rows}, status=status)


def _shown(field, value) -> str:
    if isinstance(field, BooleanField):
        return "Yes" if value in (True, "on", "true", "True") else "No"
    if isinstance(field, MultipleChoiceField):
        labels = dict(field.choices)
        return "; ".join(str(labels.get(item, item)) for item in value or [])
    if isinstance(field, ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(field.prepare_value(value) or "").strip()


def _conflict_rows(report, posted) -> list[tuple[str, str, str]]:
    """(label, stored now, typed) for every field where the stored report and the submitted form differ."""
    stored = forms.ReportEditForm.initial_for(report)
    rows = []
    for name, field in forms.ReportEditForm().fields.items():
        if name == "version":
            continue
        sent = posted.getlist(name) if isinstance(field, MultipleChoiceField) else posted.get(name, "")
        now, typed = _shown(field, stored.get(name)), _shown(field, sent)
        if now != typed:
            rows.append((field.label, now or "—", typed or "—"))
    return rows


@report_page
@require_http_methods(["GET", "POST"])
def report_edit(request, reference, pk):
    plan, report = _report_or_404(request, reference, pk)
    _managed(request, plan, "edit board reports")
    if report.is_issued:
        return _issued(request, plan, report, "This report has been issued",
                       "An issued report is frozen and cannot be changed: create a new report instead.")
    since = selectors.data_since(report)
    if request.method != "POST":
        form = forms.ReportEditForm(initial=forms.ReportEditForm.initial_for(report, since.progress, since.reasons),
                                    **_editable(since))
        return _edit_page(request, plan, report, form, since)
    form = forms.ReportEditForm(request.POST, **_editable(since))
    if not form.is_valid():
        return _edit_page(request, plan, report, form, since, status=400)
    try:
        services.report_update(actor=actor(request), report=report, expected_version=form.cleaned_data["version"],
                               changes=form.changes(), today=timezone.localdate())
    except EditConflict as exc:
        report.refresh_from_db()
        data = request.POST.copy()
        data["version"] = exc.current_version
        form = forms.ReportEditForm(data, **_editable(since))
        return _edit_page(request, plan, report, form, since, status=409, conflict=exc,
                          conflict_rows=_conflict_rows(report, request.POST))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _edit_page(request, plan, report, form, since, status=400)
    messages.success(request, "The draft report was saved.")
    return redirect("reports:detail", plan.reference, report.pk)


@report_page
@require_http_methods(["GET", "POST"])
def report_issue(request, reference, pk):
    plan, report = _report_or_404(request, reference, pk)
    _managed(request, plan, "issue board reports")
    if report.is_issued:
        messages.info(request, f"The report for {report} was already issued on {format_long(report.issued_on)}.")
        return redirect("reports:detail", plan.reference, report.pk)
    form = forms.IssueForm(request.POST or None, initial={"version": report.version})
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                job = jobs.report_issue_request(actor=actor(request), report=report, today=timezone.localdate(),
                                                expected_version=form.cleaned_data["version"])
            except EditConflict as exc:
                form = forms.IssueForm({"version": exc.current_version})
                form.is_valid()
                form.add_error(None, "Someone changed the report since you opened this page. Check the report "
                                     "below, then issue it.")
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                report.refresh_from_db()
                if report.is_issued:  # issued already (the immediate backend)
                    messages.success(request, jobs.issued_message(report))
                elif job.waiting:
                    messages.info(request, f"The report for {report} is being issued: this page shows when it is "
                                           "done. You can leave it and come back.")
                return redirect("reports:detail", plan.reference, report.pk)
        else:
            status = 400
    data = selectors.report_data(report)
    today = timezone.localdate()
    return render(request, "reports/issue.html", {
        "plan": plan, "board_report": report, "report": data, "form": form,
        "summary": data.blocks("status_summary")[0],
        # Not yet issuable (services._check_issuable): say so, and from when, instead of offering the button.
        "issuable_from": report.as_at if today < report.as_at else None}, status=status)


@report_page
def report_download(request, reference, pk, fmt):
    plan, report = _report_or_404(request, reference, pk)
    if fmt not in FORMATS:
        raise Http404("No such format")
    public = request.GET.get("version") == "public"
    file = selectors.report_file(report, fmt, public=public)
    response = HttpResponse(file.content, content_type=file.media_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Content-Length"] = str(len(file.content))
    response["ETag"] = f'"{file.sha256}"'
    response["Cache-Control"] = "private, no-store"  # an OFFICIAL paper is not kept in a shared computer's cache
    return response


@report_page
@require_http_methods(["GET", "POST"])
def report_discard(request, reference, pk):
    """Throw a draft away, after saying so: an issued report is never discarded."""
    plan, report = _report_or_404(request, reference, pk)
    _managed(request, plan, "discard board reports")
    if report.is_issued:
        return _issued(request, plan, report, "An issued report is kept for good",
                       "Issued reports are the record of what the board was told, and cannot be discarded.")
    if request.method == "POST":
        services.report_discard(actor=actor(request), report=report, today=timezone.localdate())
        messages.success(request, f"The draft report for {report} was discarded.")
        return redirect("reports:list", plan.reference)
    return render(request, "reports/discard.html", {"plan": plan, "board_report": report})


@report_page
@require_http_methods(["POST"])
def report_share(request, reference, pk):
    plan, report = _report_or_404(request, reference, pk)
    shared = request.POST.get("shared") == "yes"
    try:
        services.report_share(actor=actor(request), report=report, shared=shared, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The draft report for {report} is {'now' if shared else 'no longer'} shared with "
                                  "the board.")
    return redirect("reports:detail", plan.reference, report.pk)

"""The plan manager's evidence pack page: choose the day, the worker makes the pack (pack_jobs), download it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actiontrack.core.models import BackgroundJob
from actiontrack.domain.ukdates import DateError, format_short, parse_as_at
from actiontrack.pages.lookups import actor, plan_or_404
from actiontrack.pages.rendering import Refusal, page
from actiontrack.plans import permissions as perms
from actiontrack.plans.selectors import AsAtError, check_as_at

from . import pack_jobs
from .evidence_pack import pack_name

pack_page = page(refused=Refusal(reason="Only a plan manager can make an evidence pack.",
                                 advice="Ask a plan manager of this plan for one.", back_to_address=False))


@pack_page
@require_http_methods(["GET", "POST"])
def evidence_pack(request, reference):
    plan = plan_or_404(request.user, reference)
    perms.require_manager(actor(request), plan, "make an evidence pack")
    raw = request.GET.get("as_at", "").strip()
    context = {"plan": plan, "as_at_text": raw or format_short(timezone.localdate()), "job": None, "error": ""}
    if not raw:
        return render(request, "reports/evidence_pack.html", context)
    try:
        as_at = parse_as_at(raw)
        check_as_at(plan, as_at)
    except (DateError, AsAtError) as exc:
        context["error"] = "; ".join(exc.messages) if isinstance(exc, AsAtError) else f"The date: {exc}."
        return render(request, "reports/evidence_pack.html", context, status=400)
    if request.method == "POST":
        pack_jobs.pack_request(plan=plan, as_at=as_at, user=request.user)
        return redirect(request.get_full_path())
    job = pack_jobs.prepared(plan, as_at)
    if job is not None and job.status == BackgroundJob.Status.DONE and request.GET.get("download") and \
            not request.htmx:
        response = HttpResponse(pack_jobs.content_of(job), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{pack_name(plan, as_at)}"'
        return response
    context.update(job=job, as_at=as_at, here=request.get_full_path())
    template = "reports/_evidence_pack_job.html" if request.htmx else "reports/evidence_pack.html"
    return render(request, template, context)

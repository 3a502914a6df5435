"""The import pages (upload, then a preview of exactly what would change, with the column mapping to
adjust, then apply) for plan managers, and export downloads for anyone who can see the plan. Views parse
input and call the import service; the service checks permissions and writes through the plan services."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from actiontrack.core.choices import ChangeSource, EntityType
from actiontrack.core.journal import Actor
from actiontrack.core.models import BackgroundJob, JournalEvent
from actiontrack.domain.ukdates import DateError, parse_as_at
from actiontrack.pages.lookups import actor, plan_or_404
from actiontrack.pages.rendering import Refusal, page
from actiontrack.plans import permissions as perms
from actiontrack.plans.models import Plan
from actiontrack.plans.services.evidence import safe_name

from . import jobs
from .exporting import jobs as export_jobs
from .forms import MappingForm, UploadForm
from .importing import decisions, storage
from .importing.base import ImportRefused
from .importing.report import ImportReport, report_from_json
from .importing.safety import FORMATS, check
from .registry import EXPORTERS, exporter

SESSION_KEY = "interchange_imports"  # where imports were kept before their state was kept beside the upload


# Signed in; a refusal becomes the refused page (someone who cannot see a plan gets a 404 first).
import_page = page(refused=Refusal(
    reason="Only a plan manager can import into a plan.",
    advice="Importing into a plan is for its plan managers. If you think you should be able to, ask an "
           "administrator for the plan manager role.",
    back_to_address=False))


def _actor(request) -> Actor:
    return actor(request, ChangeSource.IMPORT)


# Upload -----------------------------------------------------------------------------------------------------

@import_page
def import_new(request):
    if not perms.can_create_plans(request.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    return _upload(request, None)


@import_page
def import_into(request, reference):
    plan = plan_or_404(request.user, reference)
    perms.require_manager(_actor(request), plan, "import into it")
    return _upload(request, plan)


def _upload(request, plan: Plan | None):
    bound = request.method == "POST"
    form = UploadForm(request.POST if bound else None, request.FILES if bound else None, new_plan=plan is None)
    if bound and form.is_valid():
        data = form.cleaned_data
        reference = plan.reference if plan else data["reference"]
        if plan is None and Plan.objects.filter(reference__iexact=reference).exists():
            form.add_error("reference", f"A plan with reference {reference!r} exists already. To update it, import "
                                        "from that plan's page.")
        else:
            upload, name = data["file"], safe_name(data["file"].name or "")
            token = ""
            try:
                token = storage.store(upload)
                with storage.opened(token) as stream:
                    check(stream, name)
            except ImportRefused as exc:
                storage.delete(token)
                form.add_error("file", str(exc))
            else:
                agreed = data.get("agreed_on")
                storage.keep_state(token, {"user": request.user.pk, "name": name, "plan": reference,
                                           "new": plan is None, "sha256": storage.sha256_of(token),
                                           "title": data.get("title", "") or "", "mapping": {},
                                           "create_posts": False, "agreed_on": agreed.isoformat() if agreed else ""})
                return redirect("interchange:preview", token)
    return render(request, "interchange/upload.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


# Preview and apply ------------------------------------------------------------------------------------------

def _kept_state(request, token: str) -> dict | None:
    """The import's state, kept beside the upload, if this user uploaded it: the same person finds it from any of
    their sessions (another browser, a renewed session); anyone else, even another plan manager, does not."""
    state = storage.kept_state(token)
    if state is None:  # an import uploaded before the state was kept beside it, in this session only
        state = request.session.get(SESSION_KEY, {}).get(token)
        if state is not None:
            state = {**state, "user": request.user.pk}
    return state if state is not None and state.get("user") == request.user.pk else None


def _state(request, token: str) -> dict:
    state = _kept_state(request, token)
    if state is None or not storage.exists(token):
        raise Http404("No such import")
    return state


def _version(state: dict) -> str:
    chosen = json.dumps([state["mapping"], state["create_posts"]], sort_keys=True)
    return hashlib.sha256(chosen.encode()).hexdigest()[:16]


def _plan_for(request, state: dict) -> Plan | None:
    """The plan imported into, checked: a plan manager of it, or someone who may create plans."""
    plan = Plan.objects.filter(reference__iexact=state["plan"]).first()
    if plan is not None:
        plan = plan_or_404(request.user, plan.reference)
        perms.require_manager(_actor(request), plan, "import into it")
    elif not perms.can_create_plans(request.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    return plan


def _preview_key(request, state: dict) -> str:
    """What a preview depends on: the file (its SHA-256), the mapping and the posts box, who asks (and whether
    an administrator) and on what day, the plan as it stands (its read version moves with every change to it,
    roles included) and the posts and their holders (their latest journal event): a preview worked out for
    the same key is the same preview."""
    plan = Plan.objects.filter(reference__iexact=state["plan"]).values_list("pk", "read_version").first()
    posts = (JournalEvent.objects.filter(entity_type=EntityType.POST).order_by("-pk")
             .values_list("pk", flat=True).first())
    parts = [state.get("sha256", ""), _version(state), f"{request.user.pk} {request.user.is_staff}",
             timezone.localdate().isoformat(),
             repr(plan), repr(posts)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _preview(request, token: str, state: dict) -> ImportReport | None:
    """The preview for the import as now chosen: the one kept for it, or None while the worker works it out
    (asked for here if it is not already). Reloading the page, or coming back to it, does not work it out again."""
    if not state.get("sha256"):  # an import uploaded before previews were kept
        state["sha256"] = storage.sha256_of(token)
    key = _preview_key(request, state)
    kept = storage.kept_preview(token, key)
    if kept is None:
        job = jobs.preview_job(token, key)
        retry = job is not None and job.status == BackgroundJob.Status.FAILED and request.GET.get("again")
        if job is None or job.status == BackgroundJob.Status.DONE or retry:  # none yet, swept, or "Try again"
            jobs.import_preview_request(actor=_actor(request), token=token, state=state, key=key,
                                        today=timezone.localdate())
            kept = storage.kept_preview(token, key)  # there already with the immediate backend
    return report_from_json(kept) if kept is not None else None


def _checking(request, token: str, state: dict, plan) -> HttpResponse:
    """The page that waits for the worker to work out the preview, or says why it could not."""
    job = jobs.preview_job(token, _preview_key(request, state))
    context = {"job": job, "token": token, "state": state, "plan": plan, "heading": "Being checked",
               "explanation": "Reading every row and working out what would change. A large file can take a "
                              "minute or two; you can leave this page and come back to it."}
    if request.htmx and request.htmx.target == "import-job":
        return render(request, "interchange/_import_job.html", context)
    return render(request, "interchange/checking.html", context,
                  status=400 if job and job.status == BackgroundJob.Status.FAILED else 200)


def _finish(request, token: str) -> None:
    storage.delete(token)
    imports = request.session.get(SESSION_KEY, {})
    if imports.pop(token, None) is not None:
        request.session[SESSION_KEY] = imports


def _rows_with_errors(report: ImportReport) -> list[str]:
    return list(dict.fromkeys(row for p in report.errors if (row := decisions.row_location(p.location))))


def _choices_file(state: dict) -> HttpResponse:
    """Every choice made in the preview, as the command line reads it back: import --mapping FILE.json."""
    response = HttpResponse(json.dumps(state["mapping"], indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                            content_type="application/json; charset=utf-8")
    stem = Path(state["name"]).stem or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-choices.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _columns(report: ImportReport) -> list:
    seen, columns = set(), []
    for column in report.columns:
        if column.key not in seen:
            seen.add(column.key)
            columns.append(column)
    return columns


def _applied(request, token: str, state: dict, job) -> HttpResponse:
    """The import was applied by the worker: forget it, and take the person to the plan, saying what changed."""
    _finish(request, token)
    messages.success(request, job.message)
    plan = Plan.objects.filter(reference__iexact=state["plan"]).first()
    return redirect("plan", plan.reference) if plan else redirect("home")


def _job_state(request, token: str, state: dict | None):
    """What the applying job says before anything else: applied (go to the plan), or still under way (the page
    that waits for it). None when there is no job, or it failed (the preview shows why)."""
    job = jobs.apply_job(token) if state is not None else None
    if job is None or job.status == BackgroundJob.Status.FAILED:
        return None
    if job.status == BackgroundJob.Status.DONE:
        response = _applied(request, token, state, job)
        if request.htmx:  # the waiting page's own part asked: the whole page goes to the plan
            return HttpResponseClientRedirect(response["Location"])
        return response
    context = {"job": job, "token": token, "state": state,
               "plan": Plan.objects.filter(reference__iexact=state["plan"]).first(), "heading": "Being imported",
               "explanation": "A large file can take a minute or two; you can leave this page and come back to it."}
    if request.htmx and request.htmx.target == "import-job":
        return render(request, "interchange/_import_job.html", context)
    return render(request, "interchange/applying.html", context)


@import_page
def preview(request, token):
    waiting = _job_state(request, token, _kept_state(request, token))
    if waiting is not None:
        return waiting
    state = _state(request, token)
    plan = _plan_for(request, state)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "cancel":
        _finish(request, token)
        messages.success(request, f"Import of {state['name']} cancelled: nothing was changed.")
        return redirect("plan", plan.reference) if plan else redirect("home")
    if action == "apply":
        if request.POST.get("version") != _version(state):
            messages.success(request, "The mapping was changed in another window: check this preview again, then "
                                      "apply it.")
            return redirect("interchange:preview", token)
        try:
            job = jobs.import_apply_request(actor=_actor(request), token=token, state=state,
                                            today=timezone.localdate())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("interchange:preview", token)
        if job.status == BackgroundJob.Status.DONE:  # applied already (the immediate backend)
            return _applied(request, token, state, job)
        if job.status == BackgroundJob.Status.FAILED:
            report = _preview(request, token, state)
            if report is None:
                return _checking(request, token, state, plan)
            return _preview_page(request, token, state, report, plan, status=400, problem=job.message)
        messages.info(request, f"{state['name']} is being imported: this page shows when it is done.")
        return redirect("interchange:preview", token)
    if request.method == "GET" and request.GET.get("download") == "choices":
        return _choices_file(state)
    report = _preview(request, token, state)
    if report is None:
        return _checking(request, token, state, plan)
    if request.htmx and request.htmx.target == "import-job":  # the waiting page asked: its preview is ready
        return HttpResponseClientRedirect(request.path)
    failed = jobs.apply_job(token)
    problem = failed.message if failed is not None and failed.status == BackgroundJob.Status.FAILED else ""
    if action == "preview":
        form = MappingForm(request.POST, columns=_columns(report), statuses=report.statuses,
                           can_create_posts=request.user.is_staff, rows_with_errors=_rows_with_errors(report),
                           chosen=state["mapping"], split_ref=report.split_ref,
                           split_ref_default=report.split_ref_default,
                           source_kind=report.source_kind if report.new_plan and not report.restore else "",
                           source_kind_found=report.source_kind_found)
        if form.is_valid():
            detected = {c.key: c.detected for c in report.columns}
            state["mapping"] = form.mapping(detected)
            state["create_posts"] = bool(form.cleaned_data.get("create_posts"))
            storage.keep_state(token, state)
            return redirect("interchange:preview", token)
        return _preview_page(request, token, state, report, plan, status=400, form=form)
    return _preview_page(request, token, state, report, plan, problem=problem)


def _preview_page(request, token, state, report, plan, status=200, form=None, problem=""):
    offer = request.user.is_staff and bool(report.posts_to_create)
    form = form or MappingForm(columns=_columns(report), statuses=report.statuses, can_create_posts=offer,
                               initial={"create_posts": state["create_posts"]},
                               rows_with_errors=_rows_with_errors(report), chosen=state["mapping"],
                               split_ref=report.split_ref, split_ref_default=report.split_ref_default,
                               source_kind=report.source_kind if report.new_plan and not report.restore else "",
                               source_kind_found=report.source_kind_found)
    context = {"report": report, "plan": plan, "state": state, "token": token, "form": form,
               "version": _version(state), "format_label": FORMATS.get(report.format, ("file",))[0],
               "new_posts": [m for m in report.owners if m.post is None], "problem": problem,
               "known_posts": [m for m in report.owners if m.post is not None]}
    return render(request, "interchange/preview.html", context, status=status)


# Export -------------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def export(request, reference, fmt):
    """The plan as a file to download; a large plan's is prepared by the worker (exporting/jobs.py): this page
    says so, asks for it (POST), waits, and then serves it."""
    plan = plan_or_404(request.user, reference)
    if fmt not in EXPORTERS:
        raise Http404("No such format")
    raw = request.GET.get("as_at", "").strip()
    try:
        as_at = parse_as_at(raw) if raw else max(timezone.localdate(), plan.agreed_on)
        if not export_jobs.in_background(plan):
            return _download(plan, fmt, as_at, exporter(fmt).render(plan, as_at))
    except (DateError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else f"The as-at date: {exc}."
        return render(request, "interchange/export_problem.html", {"plan": plan, "message": message}, status=400)
    if request.method == "POST":
        export_jobs.export_request(plan=plan, fmt=fmt, as_at=as_at, user=request.user)
        return redirect(request.get_full_path())
    job = export_jobs.prepared(plan, export_jobs.key_of(fmt, as_at))
    if job is not None and job.status == BackgroundJob.Status.DONE and not request.htmx:
        return _download(plan, fmt, as_at, export_jobs.content_of(job))
    context = {"plan": plan, "job": job, "format_label": EXPORTERS[fmt].label, "as_at": as_at,
               "here": request.get_full_path(), "actions": plan.actions.count()}
    template = "interchange/_export_job.html" if request.htmx else "interchange/export_job.html"
    return render(request, template, context)


def _download(plan: Plan, fmt: str, as_at, content: bytes) -> HttpResponse:
    spec = EXPORTERS[fmt]
    when = "" if fmt == "json" else f"-as-at-{as_at:%Y-%m-%d}"
    name = f"{plan.reference}{when}{spec.extension}"
    response = HttpResponse(content, content_type=spec.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

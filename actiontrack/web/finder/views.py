"""/actions/: every action a person can see, across plans, searched, filtered and sorted as at a date, a page at
a time, or downloaded whole as CSV or XLSX with the same filters."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from actiontrack.core.models import BackgroundJob
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.interchange.exporting import found_actions, found_jobs
from actiontrack.pages.rendering import render_page
from actiontrack.people.models import Post
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import Group, PlanRole
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.selectors.finder import SORTS, find, kept_find
from actiontrack.plans.selectors.progress import latest_progress_across

from .forms import FinderForm

PER_PAGE = 50
DOWNLOADS = {"csv": ("text/csv; charset=utf-8", found_actions.render_csv),
             "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", found_actions.render_xlsx)}


@login_required
def actions(request):
    today = timezone.localdate()
    plans = list(visible_plans(request.user, today).order_by("reference"))
    form = FinderForm(request.GET, plans=plans, posts=Post.objects.order_by("name"),
                      groups=list(Group.objects.filter(plan__in=plans).order_by("name")
                                  .values_list("name", flat=True).distinct()),
                      people=get_user_model().objects.filter(post_holdings__isnull=False, is_active=True)
                      .distinct().order_by("first_name", "last_name", "username"))
    wanted = request.GET.get("format", "")
    if not form.is_valid() or (wanted and wanted not in DOWNLOADS):
        errors = [f"Downloads come as format=csv or format=xlsx, not {wanted!r}."] if (
            wanted and wanted not in DOWNLOADS) else []
        return render_page(request, "web/finder/actions.html", {"form": form, "errors": errors, "today": today},
                           status=400)
    search, as_at = form.search(), form.cleaned_data["as_at"] or today
    if wanted:
        return _download(request, plans, as_at, today, search, wanted)
    page = form.cleaned_data["page"] or 1
    found = kept_find(plans, as_at, search, (page - 1) * PER_PAGE, PER_PAGE)
    pages = max(1, -(-found.count // PER_PAGE))
    if page > pages:  # an old link to a list that has since shrunk: its last page
        page = pages
        found = kept_find(plans, as_at, search, (page - 1) * PER_PAGE, PER_PAGE)
    progress = _progress(found.rows, as_at)
    roles = set(PlanRole.objects.filter(user=request.user).values_list("plan_id", "role"))
    verifies = {plan_id for plan_id, role in roles if role == PlanRoleKind.VERIFIER}
    manages = {plan_id for plan_id, role in roles if role == PlanRoleKind.MANAGER}
    return render_page(request, "web/finder/actions.html", {
        # What can be chosen for a change to several at once: completed actions to verify, any to re-date.
        "selectable": {row.id for plan, row in found.rows
                       if (plan.pk in verifies and row.lifecycle == Lifecycle.COMPLETED) or plan.pk in manages},
        "can_verify": bool(verifies),
        "manages": bool(manages),
        "form": form, "found": found, "as_at": as_at, "today": today, "page": page, "pages": pages,
        "first": (page - 1) * PER_PAGE + 1, "last": (page - 1) * PER_PAGE + len(found.rows),
        "items": [(plan, row, progress.get(row.id)) for plan, row in found.rows],
        "columns": _columns(request, search.sort),
        "previous_url": _with(request, page=page - 1) if page > 1 else "",
        "next_url": _with(request, page=page + 1) if page < pages else "",
        "csv_url": _with(request, format="csv", page=None), "xlsx_url": _with(request, format="xlsx", page=None)})


def _download(request, plans, as_at, today, search, fmt):
    """The whole list as a file; a long one is prepared by the worker (exporting/found_jobs.py): this page says
    so, asks for it (POST), waits, and then serves it to the person who asked."""
    count = find(plans, as_at, search, 0, 0).count
    if not found_jobs.in_background(count):
        found = find(plans, as_at, search, 0, 10**9)
        return _file(DOWNLOADS[fmt][1](found.rows, _progress(found.rows, as_at), as_at), as_at, fmt)
    problem = ""
    if request.method == "POST":
        try:
            found_jobs.found_request(user=request.user, fmt=fmt, as_at=as_at, today=today, search=search,
                                     count=count)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            return redirect(request.get_full_path())
    job = found_jobs.prepared(request.user, found_jobs.key_of(request.user, fmt, as_at, today, search))
    if job is not None and job.status == BackgroundJob.Status.DONE and not request.htmx:
        return _file(found_jobs.content_of(job), as_at, fmt)
    context = {"job": job, "count": count, "as_at": as_at, "here": request.get_full_path(),
               "format_label": "Excel workbook" if fmt == "xlsx" else "CSV file", "count_text": f"{count:,}",
               "back": _with(request, format=None), "problem": problem}
    return render_page(request, "interchange/_export_job.html" if request.htmx else "web/finder/download.html",
                       context, status=400 if problem else 200)


def _file(content: bytes, as_at, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOWNLOADS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="actions-{as_at.isoformat()}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _progress(rows, as_at):
    return latest_progress_across({row.id: plan for plan, row in rows}, as_at)


def _with(request, **changes) -> str:
    """This page's address with `changes` made (None: removed)."""
    query = request.GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = str(value)
    return "?" + query.urlencode()


def _columns(request, sort: str) -> list[dict]:
    """The table's sortable columns: each one's link (ascending, or reversed when already sorted by it) and its
    aria-sort."""
    name, descending = sort.removeprefix("-"), sort.startswith("-")
    columns = []
    for key, heading in (("plan", "Ref"), ("owner", "Owner"), ("due", "Due date"), ("rag", "RAG status"),
                         ("lifecycle", "Progress")):
        current = key == name
        columns.append({"key": key, "heading": heading, "label": SORTS[key],
                        "sorted": ("descending" if descending else "ascending") if current else "",
                        "url": _with(request, sort=f"-{key}" if current and not descending else key, page=None)})
    return columns

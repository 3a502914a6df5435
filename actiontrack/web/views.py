"""Server-rendered pages. A view parses input, calls a selector (or one service), renders. htmx requests
get the named partial of the same page (DESIGN rule 6)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from actiontrack.domain.ukdates import DateError, parse_as_at
from actiontrack.people.permissions import visible_plans
from actiontrack.plans import selectors


def _plan_or_404(user, reference: str):
    plan = visible_plans(user, timezone.localdate()).filter(reference=reference).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def _as_at(request) -> tuple[date | None, str]:
    """The as-at date from ?as_at= (today if absent), or None and a message saying what was wrong."""
    raw = request.GET.get("as_at", "").strip()
    if not raw:
        return timezone.localdate(), ""
    try:
        return parse_as_at(raw), ""
    except DateError as exc:
        return None, f"The as-at date could not be read: {exc}."


@login_required
def home(request):
    today = timezone.localdate()
    plans = [selectors.plan_as_at(plan, max(today, plan.agreed_on)) for plan in visible_plans(request.user, today)]
    return render(request, "web/home.html", {"plans": plans, "today": today})


@login_required
def plan_detail(request, reference):
    plan = _plan_or_404(request.user, reference)
    as_at, error = _as_at(request)
    view = None
    if as_at:
        try:
            view = selectors.plan_as_at(plan, as_at)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    context = {"plan": plan, "view": view, "as_at": as_at, "as_at_raw": request.GET.get("as_at", ""),
               "as_at_error": error, "is_today": as_at == timezone.localdate()}
    template = "web/_plan_body.html" if request.htmx else "web/plan.html"
    return render(request, template, context, status=400 if error else 200)


@login_required
def action_detail(request, reference, ref):
    plan = _plan_or_404(request.user, reference)
    action = selectors.action_by_ref(plan, ref)
    if action is None:
        raise Http404("No such action")
    as_at, error = _as_at(request)
    row = None
    if as_at:
        try:
            row = selectors.action_as_at(plan, ref, as_at)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    context = {"plan": plan, "action": action, "row": row, "as_at": as_at,
               "as_at_raw": request.GET.get("as_at", ""), "as_at_error": error,
               "history": selectors.action_history(action), "is_today": as_at == timezone.localdate()}
    return render(request, "web/action.html", context, status=400 if error else 200)

"""Server-rendered pages. A view parses input, calls a selector (or one service), renders. htmx requests
get the named partial of the same page (DESIGN rule 6)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import DateError, parse_as_at
from actiontrack.people import permissions as perms
from actiontrack.people.models import Post
from actiontrack.people.permissions import visible_plans
from actiontrack.plans import selectors
from actiontrack.plans.choices import PlanRoleKind, ProposalStatus, SourceKind
from actiontrack.plans.portfolio import portfolio
from actiontrack.plans.workflow import current_period, is_locked


def action_permissions(user, action, today) -> dict[str, bool]:
    """What this person may do to this action today, for showing only the buttons that will work. The
    services check again: this only decides what is offered."""
    owner = perms.owns(user, action, today)
    manager = perms.is_manager(user, action.plan)
    verifier = perms.has_role(user, action.plan, PlanRoleKind.VERIFIER) and not owner
    life = Lifecycle(action.lifecycle)
    open_ = life in (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS, Lifecycle.PAUSED)
    return {
        "owner": owner, "manager": manager, "verifier": verifier,
        "update": owner and open_, "propose": owner and open_,
        "evidence": (owner or manager) and life != Lifecycle.CANCELLED,
        "start": (owner or manager) and life in (Lifecycle.NOT_STARTED, Lifecycle.PAUSED),
        "complete": owner and life in (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS),
        "verify": verifier and life == Lifecycle.COMPLETED,
        "edit": manager, "decide": manager,
    }


def action_context(request, plan, action) -> dict:
    """Everything the action page's sections show; shared by the views that re-render it with errors."""
    today = timezone.localdate()
    period = current_period(plan, today)
    updates = list(action.updates.select_related("author"))
    return {
        "can": action_permissions(request.user, action, today),
        "period": period, "period_locked": is_locked(plan, period),
        "updates": updates, "current_update": next((u for u in updates if u.period_start == period.start), None),
        "proposals": list(action.proposals.select_related("proposed_by", "decided_by")),
        "pending_proposal": action.proposals.filter(status=ProposalStatus.PENDING).first(),
        "evidence": list(action.evidence.select_related("added_by")),
    }


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
    """The portfolio dashboard: every plan this person can see, as at a date, filtered by plan, source kind
    or owner post (GET parameters, so every view of it has an address)."""
    today = timezone.localdate()
    as_at, error = _as_at(request)
    filters = {"plan_reference": request.GET.get("plan", "").strip(),
               "source_kind": request.GET.get("source", "").strip(), "post_name": request.GET.get("post", "").strip()}
    result = portfolio(request.user, as_at, today, **filters) if as_at else None
    visible = visible_plans(request.user, today).order_by("title")
    context = {
        "portfolio": result, "as_at": as_at, "as_at_raw": request.GET.get("as_at", ""), "as_at_error": error,
        "is_today": as_at == today, "filters": filters, "filtered": any(filters.values()),
        "plan_choices": visible, "source_choices": SourceKind.choices,
        "post_choices": Post.objects.filter(actions__plan__in=visible).distinct().order_by("name"),
        "can_create_plans": perms.can_create_plans(request.user),
    }
    return render(request, "web/home.html", context, status=400 if error else 200)


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
            row = selectors.action_as_at(plan, action, as_at)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    context = {"plan": plan, "action": action, "row": row, "as_at": as_at,
               "as_at_raw": request.GET.get("as_at", ""), "as_at_error": error,
               "history": selectors.action_history(action), "is_today": as_at == timezone.localdate(),
               **action_context(request, plan, action)}
    return render(request, "web/action.html", context, status=400 if error else 200)

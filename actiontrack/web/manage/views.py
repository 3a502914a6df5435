"""The plan manager's pages: create and edit plans, recommendations and actions, decide date proposals, and
the queue of what is waiting for them. Each view parses input, calls one service, redirects (DESIGN rule 2).
Someone who cannot see the plan gets a 404; someone who can see it but does not manage it gets a 403 page."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.periods import period_of
from actiontrack.domain.ukdates import format_due
from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import action_or_404, actor, plan_or_404, plan_today
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans import permissions as perms
from actiontrack.plans import services
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.models import DateProposal, Plan
from actiontrack.plans.selectors import next_ref, periods, queues
from actiontrack.plans.services import workflow

from . import forms

MOVES = {"up": -1, "down": 1}
# (lifecycle, verb for the button, what the reason is for, whether a reason is needed)
LIFECYCLE_CHANGES = {
    "cancel": (Lifecycle.CANCELLED, "Cancel", "cancelling the action", True),
    "pause": (Lifecycle.PAUSED, "Pause", "pausing the action", True),
    "resume": (Lifecycle.IN_PROGRESS, "Resume", "resuming the action", False),
    "reinstate": (Lifecycle.IN_PROGRESS, "Reinstate", "reinstating the action", False),
}


# Signed in; a refusal (PermissionDenied from the view or its service) becomes a clear 403 page.
manager_page = page(refused=Refusal(
    reason="Only a plan manager can do this.",
    advice="If you think you should be able to, ask an administrator for the plan manager role."))


def _managed_plan(request, reference: str, doing: str):
    """The plan, if the user may see it (else 404) and manages it (else 403)."""
    plan = plan_or_404(request.user, reference)
    perms.require_manager(actor(request), plan, doing)
    return plan


def _recommendation_or_404(plan, slug: str):
    return get_object_or_404(plan.recommendations.select_related("group"), slug=slug)


def _next_or(request, default: str) -> str:
    target = request.POST.get("next", "")
    # Only a path on this site: redirect() would take anything else without a slash as a view's name to reverse.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _form_page(request, template: str, context: dict):
    form = context["form"]
    return render_page(request, f"web/manage/{template}", context, status=400 if form.errors else 200)


def _problem(request, plan, message: str, back: str, back_text: str):
    return render_page(request, "web/manage/problem.html",
                       {"plan": plan, "message": message, "back": back, "back_text": back_text}, status=400)


# Plans ----------------------------------------------------------------------------------------------------

@manager_page
def plan_new(request):
    if not perms.can_create_plans(request.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    form = forms.PlanCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(actor=actor(request), reference=data["reference"],
                                        agreed_on=data["agreed_on"], **form.details())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Plan {plan.reference} created. You are its plan manager.")
            return redirect("plan", plan.reference)
    return _form_page(request, "plan_form.html", {"form": form, "plan": None})


@manager_page
def plan_edit(request, reference):
    """Only the details this person changed are saved. If someone else saved the details after the form was
    opened, those changes are shown three ways (as opened, as stored now, as typed) and the form comes back
    holding what is stored now plus this person's changes, so saving it never reverts the other person's."""
    plan = _managed_plan(request, reference, "change the plan's details")
    if request.method == "POST":
        form = forms.PlanEditForm(request.POST)
        if form.is_valid():
            typed = services.plan_snapshot(Plan(**form.details()))
            changes = form.changed_details(typed)
            try:
                services.plan_update(actor=actor(request), plan=plan, changes=changes,
                                     effective_on=plan_today(plan), reason=form.cleaned_data["reason"],
                                     expected_version=form.cleaned_data["version"])
            except EditConflict as exc:
                return _plan_conflict(request, plan, form, exc, typed, changes)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The plan's details were saved.")
                return redirect("plan", plan.reference)
    else:
        form = _plan_edit_form(plan)
    return _form_page(request, "plan_form.html", {"form": form, "plan": plan})


def _plan_edit_form(plan: Plan, data=None) -> forms.PlanEditForm:
    return forms.PlanEditForm(data, initial={
        "version": plan.details_version, "started": forms.PlanEditForm.started_from(services.plan_snapshot(plan)),
        **{name: getattr(plan, name) for name in forms.PlanEditForm.DETAILS}})


def _plan_conflict(request, plan, form, exc: EditConflict, typed: dict, changes: dict):
    started = form.started_snapshot() or {}
    rows = [(form.fields[name].label, started.get(name, "Not known"), exc.current[name], typed[name])
            for name in changes]
    stored = _plan_edit_form(Plan.objects.get(pk=plan.pk))
    data = request.POST.copy()
    for name in forms.PlanEditForm.DETAILS:
        if name not in changes:  # left alone by this person: keep what is stored now
            value = stored[name].value()
            if value is True:
                data[name] = "on"
            elif value is False:
                data.pop(name, None)
            else:
                data[name] = "" if value is None else str(value)
    data["version"], data["started"] = str(exc.current_version), stored["started"].value()
    again = forms.PlanEditForm(data)
    again.is_valid()
    return render_page(request, "web/manage/plan_form.html",
                       {"plan": plan, "form": again, "conflict": exc, "conflict_rows": rows, "three_way": True},
                       status=409)


# Recommendations ------------------------------------------------------------------------------------------

@manager_page
def recommendation_new(request, reference):
    plan = _managed_plan(request, reference, "add recommendations")
    if request.method == "POST":
        form = forms.RecommendationCreateForm(request.POST, group_label=plan.group_label)
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = (services.group_for(actor=actor(request), plan=plan, name=data["group"])
                         if data["group"] else None)
                rec = services.recommendation_create(actor=actor(request), plan=plan, ref=data["ref"],
                                                     text=data["text"], kind=data["kind"], group=group,
                                                     source=data["source"],
                                                     effective_on=data["effective_on"] or plan_today(plan),
                                                     today=timezone.localdate())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Recommendation {rec.ref} added.")
                return redirect(reverse("plan", args=[plan.reference]) + f"#rec-{rec.slug}")
    else:
        form = forms.RecommendationCreateForm(initial={"ref": next_ref(plan), "effective_on": plan_today(plan)},
                                              group_label=plan.group_label)
    return _form_page(request, "recommendation_form.html", {"form": form, "plan": plan, "recommendation": None})


@manager_page
def recommendation_edit(request, reference, rec):
    plan = _managed_plan(request, reference, "change a recommendation")
    rec = _recommendation_or_404(plan, rec)
    if request.method == "POST":
        form = forms.RecommendationEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.recommendation_update(actor=actor(request), recommendation=rec, text=data["text"],
                                               kind=data["kind"], reason=data["reason"],
                                               effective_on=plan_today(plan), expected_version=data["version"])
            except EditConflict as exc:
                rows = [("Text", exc.current["text"], data["text"]),
                        ("Kind", exc.current["kind"], RecommendationKind(data["kind"]).label)]
                context = {"plan": plan, "recommendation": rec}
                return _conflict(request, forms.RecommendationEditForm, exc, context, rows, "recommendation_form.html")
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Recommendation {rec.ref} saved.")
                return redirect(reverse("plan", args=[plan.reference]) + f"#rec-{rec.slug}")
    else:
        form = forms.RecommendationEditForm(initial={"version": rec.version, "text": rec.text, "kind": rec.kind})
    return _form_page(request, "recommendation_form.html", {"form": form, "plan": plan, "recommendation": rec})


@require_POST
@manager_page
def recommendation_move(request, reference, rec):
    plan = _managed_plan(request, reference, "reorder recommendations")
    rec = _recommendation_or_404(plan, rec)
    back = reverse("plan", args=[plan.reference]) + "#plan-tools"
    direction = request.POST.get("direction", "")
    try:
        services.recommendation_move(actor=actor(request), recommendation=rec, direction=MOVES.get(direction, 0),
                                     effective_on=plan_today(plan))
    except ValidationError as exc:
        return _problem(request, plan, f"Recommendation {rec.ref} was not moved. {' '.join(exc.messages)}",
                        back, "Back to the plan")
    messages.success(request, f"Recommendation {rec.ref} moved {direction}.")
    return redirect(_next_or(request, back))


# Actions --------------------------------------------------------------------------------------------------

@manager_page
def action_new(request, reference, rec):
    plan = _managed_plan(request, reference, "add actions")
    rec = _recommendation_or_404(plan, rec)
    form = forms.ActionCreateForm(request.POST if request.method == "POST" else None,
                                  initial={"effective_on": plan_today(plan)})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        due_on, condition = data["due"] or (None, "")
        try:
            action = services.action_create(actor=actor(request), recommendation=rec, text=data["text"],
                                            owner_posts=list(data["owner_posts"]), due_on=due_on,
                                            supporting_posts=list(data["supporting_posts"]),
                                            due_condition=condition,
                                            effective_on=data["effective_on"] or plan_today(plan),
                                            today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Action {action.ref} added.")
            return redirect("action", plan.reference, action.slug)
    return _form_page(request, "action_form.html", {"form": form, "plan": plan, "recommendation": rec,
                                                    "action": None})


@manager_page
def action_edit(request, reference, ref):
    plan = _managed_plan(request, reference, "edit an action")
    action = action_or_404(request, plan, ref)
    # An action with no due date gets its first one (its baseline) here, whatever the plan says about revisions.
    first_date = services.is_undated(action)
    editable = plan.managers_change_dates_directly or first_date
    context = {"plan": plan, "action": action, "recommendation": action.recommendation, "dates_editable": editable,
               "first_date": first_date}
    if request.method != "POST":
        form = forms.ActionEditForm(dates_editable=editable, initial={
            "version": action.version, "text": action.text,
            "owner_posts": list(action.owner_posts.exclude(pk__in=action.supporting_posts.all())),
            "supporting_posts": list(action.supporting_posts.all()),
            "due": format_due(action.due_on, action.due_condition) if action.due_on else ""})
        return _form_page(request, "action_form.html", {**context, "form": form})
    form = forms.ActionEditForm(request.POST, dates_editable=editable)
    if form.is_valid():
        data = form.cleaned_data
        due_on, condition = form.due_parts()
        try:
            services.action_edit(actor=actor(request), action=action, expected_version=data["version"],
                                 text=data["text"], owner_posts=list(data["owner_posts"]), reason=data["reason"],
                                 supporting_posts=list(data["supporting_posts"]),
                                 effective_on=plan_today(plan), due_on=due_on, due_condition=condition)
        except EditConflict as exc:
            typed = form.typed()
            rows = [("What the action is", exc.current.get("text", ""), typed["text"]),
                    ("Owner", exc.current.get("owners", ""), typed["owners"]),
                    ("Due date", exc.current.get("due", ""), typed["due"])]
            return _conflict(request, partial(forms.ActionEditForm, dates_editable=editable), exc, context, rows,
                             "action_form.html")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Action {action.ref} saved.")
            return redirect("action", plan.reference, action.slug)
    return _form_page(request, "action_form.html", {**context, "form": form})


def _conflict(request, form_class, exc: EditConflict, context: dict, rows: list, template: str):
    """Both versions side by side (`rows`: label, stored now, typed), and the form again with what was typed and
    the version now stored, so saving it is a deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(exc.current_version)
    again = form_class(data)
    again.is_valid()
    return render_page(request, f"web/manage/{template}",
                       {**context, "form": again, "conflict": exc, "conflict_rows": rows}, status=409)


@require_POST
@manager_page
def action_move(request, reference, ref):
    plan = _managed_plan(request, reference, "reorder actions")
    action = action_or_404(request, plan, ref)
    back = reverse("action", args=[plan.reference, action.slug])
    direction = request.POST.get("direction", "")
    try:
        services.action_move(actor=actor(request), action=action, direction=MOVES.get(direction, 0),
                             effective_on=plan_today(plan))
    except ValidationError as exc:
        return _problem(request, plan, f"Action {action.ref} was not moved. {' '.join(exc.messages)}",
                        back, f"Back to action {action.ref}")
    messages.success(request, f"Action {action.ref} moved {direction} within recommendation "
                              f"{action.recommendation.ref}.")
    return redirect(_next_or(request, back))


@manager_page
def action_lifecycle(request, reference, ref, change):
    plan = _managed_plan(request, reference, "change an action's status")
    action = action_or_404(request, plan, ref)
    lifecycle, verb, what, needs_reason = LIFECYCLE_CHANGES[change]
    form = forms.LifecycleForm(request.POST if request.method == "POST" else None,
                               reason_required=needs_reason, what=what)
    if form.is_bound and form.is_valid():
        try:
            services.action_change_lifecycle(actor=actor(request), action=action, lifecycle=lifecycle,
                                             reason=form.cleaned_data["reason"], effective_on=plan_today(plan),
                                             today=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Action {action.ref} is now {lifecycle.label.lower()}.")
            return redirect("action", plan.reference, action.slug)
    return _form_page(request, "lifecycle_form.html", {"form": form, "plan": plan, "action": action, "verb": verb,
                                                       "lifecycle": lifecycle,
                                                       "warning": lifecycle is Lifecycle.CANCELLED})


# Date proposals -------------------------------------------------------------------------------------------

@manager_page
def proposal_decide(request, pk):
    proposal = get_object_or_404(DateProposal.objects.select_related("action__plan", "action__recommendation",
                                                                     "proposed_by"), pk=pk)
    action = proposal.action
    plan = _managed_plan(request, action.plan.reference, "decide on date proposals")
    back = reverse("action", args=[plan.reference, action.slug])
    form = forms.DecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            workflow.date_decide(actor=actor(request), proposal=proposal, accept=accept,
                                 comment=form.cleaned_data["comment"], today=timezone.localdate())
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, field_errors in errors.items():
                for error in field_errors:  # "reason" is the service's name for the decision's comment
                    form.add_error("comment" if field == "reason" else None, error)
        else:
            verdict = (f"accepted: action {action.ref} is now due {format_due(proposal.due_on, proposal.due_condition)}"
                       if accept else f"rejected: action {action.ref} keeps its due date")
            messages.success(request, f"Proposal {verdict}.")
            return redirect(_next_or(request, back))
    proposal.refresh_from_db()
    return render_page(request, "web/manage/decide.html",
                       {"form": form, "plan": plan, "action": action, "proposal": proposal,
                        "next": request.POST.get("next", "") if form.is_bound else "",
                        "decision": form.data.get("decision", "") if form.is_bound else ""},
                       status=400 if form.errors else 200)


# The plan managers' queue ---------------------------------------------------------------------------------

def _queue_context(queue_list, today) -> list[dict]:
    """Each plan's queue, with the owners of each action named as they are today, and the periods whose updates
    can still be locked (this one and the one before, until locked)."""
    return [{"queue": queue, "missing": queues.with_owners(queue.missing_updates, today),
             "waiting": queues.with_owners(queue.awaiting_verification, today),
             "undated": queues.with_owners(queue.undated, today),
             "lockable": periods.editable_periods(queue.plan, today),
             "unlockable": queues.locked_periods(queue.plan, today)} for queue in queue_list]


@manager_page
def plan_queue(request, reference):
    plan = _managed_plan(request, reference, "see the plan managers' queue")
    today = timezone.localdate()
    return render_page(request, "web/manage/queue.html",
                       {"plan": plan, "today": today,
                        "queues": _queue_context([queues.manager_queue(plan, today)], today)})


@manager_page
def queue(request):
    today = timezone.localdate()
    items = queues.manager_queues(request.user, today)
    if not items:
        raise PermissionDenied("You are not a plan manager of any plan, so there is no queue to show.")
    return render_page(request, "web/manage/queue.html",
                       {"plan": None, "today": today, "queues": _queue_context(items, today)})


def _named_period(request, plan):
    """The period named in the address (?period=2021-11-01) or the posted form, or None if none is named."""
    value = request.POST.get("period_start") if request.method == "POST" else request.GET.get("period")
    try:
        return period_of(date.fromisoformat(value or ""), plan.reporting_period)
    except ValueError:
        return None


@manager_page
def period_lock(request, reference):
    """Lock a period's progress updates: first what is missing, then the lock; the period still running is locked
    only with an explicit confirmation."""
    plan = _managed_plan(request, reference, "lock a reporting period")
    back = reverse("manage:plan_queue", args=[plan.reference])
    today, period = timezone.localdate(), _named_period(request, plan)
    if period is None:
        return _problem(request, plan, "The period to lock was not given: open the queue and try again.",
                        back, "Back to the queue")
    form = forms.LockForm(initial={"period_start": period.start})
    if request.method == "POST":
        form = forms.LockForm(request.POST)
        if form.is_valid():
            try:
                workflow.period_lock(actor=actor(request), plan=plan, period_start=period.start, today=today,
                                     confirmed_current=form.cleaned_data["confirm"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Progress updates for {period.label} are locked.")
                return redirect(back)
    missing = queues.with_owners(queues.missing_updates(plan, period), today)
    return _form_page(request, "lock.html", {
        "plan": plan, "form": form, "period": period, "missing": missing, "back": back,
        "still_running": workflow.period_lock_needs_confirmation(plan, period.start, today)})


@manager_page
def period_unlock(request, reference):
    """Open a locked period's updates again, with a reason that goes into the plan's history."""
    plan = _managed_plan(request, reference, "unlock a reporting period")
    back = reverse("manage:plan_queue", args=[plan.reference])
    period = _named_period(request, plan)
    if period is None:
        return _problem(request, plan, "The period to unlock was not given: open the queue and try again.",
                        back, "Back to the queue")
    if request.method != "POST" and not periods.is_locked(plan, period):
        return _problem(request, plan, f"Progress updates for {period.label} are not locked.", back,
                        "Back to the queue")
    form = forms.UnlockForm(initial={"period_start": period.start})
    if request.method == "POST":
        form = forms.UnlockForm(request.POST)
        if form.is_valid():
            try:
                workflow.period_unlock(actor=actor(request), plan=plan, period_start=period.start,
                                       reason=form.cleaned_data["reason"], today=timezone.localdate())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                open_again = period in periods.editable_periods(plan, timezone.localdate())
                messages.success(request, f"Progress updates for {period.label} are unlocked"
                                 + (": owners can write them again." if open_again else "."))
                return redirect(back)
    return _form_page(request, "unlock.html", {"plan": plan, "form": form, "period": period, "back": back})

"""The owner's pages: my actions, progress updates, date proposals, evidence, starting and completing (the
verifier's are in web/verify/). Each view finds the plan (404 for anyone who cannot see it), parses the form,
calls one service from plans/workflow.py or plans/evidence.py, and redirects; the services check who is acting,
and their refusals become the refused page (403), their messages the error summary (400)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from actiontrack.domain.periods import Period, period_of, previous_period
from actiontrack.domain.ukdates import format_due, format_long
from actiontrack.pages.downloads import EvidenceNotHeld, evidence_response
from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor, plan_and_action
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import ProposalStatus
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.selectors import periods
from actiontrack.plans.selectors.queues import my_actions as my_actions_queue
from actiontrack.plans.selectors.queues import to_verify
from actiontrack.plans.services import evidence as evidence_service
from actiontrack.plans.services import workflow

from ..views import action_permissions
from .forms import CompleteForm, EvidenceFileForm, EvidenceLinkForm, ProposeDateForm, UpdateForm

T = "web/owner/"

# Signed in (else the sign-in page); a service's or a permission check's refusal becomes a 403 page that says
# why. (Someone who cannot see the plan never gets this far: they get a 404.)
refusals = page(refused=Refusal(advice="If you think you should be able to, ask the plan manager."))


def done(request, action, message):
    """After a successful change: the message, and back to the action page (POST-redirect-GET)."""
    messages.success(request, message)
    return redirect("action", action.plan.reference, action.slug)


def owner_page(request, template, plan, action, status=200, **context):
    return render_page(request, T + template, {"plan": plan, "action": action, **context}, status=status)


# My actions -----------------------------------------------------------------------------------------------

@login_required
def my_actions(request):
    today = timezone.localdate()
    return render_page(request, T + "my_actions.html", {"items": my_actions_queue(request.user, today),
                                                         "to_verify": to_verify(request.user, today),
                                                         "today": today})


# Progress update ------------------------------------------------------------------------------------------

def _posted_period(plan, today: date, wanted: date | None) -> Period:
    """The period a posted update is for: the form's period_start as it is, for the service to accept or refuse;
    without one, this period."""
    return period_of(wanted, plan.reporting_period) if wanted else periods.current_period(plan, today)


def _update_periods(plan, action, today: date, wanted: date | None, *, posted: bool) -> tuple[Period, list[dict]]:
    """The period the update page is about, and the periods the owner may choose between (this one and the one
    before, until locked: workflow.editable_periods). `wanted` (?period= or the form's period_start) picks the
    period; without it, this period (shown as locked if it is). A posted period is taken
    as it is, for the service to accept or refuse; a period asked for in the address is one of this period and
    the one before, or ignored."""
    this = periods.current_period(plan, today)
    editable = periods.editable_periods(plan, today, since=periods.added_on(action))
    choices = [{"period": p, "current": p == this} for p in editable]
    if posted:
        return _posted_period(plan, today, wanted), choices
    possible = [this, previous_period(this, plan.reporting_period)]
    return next((p for p in possible if wanted and p.contains(wanted)), this), choices


def _requested_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@refusals
def update(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)
    today, who = timezone.localdate(), actor(request)
    posted = request.method == "POST"
    wanted = _requested_day(request.POST.get("period_start", "") if posted else request.GET.get("period", ""))
    form, conflict = UpdateForm(request.POST) if posted else None, None
    if posted and form.is_valid():
        # The service checks who is acting, the period and its lock itself: what the page reads below is only for
        # showing it again, which a saved update never needs (the month-end rush is these posts).
        data = form.cleaned_data
        period = _posted_period(plan, today, wanted)
        try:
            workflow.update_save(actor=who, action=action, text=data["text"], today=today,
                                 expected_version=data["version"], period_start=period.start)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except EditConflict as exc:
            conflict = exc
        else:
            return done(request, action, f"Your progress update for {period.label} on action {action.ref} "
                                          "is saved.")
    perms.require_owner(who, action, today, "write its progress update")
    period, choices = _update_periods(plan, action, today, wanted, posted=posted)
    stored = action.updates.filter(period_start=period.start).first()
    context = {"period": period, "period_choices": choices, "period_locked": periods.is_locked(plan, period),
               "current_update": stored, "before_plan": not plan.has_updates_for(period)}
    if conflict:
        form = UpdateForm(initial={"text": form.cleaned_data["text"], "version": conflict.current_version})
        return owner_page(request, "update.html", plan, action, status=409, form=form, conflict=conflict,
                          stored=conflict.current.get("text", ""), typed=form.initial["text"], **context)
    if not posted:
        form = UpdateForm(initial={"text": stored.text if stored else "", "version": stored.version if stored else 0})
        return owner_page(request, "update.html", plan, action, form=form, **context)
    return owner_page(request, "update.html", plan, action, status=400, form=form, **context)


# Date proposals -------------------------------------------------------------------------------------------

def _pending(action):
    return action.proposals.filter(status=ProposalStatus.PENDING).select_related("proposed_by").first()


@refusals
def propose_date(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)
    today, who = timezone.localdate(), actor(request)
    example = date(today.year + 1, 12, 31)  # a date that could be proposed: the end of next year
    form = ProposeDateForm(request.POST, example=example) if request.method == "POST" else None
    if form is not None and form.is_valid():
        # As with updates, the service checks who is acting and what is pending: the reads below show the page.
        due_on, condition = form.cleaned_data["due_on"]
        try:
            proposal = workflow.date_propose(actor=who, action=action, due_on=due_on, due_condition=condition,
                                             reason=form.cleaned_data["reason"], today=today)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(request, action, f"Your proposed due date of {format_due(proposal.due_on, condition)} "
                                          f"for action {action.ref} has been sent to the plan manager.")
    perms.require_owner(who, action, today, "propose a new due date")
    context = {"pending": _pending(action)}
    if form is None:
        return owner_page(request, "propose_date.html", plan, action, form=ProposeDateForm(example=example), **context)
    return owner_page(request, "propose_date.html", plan, action, status=400, form=form, **context)


@refusals
def withdraw_proposal(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)
    today, who = timezone.localdate(), actor(request)
    perms.require_owner(who, action, today, "withdraw a date proposal")
    pending = _pending(action)
    if request.method != "POST" or pending is None:
        return owner_page(request, "withdraw.html", plan, action, status=200 if request.method != "POST" else 400,
                     pending=pending)
    try:
        workflow.date_withdraw(actor=who, proposal=pending, today=today)
    except ValidationError as exc:
        return owner_page(request, "withdraw.html", plan, action, status=400, pending=None, errors=exc.messages)
    return done(request, action, f"Your proposed due date for action {action.ref} has been withdrawn.")


# Evidence -------------------------------------------------------------------------------------------------

@refusals
def evidence(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)
    today, who = timezone.localdate(), actor(request)
    perms.require_owner_or_manager(who, action, today, "add evidence")
    file_form, link_form = EvidenceFileForm(prefix="file"), EvidenceLinkForm(prefix="link")
    if request.method == "POST":
        if request.POST.get("kind") == "link":
            form = link_form = EvidenceLinkForm(request.POST, prefix="link")
        else:
            form = file_form = EvidenceFileForm(request.POST, request.FILES, prefix="file")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is link_form:
                    item = evidence_service.evidence_add_link(actor=who, action=action, url=data["url"],
                                                              title=data["title"], today=today)
                else:
                    item = evidence_service.evidence_add_file(actor=who, action=action, upload=data["file"],
                                                              title=data["title"], today=today)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return done(request, action, f"Evidence “{item.title}” added to action {action.ref}.")
    context = {"file_form": file_form, "link_form": link_form,
               "evidence": list(action.evidence.select_related("added_by")),
               "can": action_permissions(request.user, action, today)}
    failed = request.method == "POST"
    return owner_page(request, "evidence.html", plan, action, status=400 if failed else 200, **context)


@login_required
def evidence_download(request, pk):
    """The file, for anyone who can see its plan (a 404 for anyone else), always as a download; for a file
    restored without its contents, a page saying so."""
    try:
        return evidence_response(request.user, pk, timezone.localdate(), not_found="No such evidence",
                                 no_file="No such file")
    except EvidenceNotHeld as missing:
        item = missing.item
        return render_page(request, f"{T}evidence_not_held.html",
                           {"item": item, "action": item.action, "plan": item.action.plan}, status=404)


# Start and complete ---------------------------------------------------------------------------------------

@refusals
def start(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)
    today, who = timezone.localdate(), actor(request)
    perms.require_owner_or_manager(who, action, today, "start work on it")
    can = action_permissions(request.user, action, today)
    if request.method != "POST":
        return owner_page(request, "start.html", plan, action, can=can)
    try:
        workflow.action_start(actor=who, action=action, today=today)
    except ValidationError as exc:
        return owner_page(request, "start.html", plan, action, status=400, can=can, errors=exc.messages)
    return done(request, action, f"Action {action.ref} is now in progress.")


@refusals
def complete(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)
    today, who = timezone.localdate(), actor(request)
    form = CompleteForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():  # the service checks who is acting, the lifecycle and the evidence
        try:
            workflow.action_complete(actor=who, action=action, completed_on=form.cleaned_data["completed_on"],
                                     today=today, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return done(request, action, f"Action {action.ref} is marked complete on "
                                          f"{format_long(form.cleaned_data['completed_on'])}; a verifier will "
                                          "check the evidence and close it.")
    # What the page shows around the form: read only when it is shown (the service reads what it needs itself).
    perms.require_owner(who, action, today, "mark it complete")
    evidence_list = list(action.evidence.select_related("added_by"))
    context = {"has_evidence": bool(evidence_list), "evidence": evidence_list,
               "can": action_permissions(request.user, action, today)}
    if form is None:
        form = CompleteForm(initial={"completed_on": today})
        return owner_page(request, "complete.html", plan, action, form=form, **context)
    return owner_page(request, "complete.html", plan, action, status=400, form=form, **context)

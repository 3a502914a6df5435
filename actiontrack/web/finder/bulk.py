"""Changes to many actions at once (services.bulk): chosen on Find actions or a form, shown with what will
change, applied only when confirmed. Anyone who cannot see a chosen action gets a 404; a service's refusal
(not the verifier, not a manager) the refused page, and nothing is changed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from actiontrack.domain.text import Limit
from actiontrack.notify import nudge
from actiontrack.pages.forms import IdChoiceField, LimitedText, UKDateField, add_service_errors, is_id
from actiontrack.pages.lookups import actor
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.people.models import Post
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.permissions import is_manager, visible_plans
from actiontrack.plans.services import bulk

T = "web/finder/"
refusals = page(refused=Refusal(advice="Ask the plan manager if you think you should be able to."))


def _chosen(request, ids) -> list[Action]:
    """The chosen actions, all in plans this person can see (else a 404: ids of others' plans say nothing)."""
    if not all(is_id(pk) for pk in ids):
        raise Http404("No such action")
    wanted = {int(pk) for pk in ids}
    found = list(Action.objects.filter(pk__in=wanted, plan__in=visible_plans(request.user, timezone.localdate()))
                 .select_related("plan", "recommendation").prefetch_related("evidence", "owner_posts")
                 .order_by("plan__reference", "recommendation__position", "position", "pk"))
    if len(found) != len(wanted):
        raise Http404("No such action")
    return found


def _choose_first(request, what: str, back: str = "/actions/"):
    messages.error(request, f"Choose {what} first.")
    return redirect(back)


@require_POST
@refusals
def verify(request):
    chosen = _chosen(request, request.POST.getlist("action"))
    comment = request.POST.get("comment", "")
    if not chosen:
        return _choose_first(request, "the completed actions to verify", "/actions/?awaiting_verification=on")
    error = ""
    if request.POST.get("confirm"):
        try:
            closed = bulk.bulk_verify(actor=actor(request), actions=chosen, today=timezone.localdate(),
                                      comment=comment)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{len(closed)} action{'s' if len(closed) != 1 else ''} verified and closed: "
                                      + ", ".join(f"{a.plan.reference} {a.ref}" for a in closed) + ".")
            return redirect("/actions/?awaiting_verification=on")
    return render_page(request, T + "verify.html", {"chosen": chosen, "comment": comment, "error": error},
                       status=400 if error else 200)


class ReassignForm(forms.Form):
    from_post = IdChoiceField(label="Move every action owned by", queryset=Post.objects.order_by("name"),
                                       widget=forms.Select(attrs={"class": "select"}))
    to_post = IdChoiceField(label="To", queryset=Post.objects.order_by("name"),
                                     widget=forms.Select(attrs={"class": "select"}))
    reason = LimitedText(label="Reason", limit=Limit.REASON, what="the reason",
                         help_text="Recorded against each action, for example “Restructure of the Protection "
                                   "function, 1 April 2022”.",
                         widget=forms.TextInput(attrs={"class": "input input--w20"}))


@refusals
def reassign(request):
    """Every action owned by one post, in the plans this person manages, moved to another post."""
    form = ReassignForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data, today = form.cleaned_data, timezone.localdate()
        managed = request.user.plan_roles.filter(role="manager").values("plan_id")
        candidates = list(Action.objects.filter(plan__in=managed, owner_posts=data["from_post"])
                          .select_related("plan", "recommendation").prefetch_related("owner_posts",
                                                                                     "supporting_posts")
                          .order_by("plan__reference", "recommendation__position", "position", "pk"))
        changes = bulk.reassignments(candidates, data["from_post"], data["to_post"])
        context["changes"] = changes
        if request.POST.get("confirm") and changes:
            try:
                bulk.bulk_reassign(actor=actor(request), actions=candidates, from_post=data["from_post"],
                                   to_post=data["to_post"], reason=data["reason"], effective_on=today)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{len(changes)} action{'s' if len(changes) != 1 else ''} moved from "
                                          f"{data['from_post']} to {data['to_post']}.")
                return redirect(f"/actions/?owner=post-{data['to_post'].pk}")
    return render_page(request, T + "reassign.html", context, status=400 if form.errors else 200)


@require_POST
@refusals
def due_dates(request):
    """One new due date, with one reason, for the chosen actions."""
    chosen = _chosen(request, request.POST.getlist("action"))
    if not chosen:
        return _choose_first(request, "the actions whose due date changes")
    form = DueDatesForm(request.POST if "due_on" in request.POST else None)
    if request.POST.get("confirm") and form.is_valid():
        try:
            changed = bulk.bulk_change_due_dates(actor=actor(request), actions=chosen, reason=form.cleaned_data[
                "reason"], due_on=form.cleaned_data["due_on"], effective_on=timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            if not all(is_manager(request.user, action.plan) for action in chosen):
                raise  # the wrong person: refused as anywhere else
            # A plan that changes dates only by proposal: said here, beside the list.
            form.add_error(None, f"{exc} No due date was changed: take its actions out of the selection, or ask "
                                 "their owners to propose the new date.")
        else:
            messages.success(request, f"{len(changed)} due date{'s' if len(changed) != 1 else ''} changed.")
            return redirect("actions")
    return render_page(request, T + "due_dates.html", {"chosen": chosen, "form": form},
                       status=400 if form.errors else 200)


class DueDatesForm(forms.Form):
    due_on = UKDateField(label="New due date", help_text="Day/month/year, for example 31/03/2022.")
    reason = LimitedText(label="Reason", limit=Limit.REASON, what="the reason",
                         help_text="Recorded against each action's new date.",
                         widget=forms.TextInput(attrs={"class": "input input--w20"}))


class LockForm(forms.Form):
    day = UKDateField(label="Lock the reporting period containing", help_text="Day/month/year: each plan locks "
                                                                              "its own period that includes it.")
    confirm_running = forms.BooleanField(label="Lock periods that have not ended yet: their owners can no longer "
                                               "write updates for them", required=False)


@refusals
def lock_periods(request):
    """Every plan this person manages: its period containing a day, locked together after a preview."""
    managed = list(Plan.objects.filter(roles__user=request.user, roles__role="manager").order_by("title"))
    form = LockForm(request.POST or None)
    context = {"form": form, "managed": managed}
    if request.method == "POST" and form.is_valid():
        today, day = timezone.localdate(), form.cleaned_data["day"]
        context["periods"] = bulk.periods_to_lock(managed, day, today)
        if request.POST.get("confirm"):
            try:
                locked = bulk.bulk_lock_periods(actor=actor(request), plans=managed, day=day, today=today,
                                                confirmed_current=form.cleaned_data["confirm_running"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Locked: " + "; ".join(f"{each.plan.reference} {each.period.label}"
                                                                  for each in locked) + ".")
                return redirect("manage:queue")
    return render_page(request, T + "lock_periods.html", context, status=400 if form.errors else 200)


@require_POST
@refusals
def remind(request):
    """Email the people holding the chosen actions' owner posts now, after showing who gets what."""
    chosen = _chosen(request, request.POST.getlist("action"))
    if not chosen:
        return _choose_first(request, "the actions whose owners you want to remind")
    today, note = timezone.localdate(), request.POST.get("note", "")[:Limit.REASON]
    if request.POST.get("confirm"):
        sent = nudge.owners_remind(actor=actor(request), actions=chosen, note=note, today=today)
        messages.success(request, f"Reminder sent to {len(sent.to)} {'person' if len(sent.to) == 1 else 'people'}"
                                  + (f"; not to {', '.join(str(u.get_full_name() or u) for u in sent.turned_off)} "
                                     "(reminders turned off)" if sent.turned_off else "") + ".")
        return redirect("actions")
    return render_page(request, T + "remind.html", {"chosen": chosen, "note": note,
                                                    "nudges": nudge.nudges_for(chosen, today)})


"""Changes to many actions at once (services.bulk): chosen on Find actions or a form, shown with what will
change, applied only when confirmed. Anyone who cannot see a chosen action gets a 404; a service's refusal
(not the verifier, not a manager) the refused page, and nothing is changed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from actiontrack.domain.text import Limit
from actiontrack.pages.forms import LimitedText, add_service_errors
from actiontrack.pages.lookups import actor
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.people.models import Post
from actiontrack.plans.models import Action
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.services import bulk

T = "web/finder/"
refusals = page(refused=Refusal(advice="Ask the plan manager if you think you should be able to."))


def _chosen(request, ids) -> list[Action]:
    """The chosen actions, all in plans this person can see (else a 404: ids of others' plans say nothing)."""
    wanted = {int(pk) for pk in ids if str(pk).isdigit()}
    found = list(Action.objects.filter(pk__in=wanted, plan__in=visible_plans(request.user, timezone.localdate()))
                 .select_related("plan", "recommendation").prefetch_related("evidence", "owner_posts")
                 .order_by("plan__reference", "recommendation__position", "position", "pk"))
    if len(found) != len(wanted):
        raise Http404("No such action")
    return found


@require_POST
@refusals
def verify(request):
    chosen = _chosen(request, request.POST.getlist("action"))
    comment = request.POST.get("comment", "")
    if not chosen:
        messages.error(request, "Choose the completed actions to verify first.")
        return redirect("/actions/?awaiting_verification=on")
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
    from_post = forms.ModelChoiceField(label="Move every action owned by", queryset=Post.objects.order_by("name"),
                                       widget=forms.Select(attrs={"class": "select"}))
    to_post = forms.ModelChoiceField(label="To", queryset=Post.objects.order_by("name"),
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

"""The public progress register, for anyone without signing in, and the plan manager's page that publishes a plan.

The public pages are rendered without the request: they read no session or cookie and set none, so they are the
same for everyone and may be kept by a shared cache or CDN (these pages only: every other answer is private).
A plan that is not published answers exactly as one that does not exist."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans import permissions as perms
from actiontrack.reports import open_data, publication, register
from actiontrack.reports.organisation import branding

# Short, so a plan withdrawn is gone from a CDN within a minute as well as from this server at once.
PUBLIC_CACHE = "public, max-age=60"
T = "web/public/"


def _public(content: bytes | str, content_type: str = "text/html; charset=utf-8", **headers) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = PUBLIC_CACHE
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _published(reference: str) -> register.PublicPlan:
    found = register.public_plan(reference)
    if found is None:
        raise Http404("No published plan has that reference")
    return found


@require_GET
def index(request):
    return _public(render_to_string(T + "index.html", {"plans": register.published_plans(),
                                                        "organisation": branding().name}))


@require_GET
def plan(request, reference):
    return _public(render_to_string(T + "plan.html", {"plan": _published(reference),
                                                       "organisation": branding().name}))


@require_GET
def plan_csv(request, reference):
    found = _published(reference)
    return _public(open_data.register_csv(found), "text/csv; charset=utf-8",
                   Content_Disposition=f'attachment; filename="{found.reference}-progress.csv"')


@require_GET
def plan_json(request, reference):
    return _public(json.dumps(open_data.register_json(_published(reference)), indent=1, ensure_ascii=False),
                   "application/json; charset=utf-8")


@require_GET
def accessibility(request):
    return _public(render_to_string(T + "accessibility.html", {"organisation": branding().name}))


class PublishForm(forms.Form):
    holder_names = forms.BooleanField(
        label="Name the people holding the owner posts", required=False,
        widget=forms.CheckboxInput(attrs={"class": "checkbox"}),
        help_text="Only where the issued report named them. Otherwise the public pages name posts, not people.")


refusals = page(refused=Refusal(advice="A plan is published by its plan managers."))


@refusals
def publish(request, reference):
    """Publish the plan, change whether it names post holders, or withdraw it."""
    plan = perms.visible_plan(request.user, reference, timezone.localdate())
    if plan is None:
        raise Http404("No such plan")
    manages = perms.is_manager(request.user, plan)
    form = PublishForm(request.POST if request.method == "POST" else None,
                       initial={"holder_names": plan.public_holder_names})
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(f"Only a plan manager of {plan.reference} can publish its progress.")
        today = timezone.localdate()
        try:
            if request.POST.get("withdraw"):
                publication.plan_unpublish(actor=actor(request), plan=plan, effective_on=today)
                messages.success(request, f"{plan.reference} is withdrawn: its public pages are gone.")
                return redirect("public:publish", plan.reference)
            if form.is_valid():
                publication.plan_publish(actor=actor(request), plan=plan, effective_on=today,
                                         holder_names=form.cleaned_data["holder_names"])
                messages.success(request, f"{plan.reference} is published: its latest issued report's progress is "
                                          "on its public page.")
                return redirect("public:publish", plan.reference)
        except ValidationError as exc:
            add_service_errors(form, exc)
    plan.refresh_from_db()
    return render_page(request, T + "publish.html", {
        "plan": plan, "manages": manages, "form": form, "public": register.public_plan_of(plan),
    }, status=400 if form.errors else 200)

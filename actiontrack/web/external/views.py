"""Closure by an outside body, for the plan managers of an action or a whole recommendation: submit it to the
body, then record the body's closure (with its letter) or refusal. Anyone else who can see the plan is refused
(403); others get a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from actiontrack.domain import external as closure
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.pages.forms import UKDateField, add_service_errors
from actiontrack.pages.lookups import action_or_404, actor, plan_or_404
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans import permissions as perms
from actiontrack.plans.services import external

refusals = page(refused=Refusal(advice="Closure by an outside body is recorded by the plan's managers."))
TEXT = {"class": "input input--w20"}


class SubmitForm(forms.Form):
    body = forms.CharField(label="Submitted to", max_length=200, help_text="The body that closes it, e.g. HMICFRS",
                           widget=forms.TextInput(attrs=TEXT))
    reference = forms.CharField(label="Reference of the submission", max_length=100, required=False,
                                widget=forms.TextInput(attrs=TEXT))
    submitted_on = UKDateField(label="Date submitted", help_text="Day/month/year, for example 01/03/2022.")


class ClosedForm(forms.Form):
    letter = forms.CharField(label="Reference of their letter", max_length=100, widget=forms.TextInput(attrs=TEXT))
    closed_on = UKDateField(label="Date of their letter", help_text="Day/month/year.")
    letter_file = forms.FileField(label="The letter", required=False,
                                  help_text="Kept as the action's evidence, with its SHA-256.")


class RefusedForm(forms.Form):
    reasons = forms.CharField(label="Their reasons", max_length=2000,
                              widget=forms.Textarea(attrs={"class": "textarea", "rows": 4}))
    refused_on = UKDateField(label="Date of their answer", help_text="Day/month/year.")


STEPS = {"submit": SubmitForm, "closed": ClosedForm, "refused": RefusedForm}


def _step(request, bound: dict, step: str | None, record) -> bool:
    """Do the step posted, if its form is valid: `record(step, cleaned data, today, actor)`. True when done;
    the service's refusal is put on the form."""
    if step not in STEPS or not bound[step].is_valid():
        return False
    try:
        record(step, bound[step].cleaned_data, timezone.localdate(), actor(request))
    except ValidationError as exc:
        add_service_errors(bound[step], exc)
        return False
    return True


def _forms(request) -> tuple[str | None, dict]:
    step = request.POST.get("step") if request.method == "POST" else None
    return step, {name: form(request.POST, request.FILES) if name == step else form() for name, form in STEPS.items()}


def _page(request, template: str, step, bound, context: dict):
    errors = step in STEPS and bool(bound[step].errors)
    return render_page(request, template, {
        **context, "form": bound[step] if errors else None, **{f"{name}_form": form for name, form in bound.items()},
    }, status=400 if errors else 200)


@refusals
def action_page(request, reference, ref):
    plan = plan_or_404(request.user, reference)
    action = action_or_404(request, plan, ref)
    perms.require_manager(actor(request), plan, "record closure by an outside body")
    step, bound = _forms(request)

    def record(step, data, today, who):
        if step == "submit":
            external.action_submit_external(actor=who, action=action, body=data["body"],
                                            reference=data["reference"], submitted_on=data["submitted_on"],
                                            today=today)
        elif step == "closed":
            external.action_closed_externally(actor=who, action=action, letter=data["letter"],
                                              decided_on=data["closed_on"], today=today,
                                              letter_file=data["letter_file"])
        else:
            external.action_refused_externally(actor=who, action=action, reasons=data["reasons"],
                                               decided_on=data["refused_on"], today=today)

    if _step(request, bound, step, record):
        action.refresh_from_db()
        messages.success(request, _sentence(f"Action {action.ref}: {closure.external_text(action.external_closure)}"))
        return redirect("action", plan.reference, action.slug)
    return _page(request, "web/external/action.html", step, bound, {
        "plan": plan, "action": action, "state": closure.external_text(action.external_closure),
        "pending": closure.is_pending(action.external_closure),
        "can_submit": action.lifecycle in ("completed", "closed") and not closure.is_pending(action.external_closure),
    })


@refusals
def recommendation_page(request, reference, rec):
    plan = plan_or_404(request.user, reference)
    recommendation = get_object_or_404(plan.recommendations, slug=rec)
    perms.require_manager(actor(request), plan, "record closure by an outside body")
    step, bound = _forms(request)

    def record(step, data, today, who):
        if step == "submit":
            external.recommendation_submit_external(
                actor=who, recommendation=recommendation, body=data["body"], reference=data["reference"],
                submitted_on=data["submitted_on"], today=today)
        elif step == "closed":
            external.recommendation_closed_externally(
                actor=who, recommendation=recommendation, letter=data["letter"], decided_on=data["closed_on"],
                today=today, letter_file=data["letter_file"])
        else:
            external.recommendation_refused_externally(
                actor=who, recommendation=recommendation, reasons=data["reasons"], decided_on=data["refused_on"],
                today=today)

    actions = [action for action in recommendation.actions.order_by("position", "pk")
               if action.lifecycle != Lifecycle.CANCELLED]
    state = closure.shared([action.external_closure or None for action in actions])
    if _step(request, bound, step, record):
        state = closure.shared([action.external_closure or None for action in
                                recommendation.actions.exclude(lifecycle=Lifecycle.CANCELLED)])
        messages.success(request, _sentence(f"Recommendation {recommendation.ref}: {closure.external_text(state)}"))
        return redirect("plan", plan.reference)
    return _page(request, "web/external/recommendation.html", step, bound, {
        "plan": plan, "recommendation": recommendation, "actions": actions, "state": closure.external_text(state),
        "pending": closure.is_pending(state),
        "can_submit": bool(actions) and all(action.lifecycle in (Lifecycle.COMPLETED, Lifecycle.CLOSED)
                                            and not closure.is_pending(action.external_closure) for action in actions),
    })


def _sentence(text: str) -> str:
    """Ended with one full stop, whether or not the body's reasons quoted in it end with one."""
    return text if text.endswith((".", "!", "?")) else text + "."

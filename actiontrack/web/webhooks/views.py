"""A plan's webhooks: its plan managers add and remove them; they and administrators read the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import WebhookEvent, WebhookStyle
from actiontrack.plans.models import Plan, Webhook, WebhookDelivery
from actiontrack.plans.services import webhooks as service

refusals = page(refused=Refusal(advice="A plan's webhooks are set up by its plan managers."))


class WebhookForm(forms.Form):
    url = forms.CharField(label="Receiver's address", max_length=1000,
                          help_text="The incoming-webhook address the chat tool gives you, starting https://",
                          widget=forms.TextInput(attrs={"class": "input input--w20", "spellcheck": "false"}))
    style = forms.ChoiceField(label="The receiver is", choices=WebhookStyle.choices,
                              widget=forms.RadioSelect)
    events = forms.MultipleChoiceField(label="Send", choices=WebhookEvent.choices, initial=WebhookEvent.values,
                                       widget=forms.CheckboxSelectMultiple)


def _plan(request, reference) -> Plan:
    """The plan, for its managers (and, to read the log, administrators); a 404 for anyone else."""
    plan = Plan.objects.filter(reference=reference).first()
    if plan is None or not (request.user.is_staff or perms.is_manager(request.user, plan)):
        raise Http404("No such plan")
    return plan


@refusals
def index(request, reference):
    plan = _plan(request, reference)
    manages = perms.is_manager(request.user, plan)
    form = WebhookForm()
    if request.method == "POST":
        if not manages:
            raise PermissionDenied("Only a plan manager can send its events to a chat tool.")
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                service.webhook_add(actor=actor(request), plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The webhook is added: the plan's events are sent to it from now on.")
                return redirect("webhooks:index", plan.reference)
    return render_page(request, "web/webhooks/index.html", {
        "plan": plan, "manages": manages, "form": form, "hooks": plan.webhooks.order_by("pk"),
        "deliveries": WebhookDelivery.objects.filter(webhook__plan=plan).select_related("webhook")[:100],
    }, status=400 if form.errors else 200)


@refusals
def remove(request, reference, pk):
    plan = _plan(request, reference)
    if request.method != "POST":
        return redirect("webhooks:index", plan.reference)
    service.webhook_remove(actor=actor(request), webhook=get_object_or_404(Webhook, pk=pk, plan=plan))
    messages.success(request, "The webhook is removed: nothing more is sent to it.")
    return redirect("webhooks:index", plan.reference)

"""A plan's off-track notices to its oversight body: its plan managers word each draft and record it as sent, or
as not needed; anyone else who can see the plan is refused (403), anyone who cannot gets a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from actiontrack.domain.text import Limit
from actiontrack.pages.forms import LimitedText, UKDateField, add_service_errors
from actiontrack.pages.lookups import actor, plan_or_404
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans import permissions as perms
from actiontrack.plans.models import OffTrackNotice
from actiontrack.plans.services import off_track

refusals = page(refused=Refusal(advice="A plan's off-track notices are sent by its plan managers."))


class NoticeForm(forms.Form):
    sent_to = forms.CharField(label="To", max_length=300, required=False,
                              help_text="The oversight body, for example HMICFRS or the Audit Committee",
                              widget=forms.TextInput(attrs={"class": "input input--w20"}))
    text = LimitedText(label="The notice", limit=Limit.LONG, what="the notice",
                       widget=forms.Textarea(attrs={"class": "textarea", "rows": 14}))
    sent_on = UKDateField(label="Date sent", required=False,
                          help_text="Day/month/year; needed to record it as sent (today if left empty).")
    note = forms.CharField(label="Why no notice is needed", max_length=500, required=False,
                           help_text="Needed only to record that none will be sent.",
                           widget=forms.TextInput(attrs={"class": "input input--w20"}))


def _managed_plan(request, reference):
    plan = plan_or_404(request.user, reference)
    perms.require_manager(actor(request), plan, "see and send its off-track notices")
    return plan


@refusals
def index(request, reference):
    plan = _managed_plan(request, reference)
    notices = OffTrackNotice.objects.filter(action__plan=plan).select_related("action").order_by("-drafted_on", "-pk")
    return render_page(request, "web/offtrack/index.html", {"plan": plan, "notices": notices})


@refusals
def notice(request, reference, pk):
    plan = _managed_plan(request, reference)
    item = get_object_or_404(OffTrackNotice.objects.select_related("action"), pk=pk, action__plan=plan)
    form = NoticeForm(request.POST if request.method == "POST" else None,
                      initial={"sent_to": item.sent_to, "text": item.text})
    if request.method == "POST" and item.status == OffTrackNotice.Status.DRAFT and form.is_valid():
        data, today, who = form.cleaned_data, timezone.localdate(), actor(request)
        try:
            if "sent" in request.POST:
                off_track.off_track_sent(actor=who, notice=item, text=data["text"], sent_to=data["sent_to"],
                                         sent_on=data["sent_on"] or today, today=today)
                messages.success(request, f"The notice for action {item.action.ref} is recorded as sent.")
            elif "not_needed" in request.POST:
                off_track.off_track_not_needed(actor=who, notice=item, note=data["note"], today=today)
                messages.success(request, f"Recorded that no notice is needed for action {item.action.ref}.")
            else:
                off_track.off_track_save(actor=who, notice=item, text=data["text"], sent_to=data["sent_to"])
                messages.success(request, "The draft is saved.")
                return redirect("off-track:notice", plan.reference, item.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("manage:plan_queue", plan.reference)
    return render_page(request, "web/offtrack/notice.html", {"plan": plan, "notice": item, "form": form},
                       status=400 if form.errors else 200)

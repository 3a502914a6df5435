"""The verifier's pages: verify and close a completed action, or return it to its owner. Each finds the plan
(404 for anyone who cannot see it), parses the form, calls one service from plans/workflow.py, and redirects;
a refusal becomes the refused page (403), the service's messages the error summary (400)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from actiontrack.pages.forms import add_service_errors
from actiontrack.pages.lookups import actor, plan_and_action
from actiontrack.plans import permissions as perms
from actiontrack.plans.services import workflow

from ..owner.views import done, owner_page, refusals
from ..views import action_permissions
from .forms import ReturnForm, VerifyForm

# Verify and return ----------------------------------------------------------------------------------------

def _verifier_decision(request, reference, ref, *, template, form_class, prefix, doing, decide):
    """The verifier's close or return: a small page with the form (so it works without the action page's
    forms), then the one service call."""
    plan, action = plan_and_action(request, reference, ref)
    today, who = timezone.localdate(), actor(request)
    perms.require_verifier(who, action, today, doing)
    status, form = 200, form_class(prefix=prefix)
    if request.method == "POST":
        status, form = 400, form_class(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                decide(actor=who, action=action, today=today, **form.decision())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return done(request, action, form.done(action.ref))
    context = {"can": action_permissions(request.user, action, today),
               "evidence": list(action.evidence.select_related("added_by"))}
    return owner_page(request, template, plan, action, status=status, form=form, **context)


@refusals
def verify(request, reference, ref):
    return _verifier_decision(request, reference, ref, template="verify.html", form_class=VerifyForm,
                              prefix="verify", doing="verify and close it", decide=workflow.action_verify)


@refusals
def return_to_owner(request, reference, ref):
    return _verifier_decision(request, reference, ref, template="return.html", form_class=ReturnForm,
                              prefix="return", doing="return it to the owner", decide=workflow.action_return)

"""What every area of the web pages shares: who is acting, the 403 page for a refusal, finding an action by
its ref (with a redirect from another way of writing it), and rendering a page so that its <title> starts
"Error: " when it shows errors (the GOV.UK pattern), with any kept HTML spliced in (web/kept.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.plans import selectors
from actiontrack.plans.choices import EvidenceKind, ProposalStatus
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.permissions import visible_plan

from .kept import found_in, page_bytes

# The vocabularies templates compare values with, so no template spells a status as a bare string.
VOCABULARY = {"EvidenceKind": EvidenceKind, "ProposalStatus": ProposalStatus}


def actor(request) -> Actor:
    return Actor.of(request.user)


def render_page(request, template: str, context: dict, status: int = 200):
    """Render a full page. A 400 is a page showing what was wrong with the input, so its title says "Error: "
    (base.html reads `title_error`)."""
    context = {**VOCABULARY, **context, "title_error": status == 400}
    text = render_to_string(template, context, request)
    return HttpResponse(page_bytes(text, found_in(context.values())), status=status)


def plan_or_404(user, reference: str) -> Plan:
    """The plan, if this person can see it; a 404 otherwise, so plan names do not leak."""
    plan = visible_plan(user, reference, timezone.localdate())
    if plan is None:
        raise Http404("No such plan")
    return plan


def plan_today(plan: Plan) -> date:
    """Today, or the day the plan was agreed while that is still to come: the date the plan page shows it as
    at, and the date from which what is added to it takes effect, unless someone says otherwise."""
    return max(timezone.localdate(), plan.agreed_on)


class MovedPermanently(Exception):
    """An address written another way than its canonical one; `page` answers with a 301 to `url`."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def action_or_404(request, plan: Plan, ref: str) -> Action:
    """The plan's action with this ref, or a 404. A ref written another way (01.1, 1.01 for 1.1) names the same
    action: a GET or HEAD is sent on to the canonical address with a 301; anything else is a 404, since a
    redirect would lose what was posted."""
    action = selectors.action_by_ref(plan, ref)
    if action is None:
        raise Http404("No such action")
    if action.ref != ref:
        if request.method not in ("GET", "HEAD") or request.resolver_match is None:
            raise Http404("No such action")
        match = request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "ref": action.ref})
        query = request.META.get("QUERY_STRING", "")
        raise MovedPermanently(f"{url}?{query}" if query else url)
    return action


def plan_and_action(request, reference: str, ref: str) -> tuple[Plan, Action]:
    """The plan (a 404 for anyone who cannot see it) and its action (see action_or_404)."""
    plan = plan_or_404(request.user, reference)
    return plan, action_or_404(request, plan, ref)


def _back(kwargs: dict) -> dict:
    """Where a refused person can go back to: the action or the plan named in the address, if any."""
    if "reference" in kwargs and "ref" in kwargs:
        return {"back": reverse("action", args=[kwargs["reference"], kwargs["ref"]]),
                "back_text": f"Back to action {kwargs['ref']}"}
    if "reference" in kwargs:
        return {"back": reverse("plan", args=[kwargs["reference"]]), "back_text": "Back to the plan"}
    return {"back": None, "back_text": ""}


def page(*, refused: str | None = None, require: Callable[[Actor], None] | None = None):
    """Decorate a view: signed in (else the sign-in page); `require` checked first, if given; a refusal from it,
    the view or its service (PermissionDenied) becomes the `refused` template with status 403, saying why.
    Someone who cannot even see the plan never gets this far: the view gives them a 404 first. An action's
    address written another way (see action_or_404) is answered with a 301 to the canonical one."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if require is not None:
                    require(actor(request))
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                if refused is None:
                    raise
                return render_page(request, refused, {"reason": str(exc), **_back(kwargs)}, status=403)
            except MovedPermanently as moved:
                return HttpResponsePermanentRedirect(moved.url)
        return wrapper

    return decorate

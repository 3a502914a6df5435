"""Who is acting, and the plan and action an address names: a 404 for anyone who cannot see the plan, so plan
names do not leak, and a 301 for an action's ref written another way."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.plans import selectors
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.permissions import visible_plan


def actor(request, source: str = ChangeSource.WEB) -> Actor:
    """The signed-in person, as the services record them, acting through the web pages (or, for the import
    pages, through an import)."""
    return Actor.of(request.user, source)


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
    """The plan's action at this address part (its slug), or a 404. One written another way (e1B for E1b,
    01.1 for 1.1) names the same action: a GET or HEAD is sent on to the canonical address with a 301; anything
    else is a 404, since a redirect would lose what was posted."""
    action = selectors.action_by_ref(plan, ref)
    if action is None:
        raise Http404("No such action")
    if action.slug != ref:
        if request.method not in ("GET", "HEAD") or request.resolver_match is None:
            raise Http404("No such action")
        match = request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "ref": action.slug})
        query = request.META.get("QUERY_STRING", "")
        raise MovedPermanently(f"{url}?{query}" if query else url)
    return action


def plan_and_action(request, reference: str, ref: str) -> tuple[Plan, Action]:
    """The plan (a 404 for anyone who cannot see it) and its action (see action_or_404)."""
    plan = plan_or_404(request.user, reference)
    return plan, action_or_404(request, plan, ref)

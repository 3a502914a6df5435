"""The owner's and verifier's page tests share these: the action 5.1 of PIP-PR, its pages, and what an owner
does to it."""

from django.urls import reverse
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref, periods
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_link

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def action(ref):
    return action_by_ref(Plan.objects.get(reference="PIP-PR"), ref)


def url(name, ref="5.1"):
    return reverse(f"owner:{name}", args=["PIP-PR", ref])


def action_url(ref="5.1"):
    return reverse("action", args=["PIP-PR", ref])


def today():
    return timezone.localdate()


def period_label():
    return periods.current_period(action("5.1").plan, today()).label


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def add_link(user, ref="5.1"):
    return evidence_add_link(actor=Actor.of(user), action=action(ref), url="https://intranet.example.org/people",
                             title="People strategy", today=today())


def lifecycle_reason(ref):
    """The reason recorded with the action's latest lifecycle change."""
    return JournalEvent.objects.filter(entity_type="action", entity_id=action(ref).pk, field="lifecycle").last().reason


def complete(owner, ref="5.1"):
    add_link(owner, ref)
    workflow.action_complete(actor=Actor.of(owner), action=action(ref), completed_on=today(), today=today())

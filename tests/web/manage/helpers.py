"""The plan PIP-PR as the plan manager's pages see it, and the names the tests of those pages share."""

import re

from django.urls import reverse
from django.utils import timezone

from actiontrack.core.models import JournalEvent
from actiontrack.people.models import Post
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref

REF = "PIP-PR"
HPP = "Head of Prevention and Protection"


def url(name, *args):
    return reverse(f"manage:{name}", args=args)


def plan():
    return Plan.objects.get(reference=REF)


def action(ref):
    return action_by_ref(plan(), ref)


def journal_size():
    return JournalEvent.objects.count()


def today():
    return timezone.localdate()


PAGES = [
    ("plan_edit", [REF]),
    ("recommendation_new", [REF]),
    ("recommendation_edit", [REF, 3]),
    ("action_new", [REF, 3]),
    ("action_edit", [REF, "3.1"]),
    ("action_cancel", [REF, "3.1"]),
    ("action_pause", [REF, "3.1"]),
    ("action_resume", [REF, "3.1"]),
    ("plan_queue", [REF]),
]


NEW_PLAN = {
    "reference": "HMI-2022", "title": "HMICFRS Inspection 2022", "organisation": "Essex County Fire and Rescue",
    "source_kind": "hmicfrs", "source_body": "HMICFRS", "commissioned_on": "", "reported_on": "27/07/2022",
    "agreed_on": "01/09/2022", "background": "Round 2 inspection.", "documents_reviewed": "Report\n\n  Annex A  ",
    "board": "Performance and Resources Board", "classification": "OFFICIAL", "rag_scheme": "brag",
    "rag_window_days": "21", "reporting_period": "quarterly", "managers_change_dates_directly": "on",
}


def head_of(name):
    return Post.objects.get(name=name)


def edit_data(act, **change):
    return {"version": act.version, "text": act.text, "owner_posts": [p.pk for p in act.owner_posts.all()],
            "reason": "Clarified", **change}


def described_by_ids_are_all_there(html: str) -> list[str]:
    """Every id an aria-describedby names, that the page does not have: an empty list when all is well."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = [name for value in re.findall(r'aria-describedby="([^"]*)"', html) for name in value.split()]
    return [name for name in named if name not in ids]

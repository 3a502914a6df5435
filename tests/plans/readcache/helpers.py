"""Helpers for the read-cache tests (tests/plans/readcache/): the plan, people, pages read twice, and a record
of what the cache is asked to store."""

import re
from datetime import date

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actiontrack.api.tokens import token_create
from actiontrack.core.journal import Actor
from actiontrack.people.models import Post
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services.evidence import evidence_add_link

REF = "PIP-PR"
PLAN_URL = reverse("plan", args=[REF])
HOME = reverse("home")
API_ACTIONS = f"/api/plans/{REF}/actions"
BOARD_MEETING = date(2021, 11, 30)
HPP, HP, HOPS = "Head of Prevention and Protection", "Head of Protection", "Head of Ops Policy"
READERS = ["plan_manager", "board_member"]

# Helpers ------------------------------------------------------------------------------------------------------

STORED: list[str] = []  # the kinds of value stored in the read cache during the test, in order


@pytest.fixture(autouse=True)
def stored(monkeypatch):
    """Records what the read cache is asked to store (the cache itself cannot list what it holds)."""
    STORED.clear()
    cache = caches[readcache.ALIAS]
    store = cache.set

    def recording(key, value, *args, **kwargs):
        STORED.append(key.split(":", 1)[0])
        return store(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording)
    return STORED


def today() -> date:
    return timezone.localdate()


def pip() -> Plan:
    """The demo plan, loaded afresh (as each request loads it)."""
    return Plan.objects.get(reference=REF)


def action(ref):
    return action_by_ref(pip(), ref)


def post(name) -> Post:
    return Post.objects.get(name=name)


def as_(user) -> Actor:
    return Actor.of(user)


def browser_for(user) -> Client:
    """A browser of its own, signed in: the reader and the person making the change each have one."""
    client = Client()
    client.force_login(user)
    return client


class ApiClient:
    """The API as a user's program calls it: with a token of the user's own."""

    def __init__(self, user):
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='Tests')[1]}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.auth)

    def post(self, path, body):
        return self.client.post(path, body, content_type="application/json", **self.auth)


@pytest.fixture
def api(db):
    return ApiClient


def stable(html: str) -> str:
    """The page without what differs on every response (CSRF tokens, nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r'nonce="[^"]*"', "nonce", html)


def words(html: str) -> str:
    return re.sub(r" ([:;,.])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def get_page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return stable(response.content.decode())


def read_twice(client, url, **params) -> str:
    """The page served through the cache, checked against the same page built with an empty cache."""
    cached = get_page(client, url, **params)
    readcache.clear()
    assert get_page(client, url, **params) == cached, "the cached page differs from one built afresh"
    return cached


def warm(client, url, *kinds, **params) -> str:
    """Read the page, and check the read was kept (so the next read could be served stale)."""
    page = get_page(client, url, **params)
    kept = set(STORED)
    assert set(kinds) <= kept, f"expected {kinds} in the cache, found {kept}"
    return page


def warm_plan_page(client, **params) -> str:
    return warm(client, PLAN_URL, "plan_as_at", "plan_sections", **params)


def row(page: str, ref: str) -> str:
    """One action's row of the plan page, as words."""
    found = re.search(r'<span class="visually-hidden">Action </span>' + re.escape(ref) + r"</a>(.*?)</tr>", page,
                      re.S)
    assert found, f"no row for action {ref}"
    return words(found.group(1))


def action_order(page: str) -> list[str]:
    return re.findall(r'<span class="visually-hidden">Action </span>([0-9]+\.[0-9]+)</a>', page)


def recommendation_order(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'<section class="recommendation" aria-labelledby="rec-([0-9]+)"',
                                                 page)]


def manager_rows_order(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'<th scope="row" class="nowrap">[^<]*? ([0-9]+)</th>', page)]


def manage_url(name, *args):
    return reverse(f"manage:{name}", args=args)


def shown(view) -> tuple:
    """Everything a plan as at a date shows, to compare a cached view with one built afresh."""
    return (view.as_at, view.scheme.key, tuple((band.key, count) for band, count in view.counts), tuple(
        (rec.id, rec.ref, rec.group, rec.kind, rec.text, tuple(
            (a.ref, a.text, tuple((o.post, o.holder) for o in a.owners), a.due_on, a.due_condition, a.baseline_on,
             a.lifecycle, a.lifecycle_reason, a.completed_on, a.rating.colour, a.rating.label, a.rating.reason,
             a.revisions)
            for a in rec.actions))
        for rec in view.recommendations))


def texts(view) -> dict[str, str]:
    return {a.ref: a.text for a in view.actions}


def with_evidence(owner, ref):
    evidence_add_link(actor=as_(owner), action=action(ref), url="https://intranet.example.org/evidence",
                      title="Evidence", today=today())


def edit_form(act, **change) -> dict:
    return {"version": act.version, "text": act.text, "owner_posts": [p.pk for p in act.owner_posts.all()],
            "reason": "Clarified", **change}



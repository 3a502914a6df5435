"""The cross-plan action list (GET /api/actions, what a Power BI feed reads) is filtered, counted and paged in the
database when the plans' rows hold the state on the date: it must list exactly what the plans replayed from their
journals list, filter by filter, page by page, and make as many queries for twenty plans as for one."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actiontrack.api.common import ActionFilters, rows_as_at
from actiontrack.api.reads import _ActionPage, _DatabasePage
from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.models import Plan
from tests.plans.test_portfolio_from_rows import change_at_random

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("Tests", "cli")


def second_plan(rng, today, reference="BRAG-1", actions=12):
    plan = services.plan_create(actor=SYSTEM, reference=reference, title=f"A BRAG plan {reference}",
                                agreed_on=date(2021, 1, 4), rag_scheme="brag", rag_window_days=21)
    rec = services.recommendation_create(actor=SYSTEM, plan=plan, ref="R1", text="Improve.")
    posts = list(Post.objects.order_by("pk"))
    for n in range(actions):
        services.action_create(actor=SYSTEM, recommendation=rec, number=n + 1, text=f"Do {n + 1}.", reason="Agreed",
                               owner_posts=rng.sample(posts, rng.choice([1, 2])),
                               due_on=today + timedelta(days=rng.randrange(-90, 90)) if n % 5 else None)
    return plan


def both_ways(plans, as_at, filters, offset=0, limit=50):
    plans = [Plan.objects.get(pk=plan.pk) for plan in plans]
    replayed = _ActionPage([(plan, rows_as_at(plan, as_at)) for plan in plans], as_at, filters)
    from_rows = _DatabasePage(plans, as_at, filters)
    return (replayed[offset:offset + limit], len(replayed)), (from_rows[offset:offset + limit], len(from_rows))


def filter_choices(today):
    posts = list(Post.objects.values_list("pk", flat=True))
    yield {}
    for overdue in (True, False):
        yield {"overdue": overdue}
    for colour in ("red", "amber", "green", "blue", "grey"):
        yield {"rag": colour}
    for life in Lifecycle:
        yield {"lifecycle": life}
    for post in posts:
        yield {"owner_post": post}
    yield {"due_before": today + timedelta(days=10)}
    yield {"due_after": today - timedelta(days=30), "overdue": False, "rag": "amber"}


@pytest.mark.parametrize("seed", [1, 2])
def test_every_filter_lists_what_the_replayed_plans_list(demo, seed):
    rng, today = random.Random(seed), timezone.localdate()
    plans = [Plan.objects.get(reference="PIP-PR"), second_plan(rng, today)]
    for _ in range(20):
        change_at_random(rng, rng.choice(plans), SYSTEM, today)
    for as_at in (today, today + timedelta(days=15)):
        for choice in filter_choices(today):
            replayed, from_rows = both_ways(plans, as_at, ActionFilters(**choice))
            assert from_rows == replayed, choice


def test_pages_across_plans_follow_the_plans_order_and_each_plans_own_order(demo):
    rng, today = random.Random(3), timezone.localdate()
    plans = [Plan.objects.get(reference="PIP-PR"), second_plan(rng, today)]
    for offset, limit in ((0, 3), (8, 5), (20, 50), (40, 10)):
        replayed, from_rows = both_ways(plans, today, ActionFilters(), offset, limit)
        assert from_rows == replayed, (offset, limit)


def test_a_page_spanning_many_small_plans_starts_and_ends_where_the_replayed_list_does(demo):
    """Only the plans a page falls in are sorted: a page may start part-way into one plan and cross several."""
    rng, today = random.Random(5), timezone.localdate()
    plans = [Plan.objects.get(reference="PIP-PR")] + [second_plan(rng, today, f"SMALL-{n}", actions=3)
                                                      for n in range(6)]
    for choice in ({}, {"overdue": False}):
        for offset, limit in ((0, 50), (2, 7), (9, 4), (11, 1), (12, 20), (27, 5), (40, 10)):
            replayed, from_rows = both_ways(plans, today, ActionFilters(**choice), offset, limit)
            assert from_rows == replayed, (choice, offset, limit)


def test_the_queries_are_as_many_for_twenty_plans_as_for_one(demo):
    rng, today = random.Random(4), timezone.localdate()
    one = [second_plan(rng, today, "ONE-1")]
    twenty = one + [second_plan(rng, today, f"MANY-{n}", actions=3) for n in range(19)]
    counted = []
    for plans in (one, twenty):
        page = _DatabasePage(plans, today, ActionFilters(rag="red"))
        with CaptureQueriesContext(connection) as queries:
            page[0:50]
            len(page)
        counted.append(len(queries.captured_queries))
    assert counted[0] == counted[1], counted

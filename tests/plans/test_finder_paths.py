"""The two ways /actions/ finds actions agree: in the database (plans whose rows hold their state on the date)
and over the plan replayed to the date (plans with later changes). Every filter and every sort, both ways, on
the demo plan after real changes through the services."""

import random
from datetime import date, timedelta

from django.db.models import Max
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.models import Action, Group, Plan
from actiontrack.plans.selectors import finder
from actiontrack.plans.selectors.finder import SORTS, Search, find
from actiontrack.plans.selectors.rated_rows import later_changes


def both_ways(plans, as_at, search):
    in_database = find(plans, as_at, search, 0, 10_000)
    replayed = finder._replayed(finder.chosen_plans(plans, as_at, search), as_at, search, 0, 10_000)
    return ([row.ref for _, row in in_database.rows], in_database.count), (
        [row.ref for _, row in replayed.rows], replayed.count)


def searches(owner, post, group):
    yield Search()
    yield Search(q="fire")
    yield Search(q="PLAN")
    yield Search(group=group)
    yield Search(source="peer_review")
    yield Search(source="hmicfrs")
    for colour in ("red", "amber", "green", "blue", "grey"):
        yield Search(rag=colour)
    for life in Lifecycle:
        yield Search(lifecycle=life)
    yield Search(owner_post=post.pk)
    yield Search(owner_person=owner.pk)
    yield Search(owner_person=owner.pk, owner_post=post.pk)
    for days in (0, 30, 400):
        yield Search(due_within=days)
    yield Search(overdue=True)
    yield Search(overdue=False)
    yield Search(due_before=date(2021, 12, 31), due_after=date(2021, 6, 1))
    yield Search(revised=True)
    yield Search(no_update=True)
    yield Search(awaiting_verification=True)
    yield Search(overdue=True, q="review", sort="-owner")
    for name in SORTS:
        yield Search(sort=name)
        yield Search(sort=f"-{name}")


def agree(plan, as_at, owner):
    assert not later_changes([plan], as_at), "the database way would not be taken"
    post = Post.objects.get(name="Head of Prevention and Protection")
    group = Group.objects.filter(plan=plan).values_list("name", flat=True).first() or ""
    for search in searches(owner, post, group):
        database, replayed = both_ways([plan], as_at, search)
        assert database == replayed, search


def test_they_agree_on_the_day_after_the_demo_plans_last_change(demo, owner):
    plan = Plan.objects.get(reference="PIP-PR")
    last = JournalEvent.objects.filter(plan=plan).aggregate(last=Max("effective_on"))["last"]
    agree(plan, last + timedelta(days=1), owner)


def test_they_agree_today_after_changes_through_the_services(demo, plan_manager, owner):
    plan = Plan.objects.get(reference="PIP-PR")
    today = timezone.localdate()
    actor = Actor.of(plan_manager)
    first, second = Action.objects.filter(plan=plan, lifecycle=Lifecycle.IN_PROGRESS).order_by("pk")[:2]
    services.action_change_owners(actor=actor, action=first, owner_posts=[Post.objects.get(name="Head of Protection")],
                                  reason="After the restructure", effective_on=today)
    services.action_change_lifecycle(actor=actor, action=second, lifecycle=Lifecycle.PAUSED, effective_on=today,
                                     reason="Waiting for the new budget")
    agree(plan, today, owner)


def test_a_plan_agreed_after_the_date_has_no_actions_then(demo, plan_manager):
    plan = Plan.objects.get(reference="PIP-PR")
    assert find([plan], plan.agreed_on - timedelta(days=1), Search(), 0, 50).count == 0
    assert find([plan], date(2100, 1, 1), Search(), 0, 50).count == Action.objects.filter(plan=plan).count()


def test_pages_across_many_plans_read_one_after_another_list_every_match_once_in_order(demo):
    """In the plans' order (and backwards), only the plans a page falls in are sorted: a page may start part-way
    into one plan and cross several, and the pages put together are the whole list, as the replayed plans give it."""
    from tests.api.test_action_list_in_the_database import second_plan

    rng, today = random.Random(7), timezone.localdate()
    plans = [Plan.objects.get(reference="PIP-PR")] + [second_plan(rng, today, f"SMALL-{n}", actions=n % 4 * 2)
                                                      for n in range(8)]
    plans = [Plan.objects.get(pk=plan.pk) for plan in plans]
    for search in (Search(), Search(sort="-plan"), Search(overdue=False), Search(rag="amber", sort="-plan")):
        whole = finder._replayed(finder.chosen_plans(plans, today, search), today, search, 0, 10_000)
        expected = [(plan.reference, row.ref) for plan, row in whole.rows]
        for size in (1, 4, 7, 50):
            pages = [find(plans, today, search, offset, size) for offset in range(0, len(expected) + size, size)]
            assert {page.count for page in pages} == {len(expected)}, (search, size)
            assert [(plan.reference, row.ref) for page in pages for plan, row in page.rows] == expected, (search, size)

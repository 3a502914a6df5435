"""The dashboard reads its summaries from the current rows, a few queries for every plan at once; they must be
the summaries the plan replayed from its journal gives, whatever was changed, on any date it is valid for."""

import random
from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans import readcache, services
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import portfolio as dashboard
from actiontrack.plans.selectors.portfolio import summaries_from_rows, summary_replayed
from actiontrack.plans.services import external

pytestmark = pytest.mark.django_db


def shown(summary) -> tuple:
    return (summary.total, summary.counts, summary.overdue, summary.overdue_count, summary.due_soon,
            summary.due_soon_count, summary.period, summary.revisions_this_period, summary.slipped, summary.revised,
            summary.assurance)


def same_summaries(plans, as_at, post_name=""):
    fresh = [Plan.objects.get(pk=plan.pk) for plan in plans]
    from_rows = summaries_from_rows(fresh, post_name, as_at)
    replayed = [summary_replayed(plan, readcache.loaded_version(plan), post_name, as_at) for plan in fresh]
    assert [shown(s) for s in from_rows] == [shown(s) for s in replayed]
    return from_rows


def change_at_random(rng: random.Random, plan: Plan, actor: Actor, today: date) -> None:
    """One change made today through the services: a due date (or none), a lifecycle move, a closure (without
    evidence, as an import closes; or by an outside body), or owners."""
    action = rng.choice(list(plan.actions.order_by("pk")))
    kind = rng.choice(["due", "due", "life", "owners", "close"])
    if kind == "close":
        if action.lifecycle not in (Lifecycle.COMPLETED, Lifecycle.CLOSED):
            services.action_change_lifecycle(actor=actor, action=action, lifecycle=Lifecycle.CLOSED,
                                             effective_on=today, reason="Closed in the tracker", completed_on=today)
        elif not action.external_closure:
            external.action_submit_external(actor=actor, action=action, body="HMICFRS", reference="",
                                            submitted_on=today, today=today)
            external.action_closed_externally(actor=actor, action=action, letter="Letter 1", decided_on=today,
                                              today=today)
        return
    if kind == "due":
        due = rng.choice([None, today - timedelta(days=rng.randrange(1, 400)), today,
                          today + timedelta(days=rng.randrange(1, 60))])
        if due is not None or action.due_on is not None:
            services.action_change_due_date(actor=actor, action=action, due_on=due, reason="Replanned",
                                            effective_on=today, due_condition=rng.choice(["", "On Approval"]))
    elif kind == "life":
        life = Lifecycle(action.lifecycle)
        moves = [each for each in Lifecycle if each is not life and life.manager_may_move_to(each)]
        if moves:
            target = rng.choice(moves)
            services.action_change_lifecycle(actor=actor, action=action, lifecycle=target, effective_on=today,
                                             reason="Moved", completed_on=today if target.is_complete else None)
    else:
        posts = list(Post.objects.order_by("pk"))
        services.action_change_owners(actor=actor, action=action, effective_on=today, reason="Reassigned",
                                      owner_posts=rng.sample(posts, rng.choice([1, 2])))


@pytest.mark.parametrize(("seed", "listed"), [(1, 10), (2, 10), (3, 2), (4, 1)])
def test_summaries_from_rows_equal_the_replayed_plan_after_random_changes(demo, plan_manager, seed, listed,
                                                                          monkeypatch):
    monkeypatch.setattr(dashboard, "LISTED", listed)  # short lists: which actions come first is tested too
    monkeypatch.setattr(dashboard, "SLIPS_LISTED", max(2, min(listed, 5)))
    rng, today = random.Random(seed), timezone.localdate()
    plan = Plan.objects.get(reference="PIP-PR")
    second = services.plan_create(actor=Actor.of(plan_manager), reference="BRAG-1", title="A BRAG plan",
                                  agreed_on=date(2021, 1, 4), rag_scheme="brag", rag_window_days=21,
                                  reporting_period="quarterly")
    rec = services.recommendation_create(actor=Actor.of(plan_manager), plan=second, ref="R1", text="Improve.")
    posts = list(Post.objects.order_by("pk"))
    for n in range(12):
        services.action_create(actor=Actor.of(plan_manager), recommendation=rec, number=n + 1, text=f"Do {n + 1}.",
                               reason="Agreed", owner_posts=[posts[n % len(posts)]],
                               due_on=today + timedelta(days=rng.randrange(-90, 90)) if n % 5 else None)
    actor = Actor.system("Tests", "cli")
    for _ in range(25):
        change_at_random(rng, rng.choice([plan, second]), actor, today)
    for as_at in (today, today + timedelta(days=10), today + timedelta(days=45)):
        summaries = same_summaries([plan, second], as_at)
        # The most slipped and most revised lists are compared too: the database ranks them for the dashboard.
        assert any(s.slipped for s in summaries) and any(len(s.revised) > 1 for s in summaries)
        assert len({level for s in summaries for level, _ in s.assurance}) >= 3  # the closures counted apart
        for post in posts:
            same_summaries([plan, second], as_at, post.name)


def test_the_demo_dashboard_lists_what_is_overdue_in_the_plans_order(demo):
    plan = Plan.objects.get(reference="PIP-PR")
    [summary] = same_summaries([plan], timezone.localdate())
    assert summary.total == plan.actions.count() and summary.overdue and summary.overdue_count == len(summary.overdue)
    assert [a.due_on for a in summary.overdue] == sorted(a.due_on for a in summary.overdue)


def test_a_plan_with_a_change_taking_effect_later_is_replayed(demo, plan_manager, monkeypatch):
    plan = Plan.objects.get(reference="PIP-PR")
    action = plan.actions.filter(~Q(lifecycle=Lifecycle.CANCELLED)).order_by("pk").first()
    services.action_change_due_date(actor=Actor.system("Tests", "cli"), action=action, due_on=date(2030, 1, 1),
                                    reason="Replanned", effective_on=timezone.localdate())
    as_at = date(2021, 11, 30)  # the demo's board meeting: later changes exist, so the rows do not hold that day
    replayed = []
    monkeypatch.setattr(dashboard, "summary_replayed", lambda *args: replayed.append(args) or real(*args))
    real = summary_replayed
    result = dashboard.portfolio(None, as_at, timezone.localdate(), visible=[Plan.objects.get(pk=plan.pk)])
    assert len(replayed) == 1 and result.plans[0].total == plan.actions.count()

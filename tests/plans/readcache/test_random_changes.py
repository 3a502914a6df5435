"""Random changes, each checked against the uncached builder; a read under way while another server commits.

The tests commit, as requests do (nothing is kept from inside a transaction), so each starts from a fresh
database; see helpers.py."""

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people import services as people
from actiontrack.people.models import Post, PostHolding
from actiontrack.plans import readcache, selectors, services
from actiontrack.plans.selectors import build_as_at, periods, plan_as_at
from actiontrack.plans.services import workflow
from tests.plans.readcache.helpers import (
    BOARD_MEETING,
    PLAN_URL,
    as_,
    browser_for,
    get_page,
    pip,
    read_twice,
    shown,
    today,
)

pytestmark = pytest.mark.django_db(transaction=True)

# 7. Random changes, each checked against the builder ----------------------------------------------------------

class RandomChanges:
    """One random change at a time, made through the services by the person who may make it."""

    def __init__(self, rng: random.Random, manager, verifier, administrator):
        self.rng, self.manager, self.verifier, self.admin = rng, as_(manager), as_(verifier), as_(administrator)
        self.renamed = 0

    def when(self, act) -> date:
        """Today, or a back-dated effective date on or after the action was added."""
        added = periods.added_on(act)
        if self.rng.random() < 0.5 or added >= today():
            return today()
        return added + timedelta(days=self.rng.randrange((today() - added).days + 1))

    def an_action(self):
        return self.rng.choice(list(pip().actions.order_by("pk")))

    def text(self):
        act = self.an_action()
        services.action_change_text(actor=self.manager, action=act, text=f"Words {self.rng.randrange(10**6)}.",
                                    reason="Reworded", effective_on=self.when(act))

    def due(self):
        act = self.an_action()
        services.action_change_due_date(actor=self.manager, action=act,
                                        due_on=date(2021, 3, 1) + timedelta(days=self.rng.randrange(2500)),
                                        due_condition=self.rng.choice(["", "On Approval"]), reason="Replanned",
                                        effective_on=self.when(act))

    def owners(self):
        act = self.an_action()
        posts = list(Post.objects.order_by("pk"))
        services.action_change_owners(actor=self.manager, action=act,
                                      owner_posts=self.rng.sample(posts, self.rng.randint(1, 2)),
                                      reason="Reassigned", effective_on=self.when(act))

    def lifecycle(self):
        act = self.an_action()
        current = Lifecycle(act.lifecycle)
        moves = [to for to in (Lifecycle.IN_PROGRESS, Lifecycle.PAUSED, Lifecycle.CANCELLED)
                 if current.manager_may_move_to(to)]
        if not moves:
            if current is Lifecycle.COMPLETED:
                workflow.action_verify(actor=self.verifier, action=act, today=today())
            return
        services.action_change_lifecycle(actor=self.manager, action=act, lifecycle=self.rng.choice(moves),
                                         effective_on=today(), reason="Decided")

    def recommendation(self):
        rec = self.rng.choice(list(pip().recommendations.order_by("pk")))
        services.recommendation_change_text(actor=self.manager, recommendation=rec,
                                            text=f"Finding {self.rng.randrange(10**6)}.", reason="Reworded",
                                            effective_on=today())

    def move(self):
        direction = self.rng.choice([-1, 1])
        if self.rng.random() < 0.5:
            rec = self.rng.choice(list(pip().recommendations.order_by("pk")))
            services.recommendation_move(actor=self.manager, recommendation=rec, direction=direction,
                                         effective_on=today())
        else:
            services.action_move(actor=self.manager, action=self.an_action(), direction=direction,
                                 effective_on=today())

    def new_action(self):
        rec = self.rng.choice(list(pip().recommendations.order_by("pk")))
        services.action_create(actor=self.manager, recommendation=rec, text=f"New {self.rng.randrange(10**6)}.",
                               owner_posts=[self.rng.choice(list(Post.objects.all()))],
                               due_on=today() + timedelta(days=self.rng.randrange(-60, 60)), effective_on=today())

    def rename(self):
        self.renamed += 1
        chosen = self.rng.choice(list(Post.objects.order_by("pk")))
        people.post_update(actor=self.admin, post=chosen, name=f"Renamed Post {self.renamed}",
                           aliases=chosen.alias_list, today=today())

    def holder(self):
        chosen = self.rng.choice(list(Post.objects.order_by("pk")))
        latest = chosen.holdings.order_by("-starts_on").first()
        earliest = latest.starts_on + timedelta(days=1) if latest else date(2021, 1, 1)
        starts_on = earliest + timedelta(days=self.rng.randrange(max(1, (today() - earliest).days + 30)))
        people.post_holder_change(actor=self.admin, post=chosen, holder_name=f"Holder {self.rng.randrange(10**6)}",
                                  starts_on=starts_on)

    def end_holding(self):
        open_ = list(PostHolding.objects.filter(ends_on__isnull=True).order_by("pk"))
        if not open_:
            return
        holding = self.rng.choice(open_)
        held_for = max(1, (today() - holding.starts_on).days)
        vacant_from = holding.starts_on + timedelta(days=1 + self.rng.randrange(held_for))
        people.holding_end(actor=self.admin, holding=holding, vacant_from=vacant_from)

    def scheme(self):
        plan = pip()
        services.plan_update(actor=self.manager, plan=plan, effective_on=today(), reason="Scheme",
                             changes={"rag_scheme": "rag" if plan.rag_scheme == "brag" else "brag",
                                      "rag_window_days": self.rng.randint(1, 90)})

    KINDS = ("text", "due", "owners", "lifecycle", "recommendation", "move", "new_action", "rename", "holder",
             "end_holding", "scheme")

    def one(self) -> str:
        kind = self.rng.choice(self.KINDS)
        try:
            getattr(self, kind)()
        except ValidationError:  # e.g. moving the first one up: refused, rolled back, and that is a case too
            return kind + " (refused)"
        return kind


@pytest.mark.parametrize("seed", [20211130, 7])
def test_after_each_of_twenty_random_changes_the_cached_plan_equals_a_fresh_build(seed, plan_manager, verifier,
                                                                                 administrator, board_member):
    rng, pick = random.Random(seed), random.Random(seed + 1)  # pick: which recommendation to read alone
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"managers_change_dates_directly": True},
                         effective_on=today(), reason="Managers may change dates")
    changes = RandomChanges(rng, plan_manager, verifier, administrator)
    client = browser_for(board_member)
    past = BOARD_MEETING
    done = []
    for _step in range(20):
        for day in (today(), past):  # read (filling the cache) before the change
            plan_as_at(pip(), day)
        done.append(changes.one())
        for day in (today(), past):
            cached = plan_as_at(pip(), day)
            assert shown(cached) == shown(build_as_at(pip(), day)), f"stale after {done}"
            # One recommendation read alone, as the plan page reads it after a progress update.
            rec = pick.choice(cached.recommendations)
            alone = selectors.recommendations_as_at(pip(), day, {rec.id: tuple(a.id for a in rec.actions)},
                                                    version=readcache.loaded_version(pip()))
            assert alone == [rec], f"{rec.ref} read alone differs after {done}"
            assert shown(plan_as_at(pip(), day)) == shown(cached)
        if _step % 5 == 4:
            read_twice(client, PLAN_URL)
            read_twice(client, PLAN_URL, as_at=past.isoformat())
        past = date(2021, 2, 1) + timedelta(days=rng.randrange((today() - date(2021, 2, 1)).days))
    assert sum(not kind.endswith("(refused)") for kind in done) >= 12, done


# A read under way while another server commits a change --------------------------------------------------------

def test_a_plan_object_held_from_before_a_scheme_change_is_built_with_the_new_scheme(board_member, plan_manager):
    """A caller (the API's /actions across plans, a report, an export) may hold a Plan loaded before another
    server commits a change to it: what it builds, and what is kept for everyone else, must use the plan as it
    is now, not the object's old fields under the new version."""
    held = pip()
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"rag_scheme": "brag"},
                         effective_on=today(), reason="The board asked for BRAG")
    view = selectors.plan_as_at(held, today())
    assert view.plan.rag_scheme == "brag" and view.scheme.key == "brag"
    page = get_page(browser_for(board_member), PLAN_URL)
    assert "Green – Complete" not in page and "Blue – Closed" in page or "Green – On track" in page
    readcache.clear()
    assert get_page(browser_for(board_member), PLAN_URL) == page

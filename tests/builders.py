"""Small plans and people for tests that need one plan or one person, not the whole demo.

Everything is made through the plan and people services, by a set-up actor, so the journal holds what real
use would write and the plan as at any date replays correctly. The named personas (Priya Shah the plan
manager, Chris Parker the owner, ...) stay the demo's, in tests/conftest.py; these builders are for tests
whose subject is not the demo plan itself.

    plan = a_plan(actions=3, due=[date(2021, 5, 31)], lifecycles={"1.2": Lifecycle.IN_PROGRESS})
    manager = a_person("pat", plan=plan, role="manager")
    owner = a_person("olu", owns=a_post())           # holds "Head of Delivery", which owns every action
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.contrib.auth import get_user_model

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import Action, Plan

SET_UP = Actor.system("Test set-up", ChangeSource.CLI)
AGREED = date(2021, 2, 1)
DUE = date(2021, 5, 31)
PASSWORD = "a builder's long password"  # passes Django's validators; tests hash it with MD5 (conftest)


def a_post(name: str = "Head of Delivery", *, holder: str | None = None, user=None,
           starts_on: date = date(2021, 1, 1)) -> Post:
    """A post (made if it does not exist), with `holder` holding it from `starts_on` when given."""
    post = Post.objects.filter(name=name).first() or people.post_create(actor=SET_UP, name=name,
                                                                         effective_on=starts_on)
    if holder or user:
        holder = holder or (user.get_full_name() or user.get_username())
        people.post_holder_change(actor=SET_UP, post=post, holder_name=holder, starts_on=starts_on, user=user)
    return post


def a_plan(*, actions: int = 1, reference: str = "TEST-1", title: str = "A plan for one test",
           agreed_on: date = AGREED, due: Sequence[date | None] | date | None = DUE,
           owners: Iterable[Post] | None = None,
           lifecycles: Mapping[str, Lifecycle | tuple[Lifecycle, date]] | None = None, recommendation: int = 1,
           recommendation_text: str = "Do better.", **details) -> Plan:
    """A plan with one recommendation, numbered `recommendation`, and `actions` actions (1.1, 1.2, ... for
    recommendation 1).

    `due`: one date for every action, or one per action (None: no date set). `owners`: the posts owning every
    action (default: one post, `a_post()`, held by nobody until a_person(owns=...)). `lifecycles`: {ref:
    lifecycle or (lifecycle, date)}, each move made on the agreed date unless dated (a completed or closed
    action is completed that day). `details`: anything else plan_create takes (rag_scheme, rag_window_days,
    reminder_window_days, ...)."""
    owners = list(owners) if owners is not None else [a_post()]
    dues = list(due) if isinstance(due, Sequence) else [due] * actions
    if len(dues) != actions:
        raise ValueError(f"{actions} actions but {len(dues)} due dates")
    plan = services.plan_create(actor=SET_UP, reference=reference, title=title, agreed_on=agreed_on, **details)
    found = services.recommendation_create(actor=SET_UP, plan=plan, ref=str(recommendation),
                                             text=recommendation_text)
    for number, due_on in enumerate(dues, start=1):
        services.action_create(actor=SET_UP, recommendation=found, number=number, owner_posts=owners,
                               text=f"Action {number} of {reference}.", due_on=due_on, reason="Agreed.")
    for ref, move in (lifecycles or {}).items():
        lifecycle, day = move if isinstance(move, tuple) else (move, agreed_on)
        completed_on = day if Lifecycle(lifecycle) in (Lifecycle.COMPLETED, Lifecycle.CLOSED) else None
        services.action_change_lifecycle(actor=SET_UP, action=an_action(plan, ref), lifecycle=lifecycle,
                                         effective_on=day, completed_on=completed_on, reason="Set up for the test.")
    plan.refresh_from_db()
    return plan


def a_grouped_plan(reference: str = "HMI-2023") -> Plan:
    """An inspection plan numbered as HMICFRS and inquiries number theirs ("AFI 3", "33.22c"), with two themes
    that both restart at R1, one action with its own reference (E1b). Its recommendation 1 is a_plan's."""
    plan = a_plan(actions=0, reference=reference, title="HMICFRS inspection 2023", group_label="Theme")
    post = a_post()
    prevention = services.group_for(actor=SET_UP, plan=plan, name="Prevention")
    protection = services.group_for(actor=SET_UP, plan=plan, name="Protection")

    def rec(ref, text, group=None, kind="recommendation", actions=("Do it.",), action_refs=None):
        made = services.recommendation_create(actor=SET_UP, plan=plan, ref=ref, text=text, kind=kind, group=group)
        for n, action_text in enumerate(actions):
            services.action_create(actor=SET_UP, recommendation=made, text=action_text, owner_posts=[post],
                                   due_on=DUE, ref=(action_refs or {}).get(n, ""))

    rec("AFI 3", "The service should improve its home fire safety visits.", kind="afi")
    rec("33.22c", "Evacuation plans for high-rise buildings.", actions=("Write them.", "Test them."))
    rec("R1", "Target prevention at those most at risk.", group=prevention, action_refs={0: "E1b"})
    rec("R1", "Audit high-risk premises.", group=protection)
    return plan


def an_action(plan: Plan, ref: str) -> Action:
    return Action.objects.get(plan=plan, ref=ref)


def a_person(username: str, *, plan: Plan | None = None, role: str | None = None, owns: Post | None = None,
             first_name: str = "", last_name: str = "", email: str | None = None, starts_on: date = AGREED,
             administrator: bool = False):
    """A user, made through the people services. `role` on `plan`: "manager", "verifier" or "viewer"; `owns`:
    a post they hold from `starts_on`, which makes them owner of the actions it owns."""
    user = people.user_create(actor=SET_UP, username=username, first_name=first_name or username.title(),
                              last_name=last_name or "Tester", email=email if email is not None else
                              f"{username}@example.org", password=PASSWORD, is_staff=administrator,
                              today=starts_on)
    if role is not None:
        if plan is None:
            raise ValueError("a role is on a plan: pass plan=")
        services.role_grant(actor=SET_UP, user=user, plan=plan, role=PlanRoleKind(role), today=starts_on)
    if owns is not None:
        a_post(owns.name, user=user, starts_on=starts_on)
    return get_user_model().objects.get(pk=user.pk)

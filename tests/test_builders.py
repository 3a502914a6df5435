"""The small builders (tests/builders.py) make what they say, through the services: the journal replays to
the rows, and each person can do what their role allows and no more."""

from datetime import date

import pytest

from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans import permissions
from actiontrack.plans.selectors import build_as_at, replay_as_at
from tests.builders import a_person, a_plan, a_post, an_action

pytestmark = pytest.mark.django_db


def test_a_plan_with_three_actions_their_dates_and_lifecycles_replays_to_its_rows():
    plan = a_plan(actions=3, recommendation=4, due=[date(2021, 5, 31), None, date(2021, 12, 31)],
                  lifecycles={"4.1": Lifecycle.IN_PROGRESS, "4.3": (Lifecycle.COMPLETED, date(2021, 3, 1))})
    assert [(a.ref, a.lifecycle, a.due_on) for a in plan.actions.order_by("number")] == [
        ("4.1", "in_progress", date(2021, 5, 31)), ("4.2", "not_started", None), ("4.3", "completed",
                                                                                  date(2021, 12, 31))]
    assert an_action(plan, "4.3").completed_on == date(2021, 3, 1)
    later = date(2021, 12, 6)
    rows = [(a.ref, a.lifecycle, a.due_on, a.rating.label) for a in build_as_at(plan, later).actions]
    assert rows == [(a.ref, a.lifecycle, a.due_on, a.rating.label) for a in replay_as_at(plan, later).actions]
    assert JournalEvent.objects.filter(plan=plan, field="created").count() == 1 + 1 + 3  # plan, rec, actions


def test_a_person_has_the_role_they_were_given_on_that_plan_only():
    plan, other = a_plan(), a_plan(reference="TEST-2")
    manager = a_person("pat", plan=plan, role="manager")
    verifier = a_person("vic", plan=plan, role="verifier")
    viewer = a_person("val", plan=plan, role="viewer")
    owner = a_person("olu", owns=a_post())
    assert permissions.is_manager(manager, plan) and not permissions.is_manager(manager, other)
    assert not permissions.is_manager(verifier, plan) and not permissions.is_manager(viewer, plan)
    assert permissions.owns(owner, an_action(plan, "1.1"), date(2021, 6, 1))
    assert not permissions.owns(manager, an_action(plan, "1.1"), date(2021, 6, 1))
    assert owner.get_full_name() == "Olu Tester" and owner.email == "olu@example.org"

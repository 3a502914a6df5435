"""The dashboard, an owner's My actions page, the reminder digest and the API read one action's deadline the
same way, whatever its status, due date and the day: each through domain/deadlines.py and owner_needs.py,
with its own window (the dashboard and the page: the next 30 days; the digest: the plan's reminder window)."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actiontrack.api.common import is_overdue as api_is_overdue
from actiontrack.domain.deadlines import DUE_SOON_DAYS, Deadline, deadline
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.notify.digest import owner_actions
from actiontrack.plans import readcache
from actiontrack.plans.selectors import plan_as_at
from actiontrack.plans.selectors.portfolio import portfolio
from actiontrack.plans.selectors.queues import my_actions
from tests.builders import a_person, a_plan, a_post

pytestmark = pytest.mark.django_db
AGREED = date(2021, 2, 1)
LIFECYCLES = [Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS, Lifecycle.PAUSED, Lifecycle.COMPLETED,
              Lifecycle.CLOSED, Lifecycle.CANCELLED]


class _Undo(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lifecycle=st.sampled_from(LIFECYCLES), due_in=st.none() | st.integers(min_value=-60, max_value=60),
       reminder_window=st.integers(min_value=1, max_value=45), today=st.dates(AGREED, date(2022, 12, 31)))
def test_the_dashboard_my_actions_the_digest_and_the_api_agree_on_overdue_and_due_soon(
        db, lifecycle, due_in, reminder_window, today):
    due_on = None if due_in is None else today + timedelta(days=due_in)
    if due_on is not None and due_on < AGREED:
        due_on = AGREED
    readcache.clear()  # each example is rolled back, so plan versions are reused: nothing kept may carry over
    try:
        with transaction.atomic():
            plan = a_plan(due=[due_on], reminder_window_days=reminder_window,
                          lifecycles={} if lifecycle is Lifecycle.NOT_STARTED else {"1.1": lifecycle})
            manager = a_person("pat", plan=plan, role="manager")
            owner = a_person("olu", owns=a_post())
            dashboard = portfolio(manager, today, today).plans[0]
            page = [need for item in my_actions(owner, today) for need in item.needs]
            digest = owner_actions(owner, today)
            row = plan_as_at(plan, today).actions[0]

            overdue = deadline(lifecycle, due_on, today, DUE_SOON_DAYS) is Deadline.OVERDUE
            assert bool(dashboard.overdue) == overdue
            assert any(need.startswith("Overdue") for need in page) == overdue
            assert any(item.overdue for item in digest) == overdue
            assert api_is_overdue(row, today) == overdue

            soon = deadline(lifecycle, due_on, today, DUE_SOON_DAYS) is Deadline.DUE_SOON
            assert bool(dashboard.due_soon) == soon
            assert any(need.startswith("Due soon") for need in page) == soon  # no evidence attached here
            assert any(item.due_soon for item in digest) == (
                deadline(lifecycle, due_on, today, reminder_window) is Deadline.DUE_SOON)
            raise _Undo
    except _Undo:
        pass

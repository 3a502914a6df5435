"""An outsider cannot tell a plan that exists but is hidden from them from a reference that names nothing: both
answers are the same 404, reached by the same queries (count and shape), so they take the same time."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actiontrack.api.tokens import token_create
from actiontrack.plans.permissions import visible_plan
from tests.api.conftest import ApiClient

HIDDEN, MISSING = "PIP-PR", "NO-SUCH-PLAN"


@pytest.fixture
def api_as(client, db):
    """api_as(user) -> the test client sending a token of that user's (none for None)."""
    return lambda user: ApiClient(client, token_create(user=user, name="Tests")[1] if user else None)


def _queries_for(get, path):
    """The status code, and the shape of each query the request ran: its SQL before the values are bound, and
    the types of those values."""
    shapes = []

    def note(execute, sql, params, many, context):
        shapes.append((sql, [type(value).__name__ for value in params or ()]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        response = get(path)
    return response.status_code, shapes


@pytest.mark.parametrize("path", ["/plans/{}/", "/plans/{}/actions/1.1/", "/plans/{}/reports/",
                                  "/plans/{}/export/csv/", "/plans/{}/actions/1.1/update/"])
def test_an_outsider_gets_the_same_404_by_the_same_queries_for_a_hidden_plan_and_a_missing_one(
        demo, signed_in, outsider, path):
    client = signed_in(outsider)
    client.get(path.format("WARM-UP"))  # the first request of a session loads things once
    hidden = _queries_for(client.get, path.format(HIDDEN))
    missing = _queries_for(client.get, path.format(MISSING))
    assert hidden[0] == missing[0] == 404
    assert hidden[1] == missing[1]


@pytest.mark.parametrize("path", ["/api/plans/{}", "/api/plans/{}/actions", "/api/plans/{}/actions/1.1"])
def test_an_outsider_of_the_api_gets_the_same_404_by_the_same_queries_for_a_hidden_plan_and_a_missing_one(
        demo, api_as, outsider, path):
    client = api_as(outsider)
    client.get(path.format("WARM-UP"))
    hidden = _queries_for(client.get, path.format(HIDDEN))
    missing = _queries_for(client.get, path.format(MISSING))
    assert hidden[0] == missing[0] == 404
    assert hidden[1] == missing[1]


def test_finding_a_plan_asks_the_same_questions_whatever_exists(
        demo, outsider, owner, board_member, plan_manager):
    day = date(2021, 11, 30)
    asked = {}
    for user, reference, seen in [(outsider, HIDDEN, False), (outsider, MISSING, False), (owner, HIDDEN, True),
                                  (board_member, HIDDEN, True), (plan_manager, HIDDEN, True)]:
        with CaptureQueriesContext(connection) as captured:
            plan = visible_plan(user, reference, day)
        asked[(user.username, reference)] = [query["sql"].split(" WHERE ")[0] for query in captured]
        assert len(captured) <= 3, (user.username, reference)
        assert (plan is not None) is seen, (user.username, reference)
    assert asked[(outsider.username, HIDDEN)] == asked[(outsider.username, MISSING)]
    assert len(asked[(plan_manager.username, HIDDEN)]) == 2  # a role answers; ownership is not asked
    assert visible_plan(plan_manager, HIDDEN, day).manages
    assert not visible_plan(owner, HIDDEN, day).manages
    assert not visible_plan(board_member, HIDDEN, day).manages
    assert visible_plan(owner, MISSING, day) is None

"""What an owner's saved post costs: outside the one service it calls, a post finds only who is asking and what
about. The page's own reads (the periods to choose between, the stored update, the lock, the pending proposal, the
evidence listed beside the completion form) are for showing it again, which a saved post never does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actiontrack.plans.services import workflow
from tests.web.owner.helpers import action, action_url, add_link, today, url

pytestmark = pytest.mark.django_db

# The session, the user, the plan, their roles on it, whether they may see it, and the action.
REQUEST_LOOKUPS = 6


@pytest.mark.parametrize(("service", "page", "form"), [
    ("update_save", "update", {"text": "Consultation on the restructure is open", "version": "0"}),
    ("date_propose", "propose-date", {"due_on": f"31/03/{today().year + 1}", "reason": "The consultation ran on"}),
    ("action_complete", "complete", {"completed_on": today().strftime("%d/%m/%Y"), "note": "Restructure done"}),
])
def test_a_saved_post_reads_nothing_beyond_the_service_but_who_asks_and_about_what(signed_in, owner, monkeypatch,
                                                                                   service, page, form):
    if service == "action_complete":
        add_link(owner)  # completion needs evidence
    wrapped, inside = getattr(workflow, service), []

    def counted(**kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = wrapped(**kwargs)
        inside.append(len(queries))
        return result

    monkeypatch.setattr(workflow, service, counted)
    client = signed_in(owner)
    with CaptureQueriesContext(connection) as whole:
        response = client.post(url(page), form)
    assert response.status_code == 302 and response.url == action_url(), response.content.decode()[:2000]
    assert len(inside) == 1 and len(whole) - inside[0] == REQUEST_LOOKUPS, [q["sql"][:90] for q in whole]
    if service == "action_complete":
        assert action("5.1").lifecycle == "completed"

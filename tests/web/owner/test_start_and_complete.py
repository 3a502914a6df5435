"""Starting work and marking an action complete: only an owner, and complete only with evidence."""

from datetime import date

import pytest

from actiontrack.core.journal import Actor
from actiontrack.plans import services
from tests.web.owner.helpers import action, action_url, add_link, lifecycle_reason, today, url

pytestmark = pytest.mark.django_db


# Start and complete -------------------------------------------------------------------------------------

def pause(ref, manager):
    services.action_change_lifecycle(actor=Actor.of(manager), action=action(ref), lifecycle="paused",
                                     reason="Waiting for the restructure", effective_on=today())


def test_an_owner_starts_work_on_a_paused_action(signed_in, owner, plan_manager):
    pause("5.1", plan_manager)
    client = signed_in(owner)
    assert "Start work on action 5.1" in client.get(action_url()).text
    response = client.post(url("start"))
    assert response.status_code == 302 and action("5.1").lifecycle == "in_progress"
    response = client.post(url("start"))  # already in progress
    assert response.status_code == 400 and "Action 5.1 is in progress." in response.text


def test_the_start_page_says_when_work_cannot_be_started(signed_in, owner):
    page = signed_in(owner).get(url("start")).text
    assert "Action 5.1 is in progress, so work cannot be started on it now." in page
    assert "Start work</button>" not in page


def test_someone_else_may_not_start_work(signed_in, other_owner, plan_manager):
    pause("5.1", plan_manager)
    response = signed_in(other_owner).post(url("start"))
    assert response.status_code == 403 and action("5.1").lifecycle == "paused"


def test_completing_without_evidence_is_refused_with_a_way_to_add_it(signed_in, owner):
    client = signed_in(owner)
    page = client.get(url("complete")).text
    assert "There is no evidence yet" in page and url("evidence") in page
    assert f'value="{today():%d/%m/%Y}"' in page  # the completion date defaults to today
    response = client.post(url("complete"), {"completed_on": today().strftime("%d/%m/%Y"), "note": ""})
    assert response.status_code == 400
    assert "Add at least one piece of evidence (a file or a link) before marking action 5.1 complete." in (
        response.text)
    assert action("5.1").lifecycle == "in_progress"


def test_an_owner_with_evidence_marks_the_action_complete(signed_in, owner):
    add_link(owner)
    response = signed_in(owner).post(url("complete"), {"completed_on": "01/12/2021", "note": "Restructure done"})
    assert response.status_code == 302 and response.url == action_url()
    done = action("5.1")
    assert (done.lifecycle, done.completed_on) == ("completed", date(2021, 12, 1))
    assert lifecycle_reason("5.1") == "Restructure done"  # the note is the change's reason, in the history


def test_a_completion_date_in_the_future_is_refused(signed_in, owner):
    add_link(owner)
    response = signed_in(owner).post(url("complete"), {"completed_on": f"01/01/{today().year + 1}"})
    assert response.status_code == 400 and "is in the future" in response.text
    assert action("5.1").lifecycle == "in_progress"


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier"])
def test_only_an_owner_may_mark_the_action_complete(request, signed_in, owner, who):
    add_link(owner)
    client = signed_in(request.getfixturevalue(who))
    assert client.get(url("complete")).status_code == 403
    response = client.post(url("complete"), {"completed_on": today().strftime("%d/%m/%Y")})
    assert response.status_code == 403 and action("5.1").lifecycle == "in_progress"

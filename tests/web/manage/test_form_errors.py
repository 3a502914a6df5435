"""Errors linked to their fields: aria-describedby names the one element holding a field's errors, and a page
with errors says so in its title (a conflict or refusal does not).

Today is the real date: the demo plan's dates are in 2021."""

import pytest

from actiontrack.core.journal import Actor
from actiontrack.plans import services
from tests.web.manage.helpers import REF, action, described_by_ids_are_all_there, edit_data, today, url

pytestmark = pytest.mark.django_db


# Errors linked to their fields (aria-describedby names the one element holding a field's errors) ------------

def test_a_field_error_is_one_element_with_the_id_djangos_aria_describedby_names(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_edit", REF, "3.1"), edit_data(action("3.1"), text=" ",
                                                                                       reason=""))
    assert response.status_code == 400
    html = response.text
    assert html.count('id="id_text_error"') == 1 and html.count('id="id_reason_error"') == 1
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    assert described_by_ids_are_all_there(html) == []


def test_checkboxes_in_a_fieldset_are_described_by_their_error(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_new", REF, 3), {"text": "Something", "due": ""})
    assert response.status_code == 400
    assert 'aria-describedby="id_owner_posts_helptext id_owner_posts_error"' in response.text
    assert 'id="id_owner_posts_error"' in response.text and 'href="#id_owner_posts_0"' in response.text
    assert described_by_ids_are_all_there(response.text) == []


def test_a_form_with_errors_says_error_in_the_title_and_a_conflict_or_refusal_does_not(signed_in, plan_manager,
                                                                                       owner):
    client = signed_in(plan_manager)
    bad = client.post(url("recommendation_new", REF), {"ref": "", "kind": "recommendation", "text": ""})
    assert bad.status_code == 400 and title_of(bad).startswith("Error: Add a recommendation")
    assert not title_of(client.get(url("recommendation_new", REF))).startswith("Error")
    problem = client.post(url("action_move", REF, "6.2"), {"direction": "down"})
    assert problem.status_code == 400 and title_of(problem).startswith("Error: Nothing was changed")
    opened = action("3.1").version
    act = action("3.1")
    services.action_edit(actor=Actor.of(plan_manager), action=act, expected_version=opened, text="Theirs.",
                         owner_posts=list(act.owner_posts.all()), reason="Theirs", effective_on=today())
    conflict = client.post(url("action_edit", REF, "3.1"), edit_data(act, version=opened, text="Mine.", reason="x"))
    assert conflict.status_code == 409 and not title_of(conflict).startswith("Error")
    refused = signed_in(owner).get(url("plan_edit", REF))
    assert refused.status_code == 403 and title_of(refused).startswith("You cannot do this")


def title_of(response) -> str:
    return response.text.split("<title>")[1].split("</title>")[0]

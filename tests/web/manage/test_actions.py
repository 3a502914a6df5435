"""A plan manager adds and edits actions, moves them, and pauses, resumes, cancels and reinstates them, each
move offered only where the lifecycle allows it.

Today is the real date: the demo plan's dates are in 2021."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.models import Action, Plan, Recommendation
from tests.web.manage.helpers import HPP, REF, action, edit_data, head_of, journal_size, today, url

pytestmark = pytest.mark.django_db


# Actions --------------------------------------------------------------------------------------------------

def test_a_plan_manager_adds_an_action_with_owners_and_a_conditional_due_date(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_new", REF, 3), {
        "text": "Publish the resourcing plan.", "owner_posts": [head_of(HPP).pk, head_of("Head of Protection").pk],
        "due": "31/03/2027 (On Approval)"})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "3.2"])
    new = action("3.2")
    assert (new.due_on, new.due_condition, new.baseline_on) == (date(2027, 3, 31), "On Approval", date(2027, 3, 31))
    assert sorted(new.owner_posts.values_list("name", flat=True)) == ["Head of Prevention and Protection",
                                                                      "Head of Protection"]


def test_something_added_cannot_take_effect_after_today(signed_in, plan_manager):
    """With a later "In the plan since" date it would not show in the plan as it stands today."""
    client = signed_in(plan_manager)
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    before = journal_size()
    response = client.post(url("recommendation_new", REF), {"ref": "9", "kind": "afi", "text": "Later.",
                                                           "effective_on": tomorrow})
    assert response.status_code == 400 and "cannot take effect in the plan after" in response.text
    response = client.post(url("action_new", REF, 3), {"text": "Later.", "owner_posts": [head_of(HPP).pk],
                                                       "due": "31/03/2027", "effective_on": tomorrow})
    assert response.status_code == 400 and "The action cannot take effect in the plan after" in response.text
    assert journal_size() == before and not Recommendation.objects.filter(ref="9").exists()
    response = client.post(url("recommendation_new", REF), {"ref": "9", "kind": "afi", "text": "Today.",
                                                           "effective_on": today().strftime("%d/%m/%Y")})
    assert response.status_code == 302


def test_the_new_action_form_lists_every_post_as_a_checkbox_with_a_label(signed_in, plan_manager):
    page = signed_in(plan_manager).get(url("action_new", REF, 3)).text
    assert '<legend class="fieldset__legend">Owner</legend>' in page
    assert page.count('type="checkbox" name="owner_posts"') == Post.objects.count()
    assert '<label for="id_owner_posts_0">Corporate Communications</label>' in page


@pytest.mark.parametrize(("change", "message"), [
    ({"due": "31/02/2022"}, "February 2022 has 28 days"),
    ({"text": ""}, "Describe the action: its text cannot be empty."),
    ({"owner_posts": []}, "Choose at least one owner post."),
])
def test_a_bad_action_is_not_added(signed_in, plan_manager, change, message):
    count = Action.objects.count()
    data = {"text": "Publish the resourcing plan.", "owner_posts": [head_of(HPP).pk], "due": "31/03/2027", **change}
    response = signed_in(plan_manager).post(url("action_new", REF, 3), data)
    assert response.status_code == 400 and "There is a problem" in response.text and message in response.text
    assert Action.objects.count() == count


def test_a_plan_manager_edits_an_action_with_a_reason(signed_in, plan_manager):
    act = action("3.1")
    client = signed_in(plan_manager)
    form = client.get(url("action_edit", REF, "3.1")).text
    assert f'name="version" value="{act.version}"' in form and "succession planning" in form
    response = client.post(url("action_edit", REF, "3.1"), edit_data(act, text="Reviewed in the annual strategy."))
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "3.1"])
    assert action("3.1").text == "Reviewed in the annual strategy."
    assert JournalEvent.objects.filter(entity_id=act.pk, entity_type="action", field="text").last().reason == (
        "Clarified")


@pytest.mark.parametrize(("change", "message"), [
    ({"reason": ""}, "Give a reason for editing the action."),
    ({"text": "  "}, "Describe the action: its text cannot be empty."),
    ({}, "Nothing was changed."),
    ({"owner_posts": []}, "Choose at least one owner post."),
    ({"version": "x"}, "The form was incomplete: open it again."),
])
def test_a_bad_action_edit_changes_nothing(signed_in, plan_manager, change, message):
    act = action("3.1")
    before = journal_size()
    response = signed_in(plan_manager).post(url("action_edit", REF, "3.1"), edit_data(act, **change))
    assert response.status_code == 400 and message in response.text
    assert action("3.1").text == act.text and journal_size() == before


def test_the_due_date_is_read_only_where_dates_change_only_through_proposals(signed_in, plan_manager):
    client = signed_in(plan_manager)
    page = client.get(url("action_edit", REF, "5.1")).text
    assert 'name="due"' not in page and "a due date changes only through an owner's proposal" in page
    act = action("5.1")
    client.post(url("action_edit", REF, "5.1"), edit_data(act, text="Restructure, then embed.", due="31/03/2030"))
    assert (action("5.1").text, action("5.1").due_on) == ("Restructure, then embed.", date(2021, 12, 31))


def test_where_the_plan_allows_it_a_plan_manager_changes_the_due_date_in_the_edit(signed_in, plan_manager):
    Plan.objects.update(managers_change_dates_directly=True)
    client = signed_in(plan_manager)
    assert 'name="due" value="31/12/2021"' in client.get(url("action_edit", REF, "5.1")).text
    response = client.post(url("action_edit", REF, "5.1"), edit_data(action("5.1"), due="30/06/2027"))
    assert response.status_code == 302
    assert (action("5.1").due_on, action("5.1").baseline_on) == (date(2027, 6, 30), date(2021, 7, 31))


def test_a_stale_edit_is_refused_with_both_versions_and_can_be_saved_deliberately(signed_in, plan_manager):
    client = signed_in(plan_manager)
    opened = action("3.1").version
    assert f'name="version" value="{opened}"' in client.get(url("action_edit", REF, "3.1")).text
    act = action("3.1")  # meanwhile, someone else saves
    services.action_edit(actor=Actor.of(plan_manager), action=act, expected_version=opened,
                         text="Their text, saved first.", owner_posts=list(act.owner_posts.all()),
                         reason="Theirs", effective_on=today())
    mine = edit_data(act, version=opened, text="My text, typed in the old form.", reason="Mine")
    response = client.post(url("action_edit", REF, "3.1"), mine)
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in response.text
    assert "Their text, saved first." in response.text and "My text, typed in the old form." in response.text
    stored = action("3.1")
    assert stored.text == "Their text, saved first."
    assert f'name="version" value="{stored.version}"' in response.text and stored.version != opened
    assert "Mine</textarea>" in response.text  # the reason typed is kept too
    response = client.post(url("action_edit", REF, "3.1"), {**mine, "version": stored.version})
    assert response.status_code == 302 and action("3.1").text == "My text, typed in the old form."


def test_a_plan_manager_moves_an_action_within_its_recommendation(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_move", REF, "6.2"), {"direction": "up"})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "6.2"])
    assert [a.ref for a in action("6.2").recommendation.actions.order_by("position")] == ["6.2", "6.1"]


def test_an_action_at_the_bottom_cannot_move_down(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_move", REF, "6.2"), {"direction": "down"})
    assert response.status_code == 400 and "It is already at the bottom." in response.text


@pytest.mark.parametrize(("change", "doing"), [("cancel", "cancelling"), ("pause", "pausing")])
def test_cancelling_or_pausing_needs_a_reason(signed_in, plan_manager, change, doing):
    before = journal_size()
    response = signed_in(plan_manager).post(url(f"action_{change}", REF, "3.1"), {"reason": " "})
    assert response.status_code == 400
    assert f"Give a reason for {doing} the action." in response.text
    assert action("3.1").lifecycle == "in_progress" and journal_size() == before


def test_a_plan_manager_pauses_resumes_and_cancels_an_action(signed_in, plan_manager):
    client = signed_in(plan_manager)
    client.post(url("action_pause", REF, "3.1"), {"reason": "Waiting for the restructure"})
    assert (action("3.1").lifecycle, action("3.1").lifecycle_reason) == ("paused", "Waiting for the restructure")
    assert client.post(url("action_resume", REF, "3.1"), {"reason": ""}).status_code == 302
    assert action("3.1").lifecycle == "in_progress"
    client.post(url("action_cancel", REF, "3.1"), {"reason": "Superseded by the HMICFRS plan"})
    assert (action("3.1").lifecycle, action("3.1").lifecycle_reason) == ("cancelled", "Superseded by the HMICFRS plan")


def test_resuming_an_action_that_is_not_paused_says_so(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_resume", REF, "3.1"), {"reason": ""})
    assert response.status_code == 400 and "Action 3.1 is already in progress." in response.text


def test_the_action_page_offers_a_plan_manager_their_tasks_and_nobody_else(signed_in, plan_manager, owner):
    page = signed_in(plan_manager).get(reverse("action", args=[REF, "3.1"])).text
    for offered in ("Edit action 3.1", "Pause action 3.1", "Cancel action 3.1", url("action_edit", REF, "3.1")):
        assert offered in page
    assert "Resume action 3.1" not in page
    assert "Move up" not in page and "Move down" not in page  # the only action of recommendation 3
    assert url("action_edit", REF, "3.1") not in signed_in(owner).get(reverse("action", args=[REF, "3.1"])).text


def test_an_action_is_offered_only_the_moves_it_can_make(signed_in, plan_manager):
    client = signed_in(plan_manager)
    first, second = (client.get(reverse("action", args=[REF, ref])).text for ref in ("6.1", "6.2"))
    assert "Move up" not in first and "Move down<span class=\"visually-hidden\"> action 6.1" in first
    assert "Move up<span class=\"visually-hidden\"> action 6.2" in second and "Move down" not in second


def test_a_paused_action_is_offered_resume_instead_of_pause(signed_in, plan_manager):
    client = signed_in(plan_manager)
    client.post(url("action_pause", REF, "3.1"), {"reason": "Waiting for the restructure"})
    page = client.get(reverse("action", args=[REF, "3.1"])).text
    assert "Resume action 3.1" in page and "Pause action 3.1" not in page


# The plan manager's lifecycle moves, as Lifecycle.manager_may_move_to allows them ------------------------

def test_a_completed_action_is_offered_no_pause_or_cancel(signed_in, plan_manager):
    page = signed_in(plan_manager).get(reverse("action", args=[REF, "2.1"])).text  # completed, awaiting a verifier
    assert "Edit action 2.1" in page
    for move in ("Pause action 2.1", "Cancel action 2.1", "Resume action 2.1", "Reinstate action 2.1"):
        assert move not in page


def test_a_cancelled_action_is_offered_reinstate_and_nothing_else(signed_in, plan_manager):
    client = signed_in(plan_manager)
    client.post(url("action_cancel", REF, "3.1"), {"reason": "Superseded"})
    page = client.get(reverse("action", args=[REF, "3.1"])).text
    assert url("action_reinstate", REF, "3.1") in page and "Reinstate action 3.1" in page
    for move in ("Pause action 3.1", "Cancel action 3.1", "Resume action 3.1"):
        assert move not in page
    assert client.get(url("action_reinstate", REF, "3.1")).status_code == 200
    response = client.post(url("action_reinstate", REF, "3.1"), {"reason": ""})
    assert response.status_code == 302 and action("3.1").lifecycle == "in_progress"


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_only_a_plan_manager_may_reinstate(request, signed_in, plan_manager, who):
    signed_in(plan_manager).post(url("action_cancel", REF, "3.1"), {"reason": "Superseded"})
    client = signed_in(request.getfixturevalue(who))
    response = client.post(url("action_reinstate", REF, "3.1"), {"reason": ""})
    assert response.status_code == 403 and action("3.1").lifecycle == "cancelled"


def test_a_plan_managers_page_under_an_action_ref_written_another_way_redirects(signed_in, plan_manager):
    client = signed_in(plan_manager)
    for name in ("action_edit", "action_cancel", "action_pause"):
        response = client.get(url(name, REF, "03.1"))
        assert response.status_code == 301 and response.url == url(name, REF, "3.1"), name
    response = client.post(url("action_pause", REF, "03.1"), {"reason": "Waiting"})
    assert response.status_code == 404 and action("3.1").lifecycle == "in_progress"

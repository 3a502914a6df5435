"""The plan manager's pages and who is refused them: the plan manager (Priya Shah) opens every page; an owner, a
verifier and a board member can see the plan but are refused (403, saying why); an outsider is told nothing
exists (404). The plan page offers the plan manager's entry points to nobody else.

Today is the real date: the demo plan's dates are in 2021."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.plans.models import DateProposal, PeriodLock
from actiontrack.plans.services import workflow
from tests.web.manage.helpers import PAGES, REF, action, journal_size, plan, today, url

pytestmark = pytest.mark.django_db


# Every page, its permission rule and who is refused --------------------------------------------------------

@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_plan_manager_opens_every_page(signed_in, plan_manager, name, args):
    response = signed_in(plan_manager).get(url(name, *args))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.text or name == "plan_queue"


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_people_who_see_the_plan_but_do_not_manage_it_are_refused(request, signed_in, who, name, args):
    client = signed_in(request.getfixturevalue(who))
    for response in (client.get(url(name, *args)), client.post(url(name, *args), {"reason": "x", "text": "x"})):
        assert response.status_code == 403
        assert "Only a plan manager of PIP-PR can" in response.text


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_an_outsider_is_told_the_plan_does_not_exist(signed_in, outsider, demo, name, args):
    client = signed_in(outsider)
    for response in (client.get(url(name, *args)), client.post(url(name, *args), {"reason": "x"})):
        assert response.status_code == 404
        assert "Protection Improvement" not in response.text


def test_someone_not_signed_in_is_sent_to_sign_in(client, demo):
    response = client.get(url("action_edit", REF, "3.1"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_recommendation_or_action_is_not_found(signed_in, plan_manager):
    client = signed_in(plan_manager)
    assert client.get(url("recommendation_edit", REF, 99)).status_code == 404
    assert client.get(url("action_new", REF, 99)).status_code == 404
    assert client.get(url("action_edit", REF, "9.9")).status_code == 404


def posts_refused_to(client):
    """Every POST-only change, with input that a plan manager's request would get through."""
    proposal = workflow.date_propose(actor=Actor.of(get_user_model().objects.get(username="cparker")),
                                     action=action("5.1"), due_on=date(2027, 3, 31), due_condition="",
                                     reason="Consultation extended", today=today())
    return [
        client.post(url("recommendation_move", REF, 2), {"direction": "up"}),
        client.post(url("action_move", REF, "6.2"), {"direction": "up"}),
        client.post(url("period_lock", REF), {"period_start": today().isoformat(), "confirm": "on"}),
        client.post(url("proposal_decide", proposal.pk), {"decision": "accept"}),
    ]


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_changes_posted_by_someone_who_does_not_manage_the_plan_are_refused(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    before = journal_size()
    responses = posts_refused_to(client)
    assert [r.status_code for r in responses] == [403] * 4
    assert journal_size() == before + 1  # only the owner's proposal
    assert not PeriodLock.objects.exists() and DateProposal.objects.get().status == "pending"
    assert [r.ref for r in action("6.2").recommendation.actions.order_by("position")] == ["6.1", "6.2"]


def test_changes_posted_by_an_outsider_are_not_found(signed_in, outsider, demo):
    assert [r.status_code for r in posts_refused_to(signed_in(outsider))] == [404] * 4


def test_the_move_and_lock_buttons_do_nothing_when_opened_as_a_page(signed_in, plan_manager):
    client = signed_in(plan_manager)
    assert client.get(url("action_move", REF, "6.2")).status_code == 405
    nothing_named = client.get(url("period_lock", REF))
    assert nothing_named.status_code == 400 and "The period to lock was not given" in nothing_named.text
    asked = client.get(url("period_lock", REF) + f"?period={today().isoformat()}")
    assert asked.status_code == 200 and "Lock progress updates for" in asked.text
    assert not PeriodLock.objects.exists()


# The plan page's entry points (web/manage/_plan_tools.html, included by the plan page) -----------------------

def plan_tools(response) -> str:
    """The plan manager's section of a plan page (or of its htmx partial), if it is there."""
    page = response.text
    return page.split('<section id="plan-tools"')[1].split("</section>")[0] if 'id="plan-tools"' in page else ""


def test_the_plan_tools_give_a_plan_manager_every_entry_point(signed_in, plan_manager):
    html = plan_tools(signed_in(plan_manager).get(reverse("plan", args=[REF])))
    for link in (url("plan_edit", REF), url("recommendation_new", REF), url("plan_queue", REF),
                 url("recommendation_edit", REF, 3), url("action_new", REF, 3), url("recommendation_move", REF, 3)):
        assert f'href="{link}"' in html or f'action="{link}"' in html
    assert html.count("Move up") == 7 and html.count("Move down") == 7  # not above the first, nor below the last


def test_the_plan_tools_are_in_the_htmx_partial_too(signed_in, plan_manager):
    response = signed_in(plan_manager).get(reverse("plan", args=[REF]), {"as_at": "2021-11-30"},
                                           headers={"HX-Request": "true"})
    assert "<html" not in response.text and url("plan_edit", REF) in plan_tools(response)


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_the_plan_tools_are_not_offered_to_anyone_else(request, signed_in, who):
    response = signed_in(request.getfixturevalue(who)).get(reverse("plan", args=[REF]))
    assert response.status_code == 200 and plan_tools(response) == ""


def test_whether_the_plan_tools_show_is_the_views_decision_not_the_templates(plan_manager, owner):
    def render(user, can_manage):
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string("web/manage/_plan_tools.html", {"plan": plan(), "user": user,
                                                                "can_manage": can_manage}, request=request)

    assert render(plan_manager, can_manage=False).strip() == ""
    assert url("plan_edit", REF) in render(owner, can_manage=True)


def test_no_page_has_inline_script_or_style_that_the_content_security_policy_would_block(signed_in, plan_manager,
                                                                                        proposal):
    client = signed_in(plan_manager)
    for name, args in [*PAGES, ("queue", []), ("proposal_decide", [proposal.pk])]:
        html = client.get(url(name, *args)).text
        assert "style=" not in html and "<style" not in html and "<script>" not in html, name


def test_a_refusal_offers_the_way_back_to_the_action(signed_in, owner):
    response = signed_in(owner).get(url("action_edit", REF, "3.1"))
    assert response.status_code == 403
    assert f'<a href="{reverse("action", args=[REF, "3.1"])}">Back to action 3.1</a>' in response.text

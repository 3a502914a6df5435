"""A plan manager accepts or rejects an owner's date proposal: the due date changes, the baseline does not; only
a plan manager may decide, once.

Today is the real date: the demo plan's dates are in 2021."""

from datetime import date

import pytest
from django.urls import reverse

from actiontrack.plans.models import DateProposal
from tests.web.manage.helpers import REF, action, described_by_ids_are_all_there, url

pytestmark = pytest.mark.django_db


# Date proposals -------------------------------------------------------------------------------------------

def test_the_action_page_offers_a_plan_manager_accept_and_reject(signed_in, plan_manager, owner, proposal):
    page = signed_in(plan_manager).get(reverse("action", args=[REF, "5.1"])).text
    assert "Consultation extended" in page and "Pending decision" in page
    assert "Accept the proposed date" in page and "Reject the proposed date" in page
    assert url("proposal_decide", proposal.pk) in page
    owners_page = signed_in(owner).get(reverse("action", args=[REF, "5.1"])).text
    assert "Pending decision" in owners_page and "Accept the proposed date" not in owners_page


def test_a_plan_manager_accepts_a_proposal_and_the_due_date_changes_but_not_the_baseline(
        signed_in, plan_manager, proposal):
    client = signed_in(plan_manager)
    response = client.post(url("proposal_decide", proposal.pk), {"decision": "accept", "comment": "Agreed",
                                                                 "next": reverse("action", args=[REF, "5.1"])})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "5.1"])
    act = action("5.1")
    assert (act.due_on, act.baseline_on) == (date(2027, 3, 31), date(2021, 7, 31))
    assert DateProposal.objects.get().status == "accepted"
    page = client.get(response.url).text
    slip = (date(2027, 3, 31) - date(2021, 7, 31)).days
    assert "31/03/2027" in page and f"revised twice, +{slip} days from baseline" in page
    assert "Accept the proposed date" not in page


def test_a_plan_manager_rejects_a_proposal_with_a_comment(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk),
                                            {"decision": "reject", "comment": "Hold the date"})
    assert response.status_code == 302
    assert DateProposal.objects.get().status == "rejected" and action("5.1").due_on == date(2021, 12, 31)


def test_rejecting_without_a_comment_says_why_and_changes_nothing(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "reject"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "Give a reason for rejecting the proposal." in response.text
    assert 'href="#id_comment"' in response.text
    assert DateProposal.objects.get().status == "pending" and action("5.1").due_on == date(2021, 12, 31)


def test_a_decision_needs_accept_or_reject(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "maybe"})
    assert response.status_code == 400 and DateProposal.objects.get().status == "pending"


def test_a_proposal_already_decided_cannot_be_decided_again(signed_in, plan_manager, proposal):
    client = signed_in(plan_manager)
    client.post(url("proposal_decide", proposal.pk), {"decision": "accept"})
    response = client.post(url("proposal_decide", proposal.pk), {"decision": "reject", "comment": "No"})
    assert response.status_code == 400 and "This proposal was already accepted." in response.text
    assert DateProposal.objects.get().status == "accepted"


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_only_a_plan_manager_may_decide_a_proposal(request, signed_in, proposal, who):
    client = signed_in(request.getfixturevalue(who))
    for response in (client.get(url("proposal_decide", proposal.pk)),
                     client.post(url("proposal_decide", proposal.pk), {"decision": "accept"})):
        assert response.status_code == 403
    assert DateProposal.objects.get().status == "pending" and action("5.1").due_on == date(2021, 12, 31)


def test_an_outsider_cannot_find_a_proposal(signed_in, outsider, proposal):
    assert signed_in(outsider).post(url("proposal_decide", proposal.pk), {"decision": "accept"}).status_code == 404
    assert DateProposal.objects.get().status == "pending"


def test_an_unsafe_return_address_is_ignored(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk),
                                            {"decision": "accept", "next": "https://evil.example.org/"})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "5.1"])


def test_the_decision_comment_is_described_by_its_error(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "reject"})
    assert 'aria-describedby="id_comment_helptext id_comment_error"' in response.text
    assert 'id="id_comment_error"' in response.text and described_by_ids_are_all_there(response.text) == []
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "maybe"})
    assert 'aria-describedby="id_decision_error"' in response.text and 'id="id_decision_error"' in response.text

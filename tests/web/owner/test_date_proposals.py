"""Date proposals: an owner proposes a new due date with a reason (and a condition), or withdraws it; only an
owner may propose, one at a time."""

from datetime import date

import pytest

from actiontrack.plans.models import DateProposal
from tests.web.owner.helpers import action, action_url, today, url

pytestmark = pytest.mark.django_db


# Date proposals -----------------------------------------------------------------------------------------

def test_an_owner_proposes_a_date_with_a_condition(signed_in, owner):
    client = signed_in(owner)
    hint = client.get(url("propose-date")).text
    assert f"31/12/{today().year + 1} (On Approval)" in hint  # the hint says how, with a date still to come
    response = client.post(url("propose-date"), {"due_on": "31/03/2027 (On Approval)",
                                                  "reason": "Restructure consultation extended"})
    assert response.status_code == 302 and response.url == action_url()
    proposal = DateProposal.objects.get()
    assert (proposal.due_on, proposal.due_condition, proposal.status) == (date(2027, 3, 31), "On Approval",
                                                                           "pending")
    assert proposal.reason == "Restructure consultation extended" and proposal.proposed_by == owner
    assert action("5.1").due_on == date(2021, 12, 31)  # nothing changes until the plan manager accepts
    page = client.get(action_url()).text
    assert "Your proposed due date of 31/03/2027 (On Approval) is waiting" in page
    assert "A proposal is already waiting for a decision" in client.get(url("propose-date")).text


def test_a_date_that_does_not_exist_is_refused_with_a_message(signed_in, owner):
    response = signed_in(owner).post(url("propose-date"), {"due_on": "31/02/2022", "reason": "More time"})
    assert response.status_code == 400
    assert "February 2022 has 28 days" in response.text and "There is a problem" in response.text
    assert not DateProposal.objects.exists()


def test_a_proposal_needs_a_reason(signed_in, owner):
    response = signed_in(owner).post(url("propose-date"), {"due_on": "31/03/2027", "reason": ""})
    assert response.status_code == 400 and "Give a reason for proposing a new due date." in response.text
    assert not DateProposal.objects.exists()


def test_a_second_proposal_while_one_is_pending_is_refused(signed_in, owner):
    client = signed_in(owner)
    client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": "More time"})
    response = client.post(url("propose-date"), {"due_on": "30/06/2027", "reason": "Even more time"})
    assert response.status_code == 400 and "already has a proposal waiting for a decision" in response.text
    assert DateProposal.objects.count() == 1


@pytest.mark.parametrize(("reason", "shown"), [("Strategy review slipped.", "“Strategy review slipped.” The plan"),
                                              ("More time", "“More time”. The plan")])
def test_a_pending_proposals_reason_is_quoted_with_one_full_stop(signed_in, owner, reason, shown):
    client = signed_in(owner)
    client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": reason})
    page = client.get(url("propose-date")).text
    assert shown in page and "”." not in page.replace("“More time”.", "")


def test_an_owner_withdraws_a_pending_proposal(signed_in, owner):
    client = signed_in(owner)
    client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": "More time"})
    assert "Withdraw proposal" in client.get(url("withdraw-proposal")).text
    response = client.post(url("withdraw-proposal"))
    assert response.status_code == 302 and DateProposal.objects.get().status == "withdrawn"
    assert client.post(url("withdraw-proposal")).status_code == 400  # nothing left to withdraw


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier"])
def test_only_an_owner_may_propose_a_date(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(url("propose-date")).status_code == 403
    response = client.post(url("propose-date"), {"due_on": "31/03/2027", "reason": "More time"})
    assert response.status_code == 403 and "Only an owner of action 5.1 can propose a new due date." in response.text
    assert not DateProposal.objects.exists()


# The hint's example date is one that could be proposed ------------------------------------------------------

def test_the_propose_date_hint_gives_an_example_still_to_come(signed_in, owner):
    page = signed_in(owner).get(url("propose-date")).text
    example = f"31/12/{today().year + 1}"
    assert f"for example {example}" in page and f"{example} (On Approval)" in page
    assert "2022" not in page.split('id="id_due_on_helptext"')[1].split("</p>")[0]
    response = signed_in(owner).post(url("propose-date"), {"due_on": "", "reason": "More time"})
    assert f"Enter the new due date, for example {example}." in response.text

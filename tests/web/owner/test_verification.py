"""Verification: Sam Okafor (verifier) closes a completed action or returns it to its owner with a comment;
nobody verifies their own action."""

from datetime import date

import pytest
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.plans.models import PlanRole
from tests.web.owner.helpers import action, action_url, complete, lifecycle_reason, url

pytestmark = pytest.mark.django_db


# Verify and return --------------------------------------------------------------------------------------

def test_the_verifier_sees_the_forms_to_close_or_return_a_completed_action(signed_in, owner, verifier):
    complete(owner)
    page = signed_in(verifier).get(action_url()).text
    assert "Verify and close action 5.1" in page and "Return action 5.1 to the owner" in page
    assert "Verify and close" not in signed_in(owner).get(action_url()).text


def test_a_verifier_closes_a_completed_action(signed_in, owner, verifier):
    complete(owner)
    client = signed_in(verifier)
    assert client.get(url("verify")).status_code == 200
    response = client.post(url("verify"), {"verify-comment": "Strategy seen"})
    assert response.status_code == 302 and response.url == action_url()
    assert action("5.1").lifecycle == "closed"
    page = client.get(action_url()).text
    assert "Closed" in page and "Green – Complete</strong>" in page


def test_an_action_with_no_evidence_cannot_be_verified_only_closed_without_evidence_with_a_reason(signed_in,
                                                                                                   verifier):
    client = signed_in(verifier)  # 2.2 was completed (as the board report shows) with no evidence attached
    action_page = client.get(action_url("2.2")).text
    assert "it has <strong>no evidence</strong>, so it cannot be verified" in action_page
    assert "Verify and close action 2.2" not in action_page
    page = client.get(url("verify", "2.2")).text
    assert "There is no evidence to verify" in page and ">Close without evidence</button>" in page
    refused = client.post(url("verify", "2.2"), {"verify-comment": "Looks fine"})
    assert refused.status_code == 400 and "Action 2.2 has no evidence to verify" in refused.text
    no_reason = client.post(url("verify", "2.2"), {"verify-without_evidence": "on", "verify-reason": ""})
    assert no_reason.status_code == 400 and "Give a reason for closing the action without evidence" in no_reason.text
    assert action("2.2").lifecycle == "completed"
    done = client.post(url("verify", "2.2"), {"verify-without_evidence": "on",
                                              "verify-reason": "Rota seen at the station; no copy kept"})
    assert done.status_code == 302 and action("2.2").lifecycle == "closed"
    page = client.get(action_url("2.2")).text
    assert "Action 2.2 is closed without evidence." in page and "verified and closed" not in page
    assert "Closed without evidence: Rota seen at the station; no copy kept" in page
    assert "closed without evidence" in page and "Evidence verified" not in page


def test_a_verifier_who_owns_the_action_may_not_close_it(signed_in, owner, verifier, administrator):
    people.post_holder_change(actor=Actor.of(administrator), post=Post.objects.get(name="Head of Protection"),
                              holder_name="Sam Okafor", user=verifier, starts_on=date(2021, 12, 1))
    client = signed_in(verifier)  # 2.2 is the Head of Protection's, completed and awaiting verification
    assert "Verify and close" not in client.get(action_url("2.2")).text
    response = client.post(url("verify", "2.2"), {"verify-comment": ""})
    assert response.status_code == 403 and "You own action 2.2" in response.text
    assert action("2.2").lifecycle == "completed"


def test_an_owner_given_the_verifier_role_still_cannot_verify_their_own_action(signed_in, owner):
    complete(owner)
    PlanRole.objects.create(user=owner, plan=action("5.1").plan, role="verifier")
    response = signed_in(owner).post(url("verify"), {"verify-comment": ""})
    assert response.status_code == 403 and action("5.1").lifecycle == "completed"


@pytest.mark.parametrize("who", ["plan_manager", "board_member", "other_owner"])
def test_someone_without_the_verifier_role_may_not_close_or_return(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    for name in ("verify", "return"):
        assert client.get(url(name, "2.2")).status_code == 403
        response = client.post(url(name, "2.2"), {f"{name}-comment": "Looks fine"})
        assert response.status_code == 403 and "Only a verifier of PIP-PR" in response.text
    assert action("2.2").lifecycle == "completed"


def test_returning_needs_a_comment(signed_in, verifier):
    response = signed_in(verifier).post(url("return", "2.2"), {"return-comment": "  "})
    assert response.status_code == 400 and "Give a reason for returning the action." in response.text
    assert action("2.2").lifecycle == "completed"


def test_a_verifier_returns_an_action_to_its_owner_with_a_comment(signed_in, verifier):
    response = signed_in(verifier).post(url("return", "2.2"), {"return-comment": "No evidence of the rota"})
    assert response.status_code == 302
    assert action("2.2").lifecycle == "in_progress"
    assert lifecycle_reason("2.2") == "Returned by the verifier: No evidence of the rota"


def test_the_owner_is_told_their_action_was_returned_and_why(signed_in, verifier, other_owner):
    assert signed_in(verifier).post(url("return", "2.2"), {"return-comment": "No evidence of the rota."}
                                    ).status_code == 302
    client = signed_in(other_owner)
    mine = client.get(reverse("owner:my-actions")).text
    assert ("Returned by the verifier: add what is missing, then mark it complete again. The verifier said: No "
            "evidence of the rota.") in mine
    page = client.get(action_url("2.2")).text
    assert "<strong>Returned by the verifier.</strong>" in page
    assert "The verifier said: No evidence of the rota." in page
    assert "Returned by the verifier" not in client.get(action_url("6.1")).text  # completed, never returned
    complete(other_owner, "2.2")  # marked complete again: the return is no longer its latest lifecycle change
    assert "<strong>Returned by the verifier.</strong>" not in client.get(action_url("2.2")).text


def test_an_action_not_awaiting_verification_cannot_be_closed(signed_in, verifier):
    client = signed_in(verifier)
    assert "not waiting for verification" in client.get(url("verify")).text
    response = client.post(url("verify"), {"verify-comment": ""})
    assert response.status_code == 400 and "Action 5.1 is not awaiting verification." in response.text

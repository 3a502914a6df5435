"""A whole recommendation closed by an outside body (a cause of concern HMICFRS closes): submitted once every
action of it is complete, then closed by the body's letter (each action closed, each keeping the letter as
evidence) or refused (each action reopened). The recommendation's state is what its actions share, so the plan
page, reports and exports say it; as at an earlier date it was not yet submitted. Only plan managers may, and
only in order; the web page refuses a reader (403) and hides the plan from an outsider (404)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans.models import Action, Plan, Recommendation
from actiontrack.plans.selectors import plan_as_at
from actiontrack.plans.services import external

SUBMITTED, ANSWERED, TODAY = date(2022, 1, 10), date(2022, 2, 1), date(2022, 3, 1)
LETTER = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n HMICFRS letter"
PAGE = "/plans/PIP-PR/recommendations/6/external-closure/"
pytestmark = pytest.mark.django_db


def rec(ref="6") -> Recommendation:
    return Recommendation.objects.get(plan__reference="PIP-PR", ref=ref)


def row(ref="6", day=TODAY):
    return next(r for r in plan_as_at(Plan.objects.get(reference="PIP-PR"), day).recommendations if r.ref == ref)


def submit(plan_manager, ref="6"):
    return external.recommendation_submit_external(actor=Actor.of(plan_manager), recommendation=rec(ref),
                                                   body="HMICFRS", reference="CoC 2", submitted_on=SUBMITTED,
                                                   today=TODAY)


def test_closed_by_one_letter_closes_every_action_and_says_so_on_the_recommendation(demo, plan_manager):
    assert [a.lifecycle for a in rec().actions.all()] == [Lifecycle.COMPLETED] * 2
    submit(plan_manager)
    assert row().external_text == "Submitted to HMICFRS for closure on 10/01/2022 (their reference CoC 2)"
    external.recommendation_closed_externally(actor=Actor.of(plan_manager), recommendation=rec(),
                                              letter="HMI/2022/044", decided_on=ANSWERED, today=TODAY,
                                              letter_file=SimpleUploadedFile("letter.pdf", LETTER))
    actions = list(rec().actions.order_by("position"))
    assert [a.lifecycle for a in actions] == [Lifecycle.CLOSED] * 2
    assert all(a.evidence.get(title="HMICFRS letter HMI/2022/044").size == len(LETTER) for a in actions)
    closed = row()
    assert closed.external_text == "Closed by HMICFRS on 01/02/2022 (letter HMI/2022/044)"
    assert closed.assurance.level.label == "Substantial assurance"
    assert row(day=date(2022, 1, 5)).external is None  # before the submission


def test_refused_reopens_every_action(demo, plan_manager):
    submit(plan_manager)
    external.recommendation_refused_externally(actor=Actor.of(plan_manager), recommendation=rec(),
                                               reasons="Audits not yet showing the change.", decided_on=ANSWERED,
                                               today=TODAY)
    assert [a.lifecycle for a in rec().actions.all()] == [Lifecycle.IN_PROGRESS] * 2
    assert row().external_text == "Closure refused by HMICFRS on 01/02/2022: Audits not yet showing the change."


def test_only_when_every_action_is_complete_in_order_and_by_a_plan_manager(demo, plan_manager, owner):
    with pytest.raises(ValidationError, match="Action 5.1 is in progress: recommendation 5 can be submitted"):
        submit(plan_manager, "5")
    with pytest.raises(PermissionDenied):
        submit(owner)
    with pytest.raises(ValidationError, match="Recommendation 6 is not waiting for an outside body's answer."):
        external.recommendation_refused_externally(actor=Actor.of(plan_manager), recommendation=rec(), reasons="x",
                                                   decided_on=ANSWERED, today=TODAY)
    external.action_submit_external(actor=Actor.of(plan_manager), action=Action.objects.get(
        plan__reference="PIP-PR", ref="6.1"), body="Internal audit", reference="", submitted_on=SUBMITTED,
        today=TODAY)
    with pytest.raises(ValidationError, match="answer for every action"):
        external.recommendation_closed_externally(actor=Actor.of(plan_manager), recommendation=rec(), letter="x",
                                                  decided_on=ANSWERED, today=TODAY)
    with pytest.raises(ValidationError, match="Action 6.1 is already waiting for Internal audit's answer"):
        submit(plan_manager)
    assert not Action.objects.filter(plan__reference="PIP-PR", ref="6.2").exclude(external_closure=None).exists()


def test_the_page_for_a_plan_manager_and_the_refusals(signed_in, plan_manager, board_member, outsider):
    assert signed_in(board_member).get(PAGE).status_code == 403
    assert signed_in(outsider).get(PAGE).status_code == 404
    client = signed_in(plan_manager)
    page = client.get(PAGE).content.decode()
    assert "Record the submission of recommendation 6" in page and "Its actions" in page
    refused = client.post(PAGE, {"step": "submit", "body": "HMICFRS", "submitted_on": "10/01/2032"})
    assert refused.status_code == 400 and "is in the future" in refused.content.decode()
    done = client.post(PAGE, {"step": "submit", "body": "HMICFRS", "reference": "CoC 2",
                              "submitted_on": "10/01/2022"})
    assert done.status_code == 302 and done["Location"] == "/plans/PIP-PR/"
    plan_page = client.get("/plans/PIP-PR/").content.decode()
    assert "Submitted to HMICFRS for closure on 10/01/2022 (their reference CoC 2)" in plan_page
    assert "They closed it" in client.get(PAGE).content.decode()
    answered = client.post(PAGE, {"step": "refused", "reasons": "The audits are not yet tested.",
                                  "refused_on": "01/02/2022"}, follow=True).content.decode()
    assert "Closure refused by HMICFRS on 01/02/2022: The audits are not yet tested." in answered
    assert "tested.." not in answered  # one full stop, the reasons' own

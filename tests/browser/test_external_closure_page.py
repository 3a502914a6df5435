"""In Chromium: a plan manager submits a completed action to HMICFRS and records their refusal, which reopens it.
Each page passes axe (WCAG 2.2 AA)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action
from actiontrack.plans.services import evidence, workflow
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_plan_manager_submits_an_action_and_records_the_refusal(sign_in, demo_site):
    owner, today = get_user_model().objects.get(username="cparker"), timezone.localdate()
    action = Action.objects.get(plan__reference="PIP-PR", ref="5.1")
    evidence.evidence_add_link(actor=Actor.of(owner), action=action, title="Paper", today=today,
                               url="https://intranet.example.org/paper")
    workflow.action_complete(actor=Actor.of(owner), action=action, completed_on=today, today=today)
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/actions/5.1/")
    page.get_by_role("link", name="Closure by an outside body").click()
    page.get_by_role("heading", name="Closure by an outside body").wait_for()
    assert_accessible(page)
    page.get_by_label("Submitted to").fill("HMICFRS")
    page.get_by_label("Date submitted").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Record the submission").click()
    page.get_by_text("Submitted to HMICFRS for closure").first.wait_for()
    page.get_by_role("link", name="Closure by an outside body").click()
    page.get_by_label("Their reasons").wait_for()
    assert_accessible(page)
    page.get_by_label("Their reasons").fill("The structure is not yet embedded.")
    page.get_by_label("Date of their answer").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Record their refusal and reopen the action").click()
    page.get_by_text("Closure refused by HMICFRS").first.wait_for()
    assert_accessible(page)
    assert Action.objects.get(pk=action.pk).lifecycle == "in_progress"


def test_a_plan_manager_closes_a_whole_recommendation_with_the_letter(sign_in, demo_site, tmp_path):
    today = timezone.localdate().strftime("%d/%m/%Y")
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_role("link", name="Closure by an outside body of recommendation 6").click()
    page.get_by_role("table", name="Its actions").wait_for()
    assert_accessible(page)
    page.get_by_label("Submitted to").fill("HMICFRS")
    page.get_by_label("Reference of the submission").fill("CoC 2")
    page.get_by_label("Date submitted").fill(today)
    page.get_by_role("button", name="Record the submission of recommendation 6").click()
    page.get_by_text("Recommendation 6: Submitted to HMICFRS for closure").wait_for()
    page.get_by_role("link", name="Closure by an outside body of recommendation 6").click()
    page.get_by_label("Reference of their letter").fill("HMI/2022/044")
    page.get_by_label("Date of their letter").fill(today)
    page.get_by_label("The letter").set_input_files(str(letter))
    page.get_by_role("button", name="Record their closure").click()
    page.get_by_text("Recommendation 6: Closed by HMICFRS").wait_for()
    assert_accessible(page)
    assert set(Action.objects.filter(plan__reference="PIP-PR", recommendation__ref="6")
               .values_list("lifecycle", flat=True)) == {"closed"}

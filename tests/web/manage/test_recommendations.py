"""A plan manager adds, rewords and moves recommendations; bad input and stale edits change nothing.

Today is the real date: the demo plan's dates are in 2021."""

import pytest

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.plans import services
from actiontrack.plans.models import Recommendation
from tests.web.manage.helpers import REF, journal_size, plan, today, url

pytestmark = pytest.mark.django_db


# Recommendations ------------------------------------------------------------------------------------------

def test_adding_a_recommendation_offers_the_next_free_number(signed_in, plan_manager):
    page = signed_in(plan_manager).get(url("recommendation_new", REF)).text
    assert 'name="ref" value="9"' in page


def test_a_plan_manager_adds_a_recommendation(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_new", REF),
                                            {"ref": "9", "kind": "afi", "text": "Improve the audit trail."})
    assert response.status_code == 302 and response.url.endswith("#rec-9")
    rec = Recommendation.objects.get(plan__reference=REF, ref="9")
    assert (rec.kind, rec.text) == ("afi", "Improve the audit trail.")
    assert JournalEvent.objects.get(entity_type="recommendation", entity_id=rec.pk).effective_on == today()


@pytest.mark.parametrize(("data", "message"), [
    ({"ref": "3", "kind": "recommendation", "text": "Again"}, "Recommendation 3 already exists in PIP-PR."),
    ({"ref": "9", "kind": "recommendation", "text": " "}, "Enter the recommendation&#x27;s text."),
    ({"ref": "", "kind": "recommendation", "text": "New"}, "Enter the recommendation&#x27;s reference."),
    ({"ref": "9", "kind": "banana", "text": "New"}, "Select a valid choice"),
])
def test_a_bad_recommendation_is_not_added(signed_in, plan_manager, data, message):
    count = Recommendation.objects.count()
    response = signed_in(plan_manager).post(url("recommendation_new", REF), data)
    assert response.status_code == 400 and "There is a problem" in response.text and message in response.text
    assert Recommendation.objects.count() == count


def test_a_plan_manager_rewords_a_recommendation_with_a_reason(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_edit", REF, 2), {
        "text": "Clarify and evidence Out of Hours fire protection cover.", "kind": "cause_of_concern",
        "reason": "Abbreviations spelt out", "version": str(Recommendation.objects.get(ref="2").version)})
    assert response.status_code == 302
    rec = Recommendation.objects.get(ref="2")
    assert rec.text.startswith("Clarify and evidence") and rec.kind == "cause_of_concern"


def test_a_recommendation_edit_without_a_reason_changes_nothing(signed_in, plan_manager):
    before = journal_size()
    response = signed_in(plan_manager).post(url("recommendation_edit", REF, 2),
                                            {"text": "Different", "kind": "recommendation", "reason": "",
                                             "version": "1"})
    assert response.status_code == 400 and "Give a reason for changing the recommendation." in response.text
    assert Recommendation.objects.get(ref="2").text.startswith("Clarify &") and journal_size() == before


def test_a_stale_recommendation_edit_is_refused_and_can_be_saved_deliberately(signed_in, plan_manager):
    client = signed_in(plan_manager)
    rec = Recommendation.objects.get(plan__reference=REF, ref="2")
    assert f'name="version" value="{rec.version}"' in client.get(url("recommendation_edit", REF, 2)).text
    services.recommendation_update(actor=Actor.of(plan_manager), recommendation=rec, text="Theirs, saved first.",
                                   kind=rec.kind, reason="Theirs", effective_on=today(), expected_version=rec.version)
    mine = {"text": "Mine, typed in the old form.", "kind": "afi", "reason": "Mine", "version": str(rec.version)}
    response = client.post(url("recommendation_edit", REF, 2), mine)
    assert response.status_code == 409
    assert "Theirs, saved first." in response.text and "Mine, typed in the old form." in response.text
    assert "Area for improvement" in response.text and f'name="version" value="{rec.version + 1}"' in response.text
    assert Recommendation.objects.get(pk=rec.pk).text == "Theirs, saved first."
    response = client.post(url("recommendation_edit", REF, 2), {**mine, "version": str(rec.version + 1)})
    assert response.status_code == 302 and Recommendation.objects.get(pk=rec.pk).text == "Mine, typed in the old form."


def test_a_plan_manager_moves_a_recommendation_without_changing_its_number(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_move", REF, 2), {"direction": "up"})
    assert response.status_code == 302 and response.url.endswith("#plan-tools")
    assert list(plan().recommendations.order_by("position").values_list("ref", flat=True)[:3]) == ["2", "1", "3"]


def test_the_first_recommendation_cannot_move_up(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_move", REF, 1), {"direction": "up"})
    assert response.status_code == 400 and "It is already at the top." in response.text
    response = signed_in(plan_manager).post(url("recommendation_move", REF, 1), {"direction": "sideways"})
    assert response.status_code == 400 and "Move up (-1) or down (+1)." in response.text

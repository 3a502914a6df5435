"""A plan numbered as its source numbers it (AFI 3, 33.22c, R1 restarting in each theme) reads that way on its
page and at its addresses; a plan manager adds a recommendation with its own reference in a
group; someone without the role is refused."""

import pytest

from actiontrack.plans.models import Recommendation
from tests.builders import a_grouped_plan, a_person, a_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection():
    return a_grouped_plan()


@pytest.fixture
def pat(inspection):
    return a_person("pat", plan=inspection, role="manager")


@pytest.fixture
def val(inspection):
    return a_person("val", plan=inspection, role="viewer")


def test_the_plan_page_shows_each_theme_with_its_recommendations_under_their_own_references(signed_in, val):
    page = signed_in(val).get("/plans/HMI-2023/?as_at=30/06/2021").text
    assert page.index("Theme: Prevention") < page.index("Recommendation R1") < page.index("Theme: Protection")
    assert 'id="rec-AFI-3"' in page and "Area for improvement AFI 3" in page and 'id="rec-Protection-R1"' in page
    assert '<h4 class="heading-s" id="rec-33.22c">Recommendation 33.22c</h4>' in page
    assert 'href="/plans/HMI-2023/actions/E1b/?as_at=2021-06-30"' in page and ">33.22c-2</a>" in page


def test_an_action_is_at_its_references_address_and_another_case_is_sent_there(signed_in, val):
    client = signed_in(val)
    page = client.get("/plans/HMI-2023/actions/E1b/").text
    assert "Action E1b" in page and "R1) Target prevention" in page
    moved = client.get("/plans/HMI-2023/actions/e1b/?as_at=30/06/2021")
    assert moved.status_code == 301 and moved.url == "/plans/HMI-2023/actions/E1b/?as_at=30/06/2021"


def test_a_plan_manager_adds_an_area_for_improvement_in_a_new_theme(signed_in, pat, inspection):
    response = signed_in(pat).post("/plans/HMI-2023/recommendations/new/", {
        "ref": "AFI 1", "kind": "afi", "group": "Response", "text": "Improve incident command training."})
    assert response.status_code == 302 and response.url == "/plans/HMI-2023/#rec-AFI-1"
    rec = Recommendation.objects.get(plan=inspection, ref="AFI 1")
    assert (rec.group.name, rec.kind, rec.slug) == ("Response", "afi", "AFI-1")
    # Its references are not plain numbers: the next one is the plan manager's to give, not guessed.
    form = signed_in(pat).get("/plans/HMI-2023/recommendations/new/").text
    assert 'name="ref"' in form and 'name="ref" value=' not in form


def test_an_action_added_to_it_takes_its_reference_and_has_its_address(signed_in, pat, inspection):
    post = a_post()
    response = signed_in(pat).post("/plans/HMI-2023/recommendations/Protection-R1/actions/new/", {
        "text": "Train the auditors.", "owner_posts": [post.pk], "due": "31/12/2021"})
    assert response.status_code == 302 and response.url == "/plans/HMI-2023/actions/R1.2/"
    assert inspection.actions.get(slug="R1.2").recommendation.group.name == "Protection"


def test_a_viewer_cannot_add_a_recommendation_and_nothing_is_added(signed_in, val, inspection):
    count = inspection.recommendations.count()
    response = signed_in(val).post("/plans/HMI-2023/recommendations/new/", {
        "ref": "AFI 1", "kind": "afi", "group": "Response", "text": "Improve."})
    assert response.status_code == 403 and inspection.recommendations.count() == count
    assert not inspection.groups.filter(name="Response").exists()


def test_a_plan_manager_names_an_operational_lead_beside_the_executive_lead(signed_in, pat, inspection):
    lead, operational = a_post(), a_post("Station Manager Prevention", holder="Jo Bell")
    action = inspection.actions.get(slug="E1b")
    form = {"version": action.version, "text": action.text, "owner_posts": [lead.pk],
            "supporting_posts": [operational.pk], "reason": "Operational lead named"}
    response = signed_in(pat).post("/plans/HMI-2023/actions/E1b/edit/", form)
    assert response.status_code == 302, response.text
    assert "Station Manager Prevention (Jo Bell), supporting" in signed_in(pat).get("/plans/HMI-2023/actions/E1b/").text
    page = signed_in(pat).get("/plans/HMI-2023/").text
    assert 'Station Manager Prevention <span class="hint">Jo Bell</span> <span class="hint">(supporting)</span>' in page


def test_the_same_post_as_lead_and_supporting_owner_is_refused_with_the_reason(signed_in, pat, inspection):
    lead = a_post()
    action = inspection.actions.get(slug="E1b")
    response = signed_in(pat).post("/plans/HMI-2023/actions/E1b/edit/", {
        "version": action.version, "text": action.text, "owner_posts": [lead.pk], "supporting_posts": [lead.pk],
        "reason": "Both"})
    assert response.status_code == 400
    assert "Head of Delivery cannot be both a lead and a supporting owner" in response.text
    assert not inspection.actions.get(slug="E1b").supporting_posts.exists()

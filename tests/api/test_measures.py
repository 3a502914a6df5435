"""Measures through the API agree with the web's reading of them: everyone who can see the plan reads each measure
with its values rated against their targets, as at a date; an owner of its recommendation's actions records a
value; an owner of other actions and a board member are refused; an outsider finds nothing."""

from datetime import date

from django.utils import timezone

from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Measure, Plan
from actiontrack.plans.selectors.measures import measures_as_at

MEASURES = "/api/plans/PIP-PR/measures"


def _demo_measure() -> Measure:
    return Measure.objects.get(plan__reference="PIP-PR", name="Fire safety audits completed")


def test_a_board_member_reads_the_measure_as_the_plan_page_rates_it(api, board_member):
    body = api(board_member).get(MEASURES).json()
    [audits] = body["items"]
    assert (audits["name"], audits["recommendation"], audits["action"], audits["unit"]) == (
        "Fire safety audits completed", "4", None, "audits")
    assert [(v["period_start"], v["value"], v["target"], v["rating_label"]) for v in audits["values"]] == [
        ("2021-01-01", 118.0, 150.0, "Red – Off target"), ("2021-04-01", 139.0, 150.0, "Amber – Within tolerance"),
        ("2021-07-01", 156.0, 150.0, "Green – On target")]
    [view] = measures_as_at(Plan.objects.get(reference="PIP-PR"), timezone.localdate())
    assert [v["reason"] for v in audits["values"]] == [p.rating.reason for p in view.points]
    assert audits["held"] is view.held is False  # one period on target of the two it must hold for
    earlier = api(board_member).get(MEASURES, as_at="2021-05-01").json()["items"][0]
    assert [v["period"] for v in earlier["values"]] == ["January to March 2021", "April to June 2021"]


def test_an_owner_records_a_value_and_it_is_rated_and_journalled(api, demo):
    recorder = _owner_of_recommendation_4(demo)
    measure = _demo_measure()
    made = api(recorder).post(f"{MEASURES}/{measure.pk}/values", {"period": "2021-10-15", "value": 161})
    assert made.status_code == 200, made.content
    latest = made.json()["values"][-1]
    assert (latest["period"], latest["value"], latest["rating_label"]) == ("October to December 2021", 161.0,
                                                                           "Green – On target")
    assert latest["recorded_by"] == recorder.get_full_name() and made.json()["held"] is True
    event = JournalEvent.objects.filter(entity_type="measure", entity_id=measure.pk, field="value").last()
    assert event.new == {"period": "2021-10-01", "value": "161.00"} and event.source == "api"


def test_a_period_not_begun_and_a_value_that_is_not_a_number_are_refused_saying_why(api, demo):
    recorder = _owner_of_recommendation_4(demo)
    path = f"{MEASURES}/{_demo_measure().pk}/values"
    next_year = date(timezone.localdate().year + 1, 1, 15).isoformat()
    refused = api(recorder).post(path, {"period": next_year, "value": 12})
    assert refused.status_code == 400 and "has not begun yet" in refused.content.decode()
    assert api(recorder).post(path, {"period": "2021-10-15", "value": "many"}).status_code == 422


def test_an_owner_of_other_actions_and_a_board_member_are_refused_an_outsider_finds_nothing(
        api, other_owner, board_member, outsider, demo):
    path = f"{MEASURES}/{_demo_measure().pk}/values"
    for person in (other_owner, board_member):
        refused = api(person).post(path, {"period": "2021-10-15", "value": 150})
        assert refused.status_code == 403, person
        assert "Only an owner or a plan manager can record Fire safety audits completed" in refused.json()["detail"]
    assert api(outsider).get(MEASURES).status_code == 404
    assert api(outsider).post(path, {"period": "2021-10-15", "value": 150}).status_code == 404
    assert api(board_member).post(f"{MEASURES}/999999/values", {"period": "2021-10-15", "value": 1}).status_code == 404
    assert not JournalEvent.objects.filter(entity_type="measure", field="value", new__value="150.00").exists()


def _owner_of_recommendation_4(demo):
    from actiontrack.people.models import PostHolding

    action = Plan.objects.get(reference="PIP-PR").actions.get(ref="4.1")
    holding = PostHolding.objects.filter(post__in=action.owner_posts.all(), ends_on=None, user__isnull=False).first()
    return holding.user


def test_measures_before_the_plan_was_agreed_are_refused_as_its_actions_are(api, board_member):
    refused = api(board_member).get(MEASURES, as_at="2021-01-15")
    assert refused.status_code == 400 and "was agreed on 1 February 2021" in refused.content.decode()
    assert api(board_member).get("/api/plans/PIP-PR/actions", as_at="2021-01-15").status_code == 400


def test_a_figure_too_large_too_precise_or_below_zero_is_refused_in_the_same_words_as_on_the_web(
        api, demo, signed_in):
    from django.urls import reverse

    recorder = _owner_of_recommendation_4(demo)
    measure = _demo_measure()
    web = reverse("measures:record", args=["PIP-PR", measure.pk])
    for value, said in ((1e13, "Give the value as a number below 1,000,000,000,000."),
                        (12.345, "Give the value with no more than two decimal places."),
                        (-3, "Fire safety audits completed cannot be below zero (its target is 150 audits): check "
                             "the sign.")):
        refused = api(recorder).post(f"{MEASURES}/{measure.pk}/values", {"period": "2021-10-15", "value": value})
        assert refused.status_code == 400 and said in refused.json()["detail"], refused.content
        page = signed_in(recorder).post(web, {"day": "15/10/2021", "value": str(value)})
        assert page.status_code == 400 and said in page.content.decode()
    assert not measure.values.filter(period_start=date(2021, 10, 1)).exists()

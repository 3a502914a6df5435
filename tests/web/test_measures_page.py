"""The measures page: a plan manager adds a measure to recommendation 4; its owner records two quarters' values;
everyone who can see the plan reads them against the target, as a chart with the same numbers in a table; a
board member cannot add or record; an outsider is told nothing."""

from datetime import date

from django.urls import reverse

from actiontrack.plans.models import Measure, Recommendation

INDEX = reverse("measures:index", args=["PIP-PR"])
NAME = "Fire safety audits by the new team"  # beside the demo's own measure of recommendation 4


def add(client):
    rec = Recommendation.objects.get(plan__reference="PIP-PR", ref="4")
    return client.post(INDEX, {"recommendation": rec.pk, "name": NAME, "unit": "audits",
                               "direction": "higher", "period": "quarterly", "target": "150", "tolerance": "15",
                               "hold_periods": "2"})


def test_a_manager_adds_an_owner_records_and_everyone_reads(signed_in, plan_manager, owner, board_member):
    assert add(signed_in(plan_manager)).status_code == 302
    measure = Measure.objects.get(name=NAME)
    record = reverse("measures:record", args=["PIP-PR", measure.pk])
    client = signed_in(owner)
    for day, value in (("15/08/2021", "141"), ("15/11/2021", "158")):
        assert client.post(record, {"day": day, "value": value}).status_code == 302
    refused = client.post(record, {"day": "15/08/2099", "value": "17"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in page and "has not begun yet" in page
    assert f'href="#m{measure.pk}-day"' in page and 'value="17"' in page  # beside its field, what was typed kept
    page = signed_in(board_member).get(INDEX).content.decode()
    assert NAME in page and "Amber – Within tolerance" in page
    assert "158 audits in October to December 2021 against a target of 150 audits" in page
    assert '<svg class="chart" role="img"' in page and "Record a value" not in page
    assert measure.values.get(period_start=date(2021, 7, 1)).target == 150


def test_only_plan_managers_add_and_outsiders_see_nothing(signed_in, board_member, outsider, demo):
    assert add(signed_in(board_member)).status_code == 403 and not Measure.objects.filter(name=NAME).exists()
    assert signed_in(outsider).get(INDEX).status_code == 404


def test_the_board_report_gives_each_measure_against_its_target(signed_in, plan_manager, owner):
    from actiontrack.reports.demo import load_demo_report
    from actiontrack.reports.selectors import report_data

    add(signed_in(plan_manager))
    record = reverse("measures:record", args=["PIP-PR", Measure.objects.get(name=NAME).pk])
    signed_in(owner).post(record, {"day": "15/08/2021", "value": "120"})
    report, _ = load_demo_report()
    items = [item for block in report_data(report).blocks("bullets") for item in block.items]
    assert (f"{NAME} (recommendation 4): Red – Off target: 120 audits in July to September 2021 against a "
            "target of 150 audits, 30 short.") in items
    assert ("Fire safety audits completed (recommendation 4): Green – On target: 156 audits in July to September "
            "2021 against a target of 150 audits.") in items  # the demo's


def test_a_measure_that_held_and_then_slipped_says_so_not_that_it_never_held(signed_in, plan_manager, owner,
                                                                            board_member):
    from actiontrack.reports.demo import load_demo_report
    from actiontrack.reports.selectors import report_data

    add(signed_in(plan_manager))
    measure = Measure.objects.get(name=NAME)
    record = reverse("measures:record", args=["PIP-PR", measure.pk])
    for day, value in (("15/05/2021", "158"), ("15/08/2021", "160"), ("15/11/2021", "120")):
        assert signed_in(owner).post(record, {"day": day, "value": value}).status_code == 302
    page = signed_in(board_member).get(INDEX).content.decode()
    assert page.count("held until July to September 2021, then slipped") == 1  # this one; the demo's holds
    report, _ = load_demo_report()
    [item] = [item for block in report_data(report).blocks("bullets") for item in block.items if NAME in item]
    assert item.endswith("30 short; it had held until July to September 2021, but at least one period since was not "
                         "on target.")
    assert "at least one of the last 2 periods was not on target" in page


def test_the_action_page_read_again_after_a_value_shows_the_assurance_the_measure_now_gives(
        signed_in, board_member, owner):
    """The actions a held measure vouches for are kept with the plan's version: a value recorded moves it."""
    from actiontrack.people.models import PostHolding

    action = Recommendation.objects.get(plan__reference="PIP-PR", ref="4").actions.get()
    page = reverse("action", args=["PIP-PR", action.slug])
    reader = signed_in(board_member)
    assert "its measure met its target" not in reader.get(page).content.decode()  # read once: kept
    recorder = PostHolding.objects.filter(post__in=action.owner_posts.all(), ends_on=None).first().user
    audits = Measure.objects.get(plan__reference="PIP-PR", name="Fire safety audits completed")
    assert signed_in(recorder).post(reverse("measures:record", args=["PIP-PR", audits.pk]),
                                    {"day": "15/11/2021", "value": "161"}).status_code == 302
    assert "its measure met its target" in reader.get(page).content.decode()

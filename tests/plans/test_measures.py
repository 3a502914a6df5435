"""Measures: a plan manager sets one on a recommendation; an owner records each period's value against the target
then in force; a corrected value is journalled; a value for a period not begun, or by someone else, is refused;
a measure that held its target makes its recommendation's completed actions Substantial assurance — the same on
the plan as replayed and on the dashboard's rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.assurance import SUBSTANTIAL
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan, Recommendation
from actiontrack.plans.selectors import plan_as_at
from actiontrack.plans.selectors.measures import measures_as_at
from actiontrack.plans.selectors.portfolio import summaries_from_rows, summary_replayed
from actiontrack.plans.services import measures

TODAY = date(2022, 1, 20)


def mine(measure):
    """The test's measure, beside the demo's own (recommendation 4's audits, invented for the demo)."""
    return next(v for v in measures_as_at(Plan.objects.get(reference="PIP-PR"), TODAY) if v.measure == measure)


@pytest.fixture
def audits(demo, plan_manager):
    rec = Recommendation.objects.get(plan__reference="PIP-PR", ref="4")
    return measures.measure_add(actor=Actor.of(plan_manager), recommendation=rec,
                                name="Fire safety audits completed", unit="audits", target=150, tolerance=15,
                                period="quarterly", hold_periods=2, effective_on=date(2021, 4, 1))


def test_values_are_rated_against_the_target_in_force_and_corrections_journalled(audits, owner, plan_manager):
    for day, value in ((date(2021, 5, 1), 120), (date(2021, 8, 1), 141), (date(2021, 11, 1), 158)):
        measures.measure_record(actor=Actor.of(owner), measure=audits, day=day, value=value, today=TODAY)
    view = mine(audits)
    assert [(p.period.label, p.rating.band.meaning) for p in view.points] == [
        ("April to June 2021", "Off target"), ("July to September 2021", "Within tolerance"),
        ("October to December 2021", "On target")]
    assert view.points[0].rating.reason == "120 audits in April to June 2021 against a target of 150 audits, 30 short"
    assert not view.held  # one period on target of the two it must hold for
    measures.measure_record(actor=Actor.of(owner), measure=audits, day=date(2021, 8, 1), value=152, today=TODAY)
    assert JournalEvent.objects.filter(entity_type="measure", entity_id=audits.pk, field="value").count() == 4
    assert mine(audits).held


def test_a_held_measure_makes_the_recommendations_completed_actions_substantial(audits, owner):
    for day, value in ((date(2021, 8, 1), 150), (date(2021, 11, 1), 158)):
        measures.measure_record(actor=Actor.of(owner), measure=audits, day=day, value=value, today=TODAY)
    plan = Plan.objects.get(reference="PIP-PR")
    [action] = [a for a in plan_as_at(plan, TODAY).actions if a.ref == "4.1"]
    assert action.assurance.level == SUBSTANTIAL and "its measure met its target" in action.assurance.reason
    [from_rows] = summaries_from_rows([plan], "", TODAY)
    assert from_rows.assurance == summary_replayed(plan, readcache.loaded_version(plan), "", TODAY).assurance
    assert (SUBSTANTIAL, 1) in from_rows.assurance


def test_refused_values(audits, board_member, owner):
    with pytest.raises(PermissionDenied):
        measures.measure_record(actor=Actor.of(board_member), measure=audits, day=date(2021, 8, 1), value=1,
                                today=TODAY)
    with pytest.raises(ValidationError, match="has not begun yet"):
        measures.measure_record(actor=Actor.of(owner), measure=audits, day=date(2022, 4, 1), value=1, today=TODAY)
    with pytest.raises(ValidationError, match="as a number"):
        measures.measure_record(actor=Actor.of(owner), measure=audits, day=date(2021, 8, 1), value="nan",
                                today=TODAY)


def test_a_json_export_restores_the_demo_measure_with_its_values_and_history(demo):
    from actiontrack.interchange.exporting import export_json
    from tests.interchange.helpers import run_import

    report = run_import(export_json.render(Plan.objects.get(reference="PIP-PR")), "pip.json", "PIP-COPY",
                        apply=True)
    assert report.restore and not report.errors, report.errors
    [original] = measures_as_at(Plan.objects.get(reference="PIP-PR"), TODAY)  # the demo's
    [copy] = measures_as_at(Plan.objects.get(reference="PIP-COPY"), TODAY)
    assert [p.rating for p in copy.points] == [p.rating for p in original.points]
    assert copy.measure.recommendation.plan.reference == "PIP-COPY"
    assert JournalEvent.objects.filter(plan__reference="PIP-COPY", entity_type="measure").count() == 4


def test_a_value_for_a_period_that_ended_before_the_plan_was_agreed_is_refused(audits, owner):
    """The demo plan was agreed on 1 February 2021: January to March 2021 is its first quarter, 2020 none of it."""
    with pytest.raises(ValidationError, match="ended before PIP-PR was agreed"):
        measures.measure_record(actor=Actor.of(owner), measure=audits, day=date(2020, 11, 1), value=90, today=TODAY)
    measures.measure_record(actor=Actor.of(owner), measure=audits, day=date(2021, 1, 15), value=95, today=TODAY)


def test_a_measure_aiming_at_zero_takes_values_below_it_and_one_aiming_above_does_not(demo, plan_manager, owner):
    rec = Recommendation.objects.get(plan__reference="PIP-PR", ref="4")
    variance = measures.measure_add(actor=Actor.of(plan_manager), recommendation=rec, name="Budget variance",
                                    unit="%", target=0, tolerance=2, direction="lower", period="quarterly",
                                    effective_on=date(2021, 4, 1))
    recorded = measures.measure_record(actor=Actor.of(owner), measure=variance, day=date(2021, 8, 1), value="-1.5",
                                       today=TODAY)
    assert recorded.value == Decimal("-1.50")
    audits = measures.measure_add(actor=Actor.of(plan_manager), recommendation=rec, name="Audits done", target=150,
                                  period="quarterly", effective_on=date(2021, 4, 1))
    with pytest.raises(ValidationError, match=r"Audits done cannot be below zero \(its target is 150\)"):
        measures.measure_record(actor=Actor.of(owner), measure=audits, day=date(2021, 8, 1), value=-3, today=TODAY)

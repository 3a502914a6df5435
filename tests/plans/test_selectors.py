"""The plan as at a date is the journal replayed; for dates after the last change the rows hold the same
state and are read instead. These tests hold the two paths to the same answer."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actiontrack.core.journal import Actor
from actiontrack.plans import services
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.readcache import loaded_version
from actiontrack.plans.selectors import (
    AsAtError,
    action_by_ref,
    build_as_at,
    plan_as_at,
    recommendations_as_at,
    replay_as_at,
)
from actiontrack.plans.selectors.measures import held_actions
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_file
from actiontrack.plans.services.measures import measure_add, measure_record
from tests.builders import SET_UP, a_grouped_plan, a_post, an_action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("as_at", [date(2021, 11, 30), date(2021, 12, 31), date(2026, 11, 25), date(2031, 1, 1)])
def test_reading_the_rows_gives_the_same_plan_as_replaying_the_journal(demo, as_at):
    plan = Plan.objects.get(reference="PIP-PR")
    assert plan_as_at(plan, as_at) == replay_as_at(plan, as_at)


def _same_recommendations(plan, as_at, chosen: list[int]) -> None:
    whole = {rec.id: rec for rec in build_as_at(plan, as_at).recommendations}
    layout = {rec_id: tuple(action.id for action in whole[rec_id].actions) for rec_id in chosen}
    assert recommendations_as_at(plan, as_at, layout, version=loaded_version(plan)) == [whole[pk] for pk in chosen]


@pytest.mark.parametrize("as_at", [date(2021, 3, 1), date(2021, 11, 30), date(2026, 11, 25), date(2031, 1, 1)])
def test_some_recommendations_read_alone_are_the_same_as_in_the_whole_plan(demo, as_at):
    """What the plan page renders again after a progress update: read alone, from the rows or replayed (a date
    before the demo's later changes), each recommendation is the one the whole plan holds, and so is a pair."""
    plan = Plan.objects.get(reference="PIP-PR")
    recs = [rec.id for rec in build_as_at(plan, as_at).recommendations]
    for chosen in [[pk] for pk in recs] + [[recs[1], recs[4]]]:
        _same_recommendations(plan, as_at, chosen)


def test_recommendations_read_alone_in_a_grouped_plan_keep_their_groups_owners_and_measures(demo):
    """A plan grouped by theme, numbering restarting in each (R1, R1), an action with its own reference (E1b), one
    action given a supporting owner and a later due date from 1 June 2026, another vouched for by a measure that
    held: read alone before that change (replayed) and after it (from the rows), each recommendation is the one
    the whole plan holds."""
    plan = a_grouped_plan()
    e1b, protection = an_action(plan, "E1b"), Action.objects.get(plan=plan, recommendation__group__name="Protection")
    services.action_change_owners(actor=SET_UP, action=e1b, owner_posts=list(e1b.owner_posts.all()),
                                  supporting_posts=[a_post("Head of Prevention")], reason="Shared",
                                  effective_on=date(2026, 6, 1))
    services.action_change_due_date(actor=SET_UP, action=e1b, due_on=date(2031, 3, 31), reason="Later",
                                    effective_on=date(2026, 6, 1))
    audits = measure_add(actor=SET_UP, recommendation=protection.recommendation, action=protection, target=90,
                         name="High-risk premises audited (%)", period="quarterly", hold_periods=2,
                         effective_on=date(2025, 1, 1))
    for day, value in ((date(2025, 7, 1), 95), (date(2025, 10, 1), 93)):
        measure_record(actor=SET_UP, measure=audits, day=day, value=value, today=date(2025, 12, 31))
    assert held_actions([plan.pk], date(2026, 11, 25)) == {protection.pk}  # so the test has one to compare
    recs = [rec.id for rec in build_as_at(plan, date(2026, 11, 25)).recommendations]
    for as_at in (date(2026, 5, 1), date(2026, 11, 25)):
        for chosen in [[pk] for pk in recs] + [recs[2:]]:
            _same_recommendations(plan, as_at, chosen)
    layout = {rec.id: tuple(a.id for a in rec.actions) for rec in build_as_at(plan, date(2026, 11, 25)).recommendations}
    alone = recommendations_as_at(plan, date(2026, 11, 25), layout, version=loaded_version(plan))
    shown = {action.ref: action for rec in alone for action in rec.actions}
    assert shown["E1b"].owners[-1].supporting and shown[protection.ref].measure_held


def test_after_day_to_day_work_the_rows_still_equal_the_replay(owner, plan_manager, verifier):
    today = date(2022, 1, 10)
    plan = Plan.objects.get(reference="PIP-PR")
    act = action_by_ref(plan, "5.1")
    proposal = workflow.date_propose(actor=Actor.of(owner), action=act, due_on=date(2022, 3, 31),
                                     due_condition="On Approval", reason="Consultation", today=today)
    workflow.date_decide(actor=Actor.of(plan_manager), proposal=proposal, accept=True, comment="", today=today)
    evidence_add_file(actor=Actor.of(owner), action=act, upload=SimpleUploadedFile("a.txt", b"notes"), title="",
                      today=today)
    workflow.action_complete(actor=Actor.of(owner), action=act, completed_on=today, today=today)
    workflow.action_verify(actor=Actor.of(verifier), action=act, today=today)
    services.action_change_lifecycle(actor=Actor.of(plan_manager), action=action_by_ref(plan, "3.1"),
                                     lifecycle="cancelled", reason="Superseded", effective_on=today)
    for as_at in (today, date(2023, 1, 1)):
        assert plan_as_at(plan, as_at) == replay_as_at(plan, as_at)
    assert next(a for a in plan_as_at(plan, today).actions if a.ref == "5.1").revisions == 2


def test_a_date_before_a_later_change_is_replayed_not_read_from_the_rows(demo):
    plan = Plan.objects.get(reference="PIP-PR")
    view = plan_as_at(plan, date(2021, 6, 15))
    assert next(a for a in view.actions if a.ref == "5.1").due_text == "31/07/2021"


def test_an_as_at_date_before_the_plan_is_refused_on_both_paths(demo):
    plan = Plan.objects.get(reference="PIP-PR")
    for read in (plan_as_at, replay_as_at):
        with pytest.raises(AsAtError, match="agreed on 1 February 2021"):
            read(plan, date(2021, 1, 31))

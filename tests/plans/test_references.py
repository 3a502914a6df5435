"""Recommendations keep the references their sources give them, as text, in groups where numbering restarts;
actions keep theirs or derive them; every page, API answer and replay shows them, and addresses stay stable."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actiontrack.core.journal import Actor
from actiontrack.plans import services
from actiontrack.plans.models import Action
from actiontrack.plans.selectors import action_by_ref, build_as_at, replay_as_at
from tests.builders import SET_UP, a_grouped_plan, a_person, a_plan, a_post

pytestmark = pytest.mark.django_db
AS_AT = date(2021, 6, 30)


@pytest.fixture
def inspection():
    return a_grouped_plan()


def test_references_are_kept_exactly_as_the_source_writes_them(inspection):
    view = build_as_at(inspection, AS_AT)
    assert [(r.group, r.ref, [a.ref for a in r.actions]) for r in view.recommendations] == [
        ("", "1", []), ("", "AFI 3", ["AFI 3.1"]), ("", "33.22c", ["33.22c-1", "33.22c-2"]),
        ("Prevention", "R1", ["E1b"]), ("Protection", "R1", ["R1.1"])]


def test_the_second_r1_is_another_recommendation_with_its_own_address(inspection):
    assert list(inspection.recommendations.values_list("slug", flat=True)) == [
        "1", "AFI-3", "33.22c", "R1", "Protection-R1"]
    assert set(inspection.actions.values_list("slug", flat=True)) == {
        "AFI-3.1", "33.22c-1", "33.22c-2", "E1b", "R1.1"}


def test_the_journal_replays_to_the_same_references_and_groups_as_the_rows(inspection):
    replayed, rows = replay_as_at(inspection, AS_AT), build_as_at(inspection, AS_AT)
    assert [(r.ref, r.group, r.slug, [(a.ref, a.slug) for a in r.actions]) for r in replayed.recommendations] == [
        (r.ref, r.group, r.slug, [(a.ref, a.slug) for a in r.actions]) for r in rows.recommendations]
    assert replayed.grouped and replayed.rec_heading == "h4"


@pytest.mark.parametrize(("ref", "group", "message"), [
    ("afi 3", None, "Recommendation afi 3 already exists in HMI-2023."),
    ("R1", "Prevention", "Recommendation R1 already exists in group 'Prevention' of HMI-2023."),
    ("  ", None, "Give the reference the source gives it"),
    ("x" * 101, None, "A reference can have up to 100 characters; this one has 101."),
])
def test_a_reference_its_group_already_has_is_refused_and_nothing_is_written(inspection, ref, group, message):
    count = inspection.recommendations.count()
    group = inspection.groups.get(name=group) if group else None
    with pytest.raises(ValidationError, match=message):
        services.recommendation_create(actor=SET_UP, plan=inspection, ref=ref, text="Again.", group=group)
    assert inspection.recommendations.count() == count


def test_an_action_reference_its_recommendation_already_has_is_refused(inspection):
    rec = inspection.recommendations.get(ref="R1", group__name="Prevention")
    with pytest.raises(ValidationError, match="Action e1b already exists in recommendation R1"):
        services.action_create(actor=SET_UP, recommendation=rec, text="Again.", owner_posts=[a_post()],
                               due_on=None, ref="e1b")


def test_a_group_is_found_again_by_its_name_whatever_its_case(inspection):
    assert services.group_for(actor=SET_UP, plan=inspection, name=" prevention ").name == "Prevention"
    assert inspection.groups.count() == 2


def test_only_a_plan_manager_adds_a_group():
    plan = a_plan()
    viewer = a_person("vic", plan=plan, role="viewer")
    with pytest.raises(PermissionDenied, match="add groups"):
        services.group_for(actor=Actor.of(viewer), plan=plan, name="Response")
    assert not plan.groups.exists()


@pytest.mark.parametrize(("written", "found"), [("E1b", "E1b"), ("e1B", "E1b"), ("R1.1", "R1.1"),
                                                ("r1.1", "R1.1"), ("afi-3.1", "AFI 3.1")])
def test_an_action_is_found_by_its_address_written_in_any_case(inspection, written, found):
    assert action_by_ref(inspection, written).ref == found


def test_numbered_addresses_written_another_way_still_find_the_action():
    plan = a_plan(actions=2)
    assert action_by_ref(plan, "01.02").ref == "1.2" and action_by_ref(plan, "1.3") is None


def test_a_numbered_plan_still_derives_2_1_and_its_addresses_read_as_before():
    plan = a_plan(actions=2, recommendation=2)
    assert list(Action.objects.filter(plan=plan).values_list("ref", "slug")) == [("2.1", "2.1"), ("2.2", "2.2")]

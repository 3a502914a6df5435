"""Every write goes through a service, is journalled with who, when, why, and is all-or-nothing."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from actiontrack.core import journal
from actiontrack.core.choices import ChangeSource, EntityType
from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.people.selectors import post_find
from actiontrack.plans import services
from actiontrack.plans.demo import load_demo
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.models import Action, Plan, Recommendation
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services import _changes

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("Import of tracker.xlsx", ChangeSource.IMPORT)  # the system may make any move


@pytest.fixture
def pmo(plan_manager):
    return Actor.of(plan_manager)


@pytest.fixture
def admin(administrator):
    return Actor.of(administrator)


@pytest.fixture
def direct_dates(demo):
    """The plan setting that lets plan managers change due dates without a proposal."""
    Plan.objects.filter(reference="PIP-PR").update(managers_change_dates_directly=True)


def action(ref):
    return action_by_ref(Plan.objects.get(reference="PIP-PR"), ref)


def events_for(act):
    return list(JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id=act.pk).order_by("id"))


def test_changing_a_due_date_journals_who_when_why_and_keeps_the_baseline(pmo, direct_dates):
    act = action("3.1")
    before = len(events_for(act))
    services.action_change_due_date(actor=pmo, action=act, due_on=date(2022, 3, 31), due_condition="Subject to budget",
                                    reason="Restructure delayed", effective_on=date(2021, 12, 1))
    act.refresh_from_db()
    assert (act.due_on, act.due_condition, act.baseline_on) == (date(2022, 3, 31), "Subject to budget",
                                                                 date(2021, 12, 31))
    new_events = events_for(act)[before:]
    assert [(e.field, e.old, e.new) for e in new_events] == [
        ("due", {"on": "2021-12-31", "condition": ""}, {"on": "2022-03-31", "condition": "Subject to budget"})]
    assert all(e.actor.username == "pmo" and e.actor_name == "Priya Shah" and e.reason == "Restructure delayed"
               and e.effective_on == date(2021, 12, 1) and e.source == ChangeSource.WEB for e in new_events)


def test_a_due_date_change_without_a_reason_is_refused_and_nothing_changes(pmo, direct_dates):
    act = action("3.1")
    before = JournalEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.action_change_due_date(actor=pmo, action=act, due_on=date(2022, 3, 31), reason="  ",
                                        effective_on=date(2021, 12, 1))
    assert "reason" in refused.value.message_dict
    act.refresh_from_db()
    assert act.due_on == date(2021, 12, 31)
    assert JournalEvent.objects.count() == before


def test_a_service_that_fails_half_way_writes_nothing(pmo, monkeypatch):
    act = action("3.1")
    before = JournalEvent.objects.count()
    real_record, calls = journal.record, []

    def record_then_fail(**kwargs):
        calls.append(kwargs["field"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_record(**kwargs)

    monkeypatch.setattr(_changes, "record", record_then_fail)  # where every action change is journalled
    with pytest.raises(RuntimeError):
        services.action_change_lifecycle(actor=SYSTEM, action=act, lifecycle=Lifecycle.COMPLETED,
                                         completed_on=date(2021, 12, 1), effective_on=date(2021, 12, 1))
    assert calls == ["lifecycle", "completed_on"]
    act.refresh_from_db()
    assert (act.lifecycle, act.completed_on) == ("in_progress", None)
    assert JournalEvent.objects.count() == before


def test_a_change_cannot_take_effect_before_the_plan_was_agreed(pmo):
    with pytest.raises(ValidationError) as refused:
        services.action_change_text(actor=pmo, action=action("2.1"), text="New text", reason="Clarified",
                                    effective_on=date(2021, 1, 15))
    assert "before action 2.1 was added (1 February 2021)" in str(refused.value)


def test_completing_records_a_completion_date_and_reopening_clears_it(demo):
    act = action("5.1")
    services.action_change_lifecycle(actor=SYSTEM, action=act, lifecycle=Lifecycle.COMPLETED,
                                     completed_on=date(2021, 12, 20), effective_on=date(2021, 12, 21))
    act.refresh_from_db()
    assert (act.lifecycle, act.completed_on) == ("completed", date(2021, 12, 20))
    services.action_change_lifecycle(actor=SYSTEM, action=act, lifecycle=Lifecycle.IN_PROGRESS,
                                     reason="Evidence incomplete", effective_on=date(2022, 1, 5))
    act.refresh_from_db()
    assert (act.lifecycle, act.completed_on) == ("in_progress", None)


@pytest.mark.parametrize("lifecycle", [Lifecycle.PAUSED, Lifecycle.CANCELLED])
def test_pausing_or_cancelling_needs_a_reason(pmo, lifecycle):
    with pytest.raises(ValidationError, match="Give a reason"):
        services.action_change_lifecycle(actor=pmo, action=action("5.1"), lifecycle=lifecycle,
                                         effective_on=date(2021, 12, 1))


def test_changing_owner_to_an_unknown_post_names_the_known_posts(pmo):
    with pytest.raises(ValidationError) as refused:
        services.action_change_owners(actor=pmo, action=action("5.1"), owner_posts=[post_find("Head of HR")],
                                      reason="Moved to HR", effective_on=date(2021, 12, 1))
    assert "Unknown post 'Head of HR'" in str(refused.value)
    assert "Head of Prevention and Protection" in str(refused.value)


def test_a_post_is_found_by_its_other_spellings(demo):
    assert post_find("Head of Protection and Prevention").name == "Head of Prevention and Protection"
    assert post_find("corporate COMMS.").name == "Corporate Communications"


def test_changing_owner_is_journalled_with_post_ids(pmo, admin):
    act = action("5.1")
    hr = people.post_create(actor=admin, name="Head of People", effective_on=date(2021, 12, 1))
    services.action_change_owners(actor=pmo, action=act, owner_posts=[hr], reason="People strategy owner",
                                  effective_on=date(2021, 12, 1))
    assert list(act.owner_posts.all()) == [hr]
    assert events_for(act)[-1].new == [hr.pk]


def test_a_back_dated_change_lands_in_effective_date_order(pmo, direct_dates):
    act = action("3.1")
    services.action_change_due_date(actor=pmo, action=act, due_on=date(2022, 6, 30), reason="Later decision",
                                    effective_on=date(2022, 1, 10))
    services.action_change_due_date(actor=pmo, action=act, due_on=date(2022, 3, 31), reason="Earlier decision",
                                    effective_on=date(2021, 12, 10))
    act.refresh_from_db()
    # The change that took effect last is the one in force, whatever order they were recorded in.
    assert act.due_on == date(2022, 6, 30)


def test_a_new_holder_ends_the_previous_holding_the_day_before(admin, demo):
    post = Post.objects.get(name="Head of Protection")
    people.post_holder_change(actor=admin, post=post, holder_name="GM Smith", starts_on=date(2022, 4, 1),
                              reason="Promotion")
    holdings = list(post.holdings.order_by("starts_on"))
    assert [(h.holder_name, h.ends_on) for h in holdings] == [("GM Earwicker", date(2022, 3, 31)), ("GM Smith", None)]
    event = JournalEvent.objects.filter(entity_type=EntityType.POST, entity_id=post.pk).last()
    assert (event.field, event.old, event.new, event.reason) == ("holder", "GM Earwicker", "GM Smith", "Promotion")


def test_a_holding_cannot_start_before_a_later_one_already_recorded(admin, demo):
    post = Post.objects.get(name="Head of Prevention and Protection")
    with pytest.raises(ValidationError, match="AM Chris Parker already holds"):
        people.post_holder_change(actor=admin, post=post, holder_name="AM Someone", starts_on=date(2021, 6, 1))


def test_the_journal_is_append_only(demo):
    event = JournalEvent.objects.first()
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        JournalEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        JournalEvent.objects.update(reason="x")


def test_creating_a_plan_recommendation_and_action_is_journalled(db):
    actor = Actor.system("Command line", ChangeSource.CLI)
    plan = services.plan_create(actor=actor, reference="HMI-2023", title="HMICFRS inspection 2023",
                                agreed_on=date(2023, 5, 1))
    rec = services.recommendation_create(actor=actor, plan=plan, ref="1", text="Improve the RBIP.")
    post = people.post_create(actor=actor, name="Head of Protection", effective_on=date(2023, 5, 1))
    act = services.action_create(actor=actor, recommendation=rec, text="Review the RBIP", owner_posts=[post],
                                 due_on=date(2023, 9, 30))
    assert act.ref == "1.1" and act.baseline_on == date(2023, 9, 30)
    created = JournalEvent.objects.filter(field="created", plan=plan).values_list("entity_type", flat=True)
    assert sorted(created) == ["action", "plan", "recommendation"]
    with pytest.raises(ValidationError, match="already exists"):
        services.recommendation_create(actor=actor, plan=plan, ref="1", text="Duplicate")
    with pytest.raises(ValidationError, match="at least one owner"):
        services.action_create(actor=actor, recommendation=rec, text="Orphan", owner_posts=[], due_on=None)
    assert Recommendation.objects.filter(plan=plan).count() == 1 and plan.actions.count() == 1


def test_loading_the_demo_twice_duplicates_nothing(demo):
    counts = (Plan.objects.count(), Action.objects.count(), JournalEvent.objects.count(), Post.objects.count())
    again = load_demo()
    assert not again.created and again.passwords == {}
    assert counts == (Plan.objects.count(), Action.objects.count(), JournalEvent.objects.count(), Post.objects.count())


@pytest.mark.parametrize(("name", "clash"), [
    ("Head of Operational Policy", "'Head of Ops Policy'"),  # an import's post, the demo's spelling of its own
    ("Head of Protection", "'Head of Protection'"),  # a real post with exactly a demo post's name
])
def test_the_demo_refuses_a_database_where_a_post_answers_to_one_of_its_names_and_adds_nothing(name, clash):
    """The demo must not hand someone's real post its invented holders and actions, nor stop with a traceback."""
    people.post_create(actor=SYSTEM, name=name, effective_on=date(2024, 4, 1))
    counts = (get_user_model().objects.count(), Post.objects.count(), JournalEvent.objects.count())
    with pytest.raises(CommandError) as refused:
        call_command("demo", no_serve=True, stdout=io.StringIO())
    assert f"The demo cannot add its post {clash}" in str(refused.value) and repr(name) in str(refused.value)
    assert "ACTIONTRACK_DATA_DIR" in str(refused.value)
    assert not Plan.objects.exists()
    assert counts == (get_user_model().objects.count(), Post.objects.count(), JournalEvent.objects.count())


# Edits opened on an earlier version -------------------------------------------------------------------------

def test_a_plan_details_edit_on_an_earlier_version_is_refused_and_changes_nothing(pmo):
    plan = Plan.objects.get(reference="PIP-PR")
    opened = plan.details_version
    services.plan_update(actor=pmo, plan=plan, changes={"board": "Fire Authority"}, effective_on=date(2022, 1, 4),
                         reason="Moved", expected_version=opened)
    events = JournalEvent.objects.count()
    with pytest.raises(EditConflict) as conflict:
        services.plan_update(actor=pmo, plan=plan, changes={"title": "Mine"}, effective_on=date(2022, 1, 4),
                             reason="Mine", expected_version=opened)
    assert conflict.value.current_version == opened + 1 and conflict.value.current["board"] == "Fire Authority"
    assert conflict.value.current["managers_change_dates_directly"] == "No"
    assert Plan.objects.get(pk=plan.pk).title != "Mine" and JournalEvent.objects.count() == events


def test_saving_the_plan_details_unchanged_keeps_the_version(pmo):
    plan = Plan.objects.get(reference="PIP-PR")
    services.plan_update(actor=pmo, plan=plan, changes={"title": plan.title}, effective_on=date(2022, 1, 4),
                         reason="No change", expected_version=plan.details_version)
    assert Plan.objects.get(pk=plan.pk).details_version == plan.details_version


def test_a_recommendation_edit_on_an_earlier_version_is_refused_and_changes_nothing(pmo):
    rec = Recommendation.objects.get(plan__reference="PIP-PR", ref="3")
    opened = rec.version
    services.recommendation_update(actor=pmo, recommendation=rec, text="First.", kind=rec.kind, reason="One",
                                   effective_on=date(2022, 1, 4), expected_version=opened)
    with pytest.raises(EditConflict) as conflict:
        services.recommendation_update(actor=pmo, recommendation=rec, text="Second.", kind=rec.kind, reason="Two",
                                       effective_on=date(2022, 1, 4), expected_version=opened)
    assert (conflict.value.current["text"], conflict.value.current_version) == ("First.", opened + 1)
    assert Recommendation.objects.get(pk=rec.pk).text == "First."


def test_a_recommendation_written_by_the_previous_version_during_an_upgrade_starts_at_version_1(demo):
    """During a rolling upgrade, app servers still on the old code insert rows without the version column."""
    plan = Plan.objects.get(reference="PIP-PR")
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{Recommendation._meta.db_table}" (plan_id, ref, slug, source, kind, text, '
                       "position) VALUES (%s, '99', '99', '', 'recommendation', 'Old server', 99)", [plan.pk])
    assert Recommendation.objects.get(plan=plan, ref="99").version == 1


def test_rewording_a_recommendation_keeps_the_kind_stored_now_not_the_callers_copy(pmo):
    stale = Recommendation.objects.get(plan__reference="PIP-PR", ref="3")
    fresh = Recommendation.objects.get(pk=stale.pk)
    opened = stale.version
    services.recommendation_update(actor=pmo, recommendation=fresh, text=fresh.text, kind="cause_of_concern",
                                   reason="Reclassified", effective_on=date(2022, 1, 4))
    services.recommendation_change_text(actor=pmo, recommendation=stale, text="Reworded.", reason="Clearer",
                                        effective_on=date(2022, 1, 4))
    stored = Recommendation.objects.get(pk=stale.pk)
    assert (stored.text, stored.kind, stored.version) == ("Reworded.", "cause_of_concern", opened + 2)

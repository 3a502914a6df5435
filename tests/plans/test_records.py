"""Records people can believe: what the history says is what happened, and what a person was told stands.
Today, for these tests, is 6 December 2021 (the month after the board report)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, Actor, as_change
from actiontrack.core.models import JournalEvent
from actiontrack.domain.journal import state_as_at
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans import readcache, services
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref, plan_as_at, replay_as_at
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_link
from tests.builders import a_person, a_plan, an_action

pytestmark = pytest.mark.django_db
TODAY = date(2021, 12, 6)


def pip():
    return Plan.objects.get(reference="PIP-PR")


def action(ref):
    return action_by_ref(pip(), ref)


def as_(user):
    return Actor.of(user)


def add_link(user, ref, day=TODAY):
    return evidence_add_link(actor=as_(user), action=action(ref), url="https://intranet.example.org/rota",
                             title="Out of hours rota", today=day)


def lifecycle_events(act):
    return JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id=act.pk, field="lifecycle")


def row_as_at(ref, day):
    return next(a for a in plan_as_at(pip(), day).actions if a.ref == ref)


# Closure needs evidence ---------------------------------------------------------------------------------------

def test_a_verifier_cannot_close_an_action_that_has_no_evidence(verifier):
    with pytest.raises(ValidationError, match="Action 2.2 has no evidence to verify"):
        workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY)
    assert action("2.2").lifecycle == Lifecycle.COMPLETED
    assert not lifecycle_events(action("2.2")).filter(new=Lifecycle.CLOSED.value).exists()


def test_verifying_says_how_much_evidence_was_checked(owner, verifier, plan_manager):
    add_link(plan_manager, "2.2")
    workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY, comment="Rota checked")
    assert lifecycle_events(action("2.2")).last().reason == "Evidence verified (1 item): Rota checked"
    assert action("2.2").lifecycle_reason == ""
    assert row_as_at("2.2", TODAY).rating.reason == "completed on 26/02/2021 and verified"


def test_closing_without_evidence_is_a_decision_of_its_own_with_a_reason(verifier):
    with pytest.raises(ValidationError, match="Give a reason for closing the action without evidence"):
        workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY, comment="  ",
                               without_evidence=True)
    workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY, without_evidence=True,
                           comment="Rota seen at the station; no copy was kept")
    closed = action("2.2")
    said = "Closed without evidence: Rota seen at the station; no copy was kept"
    assert closed.lifecycle == Lifecycle.CLOSED and closed.lifecycle_reason == said
    assert lifecycle_events(closed).last().reason == said
    row = row_as_at("2.2", TODAY)
    assert row.lifecycle_reason == said
    assert row.rating.label == "Green – Complete"
    assert row.rating.reason == "completed on 26/02/2021; closed without evidence"


def test_a_closure_without_evidence_is_named_in_every_export_and_the_board_report(verifier):
    from actiontrack.interchange.registry import exporter
    from actiontrack.reports.build import build_report_data
    from actiontrack.reports.demo import load_demo_report

    workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY, without_evidence=True,
                           comment="Rota seen at the station")
    said = "Closed without evidence: Rota seen at the station"
    for fmt in ("csv", "json"):
        assert said in exporter(fmt).render(pip(), TODAY).decode("utf-8-sig"), fmt
    report, _ = load_demo_report()
    report.as_at = TODAY
    rows = [row for block in build_report_data(report, issued_on=None).blocks("action_table") for row in block.rows]
    assert next(row for row in rows if row.ref == "2.2").reason.endswith("closed without evidence")


def test_an_action_with_evidence_is_verified_not_closed_without_it(verifier, plan_manager):
    add_link(plan_manager, "2.2")
    with pytest.raises(ValidationError, match=r"has evidence \(1 item\): check it and verify and close"):
        workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY, without_evidence=True,
                               comment="Quicker")
    assert action("2.2").lifecycle == Lifecycle.COMPLETED


def test_an_owner_cannot_close_their_own_action_without_evidence(owner, plan_manager):
    services.action_change_owners(actor=as_(plan_manager), action=action("2.2"), reason="Restructure",
                                  owner_posts=list(action("5.1").owner_posts.all()), effective_on=TODAY)
    with pytest.raises(PermissionDenied):
        workflow.action_verify(actor=as_(owner), action=action("2.2"), today=TODAY, without_evidence=True,
                               comment="It is done")


# Back-dated status changes ------------------------------------------------------------------------------------

def test_started_today_and_completed_yesterday_stays_completed(owner, plan_manager, verifier):
    """The owner resumes a paused action today, then says it was finished yesterday: the page says Completed,
    so the record must too (the journal used to replay the start after the back-dated completion)."""
    services.action_change_lifecycle(actor=as_(plan_manager), action=action("5.1"), lifecycle=Lifecycle.PAUSED,
                                     effective_on=TODAY - timedelta(days=3), reason="Waiting for the restructure")
    workflow.action_start(actor=as_(owner), action=action("5.1"), today=TODAY)
    add_link(owner, "5.1")
    workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=TODAY - timedelta(days=1),
                             today=TODAY)
    done = action("5.1")
    assert done.lifecycle == Lifecycle.COMPLETED and done.completed_on == TODAY - timedelta(days=1)
    assert row_as_at("5.1", TODAY).lifecycle is Lifecycle.COMPLETED
    workflow.action_verify(actor=as_(verifier), action=action("5.1"), today=TODAY)
    assert action("5.1").lifecycle == Lifecycle.CLOSED


@pytest.fixture
def started():
    """A plan agreed on 1 February 2021 whose action 5.1 was started on 1 March, and its plan manager, Pat."""
    plan = a_plan(recommendation=5, agreed_on=date(2021, 2, 1),
                  lifecycles={"5.1": (Lifecycle.IN_PROGRESS, date(2021, 3, 1))})
    return plan, a_person("pat", plan=plan, role="manager")


def test_a_plan_manager_cannot_back_date_a_status_change_before_the_last_one(started):
    plan, manager = started
    with pytest.raises(ValidationError, match="before action 5.1's status last changed"):
        services.action_change_lifecycle(actor=as_(manager), action=an_action(plan, "5.1"),
                                         lifecycle=Lifecycle.PAUSED, effective_on=date(2021, 2, 1), reason="Held up")
    assert an_action(plan, "5.1").lifecycle == Lifecycle.IN_PROGRESS


def test_a_status_change_cannot_take_effect_after_today(started):
    plan, manager = started
    with pytest.raises(ValidationError, match="The status change cannot take effect in the plan after"):
        services.action_change_lifecycle(actor=as_(manager), action=an_action(plan, "5.1"),
                                         lifecycle=Lifecycle.PAUSED, effective_on=TODAY + timedelta(days=30),
                                         reason="Held up", today=TODAY)
    assert an_action(plan, "5.1").lifecycle == Lifecycle.IN_PROGRESS


def test_a_back_dated_edit_of_a_closed_action_still_reopens_it(plan_manager, verifier):
    add_link(plan_manager, "2.2")
    workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY)
    act = action("2.2")
    services.action_change_text(actor=as_(plan_manager), action=act, text="A wider out of hours system",
                                reason="Scope widened", effective_on=date(2021, 6, 1))
    assert action("2.2").lifecycle == Lifecycle.IN_PROGRESS
    assert row_as_at("2.2", TODAY).lifecycle is Lifecycle.IN_PROGRESS


# Actions with no due date -------------------------------------------------------------------------------------

def undated_action(plan_manager):
    rec = pip().recommendations.get(ref="5")
    return services.action_create(actor=as_(plan_manager), recommendation=rec, text="Publish the new structure",
                                  owner_posts=list(action("5.1").owner_posts.all()), due_on=None,
                                  effective_on=TODAY, today=TODAY)


def test_an_action_with_no_due_date_is_rated_no_date_set_and_listed_for_the_plan_manager(plan_manager):
    from actiontrack.plans.selectors import queues

    act = undated_action(plan_manager)
    row = row_as_at(act.ref, TODAY)
    assert row.rating.label == "Grey – No date set"
    assert row.rating.reason == "no due date set, not complete on 06/12/2021"
    assert act in queues.manager_queue(pip(), TODAY).undated
    assert ("undated", 1) in [(band.key, n) for band, n in plan_as_at(pip(), TODAY).counts]


def test_a_plan_manager_gives_an_undated_action_its_first_date_which_is_its_baseline(plan_manager):
    act = undated_action(plan_manager)
    assert not pip().managers_change_dates_directly
    services.action_edit(actor=as_(plan_manager), action=act, expected_version=action(act.ref).version,
                         text=act.text, owner_posts=list(act.owner_posts.all()), reason="Date agreed with the board",
                         effective_on=TODAY, due_on=date(2022, 3, 31))
    dated = action(act.ref)
    assert dated.due_on == dated.baseline_on == date(2022, 3, 31)
    row = row_as_at(act.ref, TODAY)
    assert row.revisions == 0 and row.rating.label == "Amber – On track but to be completed"
    replayed = next(a for a in replay_as_at(pip(), TODAY).actions if a.ref == act.ref)  # the other read path
    assert replayed.revisions == 0 and replayed.baseline_on == date(2022, 3, 31)
    with pytest.raises(ValidationError, match="change only through an owner's proposal"):
        services.action_edit(actor=as_(plan_manager), action=dated, expected_version=dated.version, text=act.text,
                             owner_posts=list(act.owner_posts.all()), reason="Later", effective_on=TODAY,
                             due_on=date(2022, 6, 30))


def test_the_first_date_service_refuses_an_action_that_already_has_one(plan_manager, owner):
    act = undated_action(plan_manager)
    services.action_set_first_due_date(actor=as_(plan_manager), action=act, due_on=date(2022, 3, 31),
                                       effective_on=TODAY)
    with pytest.raises(ValidationError, match="already has a due date"):
        services.action_set_first_due_date(actor=as_(plan_manager), action=act, due_on=date(2022, 4, 30),
                                           effective_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.action_set_first_due_date(actor=as_(owner), action=undated_action(plan_manager),
                                           due_on=date(2022, 4, 30), effective_on=TODAY)
    assert row_as_at(act.ref, TODAY).revisions == 0


# The property: whatever people do, in whatever order and with whatever dates, the row is the journal replayed
# and the last operation that was confirmed is what stands. -----------------------------------------------------

OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["start", "complete", "verify", "return", "pause", "resume", "cancel", "reinstate", "edit",
                     "close_without"]),
    st.integers(min_value=0, max_value=3),  # days later than the previous operation
    st.integers(min_value=0, max_value=12),  # days the operation is back-dated by, where it can be
), min_size=1, max_size=12)

EXPECTED = {"start": Lifecycle.IN_PROGRESS, "complete": Lifecycle.COMPLETED, "verify": Lifecycle.CLOSED,
            "return": Lifecycle.IN_PROGRESS, "pause": Lifecycle.PAUSED, "resume": Lifecycle.IN_PROGRESS,
            "cancel": Lifecycle.CANCELLED, "reinstate": Lifecycle.IN_PROGRESS, "close_without": Lifecycle.CLOSED}


def _apply(name, day, back, people, ref):
    owner, verifier, manager = people
    act = action(ref)
    earlier = day - timedelta(days=back)
    manager_moves = {"pause": Lifecycle.PAUSED, "resume": Lifecycle.IN_PROGRESS, "cancel": Lifecycle.CANCELLED,
                     "reinstate": Lifecycle.IN_PROGRESS}
    if name == "start":
        workflow.action_start(actor=as_(owner), action=act, today=day)
    elif name == "complete":
        workflow.action_complete(actor=as_(owner), action=act, completed_on=earlier, today=day)
    elif name == "verify":
        workflow.action_verify(actor=as_(verifier), action=act, today=day)
    elif name == "close_without":
        workflow.action_verify(actor=as_(verifier), action=act, today=day, without_evidence=True, comment="Seen")
    elif name == "return":
        workflow.action_return(actor=as_(verifier), action=act, comment="Not enough", today=day)
    elif name in manager_moves:
        services.action_change_lifecycle(actor=as_(manager), action=act, lifecycle=manager_moves[name],
                                         effective_on=earlier, reason="Decided by the board")
    elif name == "edit":
        services.action_change_text(actor=as_(manager), action=act, text=f"{act.text} (revised {day:%d/%m})",
                                    reason="Clarified", effective_on=earlier)


def _replayed(act):
    events = [as_change(e) for e in JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id=act.pk)]
    return state_as_at(events, date.max)


class _Undo(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS, with_evidence=st.booleans())
def test_the_row_is_always_the_replay_and_the_last_confirmed_operation_stands(owner, verifier, plan_manager,
                                                                              operations, with_evidence):
    people = (owner, verifier, plan_manager)
    readcache.clear()  # each example is rolled back, so plan versions are reused: nothing kept may carry over
    try:
        with transaction.atomic():
            day = TODAY
            if with_evidence:
                add_link(owner, "5.1", day)
            for name, later, back in operations:
                day += timedelta(days=later)
                before = action("5.1")
                try:
                    _apply(name, day, back, people, "5.1")
                except (ValidationError, PermissionDenied):
                    after = action("5.1")  # refused: nothing changed
                    assert (after.lifecycle, after.completed_on, after.version) == (
                        before.lifecycle, before.completed_on, before.version), name
                    continue
                now = action("5.1")
                if name == "edit":
                    expected = Lifecycle.IN_PROGRESS if before.lifecycle == Lifecycle.CLOSED else before.lifecycle
                else:
                    expected = EXPECTED[name]
                assert now.lifecycle == expected, (name, operations)
                if name == "complete":
                    assert now.completed_on == day - timedelta(days=back)
                state = _replayed(now)
                for field in services.ACTION_FIELDS:
                    assert getattr(now, field) == state[field], (field, operations)
                assert (now.due_on, now.due_condition) == (state[DUE]["on"], state[DUE]["condition"])
                assert row_as_at("5.1", day).lifecycle is Lifecycle(now.lifecycle), operations
            raise _Undo
    except _Undo:
        pass


def test_an_import_that_closes_an_action_with_no_evidence_records_it_as_closed_without_evidence(demo):
    """The command line imports as the system, with no verifier to ask: the status says so, never "verified"."""
    import csv
    import io

    from actiontrack.interchange.registry import exporter
    from tests.interchange.helpers import run_import

    rows = list(csv.reader(io.StringIO(exporter("csv").render(pip(), TODAY).decode("utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("Action ref")] == "2.1":
            row[header.index("Status")] = "Closed"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    report = run_import(out.getvalue().encode(), "tracker.csv", "PIP-PR", apply=True)
    assert report.applied, report.errors
    closed = action("2.1")
    assert closed.lifecycle == Lifecycle.CLOSED
    assert closed.lifecycle_reason.startswith("Closed without evidence: ")
    latest = max(lifecycle_events(closed).values_list("effective_on", flat=True))
    assert row_as_at("2.1", latest).rating.reason.endswith("closed without evidence")


def test_an_undated_actions_first_date_is_its_baseline_however_it_arrives(plan_manager, owner):
    """Through an owner's proposal, accepted; or through an import by a plan manager of a plan whose dates
    otherwise change only by proposal."""
    import csv
    import io

    from actiontrack.interchange.registry import exporter
    from tests.interchange.helpers import run_import, web_actor

    proposed = undated_action(plan_manager)
    proposal = workflow.date_propose(actor=as_(owner), action=proposed, due_on=date(2022, 3, 31), due_condition="",
                                     reason="Agreed with the board", today=TODAY)
    workflow.date_decide(actor=as_(plan_manager), proposal=proposal, accept=True, comment="", today=TODAY)
    assert action(proposed.ref).baseline_on == date(2022, 3, 31)
    assert row_as_at(proposed.ref, TODAY).revisions == 0

    imported = undated_action(plan_manager)
    rows = list(csv.reader(io.StringIO(exporter("csv").render(pip(), TODAY).decode("utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("Action ref")] == imported.ref:
            row[header.index("Due date")] = "30/06/2022"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    preview = run_import(out.getvalue().encode(), "tracker.csv", "PIP-PR", actor=web_actor(plan_manager))
    assert not [p for p in preview.problems if imported.ref in p.message], preview.problems
    report = run_import(out.getvalue().encode(), "tracker.csv", "PIP-PR", actor=web_actor(plan_manager), apply=True)
    assert report.applied
    dated = action(imported.ref)
    assert dated.due_on == dated.baseline_on == date(2022, 6, 30)
    assert row_as_at(imported.ref, timezone.localdate()).revisions == 0  # an import takes effect today

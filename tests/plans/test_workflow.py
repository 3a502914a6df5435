"""Day-to-day work, rule by rule: each rule has a test where the right person succeeds and one where the
wrong person is refused. Today, for these tests, is 6 December 2021 (the month after the board report)."""

import errno
import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.people.selectors import post_find
from actiontrack.plans import services
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.models import Evidence, Plan, PlanRole
from actiontrack.plans.selectors import action_by_ref, periods, plan_as_at
from actiontrack.plans.selectors.evidence import EVIDENCE_FOLDER, evidence_path
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_file, evidence_add_link
from tests.demo_rows import new_updates

pytestmark = pytest.mark.django_db
TODAY = date(2021, 12, 6)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def action(ref):
    return action_by_ref(Plan.objects.get(reference="PIP-PR"), ref)


def as_(user):
    return Actor.of(user)


# Progress updates ---------------------------------------------------------------------------------------

def test_an_owner_writes_and_then_edits_this_months_update(owner):
    first = workflow.update_save(actor=as_(owner), action=action("5.1"), text="Restructure consultation open",
                                 today=TODAY)
    again = workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation closed", today=TODAY,
                                 expected_version=first.version)
    assert again.pk == first.pk and again.period_start == date(2021, 12, 1) and again.text == "Consultation closed"
    assert new_updates().filter(action=action("5.1")).count() == 1
    assert JournalEvent.objects.filter(entity_type="update", entity_id=first.pk).count() == 2


def test_next_month_gets_a_new_update(owner):
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="December", today=TODAY)
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="January", today=date(2022, 1, 3))
    assert new_updates().filter(action=action("5.1")).count() == 2


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier", "board_member"])
def test_only_an_owner_of_the_action_may_write_its_update(request, who):
    with pytest.raises(PermissionDenied, match="Only an owner of action 5.1"):
        workflow.update_save(actor=as_(request.getfixturevalue(who)), action=action("5.1"), text="x", today=TODAY)


def test_a_locked_period_cannot_be_updated(owner, plan_manager):
    workflow.period_lock(
        confirmed_current=True, actor=as_(plan_manager), plan=action("5.1").plan, period_start=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="December 2021 are locked"):
        workflow.update_save(actor=as_(owner), action=action("5.1"), text="Late", today=TODAY)


def test_only_a_plan_manager_may_lock_a_period(owner):
    with pytest.raises(PermissionDenied, match="Only a plan manager"):
        workflow.period_lock(
        confirmed_current=True, actor=as_(owner), plan=action("5.1").plan, period_start=TODAY, today=TODAY)


def test_a_stale_update_is_refused_with_what_is_stored_now(owner):
    first = workflow.update_save(actor=as_(owner), action=action("5.1"), text="Mine", today=TODAY)
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Theirs", today=TODAY,
                         expected_version=first.version)
    with pytest.raises(EditConflict) as conflict:
        workflow.update_save(actor=as_(owner), action=action("5.1"), text="Mine again", today=TODAY,
                             expected_version=first.version)
    assert conflict.value.current == {"text": "Theirs"}
    assert new_updates().get().text == "Theirs"


# Date changes -------------------------------------------------------------------------------------------

def propose(user, ref="5.1", due=date(2022, 3, 31), condition="", reason="Consultation extended"):
    return workflow.date_propose(actor=as_(user), action=action(ref), due_on=due, due_condition=condition,
                                 reason=reason, today=TODAY)


def test_an_accepted_proposal_changes_the_due_date_but_never_the_baseline(owner, plan_manager):
    proposal = propose(owner)
    assert action("5.1").due_on == date(2021, 12, 31)  # nothing changes before the decision
    workflow.date_decide(actor=as_(plan_manager), proposal=proposal, accept=True, comment="Agreed", today=TODAY)
    act = action("5.1")
    assert (act.due_on, act.baseline_on) == (date(2022, 3, 31), date(2021, 7, 31))
    row = next(a for a in plan_as_at(act.plan, TODAY).actions if a.ref == "5.1")
    assert (row.revisions, row.slip_days) == (2, 243)
    event = JournalEvent.objects.filter(entity_type="action", entity_id=act.pk, field="due").last()
    assert event.reason == "Consultation extended (proposed by Chris Parker; accepted by Priya Shah: Agreed)"


def test_a_rejected_proposal_needs_a_comment_and_changes_nothing(owner, plan_manager):
    proposal = propose(owner)
    with pytest.raises(ValidationError, match="Give a reason"):
        workflow.date_decide(actor=as_(plan_manager), proposal=proposal, accept=False, comment="", today=TODAY)
    workflow.date_decide(actor=as_(plan_manager), proposal=proposal, accept=False, comment="Hold the date",
                         today=TODAY)
    assert action("5.1").due_on == date(2021, 12, 31)


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier"])
def test_only_an_owner_may_propose_a_date(request, who):
    with pytest.raises(PermissionDenied, match="Only an owner of action 5.1"):
        propose(request.getfixturevalue(who))


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_only_a_plan_manager_may_decide_a_proposal(request, owner, who):
    proposal = propose(owner)
    with pytest.raises(PermissionDenied, match="Only a plan manager"):
        workflow.date_decide(actor=as_(request.getfixturevalue(who)), proposal=proposal, accept=True, comment="",
                             today=TODAY)


def test_one_pending_proposal_at_a_time(owner):
    propose(owner)
    with pytest.raises(ValidationError, match="already has a proposal waiting"):
        propose(owner, due=date(2022, 6, 30))


def test_a_plan_manager_changes_a_date_directly_only_where_the_plan_allows(plan_manager):
    def change():
        services.action_change_due_date(actor=as_(plan_manager), action=action("5.1"), due_on=date(2022, 2, 28),
                                        reason="Board agreed", effective_on=TODAY)
    with pytest.raises(PermissionDenied, match="only through an accepted proposal"):
        change()
    Plan.objects.update(managers_change_dates_directly=True)
    change()
    assert action("5.1").due_on == date(2022, 2, 28)


# Completion and verification ----------------------------------------------------------------------------

def add_link(user, ref="5.1"):
    return evidence_add_link(actor=as_(user), action=action(ref), url="https://intranet.example.org/people-strategy",
                             title="People strategy", today=TODAY)


def test_completing_needs_evidence(owner):
    with pytest.raises(ValidationError, match="Add at least one piece of evidence"):
        workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=TODAY, today=TODAY)
    add_link(owner)
    workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=date(2021, 12, 3), today=TODAY)
    assert (action("5.1").lifecycle, action("5.1").completed_on) == ("completed", date(2021, 12, 3))


def test_only_an_owner_may_mark_their_action_complete(owner, other_owner, plan_manager):
    add_link(owner)
    for wrong in (other_owner, plan_manager):
        with pytest.raises(PermissionDenied):
            workflow.action_complete(actor=as_(wrong), action=action("5.1"), completed_on=TODAY, today=TODAY)


def test_a_verifier_closes_a_completed_action(owner, verifier):
    add_link(owner)
    workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=TODAY, today=TODAY)
    workflow.action_verify(actor=as_(verifier), action=action("5.1"), today=TODAY, comment="Strategy seen")
    assert action("5.1").lifecycle == "closed"
    rating = next(a for a in plan_as_at(action("5.1").plan, TODAY).actions if a.ref == "5.1").rating
    assert rating.label == "Green – Complete" and rating.reason.endswith("and verified")


def test_a_verifier_may_not_close_an_action_they_own(verifier, administrator):
    post = Post.objects.get(name="Head of Protection")
    people.post_holder_change(actor=as_(administrator), post=post, holder_name="Sam Okafor", user=verifier,
                              starts_on=date(2021, 12, 1))
    with pytest.raises(PermissionDenied, match="You own action 2.2"):
        workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY)


def test_someone_without_the_verifier_role_may_not_close(plan_manager, other_owner):
    with pytest.raises(PermissionDenied, match="Only a verifier"):
        workflow.action_verify(actor=as_(plan_manager), action=action("2.2"), today=TODAY)


def test_a_verifier_returns_an_action_with_a_comment(verifier):
    with pytest.raises(ValidationError, match="Give a reason"):
        workflow.action_return(actor=as_(verifier), action=action("2.2"), comment=" ", today=TODAY)
    workflow.action_return(actor=as_(verifier), action=action("2.2"), comment="No evidence of the rota", today=TODAY)
    act = action("2.2")
    assert (act.lifecycle, act.completed_on) == ("in_progress", None)


def test_editing_a_closed_action_reopens_it(verifier, plan_manager):
    add_link(plan_manager, "2.2")
    workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=TODAY)
    act = action("2.2")
    services.action_edit(actor=as_(plan_manager), action=act, expected_version=act.version,
                         text="Establish an out of hours system for all fire safety officers.",
                         owner_posts=list(act.owner_posts.all()), reason="Scope widened", effective_on=TODAY)
    assert action("2.2").lifecycle == "in_progress"
    reopened = JournalEvent.objects.filter(entity_id=act.pk, entity_type="action", field="lifecycle").last()
    assert reopened.reason == "Reopened: the action was edited after it had been closed."


def test_a_second_edit_from_a_stale_form_is_refused_with_both_versions(plan_manager):
    act = action("3.1")
    opened = act.version
    posts = list(act.owner_posts.all())
    services.action_edit(actor=as_(plan_manager), action=act, expected_version=opened, text="First save",
                         owner_posts=posts, reason="Clarified", effective_on=TODAY)
    with pytest.raises(EditConflict) as conflict:
        services.action_edit(actor=as_(plan_manager), action=act, expected_version=opened, text="Second save",
                             owner_posts=posts, reason="Clarified", effective_on=TODAY)
    assert conflict.value.current["text"] == "First save"
    assert action("3.1").text == "First save"


# Structure ----------------------------------------------------------------------------------------------

def test_only_a_plan_manager_changes_the_plans_structure(owner, plan_manager):
    plan = action("3.1").plan
    with pytest.raises(PermissionDenied, match="Only a plan manager of PIP-PR can add recommendations"):
        services.recommendation_create(actor=as_(owner), plan=plan, ref="9", text="New finding",
                                       effective_on=TODAY)
    rec = services.recommendation_create(actor=as_(plan_manager), plan=plan, ref="9", text="New finding",
                                         effective_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.action_create(actor=as_(owner), recommendation=rec, text="Do it",
                               owner_posts=list(Post.objects.all()[:1]), due_on=date(2022, 1, 31),
                               effective_on=TODAY)


def test_a_plan_manager_reorders_without_changing_refs(plan_manager):
    act = action("6.2")
    services.action_move(actor=as_(plan_manager), action=act, direction=-1, effective_on=TODAY)
    rec = act.recommendation
    assert [a.ref for a in rec.actions.order_by("position")] == ["6.2", "6.1"]
    with pytest.raises(ValidationError, match="already at the top"):
        services.action_move(actor=as_(plan_manager), action=action("6.2"), direction=-1, effective_on=TODAY)


def test_cancelling_keeps_the_action_in_the_plan_and_its_history(plan_manager):
    services.action_change_lifecycle(actor=as_(plan_manager), action=action("3.1"), lifecycle="cancelled",
                                     reason="Superseded by the HMICFRS plan", effective_on=TODAY)
    row = next(a for a in plan_as_at(action("3.1").plan, TODAY).actions if a.ref == "3.1")
    assert row.rating.label == "Grey – Cancelled" and row.lifecycle_reason == "Superseded by the HMICFRS plan"


def test_a_new_plans_creator_manages_it_and_others_cannot_create_plans(administrator, owner):
    plan = services.plan_create(actor=as_(administrator), reference="HMI-22", title="HMICFRS 2022",
                                agreed_on=TODAY)
    assert PlanRole.objects.filter(plan=plan, user=administrator, role="manager").exists()
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=as_(owner), reference="X-1", title="Mine", agreed_on=TODAY)


# Evidence -----------------------------------------------------------------------------------------------

def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / EVIDENCE_FOLDER


def test_an_uploaded_file_is_stored_under_a_random_name_with_its_sha256(owner):
    upload = SimpleUploadedFile("../../etc/People strategy.pdf", PDF)
    evidence = evidence_add_file(actor=as_(owner), action=action("5.1"), upload=upload, title="", today=TODAY)
    path = Path(settings.MEDIA_ROOT) / evidence_path(evidence)
    assert path.parent == evidence_dir() and path.read_bytes() == PDF
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest() and evidence.original_name == "People strategy.pdf"
    assert evidence.content_type == "application/pdf" and evidence.title == "People strategy.pdf"


def test_an_uploaded_files_name_is_on_disk_before_its_row_is_written(owner, monkeypatch):
    """The folder is synced after the rename, before the row pointing at the file: a power cut cannot leave a
    row whose file's name the disk forgot."""
    synced = []

    def sync(path):
        synced.append((path, sorted(p.name for p in path.iterdir()), Evidence.objects.count()))

    monkeypatch.setattr("actiontrack.core.durable.sync_to_disk", sync)
    rows = Evidence.objects.count()
    evidence = evidence_add_file(actor=as_(owner), action=action("5.1"), upload=SimpleUploadedFile("a.pdf", PDF),
                                 title="", today=TODAY)
    [(folder, names, rows_then)] = synced
    assert folder == evidence_dir() and evidence.stored_name in names and rows_then == rows


def test_if_the_folder_cannot_be_synced_the_upload_fails_and_leaves_no_file(owner, monkeypatch):
    def broken_disk(path):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("actiontrack.core.durable.sync_to_disk", broken_disk)
    before = set(evidence_dir().glob("*")) if evidence_dir().exists() else set()
    rows = Evidence.objects.count()
    with pytest.raises(ValidationError, match="could not be saved .Input/output error.; nothing was stored"):
        evidence_add_file(actor=as_(owner), action=action("5.1"), upload=SimpleUploadedFile("a.pdf", PDF), title="",
                          today=TODAY)
    assert set(evidence_dir().glob("*")) == before and Evidence.objects.count() == rows


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.pdf", b"MZ\x90\x00" + b"\x00" * 200, "is not a type that can be attached"),
    ("notes.docx", PDF, "its content is a PDF document"),
    ("empty.txt", b"", "is empty"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(owner, name, content, message):
    before = set(evidence_dir().glob("*")) if evidence_dir().exists() else set()
    with pytest.raises(ValidationError, match=message):
        evidence_add_file(actor=as_(owner), action=action("5.1"), upload=SimpleUploadedFile(name, content),
                          title="", today=TODAY)
    assert not Evidence.objects.exists()
    assert (set(evidence_dir().glob("*")) if evidence_dir().exists() else set()) == before


def test_a_file_over_the_size_limit_is_refused(owner, settings):
    settings.EVIDENCE_MAX_MB = 1
    big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="the limit is 1.0 MB"):
        evidence_add_file(actor=as_(owner), action=action("5.1"), upload=big, title="", today=TODAY)
    assert not Evidence.objects.exists()


def test_only_a_web_link_is_accepted_as_a_link(owner):
    with pytest.raises(ValidationError, match="is not a web address"):
        evidence_add_link(actor=as_(owner), action=action("5.1"), url="javascript:alert(1)", title="", today=TODAY)


def test_someone_who_neither_owns_nor_manages_may_not_add_evidence(other_owner, board_member):
    for wrong in (other_owner, board_member):
        with pytest.raises(PermissionDenied):
            add_link(wrong)


# Administration -----------------------------------------------------------------------------------------

def test_an_administrator_grants_roles_and_a_plan_manager_cannot(administrator, plan_manager, outsider):
    plan = action("5.1").plan
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        services.role_grant(actor=as_(plan_manager), user=outsider, plan=plan, role="viewer", today=TODAY)
    services.role_grant(actor=as_(administrator), user=outsider, plan=plan, role="viewer", today=TODAY)
    assert JournalEvent.objects.filter(plan=plan, field="role_granted").last().new == {
        "user": "outsider", "role": "viewer"}


def test_a_new_users_password_is_validated(administrator):
    with pytest.raises(ValidationError) as refused:
        people.user_create(actor=as_(administrator), username="newbie", first_name="New", last_name="Bie",
                           email="n@example.org", password="password", today=TODAY)
    assert "password" in refused.value.message_dict


def test_a_post_name_or_spelling_must_not_belong_to_another_post(administrator, demo):
    admin = as_(administrator)
    with pytest.raises(ValidationError, match="already a name or spelling of the post 'Head of Protection'"):
        people.post_create(actor=admin, name="Head of Fleet", aliases=["Head of Protection"], effective_on=TODAY)
    ops = Post.objects.get(name="Head of Ops Policy")
    with pytest.raises(ValidationError, match="of the post 'Head of Prevention and Protection'"):
        people.post_update(actor=admin, post=ops, name="Head of Protection and Prevention", aliases=[], today=TODAY)
    people.post_update(actor=admin, post=ops, name="Head of Ops Policy", aliases=["Head of Operations Policy"],
                       today=TODAY)
    assert post_find("head of operations policy") == ops


def test_the_action_history_includes_its_updates_proposals_and_evidence(owner):
    from actiontrack.plans.selectors import action_history

    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation open", today=TODAY)
    propose(owner, condition="On Approval")
    add_link(owner)
    rows = [(r.what, r.new) for r in action_history(action("5.1")) if r.effective_on == TODAY]
    assert rows == [("Progress update", "Consultation open"),
                    ("Date proposal", "31/03/2022 (On Approval) — Pending decision"),
                    ("Evidence added", "https://intranet.example.org/people-strategy")]


def test_the_plan_shows_recommendations_and_actions_in_the_managers_order(plan_manager):
    services.action_move(actor=as_(plan_manager), action=action("6.2"), direction=-1, effective_on=TODAY)
    rec = Plan.objects.get().recommendations.get(ref="8")
    services.recommendation_move(actor=as_(plan_manager), recommendation=rec, direction=-1, effective_on=TODAY)
    view = plan_as_at(Plan.objects.get(), TODAY)
    assert [r.ref for r in view.recommendations] == ["1", "2", "3", "4", "5", "6", "8", "7"]
    assert [a.ref for a in view.recommendations[5].actions] == ["6.2", "6.1"]


# Rules that hold whatever the route (web, API, command line) ---------------------------------------------

def test_no_updates_or_evidence_on_a_cancelled_action(owner, plan_manager):
    services.action_change_lifecycle(actor=as_(plan_manager), action=action("3.1"), lifecycle="cancelled",
                                     reason="Superseded", effective_on=TODAY)
    with pytest.raises(ValidationError, match="progress updates are for actions still to be done"):
        workflow.update_save(actor=as_(owner), action=action("3.1"), text="x", today=TODAY)
    with pytest.raises(ValidationError, match="evidence is added while it is open"):
        add_link(owner, "3.1")
    with pytest.raises(ValidationError, match="new dates are for actions still to be done"):
        propose(owner, ref="3.1")


def test_no_new_evidence_once_an_action_is_closed(owner, verifier):
    add_link(owner, "4.1")
    workflow.action_verify(actor=as_(verifier), action=action("4.1"), today=TODAY)
    with pytest.raises(ValidationError, match="is closed"):
        add_link(owner, "4.1")


@pytest.mark.parametrize(("ref", "target"), [("6.1", "closed"), ("4.1", "in_progress"), ("3.1", "completed")])
def test_a_plan_manager_cannot_complete_close_or_reopen_by_changing_the_status(plan_manager, ref, target):
    before = action(ref).lifecycle
    with pytest.raises(ValidationError, match="completion is the owner's, with evidence, and closure a verifier's"):
        services.action_change_lifecycle(actor=as_(plan_manager), action=action(ref), lifecycle=target,
                                         effective_on=TODAY, reason="Tidying up")
    assert action(ref).lifecycle == before


def test_a_proposed_date_must_not_have_passed(owner):
    with pytest.raises(ValidationError, match="has already passed"):
        propose(owner, due=date(2021, 12, 5))


def test_completion_takes_effect_on_the_day_the_work_was_done(owner):
    add_link(owner)
    workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=date(2021, 11, 20), today=TODAY)
    row = next(a for a in plan_as_at(action("5.1").plan, date(2021, 11, 25)).actions if a.ref == "5.1")
    assert row.rating.label == "Green – Complete"


def test_a_completion_date_before_the_action_existed_is_refused(owner):
    add_link(owner)
    with pytest.raises(ValidationError, match="is before action 5.1 was added to the plan"):
        workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=date(1900, 1, 1), today=TODAY)


def test_last_months_update_can_be_finished_until_the_period_is_locked(owner, plan_manager):
    early_january = date(2022, 1, 3)
    update = workflow.update_save(actor=as_(owner), action=action("5.1"), text="December's", today=early_january,
                                  period_start=date(2021, 12, 1))
    assert update.period_start == date(2021, 12, 1)
    workflow.period_lock(
        confirmed_current=True, actor=as_(plan_manager), plan=action("5.1").plan, period_start=date(2021, 12, 1),
                         today=early_january)
    with pytest.raises(ValidationError, match="December 2021 are locked"):
        workflow.update_save(actor=as_(owner), action=action("5.1"), text="Too late", today=early_january,
                             period_start=date(2021, 12, 1), expected_version=update.version)
    with pytest.raises(ValidationError, match="this period or the one before"):
        workflow.update_save(actor=as_(owner), action=action("5.1"), text="Old", today=early_january,
                             period_start=date(2021, 10, 1))


def test_no_update_is_written_for_a_period_before_the_plan_was_agreed(owner):
    """A plan agreed on 1 December 2021: in early December, November is "the period before", but the plan did
    not exist then."""
    Plan.objects.filter(reference="PIP-PR").update(agreed_on=date(2021, 12, 1))
    with pytest.raises(ValidationError, match="there is no update to write for November 2021, before it"):
        workflow.update_save(actor=as_(owner), action=action("5.1"), text="November's", today=TODAY,
                             period_start=date(2021, 11, 1))
    update = workflow.update_save(actor=as_(owner), action=action("5.1"), text="December's", today=TODAY)
    assert update.period_start == date(2021, 12, 1)


def test_no_update_is_written_for_a_period_before_the_action_was_added(owner, plan_manager):
    rec = action("5.1").recommendation
    new = services.action_create(actor=as_(plan_manager), recommendation=rec, text="Added in December.",
                                 owner_posts=list(action("5.1").owner_posts.all()), due_on=date(2022, 3, 31),
                                 effective_on=date(2021, 12, 2))
    with pytest.raises(ValidationError, match=f"Action {new.ref} was added to the plan on 2 December 2021: there "
                                              "is no update to write for November 2021"):
        workflow.update_save(actor=as_(owner), action=new, text="November's", today=TODAY,
                             period_start=date(2021, 11, 1))
    assert periods.editable_periods(new.plan, TODAY, since=date(2021, 12, 2)) == [
        periods.current_period(new.plan, TODAY)]
    assert workflow.update_save(actor=as_(owner), action=new, text="December's", today=TODAY).text == "December's"


def test_an_update_longer_than_three_pages_is_refused_saying_how_long_it_is(owner):
    with pytest.raises(ValidationError, match="The update is 10,001 characters long; keep it to 10,000 or fewer"):
        workflow.update_save(actor=as_(owner), action=action("5.1"), text="x" * 10_001, today=TODAY)
    assert workflow.update_save(actor=as_(owner), action=action("5.1"), text="x" * 10_000, today=TODAY)


def test_editing_an_update_without_saying_which_version_is_refused(owner):
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="First", today=TODAY)
    with pytest.raises(EditConflict):
        workflow.update_save(actor=as_(owner), action=action("5.1"), text="Blind overwrite", today=TODAY)


def test_a_brag_window_of_zero_days_is_refused(plan_manager):
    plan = action("5.1").plan
    with pytest.raises(ValidationError) as refused:
        services.plan_update(actor=as_(plan_manager), plan=plan, changes={"rag_scheme": "brag", "rag_window_days": 0},
                             effective_on=TODAY, reason="Try BRAG")
    assert "rag_window_days" in refused.value.message_dict
    assert Plan.objects.get().rag_scheme == "rag"


def test_an_action_cannot_take_effect_before_its_recommendation(plan_manager):
    plan = action("5.1").plan
    rec = services.recommendation_create(actor=as_(plan_manager), plan=plan, ref="9", text="Later finding",
                                         effective_on=TODAY)
    with pytest.raises(ValidationError, match="before recommendation 9 was added"):
        services.action_create(actor=as_(plan_manager), recommendation=rec, text="Earlier",
                               owner_posts=list(Post.objects.all()[:1]), due_on=date(2022, 6, 30),
                               effective_on=date(2021, 6, 1))

"""In-app notifications: each person is told what needs them or concerns them, by the service that made it
happen; never the person who acted; the header counts what is unread; each person sees and marks only their own."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.choices import NotificationKind
from actiontrack.plans.models import Action, Notification
from actiontrack.plans.services import actions as action_services
from actiontrack.plans.services import evidence, workflow

INDEX = reverse("notifications:index")


def kinds(user) -> list[str]:
    return [note.kind for note in Notification.objects.filter(user=user)]


def action(ref) -> Action:
    return Action.objects.get(plan__reference="PIP-PR", ref=ref)


def test_a_proposal_tells_the_plan_manager_and_the_decision_tells_the_owner(owner, plan_manager, verifier):
    today = timezone.localdate()
    proposal = workflow.date_propose(actor=Actor.of(owner), action=action("5.1"), due_on=today + timedelta(days=60),
                                     due_condition="", reason="Waiting for the restructure", today=today)
    assert kinds(plan_manager) == [NotificationKind.PROPOSAL_WAITING]
    assert kinds(owner) == [] and kinds(verifier) == []  # the proposer is not told of their own act
    workflow.date_decide(actor=Actor.of(plan_manager), proposal=proposal, accept=False, comment="Too late.",
                         today=today)
    note = Notification.objects.get(user=owner)
    assert note.kind == NotificationKind.PROPOSAL_DECIDED and "rejected your proposal" in note.text
    assert "Too late." in note.text and note.action.ref == "5.1"


def test_a_completion_tells_the_verifier_and_a_return_tells_the_owner(owner, verifier, plan_manager):
    today = timezone.localdate()
    work = action("5.1")
    evidence.evidence_add_link(actor=Actor.of(owner), action=work, title="Structure paper",
                               url="https://intranet.example.org/paper", today=today)
    workflow.action_complete(actor=Actor.of(owner), action=work, completed_on=today, today=today)
    assert kinds(verifier) == [NotificationKind.COMPLETION_WAITING] and kinds(plan_manager) == []
    workflow.action_return(actor=Actor.of(verifier), action=work, comment="The paper is unsigned.", today=today)
    assert kinds(owner) == [NotificationKind.RETURNED]
    assert "The paper is unsigned." in Notification.objects.get(user=owner).text
    assert Action.objects.get(pk=work.pk).lifecycle == Lifecycle.IN_PROGRESS


def test_giving_an_action_to_a_post_tells_its_holder(plan_manager, other_owner, owner):
    today = timezone.localdate()
    protection = Post.objects.get(name="Head of Protection")
    work = action("5.1")
    action_services.action_change_owners(actor=Actor.of(plan_manager), action=work,
                                         owner_posts=[*work.owner_posts.all(), protection],
                                         reason="Shared after the restructure", effective_on=today)
    assert kinds(other_owner) == [NotificationKind.ASSIGNED] and kinds(owner) == []


def test_the_header_counts_unread_and_each_person_marks_only_their_own(signed_in, owner, plan_manager, board_member):
    client = signed_in(owner)
    client.post(reverse("comments:add", args=["PIP-PR", "5.1"]), {"text": "@pmo please look at this."})
    manager = signed_in(plan_manager)
    page = manager.get(INDEX).content.decode()
    assert "You were mentioned in a comment" in page and "please look at this" in page
    assert 'class="count">1<span class="visually-hidden"> new</span>' in page
    mine = Notification.objects.get(user=plan_manager)
    # Someone else cannot mark it read, whatever id they send.
    signed_in(board_member).post(reverse("notifications:read"), {"id": [str(mine.pk)]})
    assert Notification.objects.get(pk=mine.pk).read_at is None
    signed_in(plan_manager).post(reverse("notifications:read"), {"id": [str(mine.pk)]})
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert 'class="count"' not in signed_in(plan_manager).get(INDEX).content.decode()


def test_a_new_open_action_tells_its_posts_holders_and_one_added_as_completed_does_not(plan_manager, other_owner,
                                                                                      owner):
    today = timezone.localdate()
    protection = Post.objects.get(name="Head of Protection")
    rec = action("5.1").recommendation
    services.actions_add(actor=Actor.of(plan_manager), plan=rec.plan, today=today, new=[
        services.NewAction(recommendation=rec, text="Audit the audit programme", owner_posts=[protection],
                           due_on=today + timedelta(days=90), effective_on=today),
        services.NewAction(recommendation=rec, text="Brief the crews", owner_posts=[protection],
                           due_on=today, effective_on=today, status=services.StartingStatus(
                               lifecycle=Lifecycle.COMPLETED, effective_on=today, completed_on=today,
                               recorded=True))])
    [note] = Notification.objects.filter(user=other_owner)
    assert note.kind == NotificationKind.ASSIGNED and "Audit the audit programme" in note.text
    assert kinds(owner) == [] and kinds(plan_manager) == []  # not the post's, nor the one who acted


def test_adding_an_action_on_its_page_tells_the_owner(signed_in, plan_manager, other_owner):
    rec = action("5.1").recommendation
    protection = Post.objects.get(name="Head of Protection")
    page = reverse("manage:action_new", args=["PIP-PR", rec.slug])
    due = timezone.localdate() + timedelta(days=30)
    response = signed_in(plan_manager).post(page, {"text": "Write the guidance", "owner_posts": [protection.pk],
                                                   "due": due.strftime("%d/%m/%Y")})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert kinds(other_owner) == [NotificationKind.ASSIGNED]

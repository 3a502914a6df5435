"""Changes to many actions at once: the verifier verifies several completed actions after seeing each one's
evidence; the plan manager moves every action of a post to another after a restructure. Shown before applied,
all or nothing, journalled per action; refused for the wrong person."""

from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans.models import Action
from actiontrack.plans.services import evidence, workflow

VERIFY = "/actions/verify/"
REASSIGN = "/actions/reassign/"


def completed(owner, *refs, with_evidence=True):
    today = timezone.localdate()
    done = []
    for ref in refs:
        action = Action.objects.get(plan__reference="PIP-PR", ref=ref)
        if with_evidence:
            evidence.evidence_add_link(actor=Actor.of(owner), action=action, title=f"Paper for {ref}",
                                       url=f"https://intranet.example.org/{ref}", today=today)
        workflow.action_complete(actor=Actor.of(owner), action=action, completed_on=today, today=today)
        done.append(action)
    return done


def test_a_verifier_sees_each_ones_evidence_then_closes_them_together(signed_in, owner, verifier):
    chosen = completed(owner, "1.1", "3.1")
    client = signed_in(verifier)
    listed = client.get("/actions/", {"awaiting_verification": "on"}).content.decode()
    assert all(f'name="action" value="{a.pk}"' in listed for a in chosen)
    preview = client.post(VERIFY, {"action": [a.pk for a in chosen]}).content.decode()
    assert "Paper for 1.1" in preview and "Paper for 3.1" in preview
    assert all(Action.objects.get(pk=a.pk).lifecycle == Lifecycle.COMPLETED for a in chosen)  # nothing yet
    done = client.post(VERIFY, {"action": [a.pk for a in chosen], "confirm": "1", "comment": "Papers signed."})
    assert done.status_code == 302
    assert all(Action.objects.get(pk=a.pk).lifecycle == Lifecycle.CLOSED for a in chosen)
    for action in chosen:  # journalled per action, as a single verification is
        event = JournalEvent.objects.filter(entity_type="action", entity_id=action.pk, field="lifecycle").last()
        assert event.new == Lifecycle.CLOSED and "Papers signed." in event.reason


def test_one_that_cannot_be_closed_stops_them_all(signed_in, owner, verifier):
    good = completed(owner, "1.1")[0]
    still_open = Action.objects.get(plan__reference="PIP-PR", ref="3.1")
    response = signed_in(verifier).post(VERIFY, {"action": [good.pk, still_open.pk], "confirm": "1"})
    assert response.status_code == 400 and "Action 3.1 is not awaiting verification" in response.content.decode()
    assert Action.objects.get(pk=good.pk).lifecycle == Lifecycle.COMPLETED


def test_someone_else_is_refused_and_an_outsider_finds_nothing(signed_in, owner, board_member, outsider):
    chosen = completed(owner, "1.1")
    refused = signed_in(board_member).post(VERIFY, {"action": [chosen[0].pk], "confirm": "1"})
    assert refused.status_code == 403 and "Only a verifier of PIP-PR can verify" in refused.content.decode()
    assert signed_in(outsider).post(VERIFY, {"action": [chosen[0].pk], "confirm": "1"}).status_code == 404
    assert Action.objects.get(pk=chosen[0].pk).lifecycle == Lifecycle.COMPLETED


def test_a_plan_manager_moves_every_action_of_a_post_after_a_restructure(signed_in, plan_manager, board_member):
    old, new = Post.objects.get(name="Head of Prevention and Protection"), Post.objects.get(name="Head of Protection")
    owned = sorted(Action.objects.filter(owner_posts=old).values_list("ref", flat=True))
    form = {"from_post": old.pk, "to_post": new.pk, "reason": "Protection restructure, April 2022"}
    # Someone who manages no plan is shown nothing to move, and nothing moves.
    assert "No action in the plans you manage" in signed_in(board_member).post(REASSIGN, form).content.decode()
    client = signed_in(plan_manager)
    preview = client.post(REASSIGN, form).content.decode()
    assert f"{len(owned)} action" in preview and "Head of Protection" in preview
    assert sorted(Action.objects.filter(owner_posts=old).values_list("ref", flat=True)) == owned  # not yet
    assert client.post(REASSIGN, {**form, "confirm": "1"}).status_code == 302
    assert not Action.objects.filter(owner_posts=old).exists()
    assert set(owned) <= set(Action.objects.filter(owner_posts=new).values_list("ref", flat=True))
    events = JournalEvent.objects.filter(entity_type="action", field="owner_posts",
                                         reason="Protection restructure, April 2022")
    assert events.count() == len(owned)


def test_a_plan_manager_changes_several_due_dates_with_one_reason_where_the_plan_allows(signed_in, plan_manager,
                                                                                      verifier):
    from actiontrack.plans.models import Plan

    chosen = list(Action.objects.filter(plan__reference="PIP-PR", ref__in=["1.1", "3.1"]))
    form = {"action": [a.pk for a in chosen], "due_on": "31/03/2022", "reason": "Board agreed a new timetable",
            "confirm": "1"}
    client = signed_in(plan_manager)
    refused = client.post("/actions/due-dates/", form)
    assert refused.status_code == 400 and "change only through an accepted proposal" in refused.content.decode()
    assert "No due date was changed" in refused.content.decode()
    assert {str(a.due_on) for a in Action.objects.filter(pk__in=[a.pk for a in chosen])} != {"2022-03-31"}
    Plan.objects.filter(reference="PIP-PR").update(managers_change_dates_directly=True)
    assert signed_in(verifier).post("/actions/due-dates/", form).status_code == 403  # not a plan manager
    assert signed_in(plan_manager).post("/actions/due-dates/", form).status_code == 302
    assert {str(a.due_on) for a in Action.objects.filter(pk__in=[a.pk for a in chosen])} == {"2022-03-31"}
    assert JournalEvent.objects.filter(entity_type="action", field="due", reason="Board agreed a new timetable",
                                       entity_id__in=[a.pk for a in chosen]).count() == 2


def test_a_plan_manager_locks_a_period_in_every_plan_they_manage(signed_in, plan_manager, board_member):
    from datetime import timedelta

    from actiontrack.domain.periods import period_of
    from actiontrack.plans.models import PeriodLock

    day = timezone.localdate() - timedelta(days=40)
    form = {"day": day.strftime("%d/%m/%Y")}
    client = signed_in(plan_manager)
    preview = client.post("/actions/lock-periods/", form).content.decode()
    label = period_of(day, "monthly").label
    assert "Protection Improvement Plan" in preview and label in preview and not PeriodLock.objects.exists()
    assert client.post("/actions/lock-periods/", {**form, "confirm": "1"}).status_code == 302
    assert PeriodLock.objects.filter(plan__reference="PIP-PR").count() == 1
    again = client.post("/actions/lock-periods/", {**form, "confirm": "1"})
    assert again.status_code == 400 and "Nothing to lock" in again.content.decode()
    nobody = signed_in(board_member).post("/actions/lock-periods/", {**form, "confirm": "1"})
    assert nobody.status_code == 400 and PeriodLock.objects.count() == 1


def test_a_plan_manager_reminds_the_owners_of_chosen_actions_now(signed_in, plan_manager, board_member, other_owner,
                                                                 smtp):
    from actiontrack.notify.services import reminders_set

    chosen = list(Action.objects.filter(plan__reference="PIP-PR", ref__in=["1.1", "3.1", "2.2"]))
    form = {"action": [a.pk for a in chosen], "note": "The board meets on Thursday."}
    refused = signed_in(board_member).post("/actions/remind/", {**form, "confirm": "1"})
    assert refused.status_code == 403 and smtp.messages == []
    reminders_set(user=other_owner, enabled=False)
    client = signed_in(plan_manager)
    preview = client.post("/actions/remind/", form).content.decode()
    assert "Chris Parker" in preview and "PIP-PR 1.1, PIP-PR 3.1" in preview
    assert "turned reminder emails off: Gary Earwicker" in preview and smtp.messages == []
    assert client.post("/actions/remind/", {**form, "confirm": "1"}).status_code == 302
    [email] = smtp.to("cparker@example.org")
    text = email.get_body(("plain",)).get_content()
    assert "Priya Shah asks you to look at these actions" in text and "action 1.1" in text and "action 3.1" in text
    assert "action 2.2" not in text and "The board meets on Thursday." in text
    assert smtp.to(other_owner.email) == []


def test_a_file_restored_without_its_contents_is_marked_not_held_where_several_are_verified(signed_in, owner,
                                                                                           verifier):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from actiontrack.plans.models import Evidence
    from tests.web.owner.helpers import PDF

    action = Action.objects.get(plan__reference="PIP-PR", ref="1.1")
    item = evidence.evidence_add_file(actor=Actor.of(owner), action=action, title="Minutes",
                                      upload=SimpleUploadedFile("minutes.pdf", PDF), today=timezone.localdate())
    Evidence.objects.filter(pk=item.pk).update(stored_name="")  # as a JSON restore lists it
    [chosen] = completed(owner, "1.1", with_evidence=False)
    preview = signed_in(verifier).post(VERIFY, {"action": [chosen.pk]}).content.decode()
    assert "Minutes <strong class=\"tag tag--grey\">File not held</strong>" in preview
    assert "owner:evidence-download" not in preview and f"/evidence/{item.pk}/download/" not in preview

"""A plan's events sent to a chat tool or signed JSON receiver — a real HTTP server started by the test: sent
after the change is committed, written for the receiver, signed; a failing receiver never stops the save and is
tried again; the plan manager sets it up, an administrator reads the log, anyone else is refused."""

import hashlib
import hmac
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans.choices import DeliveryStatus
from actiontrack.plans.models import Action, Webhook, WebhookDelivery
from actiontrack.plans.services import evidence, workflow

pytestmark = pytest.mark.django_db(transaction=True)  # deliveries start once the change is committed
PAGE = "/plans/PIP-PR/webhooks/"


def complete(owner, ref="5.1"):
    today = timezone.localdate()
    action = Action.objects.get(plan__reference="PIP-PR", ref=ref)
    evidence.evidence_add_link(actor=Actor.of(owner), action=action, title="Paper",
                               url="https://intranet.example.org/paper", today=today)
    workflow.action_complete(actor=Actor.of(owner), action=action, completed_on=today, today=today)


def add(client, url, style="json", events=("completed", "escalated", "report_issued")):
    return client.post(PAGE, {"url": url, "style": style, "events": list(events)})


def test_a_completion_reaches_a_signed_json_receiver(signed_in, plan_manager, owner, receiver):
    assert add(signed_in(plan_manager), receiver.url).status_code == 302
    hook = Webhook.objects.get()
    complete(owner)
    [request] = receiver.requests
    expected = "sha256=" + hmac.new(hook.secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Actiontrack-Signature"] == expected
    body = json.loads(request.body)
    assert (body["event"], body["plan"], body["action"]) == ("completed", "PIP-PR", "5.1")
    assert "completed action 5.1" in body["text"] and body["url"].endswith("/plans/PIP-PR/actions/5.1/")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response) == (DeliveryStatus.DELIVERED, 1, "HTTP 200")
    log = signed_in(plan_manager).get(PAGE).content.decode()
    assert "Delivered" in log and "An action is completed by its owner" in log


def test_teams_gets_an_adaptive_card_and_slack_a_message(signed_in, plan_manager, owner, receiver):
    add(signed_in(plan_manager), receiver.url, style="teams")
    add(signed_in(plan_manager), receiver.url + "/slack", style="slack")
    complete(owner)
    teams, slack = sorted(receiver.requests, key=lambda r: r.path)
    card = json.loads(teams.body)["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["actions"][0]["url"].endswith("/plans/PIP-PR/actions/5.1/")
    assert "Open in actiontrack" in json.loads(slack.body)["text"]


def test_a_failing_receiver_never_stops_the_save_and_is_tried_again(signed_in, plan_manager, owner, receiver):
    add(signed_in(plan_manager), receiver.url)
    receiver.answers = [500]
    complete(owner)
    assert Action.objects.get(plan__reference="PIP-PR", ref="5.1").lifecycle == Lifecycle.COMPLETED
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_response.startswith("HTTP 500")
    call_command("remind", stdout=StringIO(), stderr=StringIO())  # the daily run tries it again
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2) and len(receiver.requests) == 2


@override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_the_worker_a_failure_is_retried_later_with_back_off(signed_in, plan_manager, owner, receiver):
    from django_tasks_db.models import DBTaskResult

    add(signed_in(plan_manager), receiver.url)
    receiver.answers = [503]
    complete(owner)
    call_command("worker", once=True, stdout=StringIO(), stderr=StringIO())
    assert WebhookDelivery.objects.get().attempts == 1
    [waiting] = DBTaskResult.objects.filter(status="READY")
    minutes = (waiting.run_after - timezone.now()).total_seconds() / 60
    assert 0.5 < minutes <= 1.0  # first retry after a minute


def test_only_plan_managers_set_it_up_and_an_administrator_reads_the_log(signed_in, board_member, verifier,
                                                                         administrator, plan_manager, receiver):
    assert signed_in(board_member).get(PAGE).status_code == 404
    assert signed_in(verifier).get(PAGE).status_code == 404
    admin = signed_in(administrator)
    assert admin.get(PAGE).status_code == 200 and "Add a receiver" not in admin.get(PAGE).content.decode()
    assert add(admin, receiver.url).status_code == 403 and not Webhook.objects.exists()
    refused = add(signed_in(plan_manager), "http://chat.example.org/hook")
    assert refused.status_code == 400 and "Give the receiver&#x27;s https:// address" in refused.content.decode()


def test_an_action_that_becomes_overdue_is_told_once_by_the_daily_run(signed_in, plan_manager, receiver):
    add(signed_in(plan_manager), receiver.url, events=["overdue"])
    action = Action.objects.get(plan__reference="PIP-PR", ref="5.1")
    due = timezone.localdate()
    Action.objects.filter(pk=action.pk).update(due_on=due, lifecycle=Lifecycle.IN_PROGRESS)
    Action.objects.filter(plan__reference="PIP-PR", due_on__lt=due).update(lifecycle=Lifecycle.CLOSED)

    def remind(day):
        call_command("remind", date=day.isoformat(), stdout=StringIO(), stderr=StringIO())
        return [json.loads(r.body) for r in receiver.requests]

    assert remind(due) == []  # due today is not yet overdue
    [told] = remind(due + timedelta(days=1))
    assert (told["event"], told["action"]) == ("overdue", "5.1") and "is overdue" in told["text"]
    assert len(remind(due + timedelta(days=2))) == 1  # once
    # A new due date that passes too is told again; a completed action never.
    Action.objects.filter(pk=action.pk).update(due_on=due + timedelta(days=5))
    assert len(remind(due + timedelta(days=6))) == 2
    Action.objects.filter(pk=action.pk).update(due_on=due + timedelta(days=7), lifecycle=Lifecycle.COMPLETED)
    assert len(remind(due + timedelta(days=9))) == 2


def test_actions_overdue_before_the_receiver_was_added_are_not_sent(signed_in, plan_manager, receiver):
    add(signed_in(plan_manager), receiver.url, events=["overdue"])
    call_command("remind", stdout=StringIO(), stderr=StringIO())
    assert receiver.requests == []  # the demo plan's long-overdue actions are not news

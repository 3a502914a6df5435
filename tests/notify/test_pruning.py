"""The daily run forgets what has done its work, so the tables do not grow for ever: notifications read more than
90 days ago or written more than a year ago, and webhook deliveries that ended more than 90 days ago, except those
the daily run raised under a key (which is what sends each overdue event once). Everything newer is kept."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actiontrack.plans.choices import DeliveryStatus, NotificationKind, WebhookEvent
from actiontrack.plans.models import Action, Notification, Webhook, WebhookDelivery
from actiontrack.plans.services.webhooks import event_payload

pytestmark = pytest.mark.django_db


def test_the_daily_run_forgets_old_notifications_and_deliveries_and_keeps_the_rest(demo, owner):
    now = timezone.now()
    action = Action.objects.get(plan__reference="PIP-PR", ref="5.1")

    def note(text, created_days, read_days=None):
        return Notification.objects.create(
            user=owner, kind=NotificationKind.MENTIONED, plan=action.plan, action=action, text=text,
            created_at=now - timedelta(days=created_days),
            read_at=None if read_days is None else now - timedelta(days=read_days))

    note("read long ago", 200, read_days=100)
    note("read lately", 200, read_days=30)
    note("unread, two years old", 730)
    note("unread, this month", 10)
    # Nothing listens on port 9: the pending one is tried again by the run, and refused at once.
    hook = Webhook.objects.create(plan=action.plan, url="http://127.0.0.1:9/hook", events=["completed"])

    def delivery(status, days, key=""):
        WebhookDelivery.objects.create(webhook=hook, event=WebhookEvent.COMPLETED, key=key, status=status,
                                       payload=event_payload(action, "Action 5.1 was completed."),
                                       created_at=now - timedelta(days=days))

    delivery(DeliveryStatus.DELIVERED, 120)
    delivery(DeliveryStatus.FAILED, 120)
    delivery(DeliveryStatus.PENDING, 120)  # still to be tried: never forgotten
    delivery(DeliveryStatus.DELIVERED, 120, key="overdue:5.1:2021-05-31")  # sends it once: kept
    delivery(DeliveryStatus.DELIVERED, 20)

    out = StringIO()
    call_command("remind", stdout=out, stderr=StringIO())
    assert "Forgot 2 old notification(s) and 2 old webhook deliveries" in out.getvalue()
    assert sorted(Notification.objects.values_list("text", flat=True)) == ["read lately", "unread, this month"]
    assert sorted(WebhookDelivery.objects.values_list("status", "key")) == [
        ("delivered", ""), ("delivered", "overdue:5.1:2021-05-31"), ("pending", "")]

    call_command("remind", dry_run=True, stdout=StringIO(), stderr=StringIO())  # a dry run forgets nothing
    assert Notification.objects.count() == 2

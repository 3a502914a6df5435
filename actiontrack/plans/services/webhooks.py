"""A plan's events sent to chat tools (Microsoft Teams, Slack) or anything that takes signed JSON. The change
writes a delivery row in its own transaction (an outbox), and once it is committed the worker sends it
(notify/webhooks.py, started through the `event_saved` signal, since this layer is below notify): a receiver
that is slow or down never holds up or undoes anyone's save."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_due, format_long
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import DeliveryStatus, WebhookEvent, WebhookStyle
from actiontrack.plans.models import Action, Plan, Webhook, WebhookDelivery

# Sent after commit with `delivery_ids`: the notify layer enqueues their sending.
event_saved = Signal()
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
OPEN = [life for life in Lifecycle if life.is_open]


def check_url(url: str) -> str:
    """An https:// address (plain http only to this machine, for trying a receiver out)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return url
    raise ValidationError({"url": "Give the receiver's https:// address, as the chat tool shows it (for example "
                                  "https://prod-01.uksouth.logic.azure.com/workflows/…)."})


@transaction.atomic
def webhook_add(*, actor: Actor, plan: Plan, url: str, style: str, events: list[str]) -> Webhook:
    perms.require_manager(actor, plan, "send its events to a chat tool")
    if style not in WebhookStyle.values:
        raise ValidationError({"style": "Choose what the receiver is."})
    chosen = [event for event in WebhookEvent.values if event in events]
    if not chosen:
        raise ValidationError({"events": "Choose at least one event to send."})
    return Webhook.objects.create(plan=plan, url=check_url(url), style=style, events=chosen,
                                  secret=secrets.token_hex(32), created_by=actor.name)


@transaction.atomic
def webhook_remove(*, actor: Actor, webhook: Webhook) -> None:
    perms.require_manager(actor, webhook.plan, "stop sending its events")
    webhook.delete()


def event_payload(action, text: str) -> dict:
    """What every receiver is told about an event on an action (the site's address is added when sending)."""
    return {"plan": action.plan.reference, "plan_title": action.plan.title, "action": action.ref, "text": text,
            "path": f"/plans/{action.plan.reference}/actions/{action.slug}/"}


def emit(plan: Plan, event: WebhookEvent, payload: dict) -> list[int]:
    """Within the change's transaction: a delivery for each of the plan's webhooks that sends `event`."""
    ids = [WebhookDelivery.objects.create(webhook=hook, event=event, payload=payload).pk
           for hook in Webhook.objects.filter(plan=plan) if event in hook.events]
    if ids:
        transaction.on_commit(lambda: event_saved.send(sender=WebhookDelivery, delivery_ids=ids))
    return ids


def overdue_events_emit(*, today: date) -> int:
    """Run daily: an `overdue` event for each open action that has become overdue since its plan's webhook was
    added, once per webhook, action and due date (a new due date that passes is told again). A run missed is
    caught up by the next; one that went before sends nothing twice."""
    sent = 0
    for hook in [hook for hook in Webhook.objects.all() if WebhookEvent.OVERDUE in hook.events]:
        since = timezone.localtime(hook.created_at).date()
        overdue = (Action.objects.filter(plan_id=hook.plan_id, lifecycle__in=OPEN, due_on__lt=today,
                                         due_on__gte=since - timedelta(days=1))
                   .select_related("plan").order_by("due_on", "pk"))
        told = set(hook.deliveries.filter(event=WebhookEvent.OVERDUE).values_list("key", flat=True))
        for action in overdue:
            key = f"overdue:{action.pk}:{action.due_on.isoformat()}"
            if key not in told and _emit_once(hook, key, action, today):
                sent += 1
    return sent


def _emit_once(hook: Webhook, key: str, action: Action, today: date) -> bool:
    due = format_due(action.due_on, action.due_condition)
    text = f"Action {action.ref} is overdue: due {due}, not complete on {format_long(today)}."
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(webhook=hook, event=WebhookEvent.OVERDUE, key=key,
                                                      payload=event_payload(action, text))
    except IntegrityError:  # told a moment ago by another run
        return False
    transaction.on_commit(lambda: event_saved.send(sender=WebhookDelivery, delivery_ids=[delivery.pk]))
    return True


KEEP_DELIVERIES = timedelta(days=90)


def deliveries_prune(*, now) -> int:
    """Forget deliveries that ended (delivered, or given up) more than KEEP_DELIVERIES ago. Those raised by the
    daily run under a key (an action overdue on its due date) are kept: the key is what sends each once."""
    return WebhookDelivery.objects.filter(key="", status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
                                          created_at__lt=now - KEEP_DELIVERIES).delete()[0]

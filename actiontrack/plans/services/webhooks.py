"""A plan's events sent to chat tools (Microsoft Teams, Slack) or anything that takes signed JSON. The change
writes a delivery row in its own transaction (an outbox), and once it is committed the worker sends it
(notify/webhooks.py, started through the `event_saved` signal, since this layer is below notify): a receiver
that is slow or down never holds up or undoes anyone's save."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from actiontrack.core.journal import Actor
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import WebhookEvent, WebhookStyle
from actiontrack.plans.models import Plan, Webhook, WebhookDelivery

# Sent after commit with `delivery_ids`: the notify layer enqueues their sending.
event_saved = Signal()
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


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

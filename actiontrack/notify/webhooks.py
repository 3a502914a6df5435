"""Sending a plan's events to its webhooks (plans/services/webhooks.py writes them): by the worker, once the
change is committed; each written for its receiver (a Teams card, a Slack message, or signed JSON); retried with
back-off (1, 2, 4, 8 and 16 minutes) when the receiver fails, then given up, every try in the delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from actiontrack.plans.choices import DeliveryStatus, WebhookEvent, WebhookStyle
from actiontrack.plans.models import WebhookDelivery

from .digest import link

logger = logging.getLogger(__name__)
TRIES = 6
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Actiontrack-Signature"


def body_for(delivery: WebhookDelivery) -> bytes:
    """The request body the receiver understands."""
    data, style = delivery.payload, delivery.webhook.style
    url = link(data["path"])
    title = f"{data['plan_title']}: {WebhookEvent(delivery.event).label}"
    if style == WebhookStyle.TEAMS:  # an Adaptive Card, as Teams workflows ("Post to a channel") take them
        card = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "version": "1.4", "body": [
                    {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True},
                    {"type": "TextBlock", "text": data["text"], "wrap": True}],
                "actions": [{"type": "Action.OpenUrl", "title": "Open in actiontrack", "url": url}]}
        message = {"type": "message", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}
    elif style == WebhookStyle.SLACK:
        message = {"text": f"*{title}*\n{data['text']}\n<{url}|Open in actiontrack>"}
    else:
        message = {"event": delivery.event, "id": delivery.pk, "created_at": delivery.created_at.isoformat(),
                   **data, "url": url}
    return json.dumps(message, ensure_ascii=False).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """The value of X-Actiontrack-Signature: the receiver computes the same from the body and its secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def queue_deliveries(sender, delivery_ids, **kwargs) -> None:
    """After the change is committed (plans.services.webhooks.event_saved)."""
    for pk in delivery_ids:
        deliver.enqueue(pk)


@task()
def deliver(delivery_id: int) -> None:
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update().select_related("webhook")
                    .filter(pk=delivery_id, status=DeliveryStatus.PENDING).first())
        if delivery is None:  # sent already, or its webhook removed
            return
        body = body_for(delivery)
        request = urllib.request.Request(delivery.webhook.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "actiontrack",
            SIGNATURE_HEADER: signature(delivery.webhook.secret, body)})
        delivery.attempts += 1
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - checked URL
                delivery.last_response = f"HTTP {response.status}"
            delivery.status, delivery.sent_at = DeliveryStatus.DELIVERED, timezone.now()
        except urllib.error.HTTPError as exc:
            delivery.last_response = f"HTTP {exc.code} {exc.reason}"[:300]
        except (urllib.error.URLError, OSError) as exc:
            delivery.last_response = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:300]
        if delivery.status == DeliveryStatus.PENDING and delivery.attempts >= TRIES:
            delivery.status = DeliveryStatus.FAILED
            logger.warning("webhook delivery given up", extra={"plan": delivery.webhook.plan_id,
                                                              "reason": delivery.last_response})
        delivery.save()
    if delivery.status == DeliveryStatus.PENDING:
        retry(delivery)


def retry(delivery: WebhookDelivery) -> None:
    """Try again after 1, 2, 4, 8, 16 minutes; where the task backend cannot wait (ACTIONTRACK_TASK_BACKEND=
    immediate), the delivery stays pending and the next `actiontrack remind` sends it."""
    if default_task_backend.supports_defer:
        wait = timedelta(minutes=2 ** (delivery.attempts - 1))
        deliver.using(run_after=timezone.now() + wait).enqueue(delivery.pk)


def send_pending() -> int:
    """Try every pending delivery once more now (the daily run's catch-up). How many were tried."""
    pending = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))
    for pk in pending:
        deliver.call(pk)
    return len(pending)

"""Notifications emailed as they happen, for the kinds a person chose "By email at once" (services.py). The plans
layer announces notifications once they are committed (plans.services.notifications.notifications_saved); this
queues their sending only when someone among them wants it, and the worker sends that person one email listing
all they have to be told. Each is marked emailed before it goes and un-marked if sending fails, so the daily
digest lists it instead: a notification is emailed once, never twice, and never lost (unless its kind is off)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from actiontrack.plans.models import Notification

from .digest import link
from .models import ReminderPreference

logger = logging.getLogger(__name__)


def _at_once_wanted() -> dict[int, set[str]]:
    """Who wants which kinds at once: a handful of people, read whole (most never change the default)."""
    return {user: set(kinds) for user, kinds in
            ReminderPreference.objects.filter(enabled=True).values_list("user_id", "kinds_at_once") if kinds}


def queue_at_once(sender, ids, **kwargs) -> None:
    """After the change is committed: queue an email for each person among these notifications who wants
    their kind at once."""
    wanted = _at_once_wanted()
    if not wanted:
        return
    # A range rather than the ids themselves: an import can write thousands in one go.
    written = set(ids)
    found = (Notification.objects.filter(pk__gte=min(ids), pk__lte=max(ids), user_id__in=list(wanted))
             .values_list("pk", "user_id", "kind"))
    for user in sorted({user for pk, user, kind in found if pk in written and kind in wanted[user]}):
        send_at_once.enqueue(user)


@task()
def send_at_once(user_id: int) -> None:
    """One email listing everything this person should have at once and has not had: unread, not yet emailed,
    of a kind they want at once, written since they chose that. A change that tells them of many actions (a
    bulk reassignment) queues this once per action; the first run sends them all, the rest find none."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    preference = ReminderPreference.objects.filter(user_id=user_id, enabled=True).first()
    if user is None or preference is None or not preference.kinds_at_once:
        return  # the digest, if any, says the same
    stamp = timezone.now()
    due = Notification.objects.filter(user=user, read_at=None, emailed_at=None, kind__in=preference.kinds_at_once,
                                      created_at__gte=preference.updated_at)
    due.update(emailed_at=stamp)  # claimed: a run at the same moment finds none left
    notes = list(Notification.objects.filter(user=user, emailed_at=stamp).select_related("plan", "action")
                 .order_by("created_at", "id"))
    if not notes:
        return
    try:
        message_for(user, notes).send()
    except OSError as exc:  # the mail server refused or is down: the digest lists them instead
        Notification.objects.filter(pk__in=[note.pk for note in notes]).update(emailed_at=None)
        logger.warning("notification email not sent: %s", exc, extra={"user_id": user.pk, "not_sent": len(notes)})
    else:
        logger.info("notification email sent", extra={"user_id": user.pk, "sent": len(notes)})


def message_for(user, notes: list[Notification]) -> EmailMultiAlternatives:
    items = [(note, link(reverse("action", args=[note.plan.reference, note.action.slug]))) for note in notes]
    subject = (f"actiontrack: {notes[0].text}" if len(notes) == 1
               else f"actiontrack: {len(notes)} notifications")
    context = {"name": user.get_full_name() or user.get_username(), "items": items, "subject": subject,
               "account_url": link(reverse("account:index")) + "#notification-emails"}
    message = EmailMultiAlternatives(subject=subject[:200], body=render_to_string("notify/at_once.txt", context),
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])
    message.attach_alternative(render_to_string("notify/at_once.html", context), "text/html")
    return message

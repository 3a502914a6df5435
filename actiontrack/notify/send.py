"""Sending the day's reminders: one digest per person per day, recorded before it goes, so running again the
same day (or two runs at once) sends nothing new. A digest that fails to send is un-recorded, so the next run
tries again."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from actiontrack.domain.ukdates import format_short

from .digest import Digest, digest_for, people_to_remind
from .models import ReminderSent
from .services import reminders_enabled

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    sent: list[tuple[object, str]] = field(default_factory=list)  # (user, summary)
    previews: list[EmailMultiAlternatives] = field(default_factory=list)  # --dry-run: what would be sent
    already_sent: list = field(default_factory=list)
    nothing_to_say: list = field(default_factory=list)
    turned_off: list = field(default_factory=list)
    no_address: list = field(default_factory=list)
    failed: list[tuple[object, str]] = field(default_factory=list)  # (user, error)


def message_for(digest: Digest) -> EmailMultiAlternatives:
    user = digest.user
    subject = f"actiontrack reminder for {format_short(digest.today)}: {digest.summary}"
    context = {"digest": digest, "name": user.get_full_name() or user.get_username(), "subject": subject}
    message = EmailMultiAlternatives(
        subject=subject[:200], body=render_to_string("notify/digest.txt", context),
        from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None), to=[user.email])
    message.attach_alternative(render_to_string("notify/digest.html", context), "text/html")
    return message


def reminders_send(*, today: date, dry_run: bool = False) -> RunResult:
    """Email everyone who needs reminding today (see digest.py for what a digest says)."""
    result = RunResult()
    done_today = set(ReminderSent.objects.filter(sent_on=today).values_list("user_id", flat=True))
    connection = None
    try:
        for user in people_to_remind(today):
            if not reminders_enabled(user):
                result.turned_off.append(user)
                continue
            if not user.email:
                result.no_address.append(user)
                continue
            if user.pk in done_today:
                result.already_sent.append(user)
                continue
            digest = digest_for(user, today)
            if digest.empty:
                result.nothing_to_say.append(user)
                continue
            message = message_for(digest)
            if dry_run:
                result.previews.append(message)
                continue
            try:
                with transaction.atomic():
                    record = ReminderSent.objects.create(user=user, sent_on=today, address=user.email,
                                                         summary=digest.summary[:300])
            except IntegrityError:  # another run sent it a moment ago
                result.already_sent.append(user)
                continue
            connection = connection or get_connection(fail_silently=False)
            try:
                message.connection = connection
                message.send()
            except Exception as exc:  # noqa: BLE001 - any failure to send: un-record, report, go on with others
                record.delete()
                logger.warning("Reminder to %s not sent: %s", user.get_username(), exc)
                result.failed.append((user, f"{type(exc).__name__}: {exc}"))
            else:
                logger.info("Reminder sent to %s <%s>: %s", user.get_username(), user.email, digest.summary)
                result.sent.append((user, digest.summary))
    finally:
        if connection is not None:
            connection.close()
    return result

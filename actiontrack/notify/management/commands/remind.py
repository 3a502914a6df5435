"""`actiontrack remind`: email each owner, plan manager and verifier one digest of what needs them today. Meant to run
daily (cron or a systemd timer, see docs/reminders.md); running it twice the same day sends nothing new."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actiontrack.core.jobs import logged_job
from actiontrack.domain.ukdates import DateError, format_long, parse_as_at
from actiontrack.notify.send import reminders_send
from actiontrack.notify.webhooks import send_pending
from actiontrack.plans.services.escalations import escalations_raise
from actiontrack.plans.services.notifications import notifications_prune
from actiontrack.plans.services.off_track import off_track_drafts
from actiontrack.plans.services.webhooks import deliveries_prune, overdue_events_emit


def _who(user) -> str:
    return f"{user.get_full_name() or user.get_username()} <{user.email}>" if user.email else user.get_username()


class Command(BaseCommand):
    help = "Email today's reminders: one digest per owner, plan manager and verifier, at most once a day."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Print the emails that would be sent, and send nothing (nothing is recorded).")
        parser.add_argument("--date", help="The day to remind about, as dd/mm/yyyy or YYYY-MM-DD (default: today). "
                                           "Reminders are once a day per person, by this date.")

    @logged_job("remind")
    def handle(self, *args, dry_run=False, date=None, **options):
        today = timezone.localdate()
        if date:
            try:
                today = parse_as_at(date)
            except DateError as exc:
                raise CommandError(f"--date: {exc}") from None
        # Overdue actions past their plan's escalation points first, so today's digests carry them.
        raised = [] if dry_run else escalations_raise(today=today)
        if raised:
            self.stdout.write(f"Escalated {len(raised)} overdue action(s)")
        drafted = [] if dry_run else off_track_drafts(today=today)
        if drafted:
            self.stdout.write(f"Drafted {len(drafted)} off-track notice(s) for the plan managers to send")
        told = 0 if dry_run else overdue_events_emit(today=today)
        if told:
            self.stdout.write(f"Sent {told} overdue event(s) to chat tools")
        if not dry_run and (tried := send_pending()):  # webhook events still waiting for their receiver
            self.stdout.write(f"Tried again {tried} webhook deliver{'y' if tried == 1 else 'ies'}")
        result = reminders_send(today=today, dry_run=dry_run)
        # Then forget what has done its work, so the tables do not grow for ever (by the clock: --date is the
        # day reminded about, not how long ago something was read).
        pruned = (0, 0) if dry_run else (notifications_prune(now=timezone.now()), deliveries_prune(now=timezone.now()))
        if any(pruned):
            self.stdout.write(f"Forgot {pruned[0]} old notification(s) and {pruned[1]} old webhook deliveries")
        self.job.record(as_at=today, dry_run=dry_run, sent=len(result.sent), not_sent=len(result.failed),
                        escalated=len(raised), overdue_events=told,
                        off_track_drafted=len(drafted), notifications_pruned=pruned[0], deliveries_pruned=pruned[1])
        if dry_run:
            self.job.record(would_send=len(result.previews))
        verbose = options.get("verbosity", 1) > 1
        for message in result.previews:
            self.stdout.write(f"--- Would send to {', '.join(message.to)}\nSubject: {message.subject}\n\n"
                              f"{message.body}")
        for user, summary in result.sent:
            self.stdout.write(f"Sent to {_who(user)}: {summary}")
        for user, error in result.failed:
            self.stderr.write(f"Not sent to {_who(user)}: {error}")
        if verbose:
            skipped = (("Already sent today", result.already_sent), ("Nothing to remind", result.nothing_to_say),
                       ("Reminders turned off", result.turned_off), ("No email address", result.no_address))
            for label, users in skipped:
                for user in users:
                    self.stdout.write(f"{label}: {user.get_username()}")
        counts = (f"{len(result.previews)} would be sent" if dry_run else f"{len(result.sent)} sent") + (
            f", {len(result.already_sent)} already sent today, {len(result.nothing_to_say)} with nothing to remind, "
            f"{len(result.turned_off)} turned off, {len(result.no_address)} without an email address")
        if result.failed:
            counts += f", {len(result.failed)} failed"
        self.stdout.write(f"Reminders for {format_long(today)}: {counts}.")
        if result.failed:
            raise CommandError(f"{len(result.failed)} reminder(s) could not be sent; they will be tried again on "
                               "the next run today.")

"""Off-track notices: oversight bodies ask to be told when an action will miss, or has missed, the date agreed with
them. The daily run drafts one for each open action due later than first agreed or past its due date (once per
action and due date in force); a plan manager words it, then records it as sent, or as not needed and why. Both
are journalled on the plan."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, Actor, record
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_due, format_long, format_short
from actiontrack.plans import permissions as perms
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, OffTrackNotice, ProgressUpdate

OPEN = [life for life in Lifecycle if life.is_open]
FIELD = "off_track_notice"  # the journal's field, on the plan
TO_COMPLETE = "[What we are doing to recover, and the date we now expect it to be complete.]"


def off_track_drafts(*, today: date) -> list[OffTrackNotice]:
    """Draft a notice for each open action that is due later than first agreed or past its due date, and has
    none for its due date in force. Returns those drafted now."""
    candidates = list(Action.objects.filter(lifecycle__in=OPEN, due_on__isnull=False).filter(
        Q(due_on__lt=today) | Q(baseline_on__isnull=False, due_on__gt=F("baseline_on")))
        .select_related("plan").prefetch_related("owner_posts", "supporting_posts").order_by("plan_id", "pk"))
    done = set(OffTrackNotice.objects.filter(action__in=candidates).values_list("action_id", "due_on"))
    new = [action for action in candidates if (action.pk, action.due_on) not in done]
    if not new:
        return []
    reasons = dict(JournalEvent.objects.filter(entity_type=EntityType.ACTION, field=DUE, entity_id__in=[
        a.pk for a in new]).order_by("entity_id", "id").values_list("entity_id", "reason"))  # each one's latest
    progress = dict(ProgressUpdate.objects.filter(action__in=new).order_by("action_id", "period_start")
                    .values_list("action_id", "text"))
    notices = [OffTrackNotice(action=action, agreed_on=action.baseline_on, due_on=action.due_on, drafted_on=today,
                              sent_to=action.plan.source_body or "",
                              text=draft_text(action, today, reasons.get(action.pk, ""), progress.get(action.pk, "")))
               for action in new]
    OffTrackNotice.objects.bulk_create(notices, ignore_conflicts=True)  # another run a moment ago: kept once
    return notices


def draft_text(action: Action, today: date, reason: str, progress: str) -> str:
    plan = action.plan
    agreed = action.baseline_on or action.due_on
    lines = [f"{plan.title} ({plan.reference}): notice that an action is off track",
             f"To: {plan.source_body or 'the oversight body'}", "",
             f"Action {action.ref}: {action.text}",
             f"Owner: {_owners(action) or 'none recorded'}",
             f"Date agreed: {format_long(agreed)}."]
    if action.due_on > agreed:
        lines.append(f"Now due: {format_due(action.due_on, action.due_condition)}, "
                     f"{(action.due_on - agreed).days} days later than agreed.")
        if reason:
            lines.append(f"Why the date moved: {reason}")
    if action.due_on < today:
        lines.append(f"Not complete on {format_long(today)}: {(today - action.due_on).days} days after its due date.")
    if progress:
        lines.append(f"Latest progress: {progress}")
    lines += ["", TO_COMPLETE]
    return "\n".join(lines)


def _owners(action: Action) -> str:
    """The owner posts, the lead first and a supporting owner marked so, as the plan page names them."""
    supporting = {post.pk for post in action.supporting_posts.all()}
    posts = sorted(action.owner_posts.all(), key=lambda post: post.pk in supporting)
    return " / ".join(f"{post.name}, supporting" if post.pk in supporting else post.name for post in posts)


def _managed(actor: Actor, notice: OffTrackNotice, doing: str) -> OffTrackNotice:
    notice = OffTrackNotice.objects.select_for_update().select_related("action__plan").get(pk=notice.pk)
    perms.require_manager(actor, notice.action.plan, doing)
    if notice.status != OffTrackNotice.Status.DRAFT:
        raise ValidationError({"text": f"This notice was {notice.get_status_display().lower()} on "
                                       f"{format_long(notice.decided_on)}: it can no longer change."})
    return notice


def _words(text: str, sent_to: str) -> tuple[str, str]:
    text = clean_text(text, limit=Limit.LONG, what="the notice", field="text")
    if not text:
        raise ValidationError({"text": "Write the notice: it cannot be empty."})
    return text, clean_text(sent_to, limit=300, what="who it is for", field="sent_to")


@transaction.atomic
def off_track_save(*, actor: Actor, notice: OffTrackNotice, text: str, sent_to: str) -> OffTrackNotice:
    notice = _managed(actor, notice, "word off-track notices")
    notice.text, notice.sent_to = _words(text, sent_to)
    notice.save(update_fields=["text", "sent_to"])
    return notice


@transaction.atomic
def off_track_sent(*, actor: Actor, notice: OffTrackNotice, text: str, sent_to: str, sent_on: date,
                   today: date) -> OffTrackNotice:
    """Record the notice as sent, as worded, to whom and when."""
    notice = _managed(actor, notice, "record off-track notices as sent")
    notice.text, notice.sent_to = _words(text, sent_to)
    if not notice.sent_to:
        raise ValidationError({"sent_to": "Say who it was sent to, for example HMICFRS."})
    if sent_on > today:
        raise ValidationError({"sent_on": f"The date sent {format_long(sent_on)} is in the future."})
    if sent_on < notice.drafted_on:
        raise ValidationError({"sent_on": f"The date sent {format_long(sent_on)} is before the notice was drafted "
                                          f"({format_long(notice.drafted_on)})."})
    if TO_COMPLETE in notice.text:
        raise ValidationError({"text": "The notice still has the line to complete: “" + TO_COMPLETE.strip("[]") +
                                       "” Replace it with what you are doing, then record it as sent."})
    return _decide(actor, notice, OffTrackNotice.Status.SENT, sent_on,
                   f"Off-track notice for action {notice.action.ref} sent to {notice.sent_to} on "
                   f"{format_short(sent_on)}")


@transaction.atomic
def off_track_not_needed(*, actor: Actor, notice: OffTrackNotice, note: str, today: date) -> OffTrackNotice:
    notice = _managed(actor, notice, "decide on off-track notices")
    notice.note = clean_text(note, limit=500, what="the reason", field="note")
    if not notice.note:
        raise ValidationError({"note": "Say why no notice is needed, for example “agreed with HMICFRS at the "
                                       "quarterly meeting”."})
    return _decide(actor, notice, OffTrackNotice.Status.NOT_NEEDED, today,
                   f"No off-track notice sent for action {notice.action.ref}: {notice.note}")


def _decide(actor: Actor, notice: OffTrackNotice, status: str, day: date, reason: str) -> OffTrackNotice:
    notice.status, notice.decided_on, notice.decided_by = status, day, actor.name
    notice.save()
    action = notice.action
    record(actor=actor, plan=action.plan, entity_type=EntityType.PLAN, entity_id=action.plan_id, field=FIELD,
           old=None, new={"notice": notice.pk, "action": action.ref, "due_on": notice.due_on.isoformat(),
                          "status": status, "sent_to": notice.sent_to, "text": notice.text},
           effective_on=day, reason=reason)
    return notice

"""Day-to-day work on actions: owners' progress updates, date proposals and completion; plan managers'
decisions and period locks; verifiers' closure. Every service checks who is acting and is journalled."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.lifecycle import Lifecycle, without_evidence_reason
from actiontrack.domain.periods import period_of, previous_period
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_due, format_long
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import RETURNED, NotificationKind, ProposalStatus, WebhookEvent
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, DateProposal, PeriodLock, Plan, ProgressUpdate
from actiontrack.plans.selectors.periods import added_on, current_period, is_locked
from actiontrack.plans.services._changes import (
    last_status_change,
    locked,
    require_reason,
    revise_due_date,
    set_lifecycle,
)

from . import notifications, webhooks
from .webhooks import event_payload

# A progress update is a few paragraphs for a board paper; anything longer belongs in an evidence file.
UPDATE_HINT = "That is about three pages: attach anything longer as evidence."


def update_save(*, actor: Actor, action: Action, text: str, today: date, expected_version: int | None = None,
                period_start: date | None = None) -> ProgressUpdate:
    """Write or edit the owner's update for a period (this one unless `period_start` names the previous one).
    One per action per period, editable until the plan manager locks the period. Editing an existing update
    needs the version the editor started from; a stale or missing one is refused with what is stored now."""
    with transaction.atomic():
        return _update_save(actor, action, text, today, expected_version, period_start)


def _update_save(actor, action, text, today, expected_version, period_start) -> ProgressUpdate:
    action = locked(action)
    perms.require_owner(actor, action, today, "write its progress update")
    text = update_text(action.ref, Lifecycle(action.lifecycle), text)
    period = period_of(period_start, action.plan.reporting_period) if period_start else current_period(
        action.plan, today)
    if period not in (current_period(action.plan, today),
                      previous_period(current_period(action.plan, today), action.plan.reporting_period)):
        raise ValidationError({"text": f"Updates can be written for this period or the one before, not for "
                                       f"{period.label}."})
    check_update_period(action.plan, action.ref, period, added_on(action), lambda: is_locked(action.plan, period))
    update = ProgressUpdate.objects.select_for_update().filter(action=action, period_start=period.start).first()
    if update is None:
        try:
            with transaction.atomic():
                update = ProgressUpdate.objects.create(action=action, period_start=period.start, text=text,
                                                       author=actor.user)
        except IntegrityError:  # someone else created it a moment ago
            current = ProgressUpdate.objects.get(action=action, period_start=period.start)
            raise EditConflict(f"The {period.label} update", {"text": current.text}, current.version) from None
        old = None
    else:
        if update.version != expected_version:
            raise EditConflict(f"The {period.label} update", {"text": update.text}, update.version)
        if update.text == text:
            return update
        old = {"action": action.pk, "period": period.start.isoformat(), "text": update.text}
        update.text, update.author = text, actor.user
        update.updated_at, update.version = timezone.now(), update.version + 1
        update.save()
    record(actor=actor, plan=action.plan, entity_type=EntityType.UPDATE, entity_id=update.pk, field="text",
           old=old, new={"action": action.pk, "period": period.start.isoformat(), "text": text},
           effective_on=today, reason=f"Progress update for {period.label}")
    return update


def update_text(ref: str, lifecycle: Lifecycle, text: str) -> str:
    """An update's text as stored, if the action still takes updates: every way updates are written checks this."""
    if not lifecycle.is_open:
        raise ValidationError({"text": f"Action {ref} is {lifecycle.label.lower()}: "
                                       "progress updates are for actions still to be done."})
    text = clean_text(text, limit=Limit.UPDATE, what="the update", field="text", hint=UPDATE_HINT)
    if not text:
        raise ValidationError({"text": "Write the progress update: it cannot be empty."})
    return text


def check_update_period(plan: Plan, ref: str, period, created: date, is_locked) -> None:
    """Whether an update can be written for `period`: the plan and the action (added on `created`) existed then,
    and the period is not locked (`is_locked()`, asked last)."""
    if not plan.has_updates_for(period):
        raise ValidationError({"text": f"The plan was agreed on {format_long(plan.agreed_on)}: there is no "
                                       f"update to write for {period.label}, before it."})
    if period.end < created:
        raise ValidationError({"text": f"Action {ref} was added to the plan on {format_long(created)}: there "
                                       f"is no update to write for {period.label}, before it."})
    if is_locked():
        raise ValidationError({"text": f"Updates for {period.label} are locked; ask the plan manager."})


def period_lock_needs_confirmation(plan: Plan, period_start: date, today: date) -> bool:
    """A period still running can be locked only on purpose: its owners may still be writing."""
    return period_of(period_start, plan.reporting_period).end >= today


@transaction.atomic
def period_lock(*, actor: Actor, plan: Plan, period_start: date, today: date,
                confirmed_current: bool = False) -> PeriodLock:
    """Close a period's progress updates for the board paper. The current period (not yet ended) is locked only
    with `confirmed_current`: the plan manager has been told its owners can no longer write for it."""
    perms.require_manager(actor, plan, "lock a reporting period")
    period = period_of(period_start, plan.reporting_period)
    if period.start > today:
        raise ValidationError({"period_start": f"{period.label} has not started yet."})
    if not plan.has_updates_for(period):
        raise ValidationError({"period_start": f"The plan was agreed on {format_long(plan.agreed_on)}: there are no "
                                               f"updates for {period.label}, before it, to lock."})
    if period_lock_needs_confirmation(plan, period.start, today) and not confirmed_current:
        raise ValidationError({"confirm": f"Confirm that {period.label} is to be locked before it ends."})
    lock, created = PeriodLock.objects.get_or_create(plan=plan, period_start=period.start,
                                                     defaults={"locked_by": actor.user})
    if not created:
        raise ValidationError({"period_start": f"{period.label} is already locked."})
    record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field="period_locked",
           old=None, new=period.start.isoformat(), effective_on=today, reason=f"Updates for {period.label} locked")
    return lock


@transaction.atomic
def period_unlock(*, actor: Actor, plan: Plan, period_start: date, reason: str, today: date) -> None:
    """Open a locked period's updates again (a late correction before the board meets), with a reason."""
    perms.require_manager(actor, plan, "unlock a reporting period")
    period = period_of(period_start, plan.reporting_period)
    reason = require_reason(reason, f"unlocking the updates for {period.label}")
    deleted, _ = PeriodLock.objects.filter(plan=plan, period_start=period.start).delete()
    if not deleted:
        raise ValidationError({"period_start": f"{period.label} is not locked."})
    record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field="period_unlocked",
           old=period.start.isoformat(), new=None, effective_on=today, reason=reason)


@transaction.atomic
def date_propose(*, actor: Actor, action: Action, due_on: date, due_condition: str, reason: str,
                 today: date) -> DateProposal:
    """An owner proposes a new due date with a reason; nothing changes until a plan manager accepts."""
    action = locked(action)
    perms.require_owner(actor, action, today, "propose a new due date")
    reason = require_reason(reason, "proposing a new due date")
    due_condition = clean_text(due_condition, limit=Limit.CONDITION, what="the date's condition", field="due_on")
    if not Lifecycle(action.lifecycle).is_open:
        raise ValidationError({"due_on": f"Action {action.ref} is {action.get_lifecycle_display().lower()}: "
                                         "new dates are for actions still to be done."})
    if due_on < today:
        raise ValidationError({"due_on": f"The new due date {format_long(due_on)} has already passed; propose "
                                         "today or a later date."})
    if (due_on, due_condition) == (action.due_on, action.due_condition):
        raise ValidationError({"due_on": f"Action {action.ref} is already due {format_due(due_on, due_condition)}."})
    if action.proposals.filter(status=ProposalStatus.PENDING).exists():
        raise ValidationError({"due_on": f"Action {action.ref} already has a proposal waiting for a decision."})
    proposal = DateProposal.objects.create(action=action, due_on=due_on, due_condition=due_condition, reason=reason,
                                           proposed_by=actor.user)
    record(actor=actor, plan=action.plan, entity_type=EntityType.PROPOSAL, entity_id=proposal.pk, field="status",
           old=None, new={"action": action.pk, "status": ProposalStatus.PENDING.value,
                          "due": format_due(due_on, due_condition)}, effective_on=today, reason=reason)
    notifications.tell(notifications.managers_of(action), NotificationKind.PROPOSAL_WAITING, action,
                       f"{actor.name} proposes {format_due(due_on, due_condition)} for action {action.ref} "
                       f"({action.plan.reference}): {reason}", actor)
    return proposal


@transaction.atomic
def date_decide(*, actor: Actor, proposal: DateProposal, accept: bool, comment: str, today: date) -> DateProposal:
    """A plan manager accepts (the due date changes, the baseline does not) or rejects (with a comment)."""
    proposal = DateProposal.objects.select_for_update().select_related("action__plan").get(pk=proposal.pk)
    action = locked(proposal.action)
    perms.require_manager(actor, action.plan, "decide on date proposals")
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError({"proposal": f"This proposal was already {proposal.get_status_display().lower()}."})
    comment = clean_text(comment, limit=Limit.REASON, what="the comment", field="comment")
    if not accept:
        comment = require_reason(comment, "rejecting the proposal")
    status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.status, proposal.decided_by = status, actor.user
    proposal.decided_at, proposal.decision_comment = timezone.now(), comment
    proposal.save()
    record(actor=actor, plan=action.plan, entity_type=EntityType.PROPOSAL, entity_id=proposal.pk, field="status",
           old=ProposalStatus.PENDING.value, new={"action": action.pk, "status": status.value}, effective_on=today,
           reason=comment)
    if accept:
        proposer = proposal.proposed_by.get_full_name() if proposal.proposed_by else "an owner"
        why = f"{proposal.reason} (proposed by {proposer}; accepted by {actor.name}" + (
            f": {comment})" if comment else ")")
        revise_due_date(actor, action, proposal.due_on, proposal.due_condition, why, today)
    notifications.tell([proposal.proposed_by], NotificationKind.PROPOSAL_DECIDED, action,
                       f"{actor.name} {status.label.lower()} your proposal of "
                       f"{format_due(proposal.due_on, proposal.due_condition)} for action {action.ref} "
                       f"({action.plan.reference})" + (f": {comment}" if comment else "."), actor)
    return proposal


@transaction.atomic
def date_withdraw(*, actor: Actor, proposal: DateProposal, today: date) -> DateProposal:
    proposal = DateProposal.objects.select_for_update().select_related("action__plan").get(pk=proposal.pk)
    perms.require_owner(actor, proposal.action, today, "withdraw a date proposal")
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError({"proposal": f"This proposal was already {proposal.get_status_display().lower()}."})
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    record(actor=actor, plan=proposal.action.plan, entity_type=EntityType.PROPOSAL, entity_id=proposal.pk,
           field="status", old=ProposalStatus.PENDING.value,
           new={"action": proposal.action_id, "status": ProposalStatus.WITHDRAWN.value}, effective_on=today)
    return proposal


@transaction.atomic
def action_start(*, actor: Actor, action: Action, today: date) -> Action:
    action = locked(action)
    perms.require_owner_or_manager(actor, action, today, "start work on it")
    if action.lifecycle not in (Lifecycle.NOT_STARTED, Lifecycle.PAUSED):
        raise ValidationError({"lifecycle": f"Action {action.ref} is {action.get_lifecycle_display().lower()}."})
    set_lifecycle(actor, action, Lifecycle.IN_PROGRESS, today, reason="Work started")
    return action


@transaction.atomic
def action_complete(*, actor: Actor, action: Action, completed_on: date, today: date, note: str = "") -> Action:
    """The owner says it is done: needs evidence and a completion date. It then awaits verification."""
    action = locked(action)
    perms.require_owner(actor, action, today, "mark it complete")
    if action.lifecycle not in (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS):
        raise ValidationError({"lifecycle": f"Action {action.ref} is {action.get_lifecycle_display().lower()}; "
                                            "only an action in progress can be completed."})
    if not action.evidence.exists():
        raise ValidationError({"evidence": f"Add at least one piece of evidence (a file or a link) before marking "
                                           f"action {action.ref} complete."})
    if completed_on > today:
        raise ValidationError({"completed_on": f"The completion date {format_long(completed_on)} is in the future."})
    added = added_on(action)
    if completed_on < added:
        raise ValidationError({"completed_on": f"The completion date {format_long(completed_on)} is before action "
                                               f"{action.ref} was added to the plan ({format_long(added)})."})
    # It takes effect when the work was done, so the plan as at any later date shows it complete; but never
    # before the action's last status change (started today, finished yesterday), which would otherwise be
    # replayed after it and leave the action in progress. The completion date is kept as the owner gave it.
    effective = max(completed_on, last_status_change(action))
    set_lifecycle(actor, action, Lifecycle.COMPLETED, effective,
                  reason=clean_text(note, limit=Limit.REASON, what="the note", field="note")
                  or "Marked complete by the owner", completed_on=completed_on)
    notifications.tell(notifications.verifiers_of(action, today), NotificationKind.COMPLETION_WAITING, action,
                       f"{actor.name} completed action {action.ref} ({action.plan.reference}): it is waiting for "
                       "you to check its evidence and verify it.", actor)
    webhooks.emit(action.plan, WebhookEvent.COMPLETED, event_payload(
        action, f"{actor.name} completed action {action.ref}: {action.text[:200]}"))
    return action


@transaction.atomic
def action_verify(*, actor: Actor, action: Action, today: date, comment: str = "",
                  without_evidence: bool = False) -> Action:
    """A verifier who does not own the action checks the evidence and closes it. An action with no evidence
    cannot be verified; where it must be closed anyway, that is `without_evidence`, with a reason, and the
    action says so wherever its status is shown."""
    action = locked(action)
    perms.require_verifier(actor, action, today, "verify and close it")
    if action.lifecycle != Lifecycle.COMPLETED:
        raise ValidationError({"lifecycle": f"Action {action.ref} is not awaiting verification."})
    evidence = action.evidence.count()
    comment = clean_text(comment, limit=Limit.REASON, what="the comment", field="comment")
    if without_evidence:
        if evidence:
            raise ValidationError({"evidence": f"Action {action.ref} has evidence ({evidence} item"
                                               f"{'s' if evidence != 1 else ''}): check it and verify and close."})
        comment = require_reason(comment, "closing the action without evidence")
        status_reason = without_evidence_reason(comment)
        set_lifecycle(actor, action, Lifecycle.CLOSED, today, reason=status_reason, status_reason=status_reason)
        return action
    if not evidence:
        raise ValidationError({"evidence": f"Action {action.ref} has no evidence to verify. Return it to the owner "
                                           "to add some or, if it must be closed without any, close it without "
                                           "evidence and say why."})
    checked = f"Evidence verified ({evidence} item{'s' if evidence != 1 else ''})"
    set_lifecycle(actor, action, Lifecycle.CLOSED, today, reason=f"{checked}: {comment}" if comment else checked)
    return action


@transaction.atomic
def action_return(*, actor: Actor, action: Action, comment: str, today: date) -> Action:
    """A verifier sends a completed action back to its owner, saying why."""
    action = locked(action)
    perms.require_verifier(actor, action, today, "return it to the owner")
    comment = require_reason(comment, "returning the action")
    if action.lifecycle != Lifecycle.COMPLETED:
        raise ValidationError({"lifecycle": f"Action {action.ref} is not awaiting verification."})
    set_lifecycle(actor, action, Lifecycle.IN_PROGRESS, today, reason=f"{RETURNED} {comment}")
    notifications.tell(notifications.owners_of(action, today), NotificationKind.RETURNED, action,
                       f"{actor.name} returned action {action.ref} ({action.plan.reference}) to you: {comment}", actor)
    return action

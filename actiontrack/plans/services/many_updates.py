"""This period's progress updates for many actions of a plan at once: each checked as workflow.update_save checks
it (an owner of the action, or the system; the action still open; the plan and the action existing in the
period; the period not locked), then written in a few bulk statements and journalled one event per update,
exactly as update_save journals it. An update that says what the stored one says is left as it is.

For callers that write many at a time (an organisation's tracker of commentary, the scale benchmark), where
update_save one at a time costs a dozen queries each. Unlike the owner's form, it keeps no edit guard: the
caller's text replaces this period's update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, Entry, record_many
from actiontrack.core.models import JournalEvent
from actiontrack.domain.journal import CREATED
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.selectors import posts_held
from actiontrack.plans.models import Action, PeriodLock, Plan, ProgressUpdate
from actiontrack.plans.selectors.periods import current_period
from actiontrack.plans.services.new_actions import MANY_AT_ONCE, insert_all
from actiontrack.plans.services.workflow import check_update_period, update_text


@dataclass
class Saved:
    """What became of one update: written (new or changed), unchanged, or refused with why."""

    update: ProgressUpdate | None = None
    changed: bool = False
    refused: PermissionDenied | ValidationError | None = None


def updates_save(*, actor: Actor, plan: Plan, texts: list[tuple[Action, str]], today: date) -> list[Saved]:
    """Write this period's update of each (action, text) of `plan`; one Saved for each, in order."""
    period = current_period(plan, today)
    with transaction.atomic():
        ids = [action.pk for action, _ in texts]
        actions = {a.pk: a for a in Action.objects.select_for_update().filter(plan=plan, pk__in=ids).order_by("pk")}
        added = dict(JournalEvent.objects.filter(entity_type=EntityType.ACTION, entity_id__in=ids, field=CREATED)
                     .values_list("entity_id", "effective_on"))
        owners: dict[int, set[int]] = {}
        for action_id, post_id in Action.owner_posts.through.objects.filter(action_id__in=ids).values_list(
                "action_id", "post_id"):
            owners.setdefault(action_id, set()).add(post_id)
        held = None if actor.user is None else set(posts_held(actor.user, today).values_list("pk", flat=True))
        locked = PeriodLock.objects.filter(plan=plan, period_start=period.start).exists()
        stored = {u.action_id: u for u in ProgressUpdate.objects.filter(action_id__in=ids, period_start=period.start)}
        results, new, changed, entries = [], [], [], []
        for given, text in texts:
            action = actions.get(given.pk)
            try:
                if action is None:
                    raise ValidationError(f"Action {given.ref} is not in {plan.reference}.")
                if held is not None and not held & owners.get(action.pk, set()):
                    raise PermissionDenied(f"Only an owner of action {action.ref} can write its progress update.")
                text = update_text(action.ref, Lifecycle(action.lifecycle), text)
                check_update_period(plan, action.ref, period, added[action.pk], lambda: locked)
            except (PermissionDenied, ValidationError) as exc:
                results.append(Saved(refused=exc))
                continue
            update = stored.get(action.pk)
            if update is not None and update.text == text:
                results.append(Saved(update=update))
                continue
            old = None
            if update is None:
                update = stored[action.pk] = ProgressUpdate(action=action, period_start=period.start, text=text,
                                                            author=actor.user)
                new.append(update)
            else:
                old = {"action": action.pk, "period": period.start.isoformat(), "text": update.text}
                update.text, update.author = text, actor.user
                update.updated_at, update.version = timezone.now(), update.version + 1
                changed.append(update)
            entries.append((update, old, text))
            results.append(Saved(update=update, changed=True))
        insert_all(ProgressUpdate, new)
        ProgressUpdate.objects.bulk_update(changed, ["text", "author", "updated_at", "version"],
                                           batch_size=MANY_AT_ONCE)
        record_many(actor=actor, plan=plan, entries=[
            Entry(EntityType.UPDATE, update.pk, "text", old,
                  {"action": update.action_id, "period": period.start.isoformat(), "text": text}, today,
                  f"Progress update for {period.label}") for update, old, text in entries])
    return results

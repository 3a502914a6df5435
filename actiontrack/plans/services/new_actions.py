"""Adding actions, one or thousands at once: each checked, numbered and given its address as `action_create`
always has, with its starting state (a revised date, this period's progress update, a status) worked out in
memory by the same rules as the single changes (`_changes`), then written in a few bulk statements: the rows,
their owners, and every change journalled, one event per change, exactly as the single services write them.

An import of a 10,000-row tracker into a new plan writes this way (bench/IMPORT.md: about 20 queries per action
one at a time, a handful per thousand here)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, Actor, Entry, due_value, record_many
from actiontrack.core.models import JournalEvent
from actiontrack.domain.journal import CREATED, Change, due_revisions, state_as_at
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.periods import Period
from actiontrack.domain.references import REF_MAX, TakenSlugs, clean_ref, derived_action_ref, slug_stems, unique_slug
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_long
from actiontrack.people.models import Post
from actiontrack.people.selectors import posts_held
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import NotificationKind
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, PeriodLock, Plan, ProgressUpdate, Recommendation
from actiontrack.plans.selectors.periods import current_period
from actiontrack.plans.services import notifications
from actiontrack.plans.services._changes import (
    ACTION_FIELDS,
    check_after_added,
    check_effective,
    check_not_after_today,
    clean_condition,
    owner_ids,
    require_reason,
    revision_fields,
    status_fields,
    taken_slugs,
)
from actiontrack.plans.services.workflow import check_update_period, update_text

# Beyond this many new actions, every slug of the plan is read (those like the new ones kept) rather than asked for.
_READ_ALL_SLUGS = 20
MANY_AT_ONCE = 200  # actions a caller adding thousands passes at a time (500 held 2.3 MB more, no faster)


@dataclass(frozen=True)
class Revision:
    """A revised due date the action starts with. `recorded`: one the plan already had when it was brought in,
    allowed whatever the plan's rule for changing dates (action_record_starting_due_date)."""

    due_on: date
    due_condition: str
    reason: str
    effective_on: date
    recorded: bool = False


@dataclass(frozen=True)
class StartingStatus:
    """A status the action starts with. `recorded`: as the plan stood when brought in, any status
    (action_record_starting_status); else only the moves a plan manager may make (action_change_lifecycle)."""

    lifecycle: Lifecycle
    effective_on: date
    reason: str = ""
    completed_on: date | None = None
    recorded: bool = False


@dataclass
class NewAction:
    """What action_create takes, and optionally what the action starts with, in the order it is applied: a
    revised date, this period's progress update (written as the actor), a status."""

    recommendation: Recommendation
    text: str
    owner_posts: list[Post]
    supporting_posts: list[Post] = ()
    due_on: date | None = None
    due_condition: str = ""
    effective_on: date | None = None
    ref: str = ""
    number: int | None = None
    reason: str = ""
    revision: Revision | None = None
    update: str = ""
    status: StartingStatus | None = None


@dataclass
class Added:
    """What became of one NewAction: the action, or why it was refused (nothing of it written); whether its
    revision was refused (the action stands with its first date); the period its update was written for, or
    why it was not (the action stands without it)."""

    action: Action | None = None
    refused: ValidationError | None = None
    revision_refused: PermissionDenied | None = None
    update_period: Period | None = None
    update_refused: PermissionDenied | ValidationError | None = None
    entries: list[Entry] = field(default_factory=list)  # its journal, action ids filled in when written
    owners: tuple[list[int], list[int]] = ((), ())  # (every owner post, the supporting ones)
    update: ProgressUpdate | None = None
    update_on: date | None = None
    update_at: int = 0  # where its update's event comes among its entries


def actions_add(*, actor: Actor, plan: Plan, new: list[NewAction], today: date | None = None) -> list[Added]:
    """Add every action of `new` that its checks allow, in one transaction; one Added for each, in order.
    Refuses all of them (PermissionDenied) unless the actor manages the plan."""
    perms.require_manager(actor, plan, "add actions")
    with transaction.atomic():
        known = _Known(plan, new, actor, today)
        results = [_work_out(actor, plan, item, known, today) for item in new]
        written = [each for each in results if each.refused is None]
        _write(actor, plan, written)
        if today is not None:  # added now, not a plan's history being loaded
            _tell_owners(actor, plan, written, today)
    return results


def _tell_owners(actor: Actor, plan: Plan, added: list[Added], today: date) -> None:
    """The holders of each new open action's posts hear of it, as when an action is given to their post."""
    notifications.tell_post_holders(
        [(each.action, each.owners[0], f"{actor.name} added action {each.action.ref} ({plan.reference}) for a post "
                                       f"you hold: {each.action.text[:200]}")
         for each in added if Lifecycle(each.action.lifecycle).is_open], NotificationKind.ASSIGNED, today, actor)


class _Known:
    """What the checks need from the database, read once for the whole batch, and kept current as it grows."""

    def __init__(self, plan: Plan, new: list[NewAction], actor: Actor, today: date | None):
        recs = {item.recommendation.pk for item in new}
        self.rec_added = dict(JournalEvent.objects.filter(entity_type=EntityType.RECOMMENDATION, entity_id__in=recs,
                                                          field=CREATED).values_list("entity_id", "effective_on"))
        self.numbers: dict[int, set[int]] = defaultdict(set)
        self.refs: dict[int, set[str]] = defaultdict(set)
        self.positions: dict[int, int] = defaultdict(int)
        for rec, number, ref, position in Action.objects.filter(recommendation__in=recs).values_list(
                "recommendation", "number", "ref", "position"):
            self.numbers[rec].add(number)
            self.refs[rec].add(ref.casefold())
            self.positions[rec] = max(self.positions[rec], position)
        stems = [stem for item in new for stem in slug_stems(
            clean_ref(item.ref) or item.recommendation.ref, prefix=_prefix(item.recommendation))]
        if len(new) > _READ_ALL_SLUGS:
            # Every slug of the plan read a chunk at a time, keeping only those like the new ones': asking the
            # database for hundreds of prefixes costs more than the read, and keeping every slug made an import's
            # memory grow with the plan (bench/IMPORT.md).
            like = tuple(stem.lower() for stem in stems)
            self.slugs = TakenSlugs(slug for slug in plan.actions.values_list("slug", flat=True).iterator(2000)
                                    if slug.lower().startswith(like))
        else:
            self.slugs = TakenSlugs(taken_slugs(plan.actions, stems) if stems else ())
        self.held = (None if actor.user is None or today is None
                     else set(posts_held(actor.user, today).values_list("pk", flat=True)))
        period = None if today is None else current_period(plan, today)
        self.period = period
        self.period_locked = period is not None and PeriodLock.objects.filter(
            plan=plan, period_start=period.start).exists()


def _prefix(rec: Recommendation) -> str:
    return rec.group.name if rec.group_id else ""


def _work_out(actor: Actor, plan: Plan, item: NewAction, known: _Known, today: date | None) -> Added:
    try:
        return _checked(actor, plan, item, known, today)
    except ValidationError as exc:
        return Added(refused=exc)


def _checked(actor: Actor, plan: Plan, item: NewAction, known: _Known, today: date | None) -> Added:
    """The action_create checks, then its starting state, all in memory; the batch's numbers, references and
    addresses are taken only once nothing can refuse it."""
    rec = item.recommendation
    effective_on = item.effective_on or plan.agreed_on
    check_effective(plan, effective_on)
    check_not_after_today(plan, effective_on, today, "action")
    rec_added = known.rec_added[rec.pk]
    if effective_on < rec_added:
        raise ValidationError({"effective_on": (
            f"The effective date {format_long(effective_on)} is before recommendation {rec.ref} was "
            f"added ({format_long(rec_added)}).")})
    text = clean_text(item.text, limit=Limit.TEXT, what="the action's text", field="text")
    due_condition = clean_condition(item.due_condition)
    reason = clean_text(item.reason, limit=Limit.REASON, what="the reason", field="reason")
    if not text:
        raise ValidationError({"text": "Describe the action: its text cannot be empty."})
    numbers = known.numbers[rec.pk]
    number = item.number
    if number is None:
        number = max(numbers, default=0) + 1
    elif number in numbers:
        raise ValidationError({"number": f"Action {number} of recommendation {rec.ref} already exists."})
    ref = clean_ref(item.ref) or derived_action_ref(rec.ref, number)
    if len(ref) > REF_MAX:
        raise ValidationError({"ref": f"A reference can have up to {REF_MAX} characters; this one has {len(ref)}."})
    if ref.casefold() in known.refs[rec.pk]:
        raise ValidationError({"ref": f"Action {ref} already exists in recommendation {rec.ref}."})
    prefix, fallback = _prefix(rec), f"action-{rec.slug}-{number}"
    slug = unique_slug(ref, known.slugs, prefix=prefix, fallback=fallback)
    posts, supporting = owner_ids(item.owner_posts, item.supporting_posts)
    action = Action(plan=plan, recommendation=rec, number=number, ref=ref, slug=slug, text=text,
                    baseline_on=item.due_on, due_on=item.due_on, due_condition=due_condition,
                    position=known.positions[rec.pk] + 1)
    action.version = 2  # as set from its journal once created
    snapshot = {"recommendation": rec.pk, "number": number, "ref": ref, "text": text, "owner_posts": posts,
                "supporting_posts": supporting, "baseline_on": item.due_on,
                DUE: due_value(item.due_on, due_condition), "lifecycle": Lifecycle.NOT_STARTED.value,
                "lifecycle_reason": "", "completed_on": None}
    added = Added(action=action, entries=[Entry(EntityType.ACTION, 0, CREATED, None, snapshot, effective_on, reason)])
    state = dict(snapshot)
    if item.revision is not None:
        _revise(actor, plan, item.revision, action, state, effective_on, added)
    if item.update:
        _update(actor, item.update, posts, known, today, effective_on, added)
    if item.status is not None:
        _status(actor, plan, item.status, action, state, effective_on, today, added)
    _set_row(action, added.entries)
    added.owners = (posts, supporting)
    numbers.add(number)
    known.refs[rec.pk].add(ref.casefold())
    known.slugs.add(slug)
    known.positions[rec.pk] = action.position
    return added


def _change(added: Added, state: dict, field_name: str, value, effective_on: date, reason: str) -> None:
    """One field's change, journalled only if it differs, as `_changes.change` does for a stored action."""
    if state[field_name] != value:
        added.entries.append(Entry(EntityType.ACTION, 0, field_name, state[field_name], value, effective_on, reason))
        state[field_name] = value


def _revise(actor: Actor, plan: Plan, revision: Revision, action: Action, state: dict, created_on: date,
            added: Added) -> None:
    undated = state[DUE]["on"] is None and state["baseline_on"] is None
    if not revision.recorded and actor.user is not None and not plan.managers_change_dates_directly and not undated:
        added.revision_refused = PermissionDenied(
            f"Due dates in {plan.reference} change only through an accepted proposal.")
        return
    reason = require_reason(revision.reason, "changing the due date")
    check_after_added(action.ref, created_on, revision.effective_on)
    reason, fields = revision_fields(ref=action.ref, due_on=revision.due_on, due_condition=revision.due_condition,
                                     reason=reason, undated=undated,
                                     current=(state[DUE]["on"], state[DUE]["condition"]))
    for name, value in fields:
        _change(added, state, name, value, revision.effective_on, reason)
    action.version += 1


def _update(actor: Actor, text: str, posts: list[int], known: _Known, today: date | None, created_on: date,
            added: Added) -> None:
    """This period's progress update, as workflow.update_save checks it for a new (open) action."""
    if today is None:
        raise ValueError("a progress update needs today's date")
    ref = added.action.ref
    if known.held is not None and not known.held & set(posts):
        added.update_refused = PermissionDenied(f"Only an owner of action {ref} can write its progress update.")
        return
    period = known.period
    try:
        text = update_text(ref, Lifecycle.NOT_STARTED, text)  # as it stands when its update is written
        check_update_period(added.action.plan, ref, period, created_on, lambda: known.period_locked)
    except ValidationError as exc:
        added.update_refused = exc
        return
    added.update = ProgressUpdate(period_start=period.start, text=text, author=actor.user)
    added.update_period, added.update_on, added.update_at = period, today, len(added.entries)


def _status(actor: Actor, plan: Plan, status: StartingStatus, action: Action, state: dict, created_on: date,
            today: date | None, added: Added) -> None:
    reason = status.reason
    if status.recorded:
        reason = reason + " Recorded as the plan stood when it was brought in."
    else:  # as action_change_lifecycle
        check_not_after_today(plan, status.effective_on, today, "status change")
        reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
        current, target = Lifecycle(state["lifecycle"]), Lifecycle(status.lifecycle)
        if actor.user is not None and target is not current and not current.manager_may_move_to(target):
            raise ValidationError({"lifecycle": (
                f"Action {action.ref} is {current.label.lower()}; a plan manager can start, pause, resume, cancel "
                f"or reinstate an action, but not make it {target.label.lower()}: completion is the owner's, with "
                "evidence, and closure a verifier's.")})
    check_after_added(action.ref, created_on, status.effective_on)
    reason, fields = status_fields(
        ref=action.ref, current=Lifecycle(state["lifecycle"]), current_completed_on=state["completed_on"],
        lifecycle=status.lifecycle, effective_on=status.effective_on, reason=reason,
        completed_on=status.completed_on, status_reason=None, last_status_on=lambda: created_on,
        has_evidence=lambda: False)
    for name, value in fields:
        _change(added, state, name, value, status.effective_on, reason)
    action.version += 1


def _set_row(action: Action, entries: list[Entry]) -> None:
    """The row as its journal replayed, as sync_action sets it."""
    changes = [Change(("action", 0), e.field, e.new, e.effective_on, n) for n, e in enumerate(entries)]
    state = state_as_at(changes, date.max)
    for name in ACTION_FIELDS:
        setattr(action, name, state[name])
    action.revisions = due_revisions(changes, DUE).get(("action", 0), 0)
    action.due_on, action.due_condition = state[DUE]["on"], state[DUE]["condition"]


def _write(actor: Actor, plan: Plan, added: list[Added]) -> None:
    if not added:
        return
    insert_all(Action, [each.action for each in added])
    owners, supporting = Action.owner_posts.through, Action.supporting_posts.through
    owners.objects.bulk_create([owners(action_id=each.action.pk, post_id=post) for each in added
                                for post in each.owners[0]], batch_size=MANY_AT_ONCE)
    supporting.objects.bulk_create([supporting(action_id=each.action.pk, post_id=post) for each in added
                                    for post in each.owners[1]], batch_size=MANY_AT_ONCE)
    updates = [each for each in added if each.update is not None]
    for each in updates:
        each.update.action = each.action
    insert_all(ProgressUpdate, [each.update for each in updates])
    entries = []
    for each in added:
        pk = each.action.pk
        mine = [Entry(e.entity_type, pk, e.field, e.old, e.new, e.effective_on, e.reason) for e in each.entries]
        if each.update is not None:  # as workflow.update_save journals it
            update, period = each.update, each.update_period
            mine.insert(each.update_at, Entry(
                EntityType.UPDATE, update.pk, "text", None,
                {"action": pk, "period": period.start.isoformat(), "text": update.text}, each.update_on,
                f"Progress update for {period.label}"))
        entries.extend(mine)
    record_many(actor=actor, plan=plan, entries=entries)


def insert_all(model, rows: list) -> None:
    """Insert rows, learning their ids."""
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(rows, batch_size=MANY_AT_ONCE)
    else:  # an SQLite older than 3.35 cannot say the new rows' ids
        for row in rows:
            row.save(force_insert=True)

"""Writing the journal, and turning its rows back into domain events. Only services call `record`."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import F

from actiontrack.domain.journal import Change

from .choices import ChangeSource, EntityType
from .models import JournalEvent

DATE_FIELDS = {"baseline_on", "completed_on"}
# Post events that change nothing a plan shows: a new post owns nothing yet; a holder's account is not shown.
POST_FIELDS_NOT_SHOWN = ("created", "holder_account")
# A person's name shows wherever they are named as an update's author (the plan page's and the API's Progress).
USER_FIELDS_SHOWN = ("first_name", "last_name")
DUE = "due"  # the due date and its condition change together, as one revision: {"on": date, "condition": str}


@dataclass(frozen=True)
class Actor:
    """Who is making a change, and through what: a signed-in user, or the demo loader, CLI or an import."""

    user: AbstractBaseUser | None
    name: str
    source: str

    @classmethod
    def of(cls, user, source: str = ChangeSource.WEB) -> Actor:
        name = (user.get_full_name() or user.get_username()) if user else ChangeSource(source).label
        return cls(user=user, name=name, source=source)

    @classmethod
    def system(cls, name: str, source: str) -> Actor:
        return cls(user=None, name=name, source=source)


def due_value(on: date | None, condition: str = "") -> dict:
    return {"on": on, "condition": condition or ""}


def to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(field: str, value: Any) -> Any:
    if field in DATE_FIELDS and value:
        return date.fromisoformat(value)
    if field == DUE and value:
        return due_value(date.fromisoformat(value["on"]) if value["on"] else None, value["condition"])
    return value


ALL_PLANS = "all"
READ, PROGRESS = "read_version", "progress_version"  # the counters a plan's reads are kept by (readcache)
# What each kind of event changes of what a plan shows. A change to the plan, a recommendation, an action, a post
# or a measure can change anything. A progress update shows only in the Progress column: it moves PROGRESS, by
# which only the small reads of which actions' updates changed are kept (selectors.progress: kept_progress_stamps),
# and the Progress column's kept parts are named by those stamps, so an update renders again only its own
# recommendation. A date proposal and a piece of evidence show on the action's own page, which is never kept.
VERSION_MOVED = {EntityType.PLAN: READ, EntityType.RECOMMENDATION: READ, EntityType.ACTION: READ,
                 EntityType.POST: READ, EntityType.UPDATE: PROGRESS, EntityType.MEASURE: READ,
                 EntityType.USER: READ}
_batch: ContextVar[set | None] = ContextVar("journal_version_batch", default=None)


def _move_versions(moves: set) -> None:
    """Move each (plan id or ALL_PLANS, counter) on by one."""
    # The plan model reached through the journal's own foreign key: the journal sits below the plans app.
    plan_model = JournalEvent._meta.get_field("plan").related_model
    for counter in {counter for _, counter in moves}:
        plans = {plan for plan, each in moves if each == counter}
        found = plan_model.objects.all() if ALL_PLANS in plans else plan_model.objects.filter(pk__in=plans)
        found.update(**{counter: F(counter) + 1})


@contextmanager
def one_version_move():
    """For bulk writes (an import, a restore, the demo): each plan's read version moves once, at the end,
    rather than once per event. Every move rewrites the plan's row, and thousands of rewrites in one
    transaction leave the plans table thousands of dead rows long, which every scan of it then reads.

    The block is its own atomic block, and the move is its last statement, so the events and the move
    commit together or not at all, as they do one event at a time."""
    touched: set = set()
    token = _batch.set(touched)
    with transaction.atomic():
        try:
            yield
        finally:
            # Ended before the move, inside the block: anything journalled later (an on_commit callback,
            # which runs as the block exits) moves its plan's version itself.
            _batch.reset(token)
        if touched:
            _move_versions(touched)


def record(*, actor: Actor, plan: models.Model | None, entity_type: str, entity_id: int, field: str, old: Any, new: Any,
           effective_on: date, reason: str = "") -> JournalEvent:
    # Move the read version on in the same transaction as the event, so they become visible together
    # (readcache). A post's name and holders show on every plan it has owned actions in, at any date; a person's
    # name on every plan they wrote an update in. Both are rare changes.
    counter = VERSION_MOVED.get(entity_type)
    shown_everywhere = (entity_type == EntityType.POST and field not in POST_FIELDS_NOT_SHOWN) or (
        entity_type == EntityType.USER and field in USER_FIELDS_SHOWN)
    moved = plan.pk if plan is not None else (ALL_PLANS if shown_everywhere else None)
    touched = _batch.get()
    if moved is not None and counter is not None and touched is None:
        _move_versions({(moved, counter)})
    elif moved is not None and counter is not None:
        touched.add((moved, counter))
    return JournalEvent.objects.create(
        plan=plan, entity_type=entity_type, entity_id=entity_id, field=field,
        old=to_json(old), new=to_json(new), reason=reason.strip(),
        actor=actor.user, actor_name=actor.name, source=actor.source, effective_on=effective_on,
    )


@dataclass(frozen=True)
class Entry:
    """One change for record_many: what `record` takes, less the actor and plan they share."""

    entity_type: str
    entity_id: int
    field: str
    old: Any
    new: Any
    effective_on: date
    reason: str = ""


def record_many(*, actor: Actor, plan: models.Model, entries: list[Entry]) -> None:
    """Journal many changes to one plan's contents at once, in their order (a bulk write: an import's new
    actions). The same rows `record` writes, one event per change; the plan's versions move once."""
    moves = {(plan.pk, VERSION_MOVED[entry.entity_type]) for entry in entries if entry.entity_type in VERSION_MOVED}
    touched = _batch.get()
    if touched is None:
        _move_versions(moves)
    else:
        touched.update(moves)
    JournalEvent.objects.bulk_create(
        [JournalEvent(plan=plan, entity_type=entry.entity_type, entity_id=entry.entity_id, field=entry.field,
                      old=to_json(entry.old), new=to_json(entry.new), reason=entry.reason.strip(), actor=actor.user,
                      actor_name=actor.name, source=actor.source, effective_on=entry.effective_on)
         for entry in entries], batch_size=500)


REPLAY_COLUMNS = ("id", "entity_type", "entity_id", "field", "new", "effective_on")


def change_from_row(event_id: int, entity_type: str, entity_id: int, field: str, new: Any,
                    effective_on: date) -> Change:
    """A domain event from the columns replay needs (REPLAY_COLUMNS), so reads can skip the rest."""
    if field == "created":
        new = {key: from_json(key, value) for key, value in (new or {}).items()}
    else:
        new = from_json(field, new)
    return Change(entity=(entity_type, entity_id), field=field, new=new, effective_on=effective_on,
                  sequence=event_id)


def as_change(event: JournalEvent) -> Change:
    return change_from_row(event.id, event.entity_type, event.entity_id, event.field, event.new, event.effective_on)

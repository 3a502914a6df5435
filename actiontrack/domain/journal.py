"""Journal replay: the state of anything as at a date is its journal replayed up to that date.

Events are ordered by effective date, then by the order they were recorded, so a correction recorded
later for the same day wins. An entity whose creation takes effect after the as-at date did not exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

CREATED = "created"


@dataclass(frozen=True)
class Change:
    entity: Hashable  # e.g. ("action", 12)
    field: str  # CREATED, or the name of the field that changed
    new: Any  # for CREATED: a dict of every field
    effective_on: date
    sequence: int  # recording order (the event's id)


def _ordered(events: Iterable[Change]) -> list[Change]:
    return sorted(events, key=lambda e: (e.effective_on, e.sequence))


def state_as_at(events: Iterable[Change], as_at: date) -> dict[str, Any] | None:
    """One entity's fields as they stood on `as_at`; None if it did not exist yet."""
    state: dict[str, Any] | None = None
    for event in _ordered(events):
        if event.effective_on > as_at:
            break
        if event.field == CREATED:
            state = dict(event.new)
        elif state is not None:
            state[event.field] = event.new
    return state


def states_as_at(events: Iterable[Change], as_at: date) -> dict[Hashable, dict[str, Any]]:
    """Every entity's state on `as_at`, for entities that existed then."""
    by_entity: dict[Hashable, list[Change]] = defaultdict(list)
    for event in events:
        by_entity[event.entity].append(event)
    states = {}
    for entity, entity_events in by_entity.items():
        state = state_as_at(entity_events, as_at)
        if state is not None:
            states[entity] = state
    return states


def due_revisions(events: Iterable[Change], due_field: str = "due") -> dict[Hashable, int]:
    """Per entity: how many times its due date changed from a date, in effective order (`due_field` holds
    {"on": date, ...}; a creation carries it among its fields). The first date given to an entity that had none
    is its baseline, not a revision."""
    dated: dict[Hashable, bool] = {}
    revisions: dict[Hashable, int] = {}
    for event in _ordered(e for e in events if e.field in (CREATED, due_field)):
        due = event.new.get(due_field) if event.field == CREATED else event.new
        if event.field == due_field and dated.get(event.entity):
            revisions[event.entity] = revisions.get(event.entity, 0) + 1
        dated[event.entity] = bool(due and due.get("on"))
    return revisions

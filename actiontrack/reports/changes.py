"""Changes since the last issued report, from two states of the plan and the journal between them.

Some changes are events (a completion, a date revision, an owner change, a new holder of an owning post, a
rewording: each with its reason); others are what the dates did (an action that fell overdue with nobody
touching it). So the inputs are the actions as they stood on each of the two dates, and the events that took
effect between them. Every text is given in full: a board reads what changed, not the start of it.
Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_short

from .data import ChangeGroup

COMPLETED = "Completed"
CLOSED = "Closed after verification"
RETURNED = "Returned to the owner"
NEWLY_OVERDUE = "Newly overdue"
DATE_REVISIONS = "Due date revisions"
OWNER_CHANGES = "Owner changes"
WORDING = "Wording changes"
NEW_ACTIONS = "New actions"
PAUSED = "Paused"
RESUMED = "Resumed"
CANCELLED_ACTIONS = "Cancelled actions"
GROUPS = (COMPLETED, CLOSED, RETURNED, NEWLY_OVERDUE, DATE_REVISIONS, OWNER_CHANGES, WORDING, NEW_ACTIONS, PAUSED,
          RESUMED, CANCELLED_ACTIONS)

# What an event changed (Event.what).
DUE, OWNERS, LIFECYCLE, TEXT, REC_TEXT, HOLDER = "due", "owners", "lifecycle", "text", "rec_text", "holder"


@dataclass(frozen=True)
class ActionState:
    """An action as it stood on one date, in the words the report uses."""

    ref: str
    text: str
    owners: str
    due: str
    complete: bool
    overdue: bool
    cancelled: bool
    completed_on: date | None = None
    cancel_reason: str = ""


@dataclass(frozen=True)
class Event:
    """A journalled change that took effect between the two dates. `ref` names the action (the recommendation,
    for REC_TEXT; the post, for HOLDER); `old` and `new` are words (a date, owners, a lifecycle value, a text);
    `key` names the event for a report's own wording of its reason."""

    key: str
    ref: str
    what: str
    old: str
    new: str
    reason: str
    effective_on: date
    owned: tuple[str, ...] = ()  # for HOLDER: the plan's actions the post owns


def _flat(text: str) -> str:
    return " ".join(text.split())


def _name(state: ActionState | None, ref: str) -> str:
    return f"{ref} {_flat(state.text).rstrip('.')}" if state else ref


def _reason(reason: str, label: str = "Reason: ") -> str:
    reason = _flat(reason)
    return f" {label}{reason}" if reason else ""


def _ordered(events: Sequence[Event], order: dict[str, int]) -> list[Event]:
    return sorted(events, key=lambda e: (order.get(e.ref, len(order)), e.effective_on))


def _lifecycle_group(old: str, new: str) -> str | None:
    """Which group a change of lifecycle belongs to (completions come from the states, starts are not news)."""
    old_life, new_life = Lifecycle(old) if old else None, Lifecycle(new)
    if new_life is Lifecycle.CLOSED:
        return CLOSED
    if old_life is not None and old_life.is_complete and new_life in (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS):
        return RETURNED
    if new_life is Lifecycle.PAUSED:
        return PAUSED
    if old_life in (Lifecycle.PAUSED, Lifecycle.CANCELLED) and new_life is Lifecycle.IN_PROGRESS:
        return RESUMED
    return None


def listed_lifecycle(old: str, new: str) -> bool:
    """Whether a change of lifecycle is in the list (a completion or cancellation, or one with a group)."""
    return new in (Lifecycle.COMPLETED, Lifecycle.CANCELLED) or _lifecycle_group(old, new) is not None


def describe(event: Event) -> str:
    """What an event changed, in a few words, to name it beside its reason: "1.1: due date 31/05/2021 →
    31/12/2021"."""
    if event.what == LIFECYCLE:
        return f"{event.ref}: {Lifecycle(event.old).label if event.old else '—'} → {Lifecycle(event.new).label}"
    if event.what in (TEXT, REC_TEXT):
        return f"{'Recommendation' if event.what == REC_TEXT else 'Action'} {event.ref}: new wording"
    if event.what == HOLDER:
        return f"{event.ref}: {event.old or 'no holder'} → {event.new}"
    return f"{event.ref}: {'due date' if event.what == DUE else 'owner'} {event.old} → {event.new}"


_DONE = {CLOSED: "closed after verification", RETURNED: "returned to the owner", PAUSED: "paused",
         RESUMED: "resumed"}


def changes_between(before: Sequence[ActionState], after: Sequence[ActionState], events: Sequence[Event],
                    reasons: Mapping[str, str] | None = None) -> tuple[ChangeGroup, ...]:
    """Every group in GROUPS, in that order, each with its items (possibly none). `reasons` (an event's key ->
    words) replaces the journal's reason where a report words it differently."""
    reasons = reasons or {}
    was = {state.ref: state for state in before}
    now = {state.ref: state for state in after}
    order = {state.ref: position for position, state in enumerate(after)}
    items: dict[str, list[str]] = {title: [] for title in GROUPS}

    def reason_of(event: Event, label: str = "Reason: ") -> str:
        return _reason(reasons.get(event.key, event.reason), label)

    completions = {e.ref: e for e in events if e.what == LIFECYCLE and e.new == Lifecycle.COMPLETED}
    cancellations = {e.ref: e for e in events if e.what == LIFECYCLE and e.new == Lifecycle.CANCELLED}
    for state in after:
        old = was.get(state.ref)
        name = _name(state, state.ref)
        if old is None:
            items[NEW_ACTIONS].append(f"{name} — owner {state.owners}; due {state.due}")
        if state.complete and not (old and old.complete):
            done = f" on {format_short(state.completed_on)}" if state.completed_on else ""
            event = completions.get(state.ref)
            items[COMPLETED].append(f"{name} — completed{done}.{reason_of(event, '') if event else ''}")
        if state.overdue and not (old and old.overdue):
            items[NEWLY_OVERDUE].append(f"{name} — due {state.due}")
        if state.cancelled and not (old and old.cancelled):
            event = cancellations.get(state.ref)
            why = reason_of(event) if event else _reason(state.cancel_reason)
            items[CANCELLED_ACTIONS].append(f"{name} — cancelled.{why}")

    for event in _ordered(events, order):
        state = now.get(event.ref) or was.get(event.ref)
        name = _name(state, event.ref)
        when = format_short(event.effective_on)
        if event.what == DUE:
            items[DATE_REVISIONS].append(f"{name} — due date {event.old} → {event.new}, from {when}."
                                         f"{reason_of(event)}")
        elif event.what == OWNERS:
            items[OWNER_CHANGES].append(f"{name} — owner {event.old} → {event.new}, from {when}.{reason_of(event)}")
        elif event.what == HOLDER:
            owned = f" (owner of {', '.join(event.owned)})" if event.owned else ""
            items[OWNER_CHANGES].append(f"{event.ref}: {event.old or 'no holder'} → {event.new} from {when}{owned}."
                                        f"{reason_of(event)}")
        elif event.what in (TEXT, REC_TEXT):
            what = f"Recommendation {event.ref}" if event.what == REC_TEXT else f"Action {event.ref}"
            items[WORDING].append(f"{what}: “{_flat(event.old)}” → “{_flat(event.new)}”, from {when}."
                                  f"{reason_of(event)}")
        elif event.what == LIFECYCLE and (group := _lifecycle_group(event.old, event.new)):
            note = reason_of(event, "" if group == CLOSED else "Reason: ")  # a closure's note says what was checked
            items[group].append(f"{name} — {_DONE[group]} on {when}.{note}")
    return tuple(ChangeGroup(title, tuple(items[title])) for title in GROUPS)

"""Changes since the last issued report, from two states of the plan and the journal between them.

Some changes are events (a date revision, an owner change: each with its reason); others are what the
dates did (an action that fell overdue with nobody touching it). So the inputs are the actions as they
stood on each of the two dates, and the revisions and owner changes that took effect between them.
Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from actiontrack.domain.ukdates import format_short

from .data import ChangeGroup
from .prose import shorten

NEWLY_COMPLETE = "Newly complete"
NEWLY_OVERDUE = "Newly overdue"
DATE_REVISIONS = "Due date revisions"
OWNER_CHANGES = "Owner changes"
NEW_ACTIONS = "New actions"
CANCELLED_ACTIONS = "Cancelled actions"
GROUPS = (NEWLY_COMPLETE, NEWLY_OVERDUE, DATE_REVISIONS, OWNER_CHANGES, NEW_ACTIONS, CANCELLED_ACTIONS)


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
class Revision:
    """A journalled change of due date or owners that took effect between the two dates."""

    ref: str
    what: str  # "due" or "owners"
    old: str
    new: str
    reason: str
    effective_on: date


def _name(state: ActionState) -> str:
    return f"{state.ref} {shorten(state.text).rstrip('.')}"


def _ordered(refs, order: dict[str, int]) -> list[str]:
    return sorted(refs, key=lambda ref: (order.get(ref, len(order)), ref))


def changes_between(before: Sequence[ActionState], after: Sequence[ActionState],
                    revisions: Sequence[Revision]) -> tuple[ChangeGroup, ...]:
    """Every group in GROUPS, in that order, each with its items (possibly none)."""
    was = {state.ref: state for state in before}
    now = {state.ref: state for state in after}
    order = {state.ref: position for position, state in enumerate(after)}
    items: dict[str, list[str]] = {title: [] for title in GROUPS}

    for state in after:
        old = was.get(state.ref)
        if old is None:
            items[NEW_ACTIONS].append(f"{_name(state)} — owner {state.owners}; due {state.due}")
        if state.complete and not (old and old.complete):
            done = f" on {format_short(state.completed_on)}" if state.completed_on else ""
            items[NEWLY_COMPLETE].append(f"{_name(state)} — completed{done}")
        if state.overdue and not (old and old.overdue):
            items[NEWLY_OVERDUE].append(f"{_name(state)} — due {state.due}")
        if state.cancelled and not (old and old.cancelled):
            reason = f". Reason: {state.cancel_reason}" if state.cancel_reason else ""
            items[CANCELLED_ACTIONS].append(f"{_name(state)} — cancelled{reason}")

    for change in sorted(revisions, key=lambda r: (order.get(r.ref, len(order)), r.effective_on)):
        state = now.get(change.ref) or was.get(change.ref)
        name = _name(state) if state else change.ref
        reason = f" Reason: {change.reason}" if change.reason else ""
        line = f"{name}: {change.old} → {change.new} (effective {format_short(change.effective_on)}).{reason}"
        items[DATE_REVISIONS if change.what == "due" else OWNER_CHANGES].append(line)
    return tuple(ChangeGroup(title, tuple(items[title])) for title in GROUPS)

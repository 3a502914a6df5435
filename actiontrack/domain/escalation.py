"""Escalation: how far up an overdue action has gone. Pure: the days overdue and the plan's two thresholds."""

from __future__ import annotations

from datetime import date

MANAGERS, SENIOR = 1, 2
LEVEL_NAMES = {MANAGERS: "the plan managers", SENIOR: "the senior post"}


def days_overdue(due_on: date | None, as_at: date) -> int:
    """Whole days past the due date on `as_at` (0 if not past it or undated)."""
    return max(0, (as_at - due_on).days) if due_on is not None else 0


def levels_reached(overdue_days: int, managers_after: int | None, senior_after: int | None) -> list[int]:
    """The levels an action this many days overdue has reached, lowest first. A threshold left empty is never
    reached; the senior level needs its own threshold whatever the managers' one."""
    reached = []
    if managers_after and overdue_days >= managers_after:
        reached.append(MANAGERS)
    if senior_after and overdue_days >= senior_after:
        reached.append(SENIOR)
    return reached

"""When an action still to be done is overdue or falls due soon: decided here once, for the RAG rating, the
dashboard, the queues, the reminder digests and the API. Pure: the as-at date and the window are passed in."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from .lifecycle import Lifecycle


def is_overdue(lifecycle: str, due_on: date | None, as_at: date) -> bool:
    """Still to be done (not complete, not cancelled) and its due date has passed."""
    return Lifecycle(lifecycle).is_open and due_on is not None and due_on < as_at


def is_due_within(lifecycle: str, due_on: date | None, as_at: date, days: int) -> bool:
    """Still to be done and due from the as-at date to `days` after it, both included (due today is not overdue)."""
    return Lifecycle(lifecycle).is_open and due_on is not None and as_at <= due_on <= as_at + timedelta(days=days)


# "Due soon" on the dashboard and an owner's My actions page: the next 30 days. Reminder emails use the plan's
# own window (Plan.reminder_window_days) and the BRAG at-risk band the plan's RAG window (rag.brag).
DUE_SOON_DAYS = 30


class Deadline(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


def deadline(lifecycle: str, due_on: date | None, as_at: date, window_days: int) -> Deadline | None:
    """Overdue, else due within the window, else neither: an action is never both."""
    if is_overdue(lifecycle, due_on, as_at):
        return Deadline.OVERDUE
    if is_due_within(lifecycle, due_on, as_at, window_days):
        return Deadline.DUE_SOON
    return None

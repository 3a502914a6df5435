"""The lifecycle of an action: what people do to it. (RAG is what the system computes from it.)"""

from __future__ import annotations

from enum import StrEnum


class Lifecycle(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"
    PAUSED = "paused"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def description(self) -> str:
        return _LABELS[self][1]

    @property
    def is_complete(self) -> bool:
        """Completed by the owner, whether or not it has been verified yet."""
        return self in (Lifecycle.COMPLETED, Lifecycle.CLOSED)

    @property
    def needs_reason(self) -> bool:
        return self in (Lifecycle.PAUSED, Lifecycle.CANCELLED)


_LABELS = {
    Lifecycle.NOT_STARTED: ("Not started", "Agreed, but work has not begun."),
    Lifecycle.IN_PROGRESS: ("In progress", "The owner is working on it."),
    Lifecycle.COMPLETED: ("Completed – awaiting verification", "The owner says it is done, with evidence."),
    Lifecycle.CLOSED: ("Closed", "Completed and verified by someone other than the owner."),
    Lifecycle.PAUSED: ("Paused", "Work has stopped for a stated reason."),
    Lifecycle.CANCELLED: ("Cancelled", "No longer to be done, for a stated reason. Kept in the history."),
}

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

    @property
    def is_open(self) -> bool:
        """Still to be done: owners write updates and propose dates only for open actions."""
        return self in (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS, Lifecycle.PAUSED)

    def manager_may_move_to(self, other: Lifecycle) -> bool:
        """What a plan manager may do directly: start, pause, resume, cancel, reinstate. Completion is the
        owner's (with evidence) and closure the verifier's, so they never appear here."""
        return other in _MANAGER_MOVES[self]


# A closure is a verifier's check of the owner's evidence. Where an organisation must close an action with no
# evidence at all, that is a different decision, with a reason, kept as the action's status reason and shown
# wherever the status is: "Closed without evidence: <why>".
CLOSED_WITHOUT_EVIDENCE = "Closed without evidence"


def without_evidence_reason(why: str) -> str:
    return f"{CLOSED_WITHOUT_EVIDENCE}: {why}"


def closed_without_evidence(lifecycle: str, status_reason: str) -> bool:
    """Only a closure without evidence gives a Closed action a status reason."""
    return lifecycle == Lifecycle.CLOSED and status_reason.startswith(CLOSED_WITHOUT_EVIDENCE)


_MANAGER_MOVES = {
    Lifecycle.NOT_STARTED: {Lifecycle.IN_PROGRESS, Lifecycle.PAUSED, Lifecycle.CANCELLED},
    Lifecycle.IN_PROGRESS: {Lifecycle.PAUSED, Lifecycle.CANCELLED},
    Lifecycle.PAUSED: {Lifecycle.IN_PROGRESS, Lifecycle.CANCELLED},
    Lifecycle.CANCELLED: {Lifecycle.IN_PROGRESS},
    Lifecycle.COMPLETED: set(),
    Lifecycle.CLOSED: set(),
}

_LABELS = {
    Lifecycle.NOT_STARTED: ("Not started", "Agreed, but work has not begun."),
    Lifecycle.IN_PROGRESS: ("In progress", "The owner is working on it."),
    Lifecycle.COMPLETED: ("Completed – awaiting verification", "The owner says it is done, with evidence."),
    Lifecycle.CLOSED: ("Closed", "Completed and verified by someone other than the owner."),
    Lifecycle.PAUSED: ("Paused", "Work has stopped for a stated reason."),
    Lifecycle.CANCELLED: ("Cancelled", "No longer to be done, for a stated reason. Kept in the history."),
}

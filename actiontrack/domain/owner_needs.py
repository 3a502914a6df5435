"""What an owner must do about one of their actions, decided once for the My actions page and the reminder
digest (each words the needs its own way and shows the ones it is for). Pure: the facts, the as-at date and
the due-soon window are passed in; what the database knows (an update written, a proposal pending, the
verifier's return) arrives as facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .deadlines import Deadline, deadline
from .lifecycle import Lifecycle


class OwnerNeed(StrEnum):
    RETURNED = "returned"  # the verifier sent it back: add what is missing, complete it again
    UPDATE_MISSING = "update_missing"  # no progress update yet for a period that asks for one
    PROPOSAL_PENDING = "proposal_pending"  # a date proposal waits for the plan manager
    OVERDUE = "overdue"  # complete it with evidence, or propose a new date
    DUE_SOON = "due_soon"  # due within the window
    EVIDENCE_BEFORE_DUE = "evidence_before_due"  # due within the window and no evidence attached yet
    AWAITING_VERIFICATION = "awaiting_verification"  # completed: nothing for the owner, a verifier's turn


@dataclass(frozen=True)
class OwnerFacts:
    lifecycle: str
    due_on: date | None
    has_evidence: bool = False
    update_missing: bool = False
    proposal_pending: bool = False
    returned: bool = False


def owner_needs(facts: OwnerFacts, as_at: date, window_days: int) -> list[OwnerNeed]:
    """The owner's needs for one action, in the order they are shown. Only open actions need the owner; a
    completed one awaits verification; closed and cancelled ones need nothing."""
    life = Lifecycle(facts.lifecycle)
    if life is Lifecycle.COMPLETED:
        return [OwnerNeed.AWAITING_VERIFICATION]
    if not life.is_open:
        return []
    needs = [need for need, present in ((OwnerNeed.RETURNED, facts.returned),
                                         (OwnerNeed.UPDATE_MISSING, facts.update_missing),
                                         (OwnerNeed.PROPOSAL_PENDING, facts.proposal_pending)) if present]
    due = deadline(life, facts.due_on, as_at, window_days)
    if due is Deadline.OVERDUE:
        needs.append(OwnerNeed.OVERDUE)
    elif due is Deadline.DUE_SOON:
        needs.append(OwnerNeed.DUE_SOON)
        if not facts.has_evidence:
            needs.append(OwnerNeed.EVIDENCE_BEFORE_DUE)
    return needs

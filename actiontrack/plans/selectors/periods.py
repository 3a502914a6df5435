"""Reporting periods of a plan: the one running on a day, whether one is locked, which an owner may still
write an update for."""

from __future__ import annotations

from datetime import date

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.domain.journal import CREATED
from actiontrack.domain.periods import Period, period_of, previous_period
from actiontrack.plans.models import Action, PeriodLock, Plan


def current_period(plan: Plan, today: date) -> Period:
    return period_of(today, plan.reporting_period)


def is_locked(plan: Plan, period: Period) -> bool:
    return PeriodLock.objects.filter(plan=plan, period_start=period.start).exists()


def editable_periods(plan: Plan, today: date, *, since: date | None = None) -> list[Period]:
    """This period and the one before it, unless locked: owners finish last month's update in the first days
    of this one, until the plan manager locks it for the board paper. With `since` (the day an action was
    added), only periods from then on."""
    return updatable(plan, today, since=since)[0]


def updatable(plan: Plan, today: date, *, since: date | None = None) -> tuple[list[Period], bool]:
    """editable_periods, and whether the current period is locked, in one query."""
    this = current_period(plan, today)
    candidates = [this, previous_period(this, plan.reporting_period)]
    locked = set(PeriodLock.objects.filter(plan=plan, period_start__in=[p.start for p in candidates])
                 .values_list("period_start", flat=True))
    return [p for p in candidates if plan.has_updates_for(p) and p.start not in locked
            and (since is None or p.end >= since)], this.start in locked


def added_on(action: Action, *, journal: list[JournalEvent] | None = None) -> date:
    """The date the action took effect in the plan (its creation event), from `journal` (the action's events,
    history.action_journal) if the caller has read it."""
    if journal is not None:
        return next(event.effective_on for event in journal if event.entity_type == EntityType.ACTION
                    and event.entity_id == action.pk and event.field == CREATED)
    return JournalEvent.objects.get(entity_type=EntityType.ACTION, entity_id=action.pk, field=CREATED).effective_on

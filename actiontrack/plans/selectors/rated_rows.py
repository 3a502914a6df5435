"""Ratings worked out in the database, for reads across many actions (the dashboard's counts, the API's list
filtered by RAG colour): each action's due date as the date standing for its interval between the scheme's
cutoffs (domain.rag.due_cutoffs), so the database groups or filters and the Python rules rate each interval once.
Only for plans whose rows hold the state on the date (nothing in their journal takes effect later)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date, timedelta
from functools import reduce

from django.db.models import Case, DateField, Q, Value, When

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.rag import due_cutoffs
from actiontrack.plans.models import Plan


def later_changes(plans, as_at: date) -> set[int]:
    """Ids of the plans with a change to a recommendation or an action taking effect after `as_at`: their rows do
    not hold that day's state, and must be replayed (selectors.plan_as_at)."""
    return set(JournalEvent.objects.filter(
        plan__in=plans, effective_on__gt=as_at, entity_type__in=[EntityType.RECOMMENDATION, EntityType.ACTION])
        .order_by().values_list("plan_id", flat=True).distinct())


def by_scheme(plans: list[Plan]) -> list[list[Plan]]:
    """The plans grouped by RAG scheme (and window): one query per scheme in use, whatever the number of plans."""
    groups: dict[tuple, list[Plan]] = {}
    for plan in plans:
        groups.setdefault((plan.rag_scheme, plan.rag_window_days), []).append(plan)
    return list(groups.values())


def interval(cutoffs: list[date]):
    """The database's domain.rag.due_interval: each due date as the date standing for its interval."""
    whens = [When(due_on__lt=cutoffs[0], then=Value(cutoffs[0] - timedelta(days=1)))]
    whens += [When(due_on__lt=after, then=Value(cutoff)) for cutoff, after in zip(cutoffs, cutoffs[1:], strict=False)]
    whens.append(When(due_on__gte=cutoffs[-1], then=Value(cutoffs[-1])))
    return Case(*whens, default=None, output_field=DateField())


def between(cutoffs: list[date], standing: date | None) -> Q:
    """The due dates whose interval `standing` stands for (the inverse of `interval`); None: no due date."""
    if standing is None:
        return Q(due_on=None)
    if standing < cutoffs[0]:
        return Q(due_on__lt=cutoffs[0])
    later = [cutoff for cutoff in cutoffs if cutoff > standing]
    return Q(due_on__gte=standing, due_on__lt=later[0]) if later else Q(due_on__gte=standing)


def standing_dates(cutoffs: list[date]) -> list[date | None]:
    """One due date standing for each interval, and None for actions with no due date."""
    return [None, cutoffs[0] - timedelta(days=1), *cutoffs]


def matching(plans: list[Plan], as_at: date, holds: Callable[[Lifecycle, date | None, object], bool],
             windows: tuple[int, ...] = ()) -> Q:
    """The actions of `plans` for which `holds(lifecycle, due date, scheme)` is true as at `as_at`, as a filter:
    every lifecycle and interval is tried once in Python, and the database is given the ones that hold: for each
    scheme in use, its plans once, and each interval once with the lifecycles that hold there (a condition per
    scheme, lifecycle and interval, or per plan, cost more to build than the read it asks for)."""
    found = Q(pk__in=[])
    for group in by_scheme(plans):
        scheme = group[0].scheme
        cutoffs = due_cutoffs(scheme, as_at, windows)
        intervals = [Q(lifecycle__in=lives) & between(cutoffs, standing) for standing in standing_dates(cutoffs)
                     if (lives := [life for life in Lifecycle if holds(life, standing, scheme)])]
        if intervals:
            found |= Q(plan_id__in=[plan.pk for plan in group]) & reduce(operator.or_, intervals)
    return found

"""Each action's latest progress update as at a date: what the plan page's and the board report's Progress
column show. Two queries whatever the number of actions: the latest period per action, then those updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db.models import Count, Max, Sum

from actiontrack.domain.periods import Period, period_of
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan, ProgressUpdate, shown_name_of


@dataclass(frozen=True)
class Progress:
    """An action's latest update written for a period on or before the one asked about."""

    text: str
    period: Period  # the period the update is for
    author: str
    asked: Period  # the period asked about: the as-at date's

    @property
    def is_for_period(self) -> bool:
        return self.period == self.asked

    @property
    def byline(self) -> str:
        """ "November 2021, by Chris Parker" """
        return f"{self.period.label}, by {self.author}" if self.author else self.period.label


def no_update(period: Period) -> str:
    """What an action with no update for the period shows: never an empty cell."""
    return f"No update for {period.label}"


def latest_progress(plan: Plan, as_at: date, action_ids=None) -> dict[int, Progress]:
    """Per action id: its latest update for a period starting on or before `as_at` (the update for November is
    written in the first days of December, and still belongs to a report as at 30 November)."""
    updates = ProgressUpdate.objects.filter(action__plan=plan, period_start__lte=as_at)
    if action_ids is not None:
        updates = updates.filter(action_id__in=list(action_ids))
    return _latest(updates, as_at, lambda action_id: plan)


def latest_progress_across(plans: dict[int, Plan], as_at: date) -> dict[int, Progress]:
    """The same for actions of several plans (`plans`: each action id's plan), in the same two queries."""
    updates = ProgressUpdate.objects.filter(action_id__in=list(plans), period_start__lte=as_at)
    return _latest(updates, as_at, plans.__getitem__)


def _latest(updates, as_at: date, plan_of) -> dict[int, Progress]:
    latest = dict(updates.order_by().values("action_id").annotate(latest=Max("period_start"))
                  .values_list("action_id", "latest"))
    # Read as plain values, the author's name from its columns: building an update and an account per action
    # was three quarters of this read's cost (a 500-action plan's Progress column, each time it is built).
    period = cache(period_of)  # the same few periods for every action
    found: dict[int, Progress] = {}
    for action_id, start, text, recorded, first_name, last_name, username in (
            updates.filter(period_start__in=set(latest.values())).order_by("action_id").values_list(
                "action_id", "period_start", "text", "author_name", "author__first_name", "author__last_name",
                "author__username")):
        if latest.get(action_id) == start:
            kind = plan_of(action_id).reporting_period
            found[action_id] = Progress(
                text=text, period=period(start, kind), author=shown_name_of(first_name, last_name, username, recorded),
                asked=period(as_at, kind))
    return found


def progress_stamp(action_ids: list[int], as_at: date) -> tuple:
    """What changes whenever the latest progress as at the date of any of these actions could: how many updates
    they have for periods begun by then, the newest, and the sum of their versions (each edit adds one). One
    small read, to name a kept page by (updates are written and edited, never deleted)."""
    found = ProgressUpdate.objects.filter(action_id__in=action_ids, period_start__lte=as_at).aggregate(
        n=Count("id"), edits=Sum("version"), newest=Max("id"))
    return found["n"], found["edits"], found["newest"]


def kept_progress_stamp(plan: Plan, as_at: date, action_ids: list[int]) -> tuple:
    """progress_stamp, kept until the plan's progress counter moves (see kept_progress_stamps)."""
    return readcache.get_or_build(("progress_stamp", *_progress_version(plan), as_at, tuple(action_ids)),
                                  lambda: progress_stamp(action_ids, as_at))


def kept_progress_stamps(plan: Plan, as_at: date) -> dict[int, tuple]:
    """progress_stamps, for a plan loaded in this request before any of its data (readcache.loaded_version),
    kept until its progress counter moves: the journal moves it with every progress update, in the same
    transaction (core.journal.VERSION_MOVED). So the grouped read, which grows with the plan's history, is made
    once after each update rather than on every view."""
    return readcache.get_or_build(("progress_stamps", *_progress_version(plan), as_at),
                                  lambda: progress_stamps(plan, as_at))


def _progress_version(plan: Plan) -> tuple:
    # Read with the plan's row, before its updates: a value is never kept under a newer counter than its data.
    return (*readcache.loaded_version(plan), plan.progress_version)


def progress_stamps(plan: Plan, as_at: date) -> dict[int, tuple]:
    """Per recommendation id: progress_stamp of its actions' updates, in one grouped read, so a page kept by
    recommendation renders again only those whose progress changed."""
    rows = (ProgressUpdate.objects.filter(action__plan=plan, period_start__lte=as_at).order_by()
            .values("action__recommendation_id").annotate(n=Count("id"), edits=Sum("version"), newest=Max("id"))
            .values_list("action__recommendation_id", "n", "edits", "newest"))
    return {rec_id: (n, edits, newest) for rec_id, n, edits, newest in rows}

"""Each action's latest progress update as at a date: what the plan page's and the board report's Progress
column show. Two queries whatever the number of actions: the latest period per action, then those updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Sum

from actiontrack.domain.periods import Period, period_of
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan, ProgressUpdate


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
    found: dict[int, Progress] = {}
    for update in (updates.filter(period_start__in=set(latest.values())).select_related("author")
                   .order_by("action_id")):
        if latest.get(update.action_id) == update.period_start:
            kind = plan_of(update.action_id).reporting_period
            found[update.action_id] = Progress(
                text=update.text, period=period_of(update.period_start, kind), author=update.author_shown,
                asked=period_of(as_at, kind))
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

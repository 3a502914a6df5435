"""The portfolio dashboard's reads: every plan a person can see, as at a date, with its RAG counts, what
is overdue, what falls due soon, revisions this period and the trend across its issued reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE
from actiontrack.core.models import JournalEvent
from actiontrack.domain.deadlines import DUE_SOON_DAYS, is_due_within, is_overdue
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.periods import Period, period_of
from actiontrack.domain.rag import Band
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.selectors import ActionRow, plan_as_at


@dataclass(frozen=True)
class TrendPoint:
    label: str  # e.g. "30/11/2021"
    as_at: date
    counts: tuple[tuple[Band, int], ...]


@dataclass
class PlanSummary:
    version: tuple  # the plan's read version (readcache) this summary was built from
    plan: Plan
    total: int  # actions, after the post filter
    counts: list[tuple[Band, int]]
    overdue: list[ActionRow]
    due_soon: list[ActionRow]
    period: Period
    revisions_this_period: int
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def cache_weight(self) -> int:
        """Roughly the bytes it holds (readcache): the actions it lists, not the whole plan."""
        return 1_000 + 5_000 * (len(self.overdue) + len(self.due_soon))


@dataclass
class Portfolio:
    as_at: date
    plans: list[PlanSummary]
    skipped: list[Plan]  # plans agreed after the as-at date

    @property
    def totals(self) -> list[tuple[Band, int]]:
        """Counts by band across plans, in first-seen order; plans with other schemes add their bands."""
        totals: dict[str, list] = {}
        for summary in self.plans:
            for band, count in summary.counts:
                entry = totals.setdefault(band.title, [band, 0])
                entry[1] += count
        return [(band, count) for band, count in totals.values()]


# Issued board reports supply the trend; the reports app registers its reader here (None: no trend).
TrendSource = Callable[[Plan, date], list[TrendPoint]]
trend_source: TrendSource | None = None


def _summary(plan: Plan, version: tuple, post_name: str, as_at: date) -> PlanSummary:
    view = plan_as_at(plan, as_at, version=version)
    actions = [a for a in view.actions if not post_name or any(o.post == post_name for o in a.owners)]
    counts = {band.key: 0 for band in view.scheme.bands}
    for action in actions:
        counts[action.rating.band.key] += 1
    shown = [(band, counts[band.key]) for band in view.scheme.bands if band.in_key or counts[band.key]]
    open_actions = [a for a in actions if not a.lifecycle.is_complete and a.lifecycle is not Lifecycle.CANCELLED]
    period = period_of(as_at, view.plan.reporting_period)
    ids = [a.id for a in actions]
    revisions = JournalEvent.objects.filter(plan=view.plan, entity_type=EntityType.ACTION, field=DUE,
                                            entity_id__in=ids, effective_on__gte=period.start,
                                            effective_on__lte=as_at).count()
    return PlanSummary(
        version=version, plan=plan, total=len(actions), counts=shown, period=period,
        revisions_this_period=revisions,
        overdue=sorted((a for a in open_actions if is_overdue(a.lifecycle, a.due_on, as_at)), key=lambda a: a.due_on),
        due_soon=sorted((a for a in open_actions if is_due_within(a.lifecycle, a.due_on, as_at, DUE_SOON_DAYS)),
                        key=lambda a: a.due_on),
        trend=trend_source(view.plan, as_at) if trend_source else [],
    )


def portfolio(user, as_at: date, today: date, *, plan_reference: str = "", source_kind: str = "",
              post_name: str = "", visible: list[Plan] | None = None) -> Portfolio:
    """`visible`: the plans this person can see, just loaded (the dashboard has them already); read if left out."""
    if visible is None:
        visible = list(visible_plans(user, today).order_by("title"))
    plans = [plan for plan in visible if (not plan_reference or plan.reference == plan_reference)
             and (not source_kind or plan.source_kind == source_kind)]
    summaries, skipped = [], []
    for plan in plans:
        if as_at < plan.agreed_on:
            skipped.append(plan)
            continue
        version = readcache.loaded_version(plan)  # just loaded, before any of its data
        summary = readcache.get_or_build(("plan_summary", version, as_at, post_name),
                                         partial(_summary, plan, version, post_name, as_at))
        if post_name and not summary.total:
            continue
        summaries.append(summary)
    return Portfolio(as_at=as_at, plans=summaries, skipped=skipped)

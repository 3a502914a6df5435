"""The portfolio dashboard's reads: every plan a person can see, as at a date, with its RAG counts, what
is overdue, what falls due soon, revisions this period and the trend across its issued reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE
from actiontrack.core.models import JournalEvent
from actiontrack.domain.deadlines import DUE_SOON_DAYS, is_due_within, is_overdue
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.periods import Period, period_of
from actiontrack.domain.rag import ActionFacts, Band, band_of
from actiontrack.plans import readcache
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.selectors import plan_as_at


@dataclass(frozen=True)
class TrendPoint:
    label: str  # e.g. "30/11/2021"
    as_at: date
    counts: tuple[tuple[Band, int], ...]


@dataclass(frozen=True)
class DueAction:
    """An action the dashboard lists as overdue or due soon."""

    ref: str
    slug: str
    due_on: date
    due_condition: str


@dataclass
class PlanSummary:
    version: tuple  # the plan's read version (readcache) this summary was built from
    plan: Plan
    total: int  # actions, after the post filter
    counts: list[tuple[Band, int]]
    overdue: list[DueAction]
    due_soon: list[DueAction]
    period: Period
    revisions_this_period: int
    trend: list[TrendPoint] = field(default_factory=list)


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


# Issued board reports supply the trend; the reports app registers its reader here (None: no trend). It reads
# every plan's at once: {plan id: points}.
TrendSource = Callable[[list[Plan], date], dict[int, list[TrendPoint]]]
trend_source: TrendSource | None = None


def _shown_counts(counts: dict[str, int], scheme) -> list[tuple[Band, int]]:
    return [(band, counts[band.key]) for band in scheme.bands if band.in_key or counts[band.key]]


def _due_lists(actions, as_at: date) -> tuple[list[DueAction], list[DueAction]]:
    """(overdue, due soon) of (lifecycle, DueAction) pairs in display order, each list by due date."""
    overdue = [due for life, due in actions if is_overdue(life, due.due_on, as_at)]
    soon = [due for life, due in actions if is_due_within(life, due.due_on, as_at, DUE_SOON_DAYS)]
    return sorted(overdue, key=lambda a: a.due_on), sorted(soon, key=lambda a: a.due_on)


def summary_replayed(plan: Plan, version: tuple, post_name: str, as_at: date) -> PlanSummary:
    """One plan's summary from the plan as at the date (replayed from its journal when anything in it takes
    effect later). summaries_from_rows gives the same for plans whose rows hold that state."""
    view = plan_as_at(plan, as_at, version=version)
    actions = [a for a in view.actions if not post_name or any(o.post == post_name for o in a.owners)]
    counts = {band.key: 0 for band in view.scheme.bands}
    for action in actions:
        counts[action.rating.band.key] += 1
    period = period_of(as_at, view.plan.reporting_period)
    ids = [a.id for a in actions]
    revisions = JournalEvent.objects.filter(plan=view.plan, entity_type=EntityType.ACTION, field=DUE,
                                            entity_id__in=ids, effective_on__gte=period.start,
                                            effective_on__lte=as_at).count()
    overdue, soon = _due_lists([(a.lifecycle, DueAction(a.ref, a.slug, a.due_on, a.due_condition)) for a in actions
                                if a.due_on is not None], as_at)
    return PlanSummary(version=version, plan=plan, total=len(actions), counts=_shown_counts(counts, view.scheme),
                       period=period, revisions_this_period=revisions, overdue=overdue, due_soon=soon)


_OPEN = [life.value for life in Lifecycle if life.is_open]


def summaries_from_rows(plans: list[Plan], post_name: str, as_at: date) -> list[PlanSummary]:
    """The summaries of plans in which nothing takes effect after `as_at` (the usual case: today), from their
    current rows, which the services keep equal to the replayed journal: a few queries for all the plans
    together, whatever their number and size. Each action's band is the RAG rules' (domain.rag.band_of) for
    its lifecycle and due date, and actions sharing both are rated once."""
    by_id = {plan.pk: plan for plan in plans}
    actions = Action.objects.filter(plan__in=by_id)
    if post_name:  # owned, as lead or supporting owner, by the post of that name
        owned = Q(owner_posts__name=post_name) | Q(supporting_posts__name=post_name)
        actions = Action.objects.filter(pk__in=actions.filter(owned).values("pk"))
    counts: dict[int, dict[str, int]] = {pk: {band.key: 0 for band in plan.scheme.bands} for pk, plan in by_id.items()}
    totals = dict.fromkeys(by_id, 0)
    for plan_id, life, due_on, n in (actions.order_by().values_list("plan_id", "lifecycle", "due_on")
                                     .annotate(n=Count("pk"))):
        counts[plan_id][band_of(ActionFacts(Lifecycle(life), due_on), as_at, by_id[plan_id].scheme).key] += n
        totals[plan_id] += n
    due: dict[int, list] = {pk: [] for pk in by_id}
    in_order = actions.filter(lifecycle__in=_OPEN, due_on__lte=as_at + timedelta(days=DUE_SOON_DAYS)).order_by(
        Coalesce("recommendation__group__position", 0), "recommendation__position", "recommendation_id", "position",
        "pk")
    for plan_id, life, ref, slug, due_on, condition in in_order.values_list(
            "plan_id", "lifecycle", "ref", "slug", "due_on", "due_condition"):
        due[plan_id].append((life, DueAction(ref, slug, due_on, condition)))
    periods = {pk: period_of(as_at, plan.reporting_period) for pk, plan in by_id.items()}
    revisions = dict.fromkeys(by_id, 0)
    events = JournalEvent.objects.filter(plan__in=by_id, entity_type=EntityType.ACTION, field=DUE,
                                         effective_on__gte=min((p.start for p in periods.values()), default=as_at),
                                         effective_on__lte=as_at)
    if post_name:
        events = events.filter(entity_id__in=actions.values("pk"))
    for plan_id, effective_on, n in events.order_by().values_list("plan_id", "effective_on").annotate(n=Count("pk")):
        if effective_on >= periods[plan_id].start:
            revisions[plan_id] += n
    summaries = []
    for pk, plan in by_id.items():
        overdue, soon = _due_lists(due[pk], as_at)
        summaries.append(PlanSummary(
            version=readcache.loaded_version(plan), plan=plan, total=totals[pk],
            counts=_shown_counts(counts[pk], plan.scheme), period=periods[pk], revisions_this_period=revisions[pk],
            overdue=overdue, due_soon=soon))
    return summaries


def _summaries(plans: list[Plan], post_name: str, as_at: date) -> list[PlanSummary]:
    """Each plan's summary as at the date, in the order given, with its trend: from the rows for every plan
    in which nothing takes effect later, replayed for the others."""
    later = set(JournalEvent.objects.filter(
        plan__in=plans, effective_on__gt=as_at, entity_type__in=[EntityType.RECOMMENDATION, EntityType.ACTION])
        .order_by().values_list("plan_id", flat=True).distinct())
    from_rows = {s.plan.pk: s for s in summaries_from_rows([p for p in plans if p.pk not in later], post_name, as_at)}
    trends = trend_source(plans, as_at) if trend_source else {}
    summaries = []
    for plan in plans:
        summary = from_rows.get(plan.pk) or summary_replayed(plan, readcache.loaded_version(plan), post_name, as_at)
        summary.trend = trends.get(plan.pk, [])
        summaries.append(summary)
    return summaries


def portfolio(user, as_at: date, today: date, *, plan_reference: str = "", source_kind: str = "",
              post_name: str = "", visible: list[Plan] | None = None) -> Portfolio:
    """`visible`: the plans this person can see, just loaded (the dashboard has them already); read if left out.
    Each plan's summary is kept by its read version (readcache); those not kept are built together."""
    if visible is None:
        visible = list(visible_plans(user, today).order_by("title"))
    plans = [plan for plan in visible if (not plan_reference or plan.reference == plan_reference)
             and (not source_kind or plan.source_kind == source_kind)]
    skipped = [plan for plan in plans if as_at < plan.agreed_on]
    shown = [plan for plan in plans if as_at >= plan.agreed_on]
    # Each plan's version was read with the plan, before any of its data.
    keys = [("plan_summary", readcache.loaded_version(plan), as_at, post_name) for plan in shown]
    summaries = readcache.get_many_or_build(
        keys, lambda missing: _summaries([shown[i] for i in missing], post_name, as_at))
    if post_name:
        summaries = [summary for summary in summaries if summary.total]
    return Portfolio(as_at=as_at, plans=summaries, skipped=skipped)

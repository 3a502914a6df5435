"""The portfolio dashboard's reads: every plan a person can see, as at a date, with its RAG counts, what
is overdue, what falls due soon, revisions this period and the trend across its issued reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Left, RowNumber
from django.db.models.lookups import Exact

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE
from actiontrack.core.models import JournalEvent
from actiontrack.domain.assurance import LEVELS, AssuranceFacts, Level, level_of
from actiontrack.domain.deadlines import DUE_SOON_DAYS, is_due_within, is_overdue
from actiontrack.domain.lifecycle import CLOSED_WITHOUT_EVIDENCE, Lifecycle
from actiontrack.domain.periods import Period, period_of
from actiontrack.domain.rag import ActionFacts, Band, band_of, due_cutoffs
from actiontrack.plans import readcache
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.selectors import plan_as_at
from actiontrack.plans.selectors.measures import held_actions
from actiontrack.plans.selectors.rated_rows import by_scheme, interval, later_changes, matching


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


@dataclass(frozen=True)
class Slip:
    """An action whose due date in force is not the one first agreed."""

    ref: str
    slug: str
    baseline_on: date
    due_on: date
    due_condition: str
    revisions: int

    @property
    def days(self) -> int:
        """Days later than the baseline (negative: brought forward)."""
        return (self.due_on - self.baseline_on).days


SLIPS_LISTED = 5  # the dashboard's most slipped and most revised actions, each plan's and all plans'


def _most(slips: list[Slip]) -> tuple[list[Slip], list[Slip]]:
    """(the most slipped, the most revised): each the first SLIPS_LISTED, ties in the plan's order as given."""
    slipped = sorted((s for s in slips if s.days > 0), key=lambda s: -s.days)[:SLIPS_LISTED]
    revised = sorted(slips, key=lambda s: (-s.revisions, -s.days))[:SLIPS_LISTED]
    return slipped, revised


# The dashboard names the first few actions of each list, soonest due first, and says how many more there are: a
# plan with hundreds overdue would otherwise fill the page with references nobody reads there.
LISTED = 10


@dataclass
class PlanSummary:
    version: tuple  # the plan's read version (readcache) this summary was built from
    plan: Plan
    total: int  # actions, after the post filter
    counts: list[tuple[Band, int]]
    overdue: list[DueAction]  # the first LISTED, by due date then the plan's order
    overdue_count: int
    due_soon: list[DueAction]  # the same
    due_soon_count: int
    period: Period
    revisions_this_period: int
    trend: list[TrendPoint] = field(default_factory=list)
    slipped: list[Slip] = field(default_factory=list)  # the most days later than agreed, most first
    assurance: list[tuple[Level, int]] = field(default_factory=list)  # actions per assurance level, surest first
    revised: list[Slip] = field(default_factory=list)  # the most revised, most first

    @property
    def overdue_more(self) -> int:
        return self.overdue_count - len(self.overdue)

    @property
    def due_soon_more(self) -> int:
        return self.due_soon_count - len(self.due_soon)


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

    @property
    def most_slipped(self) -> list[tuple[Plan, Slip]]:
        """Across the plans shown, the actions furthest behind the dates first agreed."""
        every = [(summary.plan, slip) for summary in self.plans for slip in summary.slipped]
        return sorted(every, key=lambda pair: -pair[1].days)[:SLIPS_LISTED]

    @property
    def most_revised(self) -> list[tuple[Plan, Slip]]:
        every = [(summary.plan, slip) for summary in self.plans for slip in summary.revised]
        return sorted(every, key=lambda pair: (-pair[1].revisions, -pair[1].days))[:SLIPS_LISTED]


# Issued board reports supply the trend; the reports app registers its reader here (None: no trend). It reads
# every plan's at once: {plan id: points}.
TrendSource = Callable[[list[Plan], date], dict[int, list[TrendPoint]]]
trend_source: TrendSource | None = None


def _shown_counts(counts: dict[str, int], scheme) -> list[tuple[Band, int]]:
    return [(band, counts[band.key]) for band in scheme.bands if band.in_key or counts[band.key]]


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
    overdue = sorted((a for a in actions if is_overdue(a.lifecycle, a.due_on, as_at)), key=lambda a: a.due_on)
    soon = sorted((a for a in actions if is_due_within(a.lifecycle, a.due_on, as_at, DUE_SOON_DAYS)),
                  key=lambda a: a.due_on)
    listed = [[DueAction(a.ref, a.slug, a.due_on, a.due_condition) for a in found[:LISTED]]
              for found in (overdue, soon)]
    slipped, revised = _most([Slip(a.ref, a.slug, a.baseline_on, a.due_on, a.due_condition, a.revisions)
                              for a in actions if a.revisions and a.baseline_on and a.due_on])
    assured = _levels(Counter(a.assurance.level for a in actions))
    return PlanSummary(version=version, plan=plan, total=len(actions), counts=_shown_counts(counts, view.scheme),
                       period=period, revisions_this_period=revisions, overdue=listed[0], overdue_count=len(overdue),
                       due_soon=listed[1], due_soon_count=len(soon), slipped=slipped, revised=revised,
                       assurance=assured)


def summaries_from_rows(plans: list[Plan], post_name: str, as_at: date) -> list[PlanSummary]:
    """The summaries of plans in which nothing takes effect after `as_at` (the usual case: today), from their
    current rows, which the services keep equal to the replayed journal: a few queries for all the plans
    together (one more for each further RAG scheme in use), whatever their number and size.

    A band depends only on the lifecycle and on which interval between the scheme's cutoffs the due date falls
    in (domain.rag.due_cutoffs), and so do overdue and due soon: the database counts actions per plan,
    lifecycle and interval, and each of those few groups is rated once by the Python rules. Only the first
    LISTED overdue and due-soon actions of each plan are read."""
    by_id = {plan.pk: plan for plan in plans}
    actions = Action.objects.filter(plan__in=by_id)
    if post_name:  # owned, as lead or supporting owner, by the post of that name
        owned = Q(owner_posts__name=post_name) | Q(supporting_posts__name=post_name)
        actions = Action.objects.filter(pk__in=actions.filter(owned).values("pk"))
    counts: dict[int, dict[str, int]] = {pk: {band.key: 0 for band in plan.scheme.bands} for pk, plan in by_id.items()}
    totals, overdue, soon = dict.fromkeys(by_id, 0), dict.fromkeys(by_id, 0), dict.fromkeys(by_id, 0)
    assured: dict[int, Counter] = {pk: Counter() for pk in by_id}
    facts = _assurance_facts(held_actions(list(by_id), as_at))
    for group in by_scheme(list(by_id.values())):
        plan_ids, scheme = [plan.pk for plan in group], group[0].scheme
        cutoffs = due_cutoffs(scheme, as_at, (DUE_SOON_DAYS,))
        # What decides the band and what decides the assurance level, counted in one pass over the actions.
        groups = (actions.filter(plan__in=plan_ids).order_by().annotate(interval=interval(cutoffs), **facts)
                  .values_list("plan_id", "lifecycle", "interval", *facts).annotate(n=Count("pk")))
        for plan_id, life, standing, without, external, held, n in groups:
            counts[plan_id][band_of(ActionFacts(Lifecycle(life), standing), as_at, scheme).key] += n
            totals[plan_id] += n
            late, due_soon = is_overdue(life, standing, as_at), is_due_within(life, standing, as_at, DUE_SOON_DAYS)
            overdue[plan_id] += n if late else 0
            soon[plan_id] += n if due_soon else 0
            assured[plan_id][level_of(AssuranceFacts(Lifecycle(life), bool(without), {"status": external} if external
                                                     else None, measure_held=bool(held)))] += n
    due: dict[int, tuple[list, list]] = {pk: ([], []) for pk in by_id}
    if any(overdue.values()) or any(soon.values()):
        # The actions of the groups counted as overdue or due soon, asked as the few (lifecycle, interval) pairs
        # the rules pick out (rated_rows.matching), not one condition per plan and group: building and planning
        # a filter of one condition per group cost more than the read.
        listed = matching(list(by_id.values()), as_at, lambda life, standing, _scheme: is_overdue(
            life, standing, as_at) or is_due_within(life, standing, as_at, DUE_SOON_DAYS), (DUE_SOON_DAYS,))
        late = Q(due_on__lt=as_at)  # is_overdue for the groups above, which are all open and dated
        first = (actions.filter(listed).annotate(
            late=Case(When(late, then=True), default=False), rank=Window(RowNumber(), partition_by=[
                F("plan_id"), Case(When(late, then=True), default=False)], order_by=[
                F("due_on"), Coalesce("recommendation__group__position", 0), "recommendation__position",
                "recommendation_id", "position", "pk"])).filter(rank__lte=LISTED)
            .order_by("plan_id", "rank"))
        for plan_id, is_late, ref, slug, due_on, condition in first.values_list(
                "plan_id", "late", "ref", "slug", "due_on", "due_condition"):
            due[plan_id][0 if is_late else 1].append(DueAction(ref, slug, due_on, condition))
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
    most = _most_from_rows(actions, by_id)
    return [PlanSummary(
        version=readcache.loaded_version(plan), plan=plan, total=totals[pk],
        counts=_shown_counts(counts[pk], plan.scheme), period=periods[pk], revisions_this_period=revisions[pk],
        overdue=due[pk][0], overdue_count=overdue[pk], due_soon=due[pk][1], due_soon_count=soon[pk],
        slipped=most[pk][0], revised=most[pk][1], assurance=_levels(assured[pk]))
        for pk, plan in by_id.items()]


def _most_from_rows(actions, by_id: dict) -> dict[int, tuple[list[Slip], list[Slip]]]:
    """_most for each plan, reading only the actions it lists: the database ranks each plan's slipped actions
    both ways _most sorts them, in one pass (most days later first, those not later last; most revisions first;
    ties in the plan's order), rather than every revised action of every plan being read and sorted here
    (thousands of rows at 10,000 actions)."""
    days = F("due_on") - F("baseline_on")
    later_first = Case(When(due_on__gt=F("baseline_on"), then=0), default=1)
    ranked = (actions.filter(revisions__gt=0, baseline_on__isnull=False, due_on__isnull=False).annotate(
        by_days=Window(RowNumber(), partition_by=[F("plan_id")], order_by=[later_first.asc(), days.desc(),
                                                                           *PLAN_ORDER]),
        by_revisions=Window(RowNumber(), partition_by=[F("plan_id")], order_by=[F("revisions").desc(), days.desc(),
                                                                               *PLAN_ORDER]))
        .filter(Q(by_days__lte=SLIPS_LISTED) | Q(by_revisions__lte=SLIPS_LISTED)).order_by())
    rows: dict[int, list[tuple[int, int, Slip]]] = {pk: [] for pk in by_id}
    for plan_id, by_days, by_revisions, *row in ranked.values_list(
            "plan_id", "by_days", "by_revisions", "ref", "slug", "baseline_on", "due_on", "due_condition", "revisions"):
        rows[plan_id].append((by_days, by_revisions, Slip(*row)))
    first = SLIPS_LISTED
    return {pk: ([slip for rank, _, slip in sorted(found, key=lambda r: r[0]) if rank <= first and slip.days > 0],
                 [slip for _, rank, slip in sorted(found, key=lambda r: r[1]) if rank <= first])
            for pk, found in rows.items()}


def _levels(counts: Counter) -> list[tuple[Level, int]]:
    return [(level, counts[level]) for level in LEVELS if counts[level]]


def _assurance_facts(held: set[int]) -> dict:
    """What decides an action's assurance level besides its lifecycle (domain.assurance.level_of), as database
    expressions to count actions by: closed without evidence, the external closure's status, and whether a
    measure that held vouches for it."""
    # Compared exactly, as domain.lifecycle.closed_without_evidence does (SQLite's LIKE, which startswith
    # becomes, ignores case).
    head = Left("lifecycle_reason", len(CLOSED_WITHOUT_EVIDENCE))
    return {"without": Case(When(Exact(head, Value(CLOSED_WITHOUT_EVIDENCE)), lifecycle=Lifecycle.CLOSED, then=True),
                            default=False),
            "external": KT("external_closure__status"),
            "held": Case(When(pk__in=held, then=True), default=False) if held else Value(False)}


# The order actions are shown in a plan (as the replayed plan lists them), so ties come out the same both ways.
PLAN_ORDER = (Coalesce("recommendation__group__position", 0), "recommendation__position", "recommendation_id",
              "position", "pk")


def _summaries(plans: list[Plan], post_name: str, as_at: date) -> list[PlanSummary]:
    """Each plan's summary as at the date, in the order given, with its trend: from the rows for every plan
    in which nothing takes effect later, replayed for the others."""
    later = later_changes(plans, as_at)
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

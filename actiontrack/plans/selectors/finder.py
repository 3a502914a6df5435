"""Finding actions across every plan a person can see (/actions/): search, filters and a sort, as at a date.

Plans whose rows hold their state on the date (today, or any date with no change taking effect later) are
searched, sorted, counted and paged in the database: the same few queries whatever the number of plans and
actions; a page of them is kept in the read cache until one of the plans changes (kept_find). When a plan has
changes after the date, every plan is taken as replayed to the date (plan_as_at, kept in the read cache) and the
same rules are applied to its rows in Python; tests keep the two ways in agreement.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, replace
from datetime import date, timedelta

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When

from actiontrack.domain.deadlines import is_due_within, is_overdue
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.periods import period_of
from actiontrack.domain.rag import COLOURS, ActionFacts, band_of, due_cutoffs
from actiontrack.people.models import Post, PostHolding
from actiontrack.plans import readcache
from actiontrack.plans.models import Action, Plan, ProgressUpdate

from .action_list import plans_spanned, rows_of
from .as_at import ActionRow, plan_as_at
from .rated_rows import between, by_scheme, later_changes, matching, standing_dates

# The orders people can sort by, each also backwards ("-due"). "plan": the plans in reference order, each in its
# own display order, which also breaks every other order's ties.
SORTS = {"plan": "Plan and reference", "due": "Due date", "rag": "Status", "lifecycle": "Progress",
         "owner": "Owner", "revised": "Times the date was revised"}
COLOUR_ORDER = {colour: n for n, colour in enumerate(COLOURS)}  # red first: the most urgent
OPEN = [life for life in Lifecycle if life.is_open]
LIFECYCLE_ORDER = {life: n for n, life in enumerate(Lifecycle)}


@dataclass(frozen=True)
class Search:
    """What a person asked for; empty or None: not filtered."""

    q: str = ""
    plans: tuple[str, ...] = ()  # plan references
    group: str = ""  # a group's name
    source: str = ""  # the plan's source kind (plans.choices.SourceKind)
    rag: str = ""  # a colour name (every band of that colour) or a band's key ("undated", "cancelled")
    lifecycle: Lifecycle | None = None
    owner_post: int | None = None  # owned by this post, as lead or supporting owner
    owner_person: int | None = None  # owned by a post this person held on the date
    due_within: int | None = None  # open and due in the days from the date
    due_before: date | None = None
    due_after: date | None = None
    overdue: bool | None = None  # True: only overdue ones; False: only the others
    revised: bool = False  # its due date was revised at least once
    no_update: bool = False  # open, with no progress update for its plan's period of the date
    awaiting_verification: bool = False  # completed by its owner, not yet closed by a verifier
    sort: str = "plan"

    @property
    def order(self) -> tuple[str, bool]:
        """(the sort's name, descending)."""
        name = self.sort.removeprefix("-")
        return (name if name in SORTS else "plan"), self.sort.startswith("-") and name in SORTS


@dataclass(frozen=True)
class Found:
    count: int
    rows: list[tuple[Plan, ActionRow]]  # the page asked for


def find(plans: list[Plan], as_at: date, search: Search, offset: int, limit: int) -> Found:
    """The actions of `plans` (those the person can see) that match `search` as at `as_at`: how many, and the
    page from `offset`."""
    plans = chosen_plans(plans, as_at, search)
    if not plans:
        return Found(0, [])
    if later_changes(plans, as_at):
        return _replayed(plans, as_at, search, offset, limit)
    actions = Action.objects.filter(plan__in=plans).filter(_conditions(plans, as_at, search))
    name, descending = search.order
    if name == "plan":  # plan after plan: only the plans the page falls in are sorted
        count, spanned, skip = plans_spanned(actions, plans[::-1] if descending else plans, offset, limit)
        page = list(actions.filter(plan__in=spanned).select_related("recommendation__group").order_by(
            *_ordering(spanned, as_at, replace(search, sort="plan")))[skip:skip + limit]) if spanned else []
    else:
        count = actions.count()
        page = list(actions.select_related("recommendation__group").order_by(
            *_ordering(plans, as_at, search))[offset:offset + limit])
    return Found(count, rows_of(page, {plan.pk: plan for plan in plans}, as_at))


KEPT_PAGE = 200  # the longest page kept: the API's pages (at most 200) and Find actions' (50)


def kept_find(plans: list[Plan], as_at: date, search: Search, offset: int, limit: int) -> Found:
    """find, kept in the read cache until one of the plans changes (readcache), for `plans` loaded in this request
    before any of their data: a page of the list is the same for everyone who sees the same plans. A search that
    reads progress updates (words, none this period) is kept until one of their progress counters moves too. Not
    kept: a search for a person's actions (whose account holds a post is not part of any version) and anything
    longer than a page."""
    if search.owner_person is not None or limit > KEPT_PAGE:
        return find(plans, as_at, search, offset, limit)
    reads_progress = bool(search.q) or search.no_update
    versions = tuple((*readcache.loaded_version(plan), plan.progress_version if reads_progress else None)
                     for plan in plans)

    def build() -> tuple[int, list[tuple[int, ActionRow]]]:
        found = find(plans, as_at, search, offset, limit)
        return found.count, [(plan.pk, row) for plan, row in found.rows]  # the plans themselves are this request's

    # Every field of the search, whether or not its repr shows it (the cache names a key by its repr).
    key = ("found", versions, as_at, astuple(search), offset, limit)
    count, rows = readcache.get_or_build(key, build)
    by_id = {plan.pk: plan for plan in plans}
    return Found(count, [(by_id[plan_id], row) for plan_id, row in rows])


def chosen_plans(plans: list[Plan], as_at: date, search: Search) -> list[Plan]:
    """The plans searched: those asked for, of the source asked for, agreed by the date; in the dashboard's
    order (by title)."""
    return sorted((plan for plan in plans if plan.agreed_on <= as_at
                   and (not search.plans or plan.reference in search.plans)
                   and (not search.source or plan.source_kind == search.source)),
                  key=lambda plan: (plan.title, plan.reference))


# In the database ----------------------------------------------------------------------------------------------

def _conditions(plans: list[Plan], as_at: date, search: Search) -> Q:
    wanted = Q()
    if search.q:
        wanted &= (Q(ref__icontains=search.q) | Q(text__icontains=search.q)
                   | Q(recommendation__ref__icontains=search.q) | Q(recommendation__text__icontains=search.q)
                   | Q(pk__in=_updates_saying(search.q, as_at).values("action_id")))
    if search.group:
        wanted &= Q(recommendation__group__name=search.group)
    if search.lifecycle is not None:
        wanted &= Q(lifecycle=search.lifecycle)
    if search.awaiting_verification:
        wanted &= Q(lifecycle=Lifecycle.COMPLETED)
    if search.revised:
        wanted &= Q(revisions__gt=0)
    if (posts := _owner_posts(search, as_at)) is not None:
        wanted &= Q(pk__in=Action.owner_posts.through.objects.filter(post_id__in=posts).values("action_id"))
    if search.due_within is not None:
        wanted &= Q(lifecycle__in=OPEN, due_on__gte=as_at, due_on__lte=as_at + timedelta(days=search.due_within))
    if search.due_before is not None:
        wanted &= Q(due_on__lt=search.due_before)
    if search.due_after is not None:
        wanted &= Q(due_on__gt=search.due_after)
    if search.overdue is not None:
        late = matching(plans, as_at, lambda life, due, scheme: is_overdue(life, due, as_at))
        wanted &= late if search.overdue else ~late
    if search.rag:
        wanted &= matching(plans, as_at, lambda life, due, scheme: search.rag in _names(band_of(
            ActionFacts(life, due), as_at, scheme)))
    if search.no_update:
        wanted &= _without_update(plans, as_at)
    return wanted


def _names(band) -> tuple[str, str]:
    """What a band answers to in the rag filter: its colour and its key."""
    return band.colour, band.key


def _updates_saying(q: str, as_at: date):
    return ProgressUpdate.objects.filter(text__icontains=q, period_start__lte=as_at)


def _owner_posts(search: Search, as_at: date) -> list[int] | None:
    """The posts whose actions are wanted (None: any), the person's being those they held on the date."""
    if search.owner_person is None:
        return None if search.owner_post is None else [search.owner_post]
    held = list(PostHolding.objects.filter(user_id=search.owner_person, starts_on__lte=as_at).filter(
        Q(ends_on=None) | Q(ends_on__gte=as_at)).values_list("post_id", flat=True))
    return [post for post in held if search.owner_post in (None, post)]


def _without_update(plans: list[Plan], as_at: date) -> Q:
    """Open actions with no progress update for their plan's period of the date (plans grouped by period kind,
    so one subquery per kind in use)."""
    found = Q(pk__in=[])
    for kind in {plan.reporting_period for plan in plans}:
        period = period_of(as_at, kind)
        due = [plan for plan in plans if plan.reporting_period == kind and plan.has_updates_for(period)]
        if due:
            updated = ProgressUpdate.objects.filter(action__plan__in=due, period_start=period.start)
            found |= Q(plan__in=due, lifecycle__in=OPEN) & ~Q(pk__in=updated.values("action_id"))
    return found


def _ordering(plans: list[Plan], as_at: date, search: Search) -> list:
    rank = Case(*[When(plan_id=plan.pk, then=Value(n)) for n, plan in enumerate(plans)], output_field=IntegerField())
    display = [rank, F("recommendation__group__position").asc(nulls_first=True), "recommendation__position",
               "recommendation_id", "position", "pk"]
    name, descending = search.order
    if name == "plan":
        return [rank.desc() if descending else rank, *display[1:]]
    first = {"due": F("due_on"), "rag": _colour_rank(plans, as_at), "lifecycle": _lifecycle_rank(),
             "owner": _lead_owner_name(), "revised": F("revisions")}[name]
    first = first.desc(nulls_last=True) if descending else first.asc(nulls_last=True)
    return [first, *display]


def _colour_rank(plans: list[Plan], as_at: date) -> Case:
    """Each action's colour's place in COLOUR_ORDER, worked out per interval as rated_rows.matching does."""
    whens = []
    for group in by_scheme(plans):
        scheme = group[0].scheme
        cutoffs = due_cutoffs(scheme, as_at)
        for life in Lifecycle:
            for standing in standing_dates(cutoffs):
                colour = band_of(ActionFacts(life, standing), as_at, scheme).colour
                whens.append(When(Q(plan__in=group, lifecycle=life) & between(cutoffs, standing),
                                  then=Value(COLOUR_ORDER[colour])))
    return Case(*whens, output_field=IntegerField())


def _lifecycle_rank() -> Case:
    return Case(*[When(lifecycle=life, then=Value(n)) for life, n in LIFECYCLE_ORDER.items()],
                output_field=IntegerField())


def _lead_owner_name() -> Subquery:
    """The first, by name, of the action's lead owners' posts."""
    leads = Action.owner_posts.through.objects.filter(action_id=OuterRef("pk")).exclude(
        post_id__in=Action.supporting_posts.through.objects.filter(action_id=OuterRef(OuterRef("pk")))
        .values("post_id"))
    return Subquery(leads.order_by("post__name").values("post__name")[:1])


# Replayed -----------------------------------------------------------------------------------------------------

def _replayed(plans: list[Plan], as_at: date, search: Search, offset: int, limit: int) -> Found:
    said = set(_updates_saying(search.q, as_at).filter(action__plan__in=plans).values_list("action_id", flat=True)
               ) if search.q else set()
    posts = _owner_posts(search, as_at)
    post_names = None if posts is None else _names_of(posts)
    updated = _updated_in_period(plans, as_at) if search.no_update else {}
    found = []
    for plan in plans:
        view = plan_as_at(plan, as_at)
        period = period_of(as_at, plan.reporting_period)
        for rec in view.recommendations:
            rec_says = search.q and (search.q.casefold() in rec.ref.casefold()
                                     or search.q.casefold() in rec.text.casefold())
            for row in rec.actions:
                if _holds(row, search, as_at, rec_says or row.id in said, post_names,
                          plan.has_updates_for(period) and row.id not in updated.get(plan.pk, set())):
                    found.append((plan, row))
    name, descending = search.order
    if name != "plan":
        key = {"due": lambda pr: pr[1].due_on, "rag": lambda pr: COLOUR_ORDER[pr[1].rating.colour],
               "lifecycle": lambda pr: LIFECYCLE_ORDER[pr[1].lifecycle], "revised": lambda pr: pr[1].revisions,
               "owner": lambda pr: min((o.post for o in pr[1].owners if not o.supporting), default=None)}[name]
        present = [each for each in found if key(each) is not None]
        present.sort(key=key, reverse=descending)  # stable: ties keep the display order
        found = present + [each for each in found if key(each) is None]  # nothing to sort by: last
    elif descending:
        order = {plan.pk: n for n, plan in enumerate(plans)}
        found.sort(key=lambda pr: -order[pr[0].pk])
    return Found(len(found), found[offset:offset + limit])


def _holds(row: ActionRow, search: Search, as_at: date, says: bool, post_names: set[str] | None,
           needs_update: bool) -> bool:
    life = row.lifecycle
    return ((not search.q or says or search.q.casefold() in row.ref.casefold()
             or search.q.casefold() in row.text.casefold())
            and (not search.group or row.group == search.group)
            and (search.lifecycle is None or life is search.lifecycle)
            and (not search.awaiting_verification or life is Lifecycle.COMPLETED)
            and (not search.revised or row.revisions > 0)
            and (post_names is None or any(owner.post in post_names for owner in row.owners))
            and (search.due_within is None or is_due_within(life, row.due_on, as_at, search.due_within))
            and (search.due_before is None or (row.due_on is not None and row.due_on < search.due_before))
            and (search.due_after is None or (row.due_on is not None and row.due_on > search.due_after))
            and (search.overdue is None or is_overdue(life, row.due_on, as_at) is search.overdue)
            and (not search.rag or search.rag in _names(row.rating.band))
            and (not search.no_update or (life in OPEN and needs_update)))


def _names_of(posts: list[int]) -> set[str]:
    return set(Post.objects.filter(pk__in=posts).values_list("name", flat=True))


def _updated_in_period(plans: list[Plan], as_at: date) -> dict[int, set[int]]:
    """Each plan's actions with a progress update for the plan's period of the date."""
    starts = {plan.pk: period_of(as_at, plan.reporting_period).start for plan in plans}
    updated: dict[int, set[int]] = {plan.pk: set() for plan in plans}
    for plan_id, action_id, start in ProgressUpdate.objects.filter(
            action__plan__in=plans, period_start__in=set(starts.values())).values_list(
            "action__plan_id", "action_id", "period_start"):
        if starts[plan_id] == start:
            updated[plan_id].add(action_id)
    return updated

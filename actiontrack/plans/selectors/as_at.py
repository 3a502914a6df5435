"""Reads. The plan as at a date is built from its journal in a fixed number of queries, whatever the
number of actions: the plan, its journal, the posts and their holdings."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, partial

from django.core.exceptions import ValidationError
from django.db.models import Q

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, REPLAY_COLUMNS, as_change, change_from_row
from actiontrack.domain.assurance import Assurance, AssuranceFacts, assure, least
from actiontrack.domain.external import FIELD as EXTERNAL
from actiontrack.domain.external import closed_by, external_text, shared
from actiontrack.domain.journal import due_revisions, states_as_at
from actiontrack.domain.lifecycle import Lifecycle, closed_without_evidence
from actiontrack.domain.rag import ActionFacts, RagScheme, Rating, count_by_band, rate
from actiontrack.domain.ukdates import format_due, format_long, format_short
from actiontrack.people.models import Post, PostHolding
from actiontrack.plans import readcache
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.selectors.measures import held_actions


@dataclass(frozen=True)
class Owner:
    post: str
    holder: str  # the holder in force on the as-at date, or "" if none is recorded
    supporting: bool = False  # a supporting owner beside the lead (an operational lead beside an executive one)

    @property
    def text(self) -> str:
        named = f"{self.post} ({self.holder})" if self.holder else self.post
        return f"{named}, supporting" if self.supporting else named


@dataclass
class ActionRow:
    id: int
    ref: str
    slug: str  # the action's address part
    text: str
    owners: list[Owner]
    due_on: date | None
    due_condition: str
    baseline_on: date | None
    lifecycle: Lifecycle
    lifecycle_reason: str
    completed_on: date | None
    rating: Rating
    revisions: int  # due-date changes in force by the as-at date
    rec_ref: str = ""  # its recommendation's reference
    group: str = ""  # its recommendation's group, "" if none
    external: dict | None = None  # closure by an outside body (domain.external), as it stood
    measure_held: bool = False  # a measure vouching for it met its target for the periods set (selectors.measures)

    @property
    def external_text(self) -> str:
        return external_text(self.external)

    @cached_property
    def assurance(self) -> Assurance:
        """How sure the record makes us that it worked (domain.assurance), beside its RAG rating. Worked out once:
        a plan page asks it of each row and again for its recommendation."""
        return assure(AssuranceFacts(self.lifecycle, closed_without_evidence(self.lifecycle, self.lifecycle_reason),
                                     self.external, self.measure_held))

    @property
    def due_text(self) -> str:
        return format_due(self.due_on, self.due_condition)

    @property
    def slipped(self) -> bool:
        return self.baseline_on is not None and self.due_on != self.baseline_on

    @property
    def slip_days(self) -> int:
        return (self.due_on - self.baseline_on).days if self.slipped and self.due_on else 0

    @property
    def owners_text(self) -> str:
        return " / ".join(owner.text for owner in self.owners)


@dataclass
class RecommendationRow:
    id: int
    ref: str
    kind: str
    text: str
    slug: str = ""
    group: str = ""  # the group's name (as named today), "" outside any group
    group_id: int | None = None
    source: str = ""
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def assurance(self) -> Assurance | None:
        """As sure as its least sure assessed action."""
        return least([action.assurance for action in self.actions])

    @property
    def external(self) -> dict | None:
        """Its closure by an outside body: the state all its uncancelled actions share, if they do."""
        return shared([action.external for action in self.actions if action.lifecycle != Lifecycle.CANCELLED])

    @property
    def external_text(self) -> str:
        return external_text(self.external)

    @property
    def kind_label(self) -> str:
        return RecommendationKind(self.kind).label

    @property
    def headline(self) -> str:
        """The first sentence, as report tables show a recommendation."""
        first, dot, _ = self.text.partition(". ")
        return first + "." if dot else self.text


@dataclass
class PlanAsAt:
    plan: Plan
    as_at: date
    scheme: RagScheme
    recommendations: list[RecommendationRow]

    @property
    def actions(self) -> list[ActionRow]:
        return [action for rec in self.recommendations for action in rec.actions]

    @property
    def grouped(self) -> bool:
        return any(rec.group for rec in self.recommendations)

    @property
    def rec_heading(self) -> str:
        """A recommendation's heading level on the plan page: below its group's, when the plan has groups."""
        return "h4" if self.grouped else "h3"

    @property
    def counts(self) -> list[tuple[object, int]]:
        """(band, count) in the scheme's order; bands outside the key only when they occur."""
        counts = count_by_band((a.rating for a in self.actions), self.scheme)
        return [(band, counts[band.key]) for band in self.scheme.bands if band.in_key or counts[band.key]]


@dataclass(frozen=True)
class AsAtSummary:
    """What the top of a plan's page shows: the number of actions in each band on a date. Small, so reading it
    from the read cache costs far less than reading the whole plan as at that date."""

    as_at: date
    counts: list[tuple[object, int]]
    total: int


class AsAtError(ValidationError):
    pass


@dataclass(frozen=True)
class Holder:
    """Who held a post, from when until when: what naming an owner needs of a PostHolding."""

    holder_name: str
    starts_on: date
    ends_on: date | None

    in_force_on = PostHolding.in_force_on  # the one rule, read from these fields


@dataclass(frozen=True)
class PostHolders:
    """A post's name and its holders in the order they started. Plain values rather than models, so the copy kept
    by the read cache costs little to read back (the action page reads it on every view)."""

    name: str
    holdings: tuple[Holder, ...]


def posts_with_holdings(*, version: tuple | None = None) -> dict[int, PostHolders]:
    """Every post with its holders, by id. With a plan's `version` (readcache.loaded_version), kept until that
    plan changes: a change to a post's name or holders moves every plan's version."""
    if version is not None:
        return readcache.get_or_build(("posts_with_holdings", version), posts_with_holdings)
    holders: dict[int, list[Holder]] = {}
    for post_id, *holding in PostHolding.objects.order_by("starts_on", "pk").values_list(
            "post_id", "holder_name", "starts_on", "ends_on"):
        holders.setdefault(post_id, []).append(Holder(*holding))
    return {pk: PostHolders(name, tuple(holders.get(pk, ()))) for pk, name in Post.objects.values_list("pk", "name")}


def owners_on(post_ids: list[int], posts: dict[int, PostHolders], day: date, supporting=()) -> list[Owner]:
    """The owners, leads first, each with the holder in force on `day`."""
    owners = []
    for post_id in sorted(post_ids, key=lambda pk: pk in supporting):
        post = posts[post_id]
        holding = next((h for h in post.holdings if h.in_force_on(day)), None)
        owners.append(Owner(post=post.name, holder=holding.holder_name if holding else "",
                            supporting=post_id in supporting))
    return owners


def check_as_at(plan: Plan, as_at: date) -> None:
    if as_at < plan.agreed_on:
        raise AsAtError(
            f"{plan.title} was agreed on {format_long(plan.agreed_on)}; there is nothing to show as at "
            f"{format_long(as_at)}. Choose a date on or after {format_short(plan.agreed_on)}.")


def _replayable(events, as_at: date) -> list:
    """Only the events replay needs (up to the as-at date; recommendations and actions), and only their
    replay columns: the journal grows for years, and the rest of each row is never read here."""
    rows = (events.filter(effective_on__lte=as_at,
                          entity_type__in=[EntityType.RECOMMENDATION, EntityType.ACTION])
            .order_by().values_list(*REPLAY_COLUMNS))
    return [change_from_row(*row) for row in rows]


def plan_as_at(plan: Plan, as_at: date, *, version: tuple | None = None) -> PlanAsAt:
    """The whole plan as it stood on `as_at`, kept between requests until the plan changes (readcache). Pass
    `version` (readcache.loaded_version) only for a plan loaded in this request before any of its data.
    Treat the result as read-only: other requests share it."""
    check_as_at(plan, as_at)
    if version is None:
        # The plan's own fields (its RAG scheme, title) are part of what is built: a Plan object held since
        # before a change would be built with the old ones under the new version. Read both afresh, together.
        plan = Plan.objects.get(pk=plan.pk)
        version = readcache.loaded_version(plan)
    return readcache.get_or_build(("plan_as_at", version, as_at), lambda: build_as_at(plan, as_at))


def the_plan_as_at(plan: Plan, as_at: date, *, version: tuple) -> Callable[[], PlanAsAt]:
    """plan_as_at, asked for only when first needed and then remembered: for a request whose parts each may or
    may not need the whole plan (the summary, the table's sections), so it is read once at most, whether the
    read cache holds it or not."""
    return cache(partial(plan_as_at, plan, as_at, version=version))


def plan_summary_as_at(plan: Plan, as_at: date, *, version: tuple,
                       view: Callable[[], PlanAsAt] | None = None) -> AsAtSummary:
    """The plan's counts by band on `as_at`, kept between requests until the plan changes. `version` as for
    plan_as_at, which is called only when the counts are not kept; `view`, if given, is called instead (a page
    that needs the whole plan too reads it once: the_plan_as_at)."""
    check_as_at(plan, as_at)

    def build() -> AsAtSummary:
        built = view() if view is not None else plan_as_at(plan, as_at, version=version)
        return AsAtSummary(as_at=built.as_at, counts=built.counts, total=len(built.actions))

    return readcache.get_or_build(("plan_summary", version, as_at), build)


def build_as_at(plan: Plan, as_at: date) -> PlanAsAt:
    """The whole plan as it stood on `as_at`: the journal replayed to that date. When nothing in the journal
    takes effect after `as_at` (the usual case: today), the rows already hold that state — the services keep
    them equal to the replayed journal — so they are read directly instead of replaying years of events."""
    check_as_at(plan, as_at)
    if _changes_after(plan, as_at):
        return replay_as_at(plan, as_at)
    states, revisions, rows = _states_from_rows(plan)
    return _view(plan, as_at, states, revisions, rows=rows)


def _changes_after(plan: Plan, as_at: date) -> bool:
    """Whether a change to a recommendation or an action takes effect after `as_at`: then the rows do not hold the
    state on that date, and the journal must be replayed."""
    return plan.journal.filter(effective_on__gt=as_at,
                               entity_type__in=[EntityType.RECOMMENDATION, EntityType.ACTION]).exists()


def replay_as_at(plan: Plan, as_at: date) -> PlanAsAt:
    """The plan replayed from the journal, always (build_as_at uses the rows when they are the same)."""
    check_as_at(plan, as_at)
    events = _replayable(plan.journal.all(), as_at)
    return _view(plan, as_at, states_as_at(events, as_at), _revisions(events))


def _revisions(events) -> dict[int, int]:
    """Due-date changes per action (domain.journal.due_revisions)."""
    return {entity_id: n for (kind, entity_id), n in due_revisions(events, DUE).items() if kind == EntityType.ACTION}


def recommendations_as_at(plan: Plan, as_at: date, actions: dict[int, tuple[int, ...]], *,
                          version: tuple) -> list[RecommendationRow]:
    """Only some recommendations as at `as_at`, each with its actions: the same rows as plan_as_at's for them, read
    in proportion to them rather than the whole plan. For the plan page after a progress update, which renders one
    recommendation again. `actions`: each recommendation's action ids as at that date (the page's kept layout);
    `version` (readcache.loaded_version) keeps the posts and the held measures, which every recommendation needs."""
    check_as_at(plan, as_at)
    rec_ids, action_ids = list(actions), [pk for ids in actions.values() for pk in ids]
    posts = posts_with_holdings(version=version)
    held = readcache.get_or_build(("held_actions", version, as_at), partial(held_actions, [plan.pk], as_at))
    if _changes_after(plan, as_at):  # as build_as_at: replayed, only these recommendations' events and their actions'
        events = _replayable(plan.journal.filter(
            Q(entity_type=EntityType.RECOMMENDATION, entity_id__in=rec_ids)
            | Q(entity_type=EntityType.ACTION, entity_id__in=action_ids)), as_at)
        view = _view(plan, as_at, states_as_at(events, as_at), _revisions(events), posts=posts, held=held,
                     rows=_address_rows(plan, rec_ids, action_ids))
    else:
        states, revisions, rows = _states_from_rows(plan, rec_ids=rec_ids, action_ids=action_ids)
        view = _view(plan, as_at, states, revisions, posts=posts, held=held, rows=rows)
    return view.recommendations


def _states_from_rows(plan: Plan, *, rec_ids: list[int] | None = None,
                      action_ids: list[int] | None = None) -> tuple[dict, dict[int, int], tuple[dict, dict]]:
    """The same state dicts replay produces, read from the current rows: columns only (the revision count too,
    kept by the services), and the owners through their link tables joined to the plan (a prefetch would build
    a model per action and send every id back). With them, what _view reads of today's rows (addresses and
    order), read in the same pass rather than again. Of every recommendation and action, or only of those named."""
    states: dict = {}
    rec_rows: dict[int, tuple] = {}
    recommendations = plan.recommendations if rec_ids is None else plan.recommendations.filter(pk__in=rec_ids)
    for pk, ref, group, source, kind, text, slug, position in recommendations.values_list(
            "pk", "ref", "group_id", "source", "kind", "text", "slug", "position"):
        states[(EntityType.RECOMMENDATION, pk)] = {"ref": ref, "group": group, "source": source, "kind": kind,
                                                   "text": text}
        rec_rows[pk] = (slug, group, position)
    owners = _posts_by_action(Action.owner_posts.through, plan, action_ids)
    supporting = _posts_by_action(Action.supporting_posts.through, plan, action_ids)
    revisions: dict[int, int] = {}
    action_rows: dict[int, tuple] = {}
    actions = plan.actions if action_ids is None else plan.actions.filter(pk__in=action_ids)
    for (pk, rec, number, ref, text, baseline_on, due_on, due_condition, lifecycle, reason,
         completed_on, revised, external, slug, position) in actions.values_list(
            "pk", "recommendation_id", "number", "ref", "text", "baseline_on", "due_on", "due_condition",
            "lifecycle", "lifecycle_reason", "completed_on", "revisions", "external_closure", "slug", "position"):
        revisions[pk] = revised
        action_rows[pk] = (slug, position)
        states[(EntityType.ACTION, pk)] = {
            "recommendation": rec, "number": number, "ref": ref, "text": text,
            "owner_posts": owners.get(pk, []), "supporting_posts": supporting.get(pk, []),
            "baseline_on": baseline_on, DUE: {"on": due_on, "condition": due_condition}, "lifecycle": lifecycle,
            "lifecycle_reason": reason, "completed_on": completed_on, EXTERNAL: external}
    return states, revisions, (rec_rows, action_rows)


def _posts_by_action(link, plan: Plan, action_ids: list[int] | None = None) -> dict[int, list[int]]:
    """Post ids per action id, sorted, from one of the action's post link tables (of every action of the plan, or
    of those named)."""
    found: dict[int, list[int]] = {}
    links = (link.objects.filter(action__plan=plan) if action_ids is None
             else link.objects.filter(action_id__in=action_ids))
    for action_id, post_id in links.order_by("action_id", "post_id").values_list("action_id", "post_id"):
        found.setdefault(action_id, []).append(post_id)
    return found


def _view(plan: Plan, as_at: date, states: dict, revisions: dict[int, int], *, one: Action | None = None,
          posts: dict | None = None, held: set[int] | None = None, rows: tuple[dict, dict] | None = None) -> PlanAsAt:
    """`rows`: today's addresses and order of the recommendations and actions, if the caller read them."""
    posts = posts if posts is not None else posts_with_holdings()
    owners: dict[tuple, list[Owner]] = {}  # the same few posts own most actions: each set looked up once

    def owners_of(state: dict) -> list[Owner]:
        key = (tuple(state["owner_posts"]), tuple(state.get("supporting_posts", ())))
        if key not in owners:
            owners[key] = owners_on(list(key[0]), posts, as_at, key[1])
        return owners[key]

    scheme = plan.scheme
    held = held if held is not None else held_actions([plan.pk], as_at)
    # Addresses, group names and display order are today's (renaming and reordering are not history).
    if one is not None:  # one action's view: its own rows, as loaded with it (action_by_ref)
        rec_now = one.recommendation
        rec_rows = {rec_now.pk: (rec_now.slug, rec_now.group_id, rec_now.position)}
        action_rows = {one.pk: (one.slug, one.position)}
        group_now = rec_now.group
        groups = {group_now.pk: (group_now.name, group_now.position)} if group_now else {}
        if any(s.get("group") not in (None, *groups) for (kind, _), s in states.items()
               if kind == EntityType.RECOMMENDATION):  # in another group on that day
            groups = _group_rows(plan)
    elif rows is not None:
        rec_rows, action_rows = rows
        groups = _group_rows(plan)
    else:
        rec_rows, action_rows = _address_rows(plan)
        groups = _group_rows(plan)
    recs = {
        # Events written before references were text hold the recommendation's "number".
        entity_id: RecommendationRow(id=entity_id, ref=str(s["ref"] if "ref" in s else s["number"]), kind=s["kind"],
                                     text=s["text"], slug=rec_rows.get(entity_id, ("",))[0],
                                     group=groups.get(s.get("group"), ("",))[0], group_id=s.get("group"),
                                     source=s.get("source", ""))
        for (kind, entity_id), s in states.items() if kind == EntityType.RECOMMENDATION
    }
    for (kind, entity_id), s in states.items():
        if kind != EntityType.ACTION:
            continue
        rec = recs.get(s["recommendation"])
        if rec is None:  # cannot happen through the services; never let one bad row break the page
            continue
        lifecycle = Lifecycle(s["lifecycle"])
        due_on, due_condition = s[DUE]["on"], s[DUE]["condition"]
        facts = ActionFacts(lifecycle=lifecycle, due_on=due_on, due_condition=due_condition,
                            completed_on=s["completed_on"],
                            closed_without_evidence=closed_without_evidence(lifecycle, s["lifecycle_reason"]),
                            closed_by=closed_by(s.get(EXTERNAL)))
        rec.actions.append(ActionRow(
            id=entity_id, ref=s.get("ref") or f"{rec.ref}.{s['number']}", slug=action_rows.get(entity_id, ("",))[0],
            text=s["text"],
            owners=owners_of(s), due_on=due_on,
            due_condition=due_condition, baseline_on=s["baseline_on"], lifecycle=lifecycle,
            lifecycle_reason=s["lifecycle_reason"], completed_on=s["completed_on"],
            rating=rate(facts, as_at, scheme), revisions=revisions.get(entity_id, 0), rec_ref=rec.ref,
            group=rec.group, external=s.get(EXTERNAL), measure_held=entity_id in held,
        ))
    # Display order: groups in their order (those outside any group first), then the plan manager's order.
    def rec_order(rec):
        position = rec_rows.get(rec.id, ("", None, 0))[2]
        return (groups[rec.group_id][1] if rec.group_id in groups else 0, position, rec.id)

    ordered = sorted(recs.values(), key=rec_order)
    for rec in ordered:
        rec.actions.sort(key=lambda a: (action_rows.get(a.id, ("", 0))[1], a.id))
    return PlanAsAt(plan=plan, as_at=as_at, scheme=scheme, recommendations=ordered)


def _address_rows(plan: Plan, rec_ids: list[int] | None = None,
                  action_ids: list[int] | None = None) -> tuple[dict, dict]:
    """Today's addresses and order: (slug, group, position) per recommendation id and (slug, position) per action
    id, of the whole plan or of those named."""
    recs = plan.recommendations if rec_ids is None else plan.recommendations.filter(pk__in=rec_ids)
    actions = plan.actions if action_ids is None else plan.actions.filter(pk__in=action_ids)
    return ({pk: (slug, group_id, position)
             for pk, slug, group_id, position in recs.values_list("id", "slug", "group_id", "position")},
            {pk: (slug, position) for pk, slug, position in actions.values_list("id", "slug", "position")})


def _group_rows(plan: Plan) -> dict[int, tuple[str, int]]:
    return {pk: (name, position) for pk, name, position in plan.groups.values_list("id", "name", "position")}


def action_as_at(plan: Plan, action: Action, as_at: date, *, posts: dict | None = None,
                 journal: list | None = None, version: tuple | None = None) -> ActionRow | None:
    """One action as at a date (None if it did not exist then), replaying only its own events and its
    recommendation's. `posts`: posts_with_holdings(), and `journal`: the action's events with its
    recommendation's (history.action_journal), if the caller has read them already; `version`
    (readcache.loaded_version) keeps which actions a held measure vouches for until the plan changes."""
    check_as_at(plan, as_at)
    if journal is not None:
        events = [as_change(event) for event in journal if event.effective_on <= as_at and (
            (event.entity_type == EntityType.ACTION and event.entity_id == action.pk)
            or (event.entity_type == EntityType.RECOMMENDATION and event.entity_id == action.recommendation_id))]
    else:
        entity = Q(entity_type=EntityType.ACTION, entity_id=action.pk) | Q(
            entity_type=EntityType.RECOMMENDATION, entity_id=action.recommendation_id)
        events = _replayable(plan.journal.filter(entity), as_at)
    held = None if version is None else readcache.get_or_build(("held_actions", version, as_at),
                                                               partial(held_actions, [plan.pk], as_at))
    actions = _view(plan, as_at, states_as_at(events, as_at), _revisions(events), one=action, posts=posts,
                    held=held).actions
    return actions[0] if actions else None


def action_by_ref(plan: Plan, ref: str) -> Action | None:
    """The plan's action at this address part (its slug: "2.1", "E1b", "CoC-1a"), or None. Addresses are
    compared without case, as people type them; "02.01" finds "2.1", as numbered refs were read before."""
    if "\x00" in ref:  # names nothing; PostgreSQL refuses a NUL in text
        return None
    # Ordered by id alone: a slug names one action, and the model's own order would join the recommendations.
    actions = Action.objects.select_related("recommendation__group").filter(plan=plan).order_by("pk")
    try:  # a slug names one action in its plan (action_slug_unique): get() costs less than ordering to take a first
        found = actions.get(slug=ref)
    except Action.DoesNotExist:
        found = actions.filter(slug__iexact=ref).first()
    if found is None and _NUMBERED.fullmatch(ref):
        rec, _, number = ref.partition(".")
        found = actions.filter(slug=f"{int(rec)}.{int(number)}").first()
    if found is not None:
        found.plan = plan  # the plan as the caller read it (with this person's roles), not read again
    return found


def next_ref(plan: Plan) -> str:
    """The reference a new recommendation is offered: the next number where the plan numbers them 1, 2, 3 ...;
    "" where its source writes them otherwise (AFI 3, R12), for the plan manager to give."""
    refs = list(plan.recommendations.values_list("ref", flat=True))
    if all(ref.isascii() and ref.isdigit() and len(ref) < 10 for ref in refs):
        return str(max((int(ref) for ref in refs), default=0) + 1)
    return ""


_NUMBERED = re.compile(r"[0-9]{1,9}\.[0-9]{1,9}", re.ASCII)

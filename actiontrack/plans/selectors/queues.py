"""What people need to act on: an owner's actions across plans, and a plan manager's queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.domain.deadlines import DUE_SOON_DAYS, is_overdue
from actiontrack.domain.external import closed_by
from actiontrack.domain.lifecycle import Lifecycle, closed_without_evidence
from actiontrack.domain.owner_needs import OwnerFacts, OwnerNeed, owner_needs
from actiontrack.domain.periods import Period, period_of, previous_period
from actiontrack.domain.rag import ActionFacts, Rating, rate
from actiontrack.people.selectors import posts_held
from actiontrack.plans.choices import RETURNED, PlanRoleKind, ProposalStatus
from actiontrack.plans.models import (
    Action,
    DateProposal,
    Escalation,
    OffTrackNotice,
    Plan,
    PlanRole,
    ProgressUpdate,
)
from actiontrack.plans.selectors import Owner, owners_on, posts_with_holdings

OPEN = (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS, Lifecycle.PAUSED)


def rating_today(action: Action, today: date) -> Rating:
    facts = ActionFacts(lifecycle=Lifecycle(action.lifecycle), due_on=action.due_on,
                        due_condition=action.due_condition, completed_on=action.completed_on,
                        closed_without_evidence=closed_without_evidence(action.lifecycle, action.lifecycle_reason),
                        closed_by=closed_by(action.external_closure))
    return rate(facts, today, action.plan.scheme)


@dataclass
class MyAction:
    action: Action
    rating: Rating
    period: Period
    needs: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return is_overdue(self.action.lifecycle, self.action.due_on, self.period_today)

    period_today: date = date.min
    is_open: bool = True


def to_verify(user, today: date, *, except_managed: bool = False) -> list[tuple[Plan, list[Action]]]:
    """For each plan the user verifies, its completed actions awaiting verification, except those the user owns
    (someone else must verify those). `except_managed` leaves out plans the user also manages, whose queue lists
    them already."""
    roles = PlanRole.objects.filter(user=user)
    plan_ids = set(roles.filter(role=PlanRoleKind.VERIFIER).values_list("plan_id", flat=True))
    if except_managed:
        plan_ids -= set(roles.filter(role=PlanRoleKind.MANAGER).values_list("plan_id", flat=True))
    actions = (Action.objects.filter(plan_id__in=plan_ids, lifecycle=Lifecycle.COMPLETED)
               .exclude(owner_posts__in=posts_held(user, today)).distinct().select_related("plan", "recommendation")
               .order_by("plan__title", "recommendation__position", "recommendation_id", "position", "number"))
    by_plan: dict[int, tuple[Plan, list[Action]]] = {}
    for action in actions:
        by_plan.setdefault(action.plan_id, (action.plan, []))[1].append(action)
    return list(by_plan.values())


def returned_by_verifier(actions: list[Action], *, journal: list[JournalEvent] | None = None) -> dict[int, str]:
    """The verifier's comment, by action id, for each open action whose latest lifecycle change was a verifier
    sending it back (completed -> in progress, services.action_return). `journal`: the events of the one action
    given (history.action_journal), if the caller has read them."""
    ids = {action.pk for action in actions}
    if journal is not None:
        if len(ids) != 1:
            raise ValueError("a journal read for the action page is one action's: pass that action alone")
        events = sorted((event for event in journal if event.entity_type == EntityType.ACTION
                         and event.field == "lifecycle" and event.entity_id in ids),
                        key=lambda event: (event.recorded_at, event.pk))
    else:
        events = JournalEvent.objects.filter(entity_type=EntityType.ACTION, field="lifecycle",
                                             entity_id__in=ids).order_by("recorded_at", "pk")
    latest: dict[int, JournalEvent] = {}
    for event in events:
        latest[event.entity_id] = event
    return {action_id: event.reason.removeprefix(RETURNED).strip() for action_id, event in latest.items()
            if event.old == Lifecycle.COMPLETED.value and event.new == Lifecycle.IN_PROGRESS.value}


# What My actions says for each need (domain/owner_needs.py decides them); the page leaves out a plain
# "due soon", saying only when evidence is still missing.
_ON_THE_PAGE = {
    OwnerNeed.RETURNED: "Returned by the verifier: add what is missing, then mark it complete again. "
                        "The verifier said: {comment}",
    OwnerNeed.UPDATE_MISSING: "Progress update for {period} missing",
    OwnerNeed.PROPOSAL_PENDING: "Date proposal waiting for the plan manager",
    OwnerNeed.OVERDUE: "Overdue: complete it with evidence, or propose a new date",
    OwnerNeed.EVIDENCE_BEFORE_DUE: "Due soon: evidence needed before it can be marked complete",
    OwnerNeed.AWAITING_VERIFICATION: "Awaiting verification",
}


def my_actions(user, today: date) -> list[MyAction]:
    """Every action the user owns (through posts held today), overdue first, then due soonest, each with
    what it needs from them."""
    actions = list(Action.objects.filter(owner_posts__in=posts_held(user, today)).distinct()
                   .select_related("plan", "recommendation").prefetch_related("owner_posts", "evidence"))
    periods = {a.plan_id: period_of(today, a.plan.reporting_period) for a in actions}
    updated = set(ProgressUpdate.objects.filter(action__in=actions).values_list("action_id", "period_start"))
    pending = set(DateProposal.objects.filter(action__in=actions, status=ProposalStatus.PENDING)
                  .values_list("action_id", flat=True))
    returned = returned_by_verifier(actions)
    items = []
    for action in actions:
        life = Lifecycle(action.lifecycle)
        period = periods[action.plan_id]
        item = MyAction(action=action, rating=rating_today(action, today), period=period, period_today=today,
                        is_open=life in OPEN)
        facts = OwnerFacts(lifecycle=life, due_on=action.due_on, has_evidence=bool(action.evidence.all()),
                           update_missing=((action.pk, period.start) not in updated
                                           and action.plan.has_updates_for(period)),
                           proposal_pending=action.pk in pending, returned=action.pk in returned)
        for need in owner_needs(facts, today, DUE_SOON_DAYS):
            if need in _ON_THE_PAGE:
                item.needs.append(_ON_THE_PAGE[need].format(period=period.label, comment=returned.get(action.pk)))
        items.append(item)
    never = date.max
    items.sort(key=lambda i: (not i.overdue, not i.is_open,
                              i.action.due_on or never, i.action.plan.title, i.action.recommendation.position,
                              i.action.position))
    return items


@dataclass
class ManagerQueue:
    plan: Plan
    period: Period
    proposals: list[DateProposal]
    awaiting_verification: list[Action]
    missing_updates: list[Action]  # open actions with no update this period
    period_locked: bool
    undated: list[Action]  # open actions with no due date, so not rated: each needs its first date
    escalated: list[tuple[Action, int]] = field(default_factory=list)  # open, raised for their due date: level
    off_track: list[OffTrackNotice] = field(default_factory=list)  # drafted, for a plan manager to send


def manager_queues(user, today: date) -> list[ManagerQueue]:
    plan_ids = PlanRole.objects.filter(user=user, role=PlanRoleKind.MANAGER).values_list("plan_id", flat=True)
    return [manager_queue(plan, today) for plan in Plan.objects.filter(pk__in=plan_ids)]


def manager_queue(plan: Plan, today: date) -> ManagerQueue:
    period = period_of(today, plan.reporting_period)
    actions = list(plan.actions.select_related("recommendation").prefetch_related("owner_posts", "supporting_posts"))
    updated = set(ProgressUpdate.objects.filter(action__plan=plan, period_start=period.start)
                  .values_list("action_id", flat=True))
    return ManagerQueue(
        plan=plan, period=period,
        proposals=list(DateProposal.objects.filter(action__plan=plan, status=ProposalStatus.PENDING)
                       .select_related("action__recommendation", "proposed_by").order_by("proposed_at")),
        awaiting_verification=[a for a in actions if a.lifecycle == Lifecycle.COMPLETED],
        missing_updates=[a for a in actions if Lifecycle(a.lifecycle) in OPEN and a.pk not in updated
                         and plan.has_updates_for(period)],
        period_locked=plan.period_locks.filter(period_start=period.start).exists(),
        undated=[a for a in actions if Lifecycle(a.lifecycle) in OPEN and a.due_on is None],
        escalated=escalated(plan, actions),
        off_track=list(OffTrackNotice.objects.filter(action__plan=plan, status=OffTrackNotice.Status.DRAFT)
                       .select_related("action").order_by("drafted_on", "pk")),
    )


def escalated(plan: Plan, actions: list[Action]) -> list[tuple[Action, int]]:
    """The open actions raised by the plan's escalation rule for their current due date, with the highest level."""
    by_id = {a.pk: a for a in actions if Lifecycle(a.lifecycle) in OPEN and a.due_on is not None}
    levels: dict[int, int] = {}
    for action_id, level, due_on in Escalation.objects.filter(action__plan=plan).values_list(
            "action_id", "level", "due_on"):
        if action_id in by_id and by_id[action_id].due_on == due_on:
            levels[action_id] = max(level, levels.get(action_id, 0))
    return [(by_id[pk], level) for pk, level in sorted(levels.items(), key=lambda item: by_id[item[0]].due_on)]


def missing_updates(plan: Plan, period: Period) -> list[Action]:
    """Open actions with no progress update for the period, to see before it is locked."""
    if not plan.has_updates_for(period):
        return []
    updated = ProgressUpdate.objects.filter(action__plan=plan, period_start=period.start).values_list("action_id")
    return list(plan.actions.filter(lifecycle__in=OPEN).exclude(pk__in=updated)
                .select_related("recommendation").prefetch_related("owner_posts", "supporting_posts"))


def locked_periods(plan: Plan, today: date) -> list[Period]:
    """This period and the one before, where locked: what a plan manager may unlock."""
    this = period_of(today, plan.reporting_period)
    locked = set(plan.period_locks.values_list("period_start", flat=True))
    return [p for p in (this, previous_period(this, plan.reporting_period)) if p.start in locked]


def with_owners(actions: list[Action], day: date) -> list[tuple[Action, list[Owner]]]:
    """Each action with its owners named as on `day`: the post, and its holder then; the lead first, a supporting
    owner marked so (the actions come with owner_posts and supporting_posts prefetched)."""
    posts = posts_with_holdings()
    return [(action, owners_on([post.pk for post in action.owner_posts.all()], posts, day,
                               {post.pk for post in action.supporting_posts.all()})) for action in actions]

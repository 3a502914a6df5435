"""What a person's daily reminder says: the actions they own that need them (overdue, due within the plan's
window, missing this period's progress update), for plan managers what waits in their queue, and for verifiers
the completed actions waiting for them to verify; and the notifications written since their last digest, of
the kinds they get by email. Reads only: the command in management/commands/remind.py
decides whom to send it to and records that it went."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.owner_needs import OwnerFacts, OwnerNeed, owner_needs
from actiontrack.domain.periods import Period
from actiontrack.domain.ukdates import format_due, format_long
from actiontrack.people.models import PostHolding
from actiontrack.people.selectors import posts_held
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import Action, Notification, PeriodLock, Plan, PlanRole, ProgressUpdate
from actiontrack.plans.selectors.periods import current_period
from actiontrack.plans.selectors.queues import ManagerQueue, manager_queue, to_verify

from .models import ReminderSent
from .services import emailed_kinds


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://localhost:8000").rstrip("/")


def link(path: str) -> str:
    return site_url() + path


@dataclass
class ActionNeed:
    action: Action
    url: str
    needs: list[str] = field(default_factory=list)
    overdue: bool = False
    due_soon: bool = False
    missing_update: bool = False

    @property
    def due_text(self) -> str:
        return format_due(self.action.due_on, self.action.due_condition)


@dataclass
class QueueDigest:
    queue: ManagerQueue
    url: str
    proposal_links: list[tuple[object, str]]
    verification_links: list[tuple[Action, str]]

    @property
    def empty(self) -> bool:
        q = self.queue
        return not (q.proposals or q.awaiting_verification or q.missing_updates)


@dataclass
class ToVerify:
    """A plan's completed actions waiting for this verifier."""

    plan: Plan
    links: list[tuple[Action, str]]


@dataclass
class Digest:
    user: object
    today: date
    actions: list[ActionNeed]
    queues: list[QueueDigest]
    account_url: str
    to_verify: list[ToVerify] = field(default_factory=list)
    notifications: list[tuple[Notification, str]] = field(default_factory=list)  # since the last digest, with links

    @property
    def empty(self) -> bool:
        return not self.actions and not self.queues and not self.to_verify and not self.notifications

    @property
    def counts(self) -> dict[str, int]:
        return {
            "overdue": sum(item.overdue for item in self.actions),
            "due_soon": sum(item.due_soon for item in self.actions),
            "missing_update": sum(item.missing_update for item in self.actions),
            "proposals": sum(len(q.queue.proposals) for q in self.queues),
            "verification": sum(len(q.queue.awaiting_verification) for q in self.queues),
            "queue_missing_updates": sum(len(q.queue.missing_updates) for q in self.queues),
            "to_verify": sum(len(v.links) for v in self.to_verify),
        }

    @property
    def summary(self) -> str:
        """One line, for the subject and the command's output."""
        c = self.counts

        def listed(pairs) -> str:
            return ", ".join(text for number, text in pairs if number)

        mine = listed([(c["overdue"], f"{c['overdue']} overdue"), (c["due_soon"], f"{c['due_soon']} due soon"),
                       (c["missing_update"], f"{c['missing_update']} missing a progress update")])
        queue = listed([(c["proposals"], f"{c['proposals']} date proposal{'s' if c['proposals'] != 1 else ''}"),
                        (c["verification"], f"{c['verification']} awaiting verification"),
                        (c["queue_missing_updates"], f"{c['queue_missing_updates']} missing a progress update")])
        verify = f"{c['to_verify']} to verify" if c["to_verify"] else ""
        told = len(self.notifications)
        news = f"{told} notification{'s' if told != 1 else ''}" if told else ""
        parts = [f"your actions: {mine}" if mine else "", f"your queue: {queue}" if queue else "", verify, news]
        text = "; ".join(part for part in parts if part)
        return text[:1].upper() + text[1:] if text else "Nothing needs you"


def _action_url(action: Action) -> str:
    return link(reverse("action", args=[action.plan.reference, action.slug]))


def owner_actions(user, today: date) -> list[ActionNeed]:
    """Open actions the user owns today that are overdue, due within their plan's reminder window (the plan's
    `reminder_window_days`), or missing the current period's progress update (unless that period is locked)."""
    open_states = [state.value for state in Lifecycle if state.is_open]
    actions = list(Action.objects.filter(owner_posts__in=posts_held(user, today), lifecycle__in=open_states)
                   .distinct().select_related("plan", "recommendation"))
    periods: dict[int, Period] = {a.plan_id: current_period(a.plan, today) for a in actions}
    updated = set(ProgressUpdate.objects.filter(action__in=actions).values_list("action_id", "period_start"))
    locked = set(PeriodLock.objects.filter(plan_id__in=periods).values_list("plan_id", "period_start"))
    items = []
    for action in actions:
        item = ActionNeed(action=action, url=_action_url(action))
        due, period = action.due_on, periods[action.plan_id]
        facts = OwnerFacts(lifecycle=action.lifecycle, due_on=due, update_missing=(
            (action.pk, period.start) not in updated and (action.plan_id, period.start) not in locked
            and action.plan.has_updates_for(period)))
        needs = owner_needs(facts, today, action.plan.reminder_window_days)
        if OwnerNeed.OVERDUE in needs:
            item.overdue = True
            item.needs.append(f"Overdue: it was due {format_due(due, action.due_condition)}. Complete it with "
                              "evidence, or propose a new date.")
        elif OwnerNeed.DUE_SOON in needs:
            item.due_soon = True
            days = (due - today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            item.needs.append(f"Due {when}, on {format_long(due)}.")
        if OwnerNeed.UPDATE_MISSING in needs:
            item.missing_update = True
            item.needs.append(f"No progress update for {period.label} yet.")
        if item.needs:
            items.append(item)
    never = date.max
    items.sort(key=lambda i: (not i.overdue, i.action.due_on or never, i.action.plan.title,
                              i.action.recommendation.position, i.action.position))
    return items


def manager_queues(user, today: date) -> list[QueueDigest]:
    """For each plan the user manages, its queue (plans.queues.manager_queue), when something is in it."""
    plan_ids = PlanRole.objects.filter(user=user, role=PlanRoleKind.MANAGER).values_list("plan_id", flat=True)
    digests = []
    for plan in Plan.objects.filter(pk__in=plan_ids):
        queue = manager_queue(plan, today)
        for proposal in queue.proposals:
            proposal.action.plan = plan
        digest = QueueDigest(
            queue=queue, url=link(reverse("manage:plan_queue", args=[plan.reference])),
            proposal_links=[(p, _action_url(p.action)) for p in queue.proposals],
            verification_links=[(a, _action_url(a)) for a in queue.awaiting_verification])
        if not digest.empty:
            digests.append(digest)
    return digests


def verifier_actions(user, today: date) -> list[ToVerify]:
    """For each plan the user verifies but does not manage (a plan manager's queue lists these already), the
    completed actions awaiting verification, except those the user owns (plans.queues.to_verify)."""
    return [ToVerify(plan=plan, links=[(action, _action_url(action)) for action in actions])
            for plan, actions in to_verify(user, today, except_managed=True)]


def notifications_since_last_digest(user) -> list[tuple[Notification, str]]:
    """Unread notifications of the kinds this person gets by email, written since their last digest was sent
    (or in the last day, before the first) and not already emailed at once, each with its action's address."""
    last = ReminderSent.objects.filter(user=user).order_by("-sent_at").values_list("sent_at", flat=True).first()
    since = last or timezone.now() - timedelta(days=1)
    found = (Notification.objects.filter(user=user, read_at=None, emailed_at=None, created_at__gt=since,
                                         kind__in=emailed_kinds(user))
             .select_related("plan", "action").order_by("created_at", "id"))
    return [(note, link(reverse("action", args=[note.plan.reference, note.action.slug]))) for note in found]


def digest_for(user, today: date) -> Digest:
    return Digest(user=user, today=today, actions=owner_actions(user, today), queues=manager_queues(user, today),
                  to_verify=verifier_actions(user, today), account_url=link(reverse("account:index")) + "#reminders",
                  notifications=notifications_since_last_digest(user))


def people_to_remind(today: date):
    """Active users who hold a post today, manage or verify a plan, or have unread notifications: everyone a
    digest could be for."""
    from django.contrib.auth import get_user_model

    in_force = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    holders = PostHolding.objects.filter(in_force, user__isnull=False).values_list("user_id", flat=True)
    managers_and_verifiers = PlanRole.objects.filter(
        role__in=[PlanRoleKind.MANAGER, PlanRoleKind.VERIFIER]).values_list("user_id", flat=True)
    told = Notification.objects.filter(read_at=None).values_list("user_id", flat=True)  # e.g. a mentioned reader
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(pk__in=holders) | Q(pk__in=managers_and_verifiers) | Q(pk__in=told))
            .order_by("username"))

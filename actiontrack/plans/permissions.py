"""Who may see and do what. Services call the `require_*` functions, so the web and the API cannot differ.

Roles on a plan: plan manager, verifier and viewer are granted (PlanRole); owner comes from holding, on
the day in question, a post that owns an action. Administrators (`is_staff`, people/permissions.py) manage
users, roles and posts. An outsider to a plan gets a 404 from the views, never a 403, so plan names do not leak.
Changes made by the system (demo loader, command line, import) carry no user and are not restricted.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from actiontrack.people.models import PostHolding
from actiontrack.people.selectors import in_force, posts_held

from .choices import PlanRoleKind
from .models import Action, Plan, PlanRole


def visible_plans(user, day: date) -> QuerySet[Plan]:
    if not user.is_authenticated:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    # Subqueries, not joins: a join through every action of every plan, made DISTINCT, costs tens of
    # milliseconds at ten thousand actions, on every page.
    granted = PlanRole.objects.filter(user=user).values("plan_id")
    owned = Action.objects.filter(owner_posts__in=posts_held(user, day)).values("plan_id")
    return Plan.objects.filter(Q(pk__in=granted) | Q(pk__in=owned))


def with_manages(plans: QuerySet[Plan], user) -> QuerySet[Plan]:
    """The plans, each with `manages`: whether this person is one of its plan managers (as visible_plan gives
    it). Every plan someone manages is visible to them, so of visible_plans this also says whether they manage
    any plan, without asking again."""
    return plans.annotate(manages=Exists(PlanRole.objects.filter(plan=OuterRef("pk"), user=user,
                                                                 role=PlanRoleKind.MANAGER)))


def can_view_plan(user, plan: Plan, day: date) -> bool:
    """The same rule as visible_plans, for one plan, in at most two small queries."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or PlanRole.objects.filter(user=user, plan=plan).exists():
        return True
    return Action.objects.filter(plan=plan, owner_posts__in=posts_held(user, day)).exists()


def visible_plan(user, reference: str, day: date) -> Plan | None:
    """The plan with this reference, if this person can see it on `day` (None otherwise), as every page and API
    call asks first. The plan comes with `manages` and `verifies`: whether this person is one of its plan
    managers, one of its verifiers.

    Three small queries at most: the plan, this person's roles in it, and (for someone with none) whether they
    own one of its actions. A reference that names no plan is asked the same questions of a plan that cannot
    exist, so for an outsider a hidden plan and a missing one cost the same queries, each answered with no row:
    the time taken says nothing about which plans exist. (One query with the roles as subqueries was as many
    round trips fewer, but building and compiling it cost three times what these three cost together.)"""
    if not user.is_authenticated:
        return None
    try:  # get(), not first(): a reference names one plan, and ordering by id to take the first cost a third more
        plan = Plan.objects.get(reference=reference)
    except Plan.DoesNotExist:
        plan = None
    plan_id = plan.pk if plan is not None else 0  # no plan has id 0
    roles = set(PlanRole.objects.filter(plan_id=plan_id, user=user).values_list("role", flat=True))
    if not roles and not user.is_superuser and not Action.objects.filter(
            Q(plan_id=plan_id, owner_posts__holdings__user=user) & in_force(day, "owner_posts__holdings__")
    ).exists():
        return None
    if plan is not None:
        plan.manages, plan.verifies = PlanRoleKind.MANAGER in roles, PlanRoleKind.VERIFIER in roles
    return plan


def has_role(user, plan: Plan, role: str) -> bool:
    if not user or not user.is_authenticated:
        return False
    return PlanRole.objects.filter(user=user, plan=plan, role=role).exists()


def is_manager(user, plan: Plan) -> bool:
    return has_role(user, plan, PlanRoleKind.MANAGER)


def owns(user, action: Action, day: date) -> bool:
    """The user holds, on `day`, one of the posts that own the action: one join from their holdings to the
    action's owner posts (asked on every action page and write; a third cheaper to build than through the posts
    held, as a subquery)."""
    if not user or not user.is_authenticated:
        return False
    return PostHolding.objects.filter(in_force(day), user=user, post__actions=action).exists()


def can_create_plans(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or PlanRole.objects.filter(
        user=user, role=PlanRoleKind.MANAGER).exists()))


def _refuse(message: str):
    raise PermissionDenied(message)


def require_manager(actor, plan: Plan, doing: str) -> None:
    if actor.user is not None and not is_manager(actor.user, plan):
        _refuse(f"Only a plan manager of {plan.reference} can {doing}.")


def require_owner(actor, action: Action, day: date, doing: str) -> None:
    if actor.user is not None and not owns(actor.user, action, day):
        _refuse(f"Only an owner of action {action.ref} can {doing}.")


def require_owner_or_manager(actor, action: Action, day: date, doing: str) -> None:
    if actor.user is not None and not (owns(actor.user, action, day) or is_manager(actor.user, action.plan)):
        _refuse(f"Only an owner of action {action.ref} or a plan manager can {doing}.")


def require_verifier(actor, action: Action, day: date, doing: str) -> None:
    if actor.user is None:
        return
    if not has_role(actor.user, action.plan, PlanRoleKind.VERIFIER):
        _refuse(f"Only a verifier of {action.plan.reference} can {doing}.")
    if owns(actor.user, action, day):
        _refuse(f"You own action {action.ref}, so you cannot {doing}: someone else must verify it.")

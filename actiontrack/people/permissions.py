"""Who may see and do what. Services call the `require_*` functions, so the web and the API cannot differ.

Roles on a plan: plan manager, verifier and viewer are granted (PlanRole); owner comes from holding, on
the day in question, a post that owns an action. Administrators (`is_staff`) manage users, roles and
posts. An outsider to a plan gets a 404 from the views, never a 403, so plan names do not leak.
Changes made by the system (demo loader, command line, import) carry no user and are not restricted.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from actiontrack.ops import rows
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import Action, Plan

from .models import PlanRole, Post, PostHolding


def _in_force(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))


def posts_held(user, day: date) -> QuerySet[Post]:
    if not user or not user.is_authenticated:
        return Post.objects.none()
    return Post.objects.filter(_in_force(day, "holdings__") & Q(holdings__user=user)).distinct()


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


def can_view_plan(user, plan: Plan, day: date) -> bool:
    """The same rule as visible_plans, for one plan, in at most two small queries."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or PlanRole.objects.filter(user=user, plan=plan).exists():
        return True
    return Action.objects.filter(plan=plan, owner_posts__in=posts_held(user, day)).exists()


def visible_plan(user, reference: str, day: date) -> Plan | None:
    """The plan with this reference, if this person can see it on `day` (None otherwise), in one query, as every
    page and API call asks first. The plan comes with `manages`: whether this person is one of its plan managers.

    Who may see it is decided inside that query, so a plan that exists but is hidden from this person costs the
    same query, answered with no row, as a reference that names no plan: the time taken says nothing about
    which plans exist."""
    if not user.is_authenticated:
        return None
    plan = rows.one(Plan, _VISIBLE_PLAN, [user.pk, user.pk, PlanRoleKind.MANAGER, reference, bool(user.is_superuser),
                                          user.pk, user.pk, day, day], ("granted", "manages"))
    if plan is None:
        return None
    plan.granted, plan.manages = bool(plan.granted), bool(plan.manages)
    return plan


# Written out, not built by the ORM: every page and API call runs it first, and building the equivalent
# queryset (three EXISTS subqueries) cost several times what the database takes to answer it.
_ROLES = f'SELECT 1 FROM "{PlanRole._meta.db_table}" r WHERE r.plan_id = p.id AND r.user_id = %s'
_OWNS = (f'SELECT 1 FROM "{Action._meta.db_table}" a '
         f'JOIN "{Action.owner_posts.through._meta.db_table}" ap ON ap.action_id = a.id '
         f'JOIN "{PostHolding._meta.db_table}" h ON h.post_id = ap.post_id '
         "WHERE a.plan_id = p.id AND h.user_id = %s AND h.starts_on <= %s AND (h.ends_on IS NULL OR h.ends_on >= %s)")
_VISIBLE_PLAN = (f"SELECT {rows.columns(Plan, 'p')}, EXISTS ({_ROLES}), EXISTS ({_ROLES} AND r.role = %s) "
                 f'FROM "{Plan._meta.db_table}" p WHERE p.reference = %s '
                 f"AND (%s OR EXISTS ({_ROLES}) OR EXISTS ({_OWNS}))")


def has_role(user, plan: Plan, role: str) -> bool:
    if not user or not user.is_authenticated:
        return False
    return PlanRole.objects.filter(user=user, plan=plan, role=role).exists()


def is_manager(user, plan: Plan) -> bool:
    return has_role(user, plan, PlanRoleKind.MANAGER)


def owns(user, action: Action, day: date) -> bool:
    """The user holds, on `day`, one of the posts that own the action."""
    return action.owner_posts.filter(pk__in=posts_held(user, day)).exists()


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


def require_administrator(actor, doing: str) -> None:
    if actor.user is not None and not actor.user.is_staff:
        _refuse(f"Only an administrator can {doing}.")

"""Who may see what. An outsider to a plan gets a 404, never a 403, so plan names do not leak."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from actiontrack.plans.models import Plan


def visible_plans(user) -> QuerySet[Plan]:
    if not user.is_authenticated:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    return Plan.objects.filter(
        Q(roles__user=user) | Q(actions__owner_posts__holdings__user=user)
    ).distinct()


def can_view_plan(user, plan: Plan) -> bool:
    return visible_plans(user).filter(pk=plan.pk).exists()

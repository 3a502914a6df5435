"""Granting and revoking roles on a plan (plan manager, verifier, viewer): an administrator's work."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.people.permissions import require_administrator
from actiontrack.plans.choices import PlanRoleKind
from actiontrack.plans.models import Plan, PlanRole


@transaction.atomic
def role_grant(*, actor: Actor, user, plan: Plan, role: str, today: date) -> PlanRole:
    require_administrator(actor, "grant roles")
    role = PlanRoleKind(role)
    grant, created = PlanRole.objects.get_or_create(user=user, plan=plan, role=role)
    if not created:
        raise ValidationError({"role": f"{user.get_username()} is already {role.label.lower()} of {plan.reference}."})
    record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field="role_granted", old=None,
           new={"user": user.get_username(), "role": role.value}, effective_on=today)
    return grant


@transaction.atomic
def role_revoke(*, actor: Actor, grant: PlanRole, today: date) -> None:
    require_administrator(actor, "revoke roles")
    record(actor=actor, plan=grant.plan, entity_type=EntityType.PLAN, entity_id=grant.plan_id, field="role_revoked",
           old={"user": grant.user.get_username(), "role": grant.role}, new=None, effective_on=today)
    grant.delete()

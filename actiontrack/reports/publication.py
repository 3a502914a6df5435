"""Publishing a plan: its latest issued report's progress on the public pages (reports.register), and withdrawing
it. Each is journalled on the plan like any change to its details."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.plans import permissions as perms
from actiontrack.plans.models import Plan

from .choices import ReportStatus

PUBLISHED = "published"  # the journal's field


@transaction.atomic
def plan_publish(*, actor: Actor, plan: Plan, holder_names: bool, effective_on: date) -> Plan:
    """Publish the plan (or change whether its public pages name the post holders)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    perms.require_manager(actor, plan, "publish its progress")
    if not plan.board_reports.filter(status=ReportStatus.ISSUED).exists():
        raise ValidationError({"publish": f"Issue a board report for {plan.reference} first: the public pages "
                                          "show the latest issued report, and this plan has none yet."})
    old = _state(plan)
    plan.published_at = plan.published_at or timezone.now()
    plan.public_holder_names = holder_names
    return _save(actor, plan, old, effective_on,
                 "Published on the public pages" + (", naming the post holders" if holder_names else ""))


@transaction.atomic
def plan_unpublish(*, actor: Actor, plan: Plan, effective_on: date) -> Plan:
    """Withdraw the plan's public pages: they answer as for a plan that does not exist, at once."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    perms.require_manager(actor, plan, "withdraw its public pages")
    old = _state(plan)
    plan.published_at = None
    plan.public_holder_names = False
    return _save(actor, plan, old, effective_on, "Withdrawn from the public pages")


def _state(plan: Plan) -> dict:
    return {"published": plan.published_at is not None, "holder_names": plan.public_holder_names}


def _save(actor: Actor, plan: Plan, old: dict, effective_on: date, reason: str) -> Plan:
    new = _state(plan)
    plan.save(update_fields=["published_at", "public_holder_names"])
    if new != old:
        record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=PUBLISHED, old=old,
               new=new, effective_on=effective_on, reason=reason)
    return plan

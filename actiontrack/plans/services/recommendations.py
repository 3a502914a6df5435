"""Adding recommendations to a plan, changing their text and kind, and their order."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.journal import CREATED
from actiontrack.domain.text import Limit
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Plan, Recommendation
from actiontrack.plans.services._changes import (
    check_effective,
    check_not_after_today,
    move_position,
    require_reason,
)


@transaction.atomic
def recommendation_create(*, actor: Actor, plan: Plan, number: int, text: str,
                          kind: str = RecommendationKind.RECOMMENDATION, effective_on: date | None = None,
                          reason: str = "", today: date | None = None) -> Recommendation:
    perms.require_manager(actor, plan, "add recommendations")
    effective_on = effective_on or plan.agreed_on
    check_effective(plan, effective_on)
    check_not_after_today(plan, effective_on, today, "recommendation")
    if plan.recommendations.filter(number=number).exists():
        raise ValidationError({"number": f"Recommendation {number} already exists in {plan.reference}."})
    text = clean_text(text, limit=Limit.TEXT, what="the recommendation's text", field="text")
    position = max(plan.recommendations.values_list("position", flat=True), default=0) + 1
    recommendation = Recommendation(plan=plan, number=number, text=text, kind=kind, position=position)
    recommendation.full_clean()
    recommendation.save()
    record(actor=actor, plan=plan, entity_type=EntityType.RECOMMENDATION, entity_id=recommendation.pk,
           field=CREATED, old=None, new={"number": number, "kind": kind, "text": recommendation.text},
           effective_on=effective_on, reason=reason)
    return recommendation


@transaction.atomic
def recommendation_update(*, actor: Actor, recommendation: Recommendation, text: str, kind: str | None, reason: str,
                          effective_on: date, expected_version: int | None = None) -> Recommendation:
    """Change the text or kind (None: keep the kind stored now). With `expected_version` (the edit form's),
    refused with EditConflict if someone else saved the recommendation since the form was opened."""
    recommendation = Recommendation.objects.select_for_update().select_related("plan").get(pk=recommendation.pk)
    kind = recommendation.kind if kind is None else kind
    plan = recommendation.plan
    perms.require_manager(actor, plan, "change a recommendation")
    if expected_version is not None and recommendation.version != expected_version:
        raise EditConflict(f"Recommendation {recommendation.number}",
                           {"text": recommendation.text, "kind": recommendation.get_kind_display()},
                           recommendation.version)
    reason = require_reason(reason, "changing the recommendation")
    check_effective(plan, effective_on)
    text = clean_text(text, limit=Limit.TEXT, what="the recommendation's text", field="text")
    if not text:
        raise ValidationError({"text": "The recommendation's text cannot be empty."})
    changed = False
    for field, new in (("text", text), ("kind", kind)):
        old = getattr(recommendation, field)
        if old != new:
            setattr(recommendation, field, new)
            changed = True
            record(actor=actor, plan=plan, entity_type=EntityType.RECOMMENDATION, entity_id=recommendation.pk,
                   field=field, old=old, new=new, effective_on=effective_on, reason=reason)
    if changed:
        recommendation.version += 1
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def recommendation_change_text(*, actor: Actor, recommendation: Recommendation, text: str, reason: str,
                               effective_on: date) -> Recommendation:
    return recommendation_update(actor=actor, recommendation=recommendation, text=text, kind=None, reason=reason,
                                 effective_on=effective_on)


@transaction.atomic
def recommendation_move(*, actor: Actor, recommendation: Recommendation, direction: int,
                        effective_on: date) -> None:
    """Move up (-1) or down (+1) in the plan's order. Numbers (and so refs) never change."""
    plan = recommendation.plan
    perms.require_manager(actor, plan, "reorder recommendations")
    move_position(actor, plan, list(plan.recommendations.select_for_update().order_by("position", "number")),
          recommendation, direction, EntityType.RECOMMENDATION, effective_on)

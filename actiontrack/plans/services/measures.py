"""Measures (domain.measures): a plan manager sets one on a recommendation (or one of its actions) with its
target, tolerance and period; an owner of its actions, or a plan manager, records each period's value against the
target then in force, and may correct it; a plan manager may change the target for periods to come. Every step is
journalled on the plan's journal as a measure event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.measures import number
from actiontrack.domain.periods import period_of
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_long
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import PeriodKindChoices
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, Measure, MeasureValue, Recommendation

LARGEST = Decimal("1e12")  # the columns hold 14 digits, two of them after the point
CENTS = Decimal("0.01")


def _amount(value, field: str, what: str) -> Decimal:
    """A figure as the columns hold it, each refusal said the same on the web and in the API."""
    try:
        amount = None if value is None else Decimal(str(value).strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: f"Give {what} as a number, for example 150 or 12.5."})
    if abs(amount) >= LARGEST:
        raise ValidationError({field: f"Give {what} as a number below 1,000,000,000,000."})
    if amount != amount.quantize(CENTS):
        raise ValidationError({field: f"Give {what} with no more than two decimal places."})
    return amount.quantize(CENTS)


@transaction.atomic
def measure_add(*, actor: Actor, recommendation: Recommendation, name: str, target, tolerance=0,
                unit: str = "", direction: str = Measure.Direction.HIGHER, period: str = "quarterly",
                hold_periods: int = 2, action: Action | None = None, effective_on: date) -> Measure:
    plan = recommendation.plan
    perms.require_manager(actor, plan, "set measures")
    name = clean_text(name, limit=Limit.LINE, what="the measure's name", field="name")
    if not name:
        raise ValidationError({"name": "Name the measure, for example “Fire safety audits completed”."})
    if direction not in Measure.Direction.values:
        raise ValidationError({"direction": "Say whether higher or lower is better."})
    if period not in PeriodKindChoices.values:
        raise ValidationError({"period": "Choose how often a value is recorded."})
    if action is not None and action.recommendation_id != recommendation.pk:
        raise ValidationError({"action": f"Action {action.ref} is not one of recommendation {recommendation.ref}'s."})
    target, tolerance = _amount(target, "target", "the target"), _amount(tolerance, "tolerance", "the tolerance")
    if tolerance < 0:
        raise ValidationError({"tolerance": "The tolerance cannot be negative."})
    if not 1 <= hold_periods <= 12:
        raise ValidationError({"hold_periods": "Give between 1 and 12 periods."})
    measure = Measure.objects.create(
        plan=plan, recommendation=recommendation, action=action, name=name,
        unit=clean_text(unit, limit=60, what="the unit", field="unit"), direction=direction, period=period,
        target=target, tolerance=tolerance, hold_periods=hold_periods,
        position=plan.measures.count() + 1)
    record(actor=actor, plan=plan, entity_type=EntityType.MEASURE, entity_id=measure.pk, field="created", old=None,
           new={"recommendation": recommendation.pk, "action": action.pk if action else None, "name": name,
                "unit": measure.unit, "direction": direction, "period": period, "target": str(target),
                "tolerance": str(tolerance), "hold_periods": hold_periods},
           effective_on=effective_on, reason=f"Measure for recommendation {recommendation.ref}")
    return measure


def may_record(user, measure: Measure, day: date) -> bool:
    """Plan managers, and the owners of its action (or of any of its recommendation's actions)."""
    if perms.is_manager(user, measure.plan):
        return True
    actions = [measure.action] if measure.action_id else list(measure.recommendation.actions.all())
    return any(perms.owns(user, action, day) for action in actions)


@transaction.atomic
def measure_record(*, actor: Actor, measure: Measure, day: date, value, today: date) -> MeasureValue:
    """The value for the period containing `day` (a period begun by today), against the target in force."""
    measure = Measure.objects.select_for_update(of=("self",)).select_related("plan", "recommendation", "action").get(
        pk=measure.pk)
    if actor.user is not None and not may_record(actor.user, measure, today):
        raise PermissionDenied(f"Only an owner or a plan manager can record {measure.name}.")
    period = period_of(day, measure.period)
    if period.start > today:
        raise ValidationError({"day": f"{period.label} has not begun yet ({format_long(period.start)})."})
    if period.end < measure.plan.agreed_on:
        raise ValidationError({"day": f"{period.label} ended before {measure.plan.reference} was agreed "
                                      f"({format_long(measure.plan.agreed_on)}): the plan has no measures for it."})
    amount = _amount(value, "value", "the value")
    existing = MeasureValue.objects.filter(measure=measure, period_start=period.start).first()
    target = existing.target if existing else measure.target  # a correction keeps its period's target
    if amount < 0 < target:  # a count or a time; a measure aiming at zero or below (a variance) may go there
        unit = f" {measure.unit}" if measure.unit else ""
        raise ValidationError({"value": f"{measure.name} cannot be below zero (its target is "
                                        f"{number(target)}{unit}): check the sign."})
    old = str(existing.value) if existing else None
    if existing is None:
        existing = MeasureValue(measure=measure, period_start=period.start, target=measure.target,
                                tolerance=measure.tolerance)
    existing.value, existing.recorded_by, existing.recorded_on = amount, actor.name, today
    existing.save()
    if old != str(amount):
        record(actor=actor, plan=measure.plan, entity_type=EntityType.MEASURE, entity_id=measure.pk,
               field="value", old=old, new={"period": period.start.isoformat(), "value": str(amount)},
               effective_on=min(today, period.end), reason=f"{measure.name}, {period.label}: {number(amount)}")
    return existing


@transaction.atomic
def measure_set_target(*, actor: Actor, measure: Measure, target, tolerance, reason: str,
                       effective_on: date) -> Measure:
    """A new target and tolerance, for values recorded from now on (those recorded keep theirs)."""
    measure = Measure.objects.select_for_update().select_related("plan").get(pk=measure.pk)
    perms.require_manager(actor, measure.plan, "change a measure's target")
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
    if not reason:
        raise ValidationError({"reason": "Say why the target changes."})
    old = {"target": str(measure.target), "tolerance": str(measure.tolerance)}
    measure.target = _amount(target, "target", "the target")
    measure.tolerance = _amount(tolerance, "tolerance", "the tolerance")
    measure.save(update_fields=["target", "tolerance"])
    record(actor=actor, plan=measure.plan, entity_type=EntityType.MEASURE, entity_id=measure.pk, field="target",
           old=old, new={"target": str(measure.target), "tolerance": str(measure.tolerance)},
           effective_on=effective_on, reason=reason)
    return measure

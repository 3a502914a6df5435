"""Adding recommendations to a plan, changing their text and kind, and their order."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.journal import CREATED
from actiontrack.domain.references import REF_MAX, clean_ref, slug_stems, unique_slug
from actiontrack.domain.text import Limit
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Group, Plan, Recommendation
from actiontrack.plans.services._changes import (
    check_effective,
    check_not_after_today,
    move_position,
    require_reason,
    taken_slugs,
)


@transaction.atomic
def group_for(*, actor: Actor, plan: Plan, name: str) -> Group:
    """The plan's group of this name (compared without case or extra spaces), added at the end if it has none.
    A group is a heading: adding one changes nothing a date shows until a recommendation is put in it, and that
    is journalled with the recommendation."""
    perms.require_manager(actor, plan, "add groups")
    name = clean_text(name, limit=Limit.LINE, what="the group's name", field="group").replace("\n", " ")
    if not name:
        raise ValidationError({"group": "Give the group a name."})
    for group in plan.groups.all():
        if group.name.casefold() == name.casefold():
            return group
    position = max(plan.groups.values_list("position", flat=True), default=0) + 1
    return Group.objects.create(plan=plan, name=name, position=position)


@transaction.atomic
def recommendation_create(*, actor: Actor, plan: Plan, ref: str, text: str,
                          kind: str = RecommendationKind.RECOMMENDATION, group: Group | None = None,
                          source: str = "", effective_on: date | None = None,
                          reason: str = "", today: date | None = None) -> Recommendation:
    """A recommendation with the reference its source gives it ("3", "AFI 3", "33.22c"), unique in its group
    (or in the plan, outside any group)."""
    perms.require_manager(actor, plan, "add recommendations")
    effective_on = effective_on or plan.agreed_on
    check_effective(plan, effective_on)
    check_not_after_today(plan, effective_on, today, "recommendation")
    ref = clean_ref(ref)
    if not ref:
        raise ValidationError({"ref": "Give the reference the source gives it, for example 3 or AFI 3."})
    if len(ref) > REF_MAX:
        raise ValidationError({"ref": f"A reference can have up to {REF_MAX} characters; this one has {len(ref)}."})
    if group is not None and group.plan_id != plan.pk:
        raise ValidationError({"group": f"{group.name!r} is a group of another plan."})
    if plan.recommendations.filter(group=group, ref__iexact=ref).exists():
        where = f"group {group.name!r} of {plan.reference}" if group else plan.reference
        raise ValidationError({"ref": f"Recommendation {ref} already exists in {where}."})
    text = clean_text(text, limit=Limit.TEXT, what="the recommendation's text", field="text")
    source = clean_text(source, limit=Limit.LINE, what="the source", field="source").replace("\n", " ")
    position = (plan.recommendations.aggregate(last=Max("position"))["last"] or 0) + 1
    prefix, fallback = (group.name if group else ""), f"recommendation-{position}"
    slug = unique_slug(ref, taken_slugs(plan.recommendations, slug_stems(ref, prefix=prefix, fallback=fallback)),
                       prefix=prefix, fallback=fallback)
    recommendation = Recommendation(plan=plan, ref=ref, slug=slug, group=group, source=source, text=text, kind=kind,
                                    position=position)
    recommendation.full_clean()
    recommendation.save()
    record(actor=actor, plan=plan, entity_type=EntityType.RECOMMENDATION, entity_id=recommendation.pk,
           field=CREATED, old=None, new=recommendation_snapshot(recommendation),
           effective_on=effective_on, reason=reason)
    return recommendation


def recommendation_snapshot(recommendation: Recommendation) -> dict:
    """What the journal's CREATED event holds; replay reads older events' "number" as the reference."""
    return {"ref": recommendation.ref, "group": recommendation.group_id, "source": recommendation.source,
            "kind": recommendation.kind, "text": recommendation.text}


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
        raise EditConflict(f"Recommendation {recommendation.ref}",
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
    """Move up (-1) or down (+1) in the plan's order. References never change."""
    plan = recommendation.plan
    perms.require_manager(actor, plan, "reorder recommendations")
    move_position(actor, plan, list(plan.recommendations.select_for_update().order_by("position", "pk")),
          recommendation, direction, EntityType.RECOMMENDATION, effective_on)

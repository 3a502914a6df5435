"""Creating a plan and changing its details."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record, to_json
from actiontrack.domain.journal import CREATED
from actiontrack.domain.text import Limit
from actiontrack.domain.ukdates import format_short
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import PlanRoleKind, SourceKind
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.inputs import clean_plan_details, clean_text
from actiontrack.plans.models import Plan, PlanRole
from actiontrack.plans.services._changes import check_source_dates

RESERVED_REFERENCES = {"new", "edit", "queue"}
ROWS_LEFT_OUT = "import_rows_left_out"  # the journal field of plan_record_rows_left_out
PLAN_EDITABLE = ("title", "organisation", "source_kind", "source_body", "commissioned_on", "reported_on",
                 "background", "documents_reviewed", "board", "classification", "rag_scheme", "rag_window_days",
                 "reminder_window_days", "reporting_period", "managers_change_dates_directly", "group_label",
                 "escalate_after_days", "escalate_senior_after_days", "escalate_senior_post_id")


@transaction.atomic
def plan_create(*, actor: Actor, reference: str, title: str, agreed_on: date, source_kind: str = SourceKind.OTHER,
                reason: str = "Plan agreed", **details) -> Plan:
    if actor.user is not None and not perms.can_create_plans(actor.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    if reference.lower() in RESERVED_REFERENCES:
        raise ValidationError({"reference": f"{reference!r} is a word the site uses in its addresses; choose "
                                            "another reference."})
    if Plan.objects.filter(reference__iexact=reference).exists():
        raise ValidationError({"reference": f"A plan with reference {reference!r} already exists."})
    details = clean_plan_details({"title": title, **details})
    plan = Plan(reference=reference, agreed_on=agreed_on, source_kind=source_kind, **details)
    plan.full_clean()
    check_source_dates(plan)
    plan.save()
    snapshot = {"reference": plan.reference, "title": plan.title, "source_kind": plan.source_kind}
    record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=CREATED, old=None,
           new=snapshot, effective_on=agreed_on, reason=reason)
    if actor.user is not None:
        PlanRole.objects.create(user=actor.user, plan=plan, role=PlanRoleKind.MANAGER)
        record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field="role_granted",
               old=None, new={"user": actor.user.get_username(), "role": PlanRoleKind.MANAGER.value},
               effective_on=agreed_on, reason="The plan's creator manages it.")
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, changes: dict, effective_on: date, reason: str = "",
                expected_version: int | None = None) -> Plan:
    """Change the plan's details; each changed field is journalled. With `expected_version` (the edit form's),
    refused with EditConflict if someone else saved the details since the form was opened."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    perms.require_manager(actor, plan, "change the plan's details")
    if expected_version is not None and plan.details_version != expected_version:
        raise EditConflict("The plan's details", plan_snapshot(plan), plan.details_version, plural=True)
    unknown = set(changes) - set(PLAN_EDITABLE)
    if unknown:
        raise ValidationError({field: "This field cannot be changed here." for field in sorted(unknown)})
    changes = clean_plan_details(changes)
    reason = clean_text(reason, limit=Limit.REASON, what="the reason", field="reason")
    old = {field: getattr(plan, field) for field in changes}
    for field, value in changes.items():
        setattr(plan, field, value)
    plan.full_clean()
    check_source_dates(plan)
    if any(getattr(plan, field) != old[field] for field in changes):
        plan.details_version += 1
    plan.save()
    for field in changes:
        if getattr(plan, field) != old[field]:
            record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=field,
                   old=to_json(old[field]), new=to_json(getattr(plan, field)), effective_on=effective_on,
                   reason=reason)
    return plan


def plan_snapshot(plan: Plan) -> dict:
    """The plan's editable details as people read them, by field name, to show beside what someone typed."""
    shown = {}
    for name in PLAN_EDITABLE:
        field, value = Plan._meta.get_field(name), getattr(plan, name)
        if field.choices:
            value = getattr(plan, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, date):
            value = format_short(value)
        shown[name] = "" if value is None else str(value)
    return shown


@transaction.atomic
def plan_record_rows_left_out(*, actor: Actor, plan: Plan, filename: str, rows: dict[str, str],
                              effective_on: date) -> None:
    """The rows of an imported file the plan manager chose to leave out, each with why: one entry in the plan's
    history, in the import's transaction, so what was not brought in is on record beside what was."""
    perms.require_manager(actor, plan, "import into it")
    listed = "; ".join(f"{row} ({why})" for row, why in rows.items())
    record(actor=actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=ROWS_LEFT_OUT, old=None,
           new={"file": filename, "rows": [{"row": row, "reason": why} for row, why in rows.items()]},
           effective_on=effective_on,
           reason=clean_text(f"Imported from {filename}, leaving out {len(rows)} row(s): {listed}",
                             limit=Limit.LONG, what="the list of rows left out", field="reason"))

"""The import service the pages and the `import` command call: parsed rows into a plan, previewed or applied.

It checks who may import, then hands the work to one of three: a restore of an actiontrack JSON export as a
new plan (restore.py), a preview that only reads (planner.py), or the apply, through the plan services
(apply.py). Each fills the same report (report.py)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied

from actiontrack.core.journal import Actor
from actiontrack.domain.ukdates import format_short
from actiontrack.plans import permissions as perms
from actiontrack.plans.models import Plan

from . import decisions
from .apply import write_import
from .base import ParseResult
from .planner import preview_import
from .refs import parse_ref
from .report import ImportReport
from .restore import plan_restore


def reading_of_existing_plan(plan_ref: str, parsed: ParseResult, mapping: dict[str, str] | None) -> str:
    """For a file whose Refs read two ways ("AFI 1.1": an area for improvement of its own, or action 1 of AFI 1),
    imported into an existing plan without the person saying which: the reading under which the plan already
    holds it (decisions.REFS_WHOLE or REFS_SPLIT), so next month's tracker updates what last month's made rather
    than adding beside it; "" when the plan holds neither (or the person said, or there is nothing to choose)."""
    if not parsed.split_ref or decisions.refs(mapping):
        return ""
    plan = Plan.objects.filter(reference__iexact=plan_ref).first()
    whole, split = parse_ref(parsed.split_ref, whole=True), parse_ref(parsed.split_ref)
    if plan is None or whole is None or split is None:
        return ""
    held = {ref.casefold() for ref in plan.recommendations.values_list("ref", flat=True)}
    reading = (decisions.REFS_WHOLE if whole[0].casefold() in held
               else decisions.REFS_SPLIT if split[0].casefold() in held else "")
    return "" if reading == parsed.split_ref_default else reading


def import_apply(*, actor: Actor, plan_ref: str, parsed: ParseResult, mapping: dict[str, str] | None = None,
                 title: str = "", apply: bool = False, create_posts: bool = False, filename: str = "",
                 today: date, agreed_on: date | None = None) -> ImportReport:
    """Import `parsed` into the plan `plan_ref` (created if there is none). With apply=False, a preview: the
    changes are worked out without writing anything (planner.py). Applying writes only if there is no error;
    the whole import is one transaction."""
    report = ImportReport(filename=filename, plan_reference=plan_ref, format=parsed.format, columns=parsed.columns,
                          mapping=dict(mapping or {}), problems=list(parsed.problems), notes=list(parsed.notes),
                          statuses=dict(parsed.statuses), rows=len(parsed.rows),  # type: ignore[arg-type]
                          split_ref=parsed.split_ref, split_ref_default=parsed.split_ref_default)
    if parsed.refused:
        return report
    if parsed.as_at and not decisions.as_at(mapping):  # the document's "As at" line, until the person says else
        report.mapping[decisions.AS_AT] = parsed.as_at.isoformat()
        report.notes.append(f"The document says it is as at {format_short(parsed.as_at)}: actions it gives as "
                            "complete without a date are taken as completed then (change the date in the choices).")
    left_out = decisions.excluded(mapping)
    if left_out:  # what was wrong with a row left out no longer stands in the way, nor do the owners it names
        report.problems = [p for p in report.problems if decisions.row_location(p.location) not in left_out]
        named = {cell for row in parsed.rows if decisions.row_location(row.location) not in left_out
                 for cell in (row.owners, row.supporting)}
        parsed.owner_names = [cell for cell in parsed.owner_names if cell in named]
    plan = Plan.objects.filter(reference__iexact=plan_ref).first()
    if plan is not None:
        perms.require_manager(actor, plan, "import into it")
        report.plan_reference, report.plan_title = plan.reference, plan.title
    elif actor.user is not None and not perms.can_create_plans(actor.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    if plan is None and parsed.document is not None:
        return plan_restore(actor=actor, document=parsed.document, reference=plan_ref, report=report, apply=apply,
                            today=today)
    work = write_import if apply else preview_import
    return work(actor=actor, report=report, parsed=parsed, plan=plan, create_posts=create_posts, today=today,
                agreed_on=agreed_on, title=title)

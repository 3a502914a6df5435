"""What the API's handlers share: who is acting, finding a plan or action (404 for anyone who cannot see it,
as the web does), the as-at date, the action filters, pagination, and turning rows into the API's shapes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.domain import deadlines
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_due, format_short
from actiontrack.people.models import Post
from actiontrack.people.selectors import posts_held
from actiontrack.plans import selectors
from actiontrack.plans.choices import SourceKind
from actiontrack.plans.models import Action, Plan, PlanRole
from actiontrack.plans.permissions import visible_plan
from actiontrack.plans.selectors import ActionRow
from actiontrack.plans.selectors.finder import Search
from actiontrack.plans.selectors.progress import Progress

from .schemas import MAX_ID, IsoDate, RagColour

PAGE = 50
MAX_PAGE = 200
# The latest as-at date a rating can be computed for: at-risk windows are added to it.
LATEST_AS_AT = date(9899, 12, 31)


class Pagination(LimitOffsetPagination):
    """`limit` (1 to 200, 50 by default) and `offset`; the response has `count` (all matches) and `items`."""

    class Input(Schema):
        limit: int = Field(PAGE, ge=1, le=MAX_PAGE, description=f"How many to return (at most {MAX_PAGE})")
        offset: int = Field(0, ge=0, le=MAX_ID, description="How many to skip")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)


def actor(request) -> Actor:
    return Actor.of(request.auth, ChangeSource.API)


def today() -> date:
    return timezone.localdate()


def as_at_or_today(as_at: date | None) -> date:
    if as_at is None:
        return today()
    if as_at > LATEST_AS_AT:
        raise ValidationError({"as_at": f"The as-at date must be on or before {format_short(LATEST_AS_AT)}."})
    return as_at


def plan_or_404(user, reference: str) -> Plan:
    """The plan, if this person can see it. Anyone else is told it does not exist, so names do not leak."""
    plan = visible_plan(user, reference, today())
    if plan is None:
        raise Http404(f"There is no plan with reference {reference!r} that you can see.")
    return plan


def action_or_404(plan: Plan, ref: str) -> Action:
    action = selectors.action_by_ref(plan, ref)
    if action is None:
        raise Http404(f"There is no action {ref} in {plan.reference}.")
    return action


def rows_as_at(plan: Plan, as_at: date) -> list[ActionRow]:
    """Every action of the plan as it stood on `as_at`, rated by the plan's scheme (the journal replayed)."""
    return selectors.plan_as_at(plan, as_at).actions


# Filters ------------------------------------------------------------------------------------------------------

class ActionFilters(Schema):
    overdue: bool | None = Field(None, description="true: only actions not complete and past their due date on "
                                                   "the as-at date; false: only the others")
    due_before: IsoDate | None = Field(None, description="Only actions due before this date (YYYY-MM-DD)")
    due_after: IsoDate | None = Field(None, description="Only actions due after this date (YYYY-MM-DD)")
    owner_post: int | None = Field(None, ge=1, le=MAX_ID, description="Only actions this post owned on the as-at "
                                                                      "date (a post id from /api/posts)")
    lifecycle: Lifecycle | None = Field(None, description="Only actions in this lifecycle state on the as-at date")
    rag: RagColour | None = Field(None, description="Only actions with this RAG colour on the as-at date")


class FindFilters(ActionFilters):
    """The cross-plan list's filters: those of a plan's list and Find actions' own (/actions/, docs/using.md)."""

    q: str | None = Field(None, max_length=200, description="Only actions whose reference, text, recommendation or "
                                                           "a progress update contains these words")
    group: str | None = Field(None, max_length=300, description="Only actions in the group of this name")
    source: SourceKind | None = Field(None, description="Only plans from this kind of source")
    due_within: int | None = Field(None, ge=0, le=3650, description="Only open actions due from the as-at date to "
                                                                   "this many days after it")
    revised: bool | None = Field(None, description="true: only actions whose due date was revised")
    no_update: bool | None = Field(None, description="true: only open actions with no progress update for their "
                                                     "plan's period of the as-at date")
    awaiting_verification: bool | None = Field(None, description="true: only completed actions not yet verified")
    sort: str | None = Field(None, pattern=r"^-?(plan|due|rag|lifecycle|owner|revised)$",
                             description="plan (the default), due, rag, lifecycle, owner or revised; a leading - "
                                         "reverses it")

    def search(self, plan_reference: str | None) -> Search:
        return Search(q=(self.q or "").strip(), plans=(plan_reference,) if plan_reference else (),
                      group=self.group or "", source=self.source or "", rag=self.rag or "",
                      lifecycle=self.lifecycle, owner_post=self.owner_post, due_within=self.due_within,
                      due_before=self.due_before, due_after=self.due_after, overdue=self.overdue,
                      revised=bool(self.revised), no_update=bool(self.no_update),
                      awaiting_verification=bool(self.awaiting_verification), sort=self.sort or "plan")


def is_overdue(row: ActionRow, as_at: date) -> bool:
    return deadlines.is_overdue(row.lifecycle, row.due_on, as_at)


def filtered(rows: list[ActionRow], filters: ActionFilters, as_at: date, post_names: dict[int, str]) -> list:
    if filters.owner_post is not None:
        wanted = post_names.get(filters.owner_post)
        rows = [r for r in rows if any(owner.post == wanted for owner in r.owners)] if wanted else []
    if filters.overdue is not None:
        rows = [r for r in rows if is_overdue(r, as_at) is filters.overdue]
    if filters.due_before is not None:
        rows = [r for r in rows if r.due_on is not None and r.due_on < filters.due_before]
    if filters.due_after is not None:
        rows = [r for r in rows if r.due_on is not None and r.due_on > filters.due_after]
    if filters.lifecycle is not None:
        rows = [r for r in rows if r.lifecycle is filters.lifecycle]
    if filters.rag is not None:
        rows = [r for r in rows if r.rating.colour == filters.rag]
    return rows


# Shapes -------------------------------------------------------------------------------------------------------

def post_names() -> dict[int, str]:
    return dict(Post.objects.values_list("id", "name"))


def action_out(plan: Plan, row: ActionRow, as_at: date, post_ids: dict[str, int],
               progress: Progress | None = None) -> dict:
    return {
        "id": row.id, "plan": plan.reference, "ref": row.ref, "slug": row.slug, "recommendation": row.rec_ref,
        "group": row.group, "text": row.text,
        "owners": [{"post_id": post_ids.get(o.post), "post": o.post, "holder": o.holder,
                    "supporting": o.supporting} for o in row.owners],
        "owners_text": row.owners_text, "due_on": row.due_on, "due_condition": row.due_condition,
        "due_text": row.due_text, "baseline_on": row.baseline_on, "revisions": row.revisions,
        "slip_days": row.slip_days, "lifecycle": row.lifecycle, "lifecycle_label": row.lifecycle.label,
        "lifecycle_reason": row.lifecycle_reason, "completed_on": row.completed_on, "as_at": as_at,
        "rating": {"colour": row.rating.colour, "band": row.rating.band.key, "label": row.rating.label,
                   "reason": row.rating.reason},
        "progress": progress_out(progress),
        "web_url": reverse("action", args=[plan.reference, row.slug]),
    }


def progress_out(progress: Progress | None) -> dict | None:
    return {"text": progress.text, "period_start": progress.period.start, "period": progress.period.label,
            "author": progress.author, "for_as_at_period": progress.is_for_period} if progress else None


def roles_by_plan(user, day: date) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    for plan_id, role in PlanRole.objects.filter(user=user).values_list("plan_id", "role"):
        roles.setdefault(plan_id, set()).add(role)
    owned = Action.objects.filter(owner_posts__in=posts_held(user, day)).values_list("plan_id", flat=True)
    for plan_id in set(owned):
        roles.setdefault(plan_id, set()).add("owner")
    return roles


ROLE_ORDER = ("manager", "verifier", "viewer", "owner")


def plan_out(plan: Plan, roles: set[str]) -> dict:
    return {
        "reference": plan.reference, "title": plan.title, "organisation": plan.organisation,
        "source_kind": plan.source_kind, "source_kind_label": plan.get_source_kind_display(),
        "source_body": plan.source_body, "board": plan.board, "classification": plan.classification,
        "agreed_on": plan.agreed_on, "reported_on": plan.reported_on, "rag_scheme": plan.rag_scheme,
        "rag_window_days": plan.rag_window_days,
        "reminder_window_days": plan.reminder_window_days, "reporting_period": plan.reporting_period,
        "your_roles": [role for role in ROLE_ORDER if role in roles],
        "web_url": reverse("plan", args=[plan.reference]),
    }


def name_of(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def update_out(update, ref: str) -> dict:
    return {"id": update.pk, "action": ref, "period_start": update.period_start, "period": update.period.label,
            "text": update.text, "author": update.author_shown, "created_at": update.created_at,
            "updated_at": update.updated_at, "version": update.version}


def proposal_out(proposal, ref: str) -> dict:
    return {"id": proposal.pk, "action": ref, "due_on": proposal.due_on, "due_condition": proposal.due_condition,
            "due_text": format_due(proposal.due_on, proposal.due_condition), "reason": proposal.reason,
            "status": proposal.status, "status_label": proposal.get_status_display(),
            "proposed_by": proposal.proposed_by_shown, "proposed_at": proposal.proposed_at,
            "decided_by": name_of(proposal.decided_by), "decided_at": proposal.decided_at,
            "decision_comment": proposal.decision_comment}


def evidence_out(item, ref: str) -> dict:
    download = reverse("api:evidence_download", args=[item.pk]) if item.kind == "file" and item.held else None
    return {"id": item.pk, "action": ref, "kind": item.kind, "title": item.title, "url": item.url,
            "original_name": item.original_name, "content_type": item.content_type, "size": item.size,
            "sha256": item.sha256, "added_by": item.added_by_shown, "added_at": item.added_at,
            "held": item.held, "download_url": download}


def comment_out(view, ref: str) -> dict:
    comment = view.comment
    return {"id": comment.pk, "action": ref, "author": comment.author_name, "text": comment.text,
            "mentions": sorted(user.username for user in comment.mentions.all()),
            "earlier": [old.text for old in view.earlier], "created_at": comment.created_at,
            "edited_at": comment.edited_at, "version": comment.version}


def notification_out(note) -> dict:
    return {"id": note.pk, "kind": note.kind, "kind_label": note.get_kind_display(), "plan": note.plan.reference,
            "action": note.action.ref, "text": note.text, "created_at": note.created_at,
            "read": note.read_at is not None}


def measure_out(view) -> dict:
    """A measure (plans.selectors.measures.MeasureView) with its values up to the view's date, rated."""
    measure = view.measure
    return {"id": measure.pk, "name": measure.name, "recommendation": measure.recommendation.ref,
            "action": measure.action.ref if measure.action_id else None, "unit": measure.unit,
            "direction": measure.direction, "period": measure.period, "target": measure.target,
            "tolerance": measure.tolerance, "hold_periods": measure.hold_periods, "held": view.held,
            "held_until": view.held_until,
            "values": [{"period": point.period.label, "period_start": point.period.start,
                        "value": point.reading.value, "target": point.reading.target,
                        "tolerance": point.reading.tolerance, "rating": point.rating.band.key,
                        "rating_label": point.rating.title, "colour": point.rating.band.colour,
                        "reason": point.rating.reason, "recorded_by": point.recorded.recorded_by,
                        "recorded_on": point.recorded.recorded_on}
                       for point in view.points]}

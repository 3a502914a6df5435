"""Actions across plans, filtered and paged in the database: what the API's cross-plan list (a Power BI feed)
and the plan's API list read. Queries are the same in number whatever the number of plans and actions: a count,
the page, and for the page's actions their owners and latest progress. Only for plans whose rows hold
the state on the date (rated_rows.later_changes); the callers replay the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import Coalesce

from actiontrack.domain.deadlines import is_overdue
from actiontrack.domain.external import closed_by
from actiontrack.domain.lifecycle import Lifecycle, closed_without_evidence
from actiontrack.domain.rag import ActionFacts, band_of, rate
from actiontrack.plans.models import Action, Plan

from .as_at import ActionRow, owners_on, posts_with_holdings
from .measures import held_actions
from .rated_rows import matching


@dataclass(frozen=True)
class ActionFilter:
    """The filters people set, as the API names them (api.common.ActionFilters); None: not filtered."""

    overdue: bool | None = None
    due_before: date | None = None
    due_after: date | None = None
    owner_post: int | None = None  # a post id: owned by it, as lead or supporting owner
    lifecycle: Lifecycle | None = None
    rag: str | None = None  # a colour name


def _filtered(plans: list[Plan], as_at: date, wanted: ActionFilter):
    actions = Action.objects.filter(plan__in=plans)
    if wanted.owner_post is not None:  # owner_posts holds the supporting owners too
        actions = Action.objects.filter(pk__in=actions.filter(owner_posts=wanted.owner_post).values("pk"))
    if wanted.due_before is not None:
        actions = actions.filter(due_on__lt=wanted.due_before)
    if wanted.due_after is not None:
        actions = actions.filter(due_on__gt=wanted.due_after)
    if wanted.lifecycle is not None:
        actions = actions.filter(lifecycle=wanted.lifecycle)
    if wanted.overdue is not None:
        late = matching(plans, as_at, lambda life, due, scheme: is_overdue(life, due, as_at))
        actions = actions.filter(late) if wanted.overdue else actions.exclude(late)
    if wanted.rag is not None:
        actions = actions.filter(matching(plans, as_at, lambda life, due, scheme: (
            band_of(ActionFacts(life, due), as_at, scheme).colour == wanted.rag)))
    return actions


def actions_page(plans: list[Plan], as_at: date, wanted: ActionFilter, offset: int, limit: int
                 ) -> tuple[int, list[tuple[Plan, ActionRow]]]:
    """(how many actions match, the page of them) across `plans`, in their order, each plan's in its display
    order, rated as at `as_at` by its plan's scheme."""
    if not plans:
        return 0, []
    actions = _filtered(plans, as_at, wanted)
    count, spanned, skip = plans_spanned(actions, plans, offset, limit)
    if not spanned:
        return count, []
    rank = Case(*[When(plan_id=plan.pk, then=Value(n)) for n, plan in enumerate(spanned)],
                output_field=IntegerField())
    page = list(actions.filter(plan__in=spanned).select_related("recommendation__group").order_by(
        rank, Coalesce("recommendation__group__position", 0), "recommendation__position", "recommendation_id",
        "position", "pk")[skip:skip + limit])
    return count, rows_of(page, {plan.pk: plan for plan in plans}, as_at)


def plans_spanned(actions, plans: list[Plan], offset: int, limit: int) -> tuple[int, list[Plan], int]:
    """For a list of `actions` shown plan after plan in the order of `plans`: how many there are, the plans the page
    from `offset` of `limit` falls in, and how many of the first one's come before the page. Counted per plan, so
    that only those plans' actions are sorted: sorting every plan's to take fifty cost 54 ms at 100,000 actions
    (bench/SCALE.md), 14 ms at 10,000 (bench/LOAD.md, session 32)."""
    counts = dict(actions.order_by().values("plan_id").annotate(n=Count("pk")).values_list("plan_id", "n"))
    spanned, skip, start = [], 0, 0
    for plan in plans:
        n = counts.get(plan.pk, 0)
        if n and start + n > offset and start < offset + limit:
            if not spanned:
                skip = offset - start
            spanned.append(plan)
        start += n
    return start, spanned, skip


def rows_of(page: list[Action], plans: dict[int, Plan], as_at: date) -> list[tuple[Plan, ActionRow]]:
    ids = [action.pk for action in page]
    owners: dict[int, list[int]] = {}  # every owner, lead and supporting, as Action.owner_posts holds them
    for action_id, post_id in Action.owner_posts.through.objects.filter(action_id__in=ids).order_by(
            "post_id").values_list("action_id", "post_id"):
        owners.setdefault(action_id, []).append(post_id)
    supporting: dict[int, set[int]] = {}
    for action_id, post_id in Action.supporting_posts.through.objects.filter(action_id__in=ids).values_list(
            "action_id", "post_id"):
        supporting.setdefault(action_id, set()).add(post_id)
    posts = posts_with_holdings()
    held = held_actions(list(plans), as_at)
    rows = []
    for action in page:
        plan = plans[action.plan_id]
        lifecycle = Lifecycle(action.lifecycle)
        facts = ActionFacts(lifecycle=lifecycle, due_on=action.due_on, due_condition=action.due_condition,
                            completed_on=action.completed_on,
                            closed_without_evidence=closed_without_evidence(lifecycle, action.lifecycle_reason),
                            closed_by=closed_by(action.external_closure))
        rec = action.recommendation
        rows.append((plan, ActionRow(
            id=action.pk, ref=action.ref, slug=action.slug, text=action.text,
            owners=owners_on(owners.get(action.pk, []), posts, as_at, supporting.get(action.pk, set())),
            due_on=action.due_on,
            due_condition=action.due_condition, baseline_on=action.baseline_on, lifecycle=lifecycle,
            lifecycle_reason=action.lifecycle_reason, completed_on=action.completed_on,
            rating=rate(facts, as_at, plan.scheme), revisions=action.revisions, rec_ref=rec.ref,
            group=rec.group.name if rec.group else "", external=action.external_closure,
            measure_held=action.pk in held)))
    return rows

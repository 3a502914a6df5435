"""Reading: plans, recommendations, actions (rated as at a date), posts, the journal, progress updates, date
proposals and evidence. Only what the token's user can see (people.permissions.visible_plans); a plan anyone
else asks for does not exist, as on the web."""


from datetime import date

from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import BaseModel

from actiontrack.core.choices import EntityType
from actiontrack.domain.filetypes import ALLOWED
from actiontrack.domain.periods import period_of
from actiontrack.pages.downloads import evidence_response
from actiontrack.people.models import Post, PostHolding
from actiontrack.plans import readcache, selectors
from actiontrack.plans.models import ProgressUpdate
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.selectors.action_list import ActionFilter, actions_page
from actiontrack.plans.selectors.comments import action_comments as comment_views
from actiontrack.plans.selectors.finder import kept_find
from actiontrack.plans.selectors.measures import measures_as_at
from actiontrack.plans.selectors.progress import kept_progress_stamp, latest_progress, latest_progress_across
from actiontrack.plans.selectors.rated_rows import later_changes

from . import common
from .common import ActionFilters, FindFilters, Pagination, action_or_404, as_at_or_today, plan_or_404
from .errors import READ, READ_AS_AT
from .schemas import (
    MAX_ID,
    REF_PATTERN,
    REFERENCE_PATTERN,
    ActionOut,
    CommentOut,
    Error,
    EvidenceOut,
    IsoDate,
    JournalEventOut,
    MeasureOut,
    NotificationOut,
    PlanDetailOut,
    PlanOut,
    PostOut,
    ProposalOut,
    RecommendationOut,
    UpdateOut,
)

router = Router()
READING = ["Reading"]

Reference = Path(..., pattern=REFERENCE_PATTERN, description="The plan's reference", example="PIP-PR")
Ref = Path(..., pattern=REF_PATTERN, description="The action's address part (its `slug`): its reference with "
           "anything but letters, digits, dots and underscores as hyphens, e.g. 5.1 or AFI-3.1", example="5.1")
AsAt = Query(None, description="Rate and replay as at this date (YYYY-MM-DD); today if left out",
             example="2021-11-30")
Filters = Query(...)  # a schema of query parameters
OnePlan = Query(None, pattern=REFERENCE_PATTERN, description="Only this plan's actions")
EvidenceId = Path(..., ge=1, le=MAX_ID)


# Plans --------------------------------------------------------------------------------------------------------

@router.get("/plans", response={200: list[PlanOut], **READ}, summary="Plans you can see", tags=READING)
@paginate(Pagination)
def plans(request):
    day = common.today()
    roles = common.roles_by_plan(request.auth, day)
    return [common.plan_out(plan, roles.get(plan.pk, set())) for plan in visible_plans(request.auth, day)]


@router.get("/plans/{reference}", response={200: PlanDetailOut, **READ_AS_AT}, summary="One plan, with RAG counts",
            tags=READING)
def plan(request, reference: str = Reference, as_at: IsoDate | None = AsAt):
    plan = plan_or_404(request.auth, reference)
    as_at = as_at_or_today(as_at)
    view = selectors.plan_as_at(plan, as_at)
    roles = common.roles_by_plan(request.auth, common.today()).get(plan.pk, set())
    counts = [{"band": band.key, "colour": band.colour, "label": band.title, "count": count}
              for band, count in view.counts]
    return {**common.plan_out(plan, roles), "background": plan.background,
            "documents_reviewed": plan.documents_reviewed_list, "as_at": as_at, "actions": len(view.actions),
            "counts": counts}


@router.get("/plans/{reference}/recommendations", response={200: list[RecommendationOut], **READ_AS_AT},
            summary="A plan's recommendations as at a date", tags=READING)
@paginate(Pagination)
def recommendations(request, reference: str = Reference, as_at: IsoDate | None = AsAt):
    plan = plan_or_404(request.auth, reference)
    view = selectors.plan_as_at(plan, as_at_or_today(as_at))
    return [{"id": rec.id, "ref": rec.ref, "slug": rec.slug, "group": rec.group, "source": rec.source,
             "kind": rec.kind, "kind_label": rec.kind_label, "text": rec.text,
             "headline": rec.headline, "actions": [action.ref for action in rec.actions]}
            for rec in view.recommendations]


# Actions ------------------------------------------------------------------------------------------------------

class _ActionPage:
    """The filtered actions, turned into the API's shape only for the page asked for (a plan may have
    hundreds of actions; a page is 50)."""

    def __init__(self, plans_and_rows, as_at: date, filters: ActionFilters):
        names = common.post_names()
        self.post_ids = {name: post_id for post_id, name in names.items()}
        self.as_at = as_at
        self.rows = [(plan, row) for plan, rows in plans_and_rows
                     for row in common.filtered(rows, filters, as_at, names)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index: slice):
        """The page's actions, without their progress (plan_actions adds it)."""
        return [common.action_out(plan, row, self.as_at, self.post_ids) for plan, row in self.rows[index]]


class ActionPage(BaseModel):
    """A page of actions: the same shape as every other list (`items`, then `count`, all the matches)."""

    items: list[ActionOut]
    count: int


@router.get("/plans/{reference}/actions", response={200: ActionPage, **READ_AS_AT},
            summary="A plan's actions, rated as at a date", tags=READING)
def plan_actions(request, reference: str = Reference, as_at: IsoDate | None = AsAt,
                 filters: ActionFilters = Filters, page: Pagination.Input = Filters):
    plan = plan_or_404(request.auth, reference)
    as_at = as_at_or_today(as_at)
    version = readcache.loaded_version(plan)  # plan_or_404 has just loaded it, before any of its data
    # The page is the same for everyone who can see the plan. Its actions, rated, are kept per version of the
    # plan, date, filters and page; each carries its latest progress update, so the page as sent is kept per
    # state of its own actions' updates too: an update elsewhere in the plan leaves it as it is, and one on
    # this page adds the progress again to the kept actions rather than building them anew.
    key = ("api_plan_actions", version, as_at, filters.model_dump_json(), page.limit, page.offset)

    def actions() -> tuple[list[dict], int]:
        selectors.check_as_at(plan, as_at)
        if later_changes([plan], as_at):  # the plan replayed (and kept) as at the date
            rows = _ActionPage([(plan, selectors.plan_as_at(plan, as_at, version=version).actions)], as_at, filters)
        else:  # the page's actions read from the rows, whatever the plan's size
            rows = _DatabasePage([plan], as_at, filters)
        return rows[page.offset:page.offset + page.limit], len(rows)

    items, count = readcache.get_or_build(key, actions)
    ids = [item["id"] for item in items]

    def body() -> bytes:
        progress = latest_progress(plan, as_at, ids)
        return ActionPage(items=[{**item, "progress": common.progress_out(progress.get(item["id"]))}
                                 for item in items], count=count).model_dump_json().encode()

    stamp = kept_progress_stamp(plan, as_at, ids)
    return HttpResponse(readcache.get_or_build((*key, "with progress", stamp), body),
                        content_type="application/json; charset=utf-8")


@router.get("/actions", response={200: list[ActionOut], **READ_AS_AT},
            summary="Actions across every plan you can see, rated as at a date", tags=READING)
@paginate(Pagination)
def actions(request, as_at: IsoDate | None = AsAt, filters: FindFilters = Filters,
            plan: str | None = OnePlan):
    """The list Find actions (/actions/) shows, with the same filters and sort."""
    as_at = as_at_or_today(as_at)
    plans_ = [plan_or_404(request.auth, plan)] if plan else list(visible_plans(request.auth, common.today()))
    return _FoundPage(plans_, as_at, filters.search(plan))


class _FoundPage:
    """Find actions' list (selectors.finder), turned into the API's shape only for the page asked for: filtered,
    counted and paged in the database where the plans' rows hold the date's state."""

    def __init__(self, plans: list, as_at: date, search):
        self.plans, self.as_at, self.search = plans, as_at, search
        self.count: int | None = None

    def __len__(self):
        if self.count is None:
            self.count = kept_find(self.plans, self.as_at, self.search, 0, 0).count
        return self.count

    def __getitem__(self, index: slice):
        found = kept_find(self.plans, self.as_at, self.search, index.start, index.stop - index.start)
        self.count = found.count
        progress = latest_progress_across({row.id: plan for plan, row in found.rows}, self.as_at)
        post_ids = {name: pk for pk, name in common.post_names().items()}
        return [common.action_out(plan, row, self.as_at, post_ids, progress.get(row.id)) for plan, row in found.rows]


class _DatabasePage:
    """The same list as _ActionPage, filtered, counted and paged in the database (selectors.action_list): the
    same few queries whatever the number of plans and actions. Only for plans whose rows hold the state."""

    def __init__(self, plans: list, as_at: date, filters: ActionFilters):
        self.plans, self.as_at = plans, as_at
        self.wanted = ActionFilter(**filters.model_dump())
        self.count: int | None = None

    def __len__(self):
        if self.count is None:
            self.count, _ = actions_page(self.plans, self.as_at, self.wanted, 0, 0)
        return self.count

    def __getitem__(self, index: slice):
        """The page's actions, without their progress (plan_actions adds it)."""
        self.count, page = actions_page(self.plans, self.as_at, self.wanted, index.start, index.stop - index.start)
        post_ids = {name: pk for pk, name in common.post_names().items()}
        return [common.action_out(plan, row, self.as_at, post_ids) for plan, row in page]


@router.get("/plans/{reference}/actions/{ref}", response={200: ActionOut, **READ_AS_AT},
            summary="One action, rated as at a date", tags=READING)
def action(request, reference: str = Reference, ref: str = Ref, as_at: IsoDate | None = AsAt):
    plan = plan_or_404(request.auth, reference)
    found = action_or_404(plan, ref)
    as_at = as_at_or_today(as_at)
    row = selectors.action_as_at(plan, found, as_at, version=readcache.loaded_version(plan))
    if row is None:
        raise Http404(f"Action {ref} was not yet in {plan.reference} on {as_at:%d/%m/%Y}.")
    return common.action_out(plan, row, as_at, {name: pk for pk, name in common.post_names().items()},
                             latest_progress(plan, as_at, [row.id]).get(row.id))


# Posts --------------------------------------------------------------------------------------------------------

@router.get("/posts", response={200: list[PostOut], **READ},
            summary="Owner posts and their holders, for the plans you can see", tags=READING)
@paginate(Pagination)
def posts(request):
    found = Post.objects.prefetch_related(Prefetch("holdings", queryset=PostHolding.objects.order_by("starts_on")))
    if not request.auth.is_staff:  # administrators see every post; others those owning actions in their plans
        found = found.filter(actions__plan__in=visible_plans(request.auth, common.today())).distinct()
    return [{"id": post.pk, "name": post.name, "aliases": post.alias_list,
             "holders": [{"holder": h.holder_name, "starts_on": h.starts_on, "ends_on": h.ends_on}
                         for h in post.holdings.all()]} for post in found]


# Journal ------------------------------------------------------------------------------------------------------

class JournalFilters(Schema):
    action: str | None = Field(None, pattern=REF_PATTERN, description="Only this action's events, with its "
                                                                      "progress updates, date proposals and evidence")
    effective_after: IsoDate | None = Field(None, description="Only events effective after this date")
    effective_before: IsoDate | None = Field(None, description="Only events effective before this date")


@router.get("/plans/{reference}/journal", response={200: list[JournalEventOut], **READ},
            summary="A plan's journal: every change, in effective-date order", tags=READING)
@paginate(Pagination)
def journal(request, reference: str = Reference, filters: JournalFilters = Filters):
    plan = plan_or_404(request.auth, reference)
    events = plan.journal.all()
    if filters.action:
        found = action_or_404(plan, filters.action)
        related = Q(entity_type__in=[EntityType.UPDATE, EntityType.PROPOSAL, EntityType.EVIDENCE],
                    new__action=found.pk)
        events = events.filter(Q(entity_type=EntityType.ACTION, entity_id=found.pk) | related)
    if filters.effective_after:
        events = events.filter(effective_on__gt=filters.effective_after)
    if filters.effective_before:
        events = events.filter(effective_on__lt=filters.effective_before)
    return [{"id": e.id, "entity_type": e.entity_type, "entity_id": e.entity_id, "field": e.field, "old": e.old,
             "new": e.new, "reason": e.reason, "actor": e.actor_name, "source": e.source,
             "recorded_at": e.recorded_at, "effective_on": e.effective_on}
            for e in events.order_by("effective_on", "id")]


# Progress updates, proposals, evidence ------------------------------------------------------------------------

class UpdateFilters(Schema):
    period: IsoDate | None = Field(None, description="Only updates for the reporting period containing this date")
    action: str | None = Field(None, pattern=REF_PATTERN, description="Only this action's updates")


@router.get("/plans/{reference}/updates", response={200: list[UpdateOut], **READ},
            summary="A plan's progress updates, newest period first", tags=READING)
@paginate(Pagination)
def plan_updates(request, reference: str = Reference, filters: UpdateFilters = Filters):
    plan = plan_or_404(request.auth, reference)
    updates = ProgressUpdate.objects.filter(action__plan=plan).select_related(
        "action__recommendation", "action__plan", "author")
    if filters.action:
        updates = updates.filter(action=action_or_404(plan, filters.action))
    if filters.period:
        updates = updates.filter(period_start=period_of(filters.period, plan.reporting_period).start)
    updates = updates.order_by("-period_start", "action__recommendation__position", "action__recommendation_id",
                               "action__position", "action__number")
    return [common.update_out(update, update.action.ref) for update in updates]


@router.get("/plans/{reference}/actions/{ref}/updates", response={200: list[UpdateOut], **READ},
            summary="An action's progress updates, newest period first", tags=READING)
@paginate(Pagination)
def action_updates(request, reference: str = Reference, ref: str = Ref):
    found = action_or_404(plan_or_404(request.auth, reference), ref)
    return [common.update_out(update, ref)
            for update in found.updates.select_related("author", "action__plan").order_by("-period_start")]


@router.get("/plans/{reference}/actions/{ref}/proposals", response={200: list[ProposalOut], **READ},
            summary="An action's date proposals, newest first", tags=READING)
@paginate(Pagination)
def action_proposals(request, reference: str = Reference, ref: str = Ref):
    found = action_or_404(plan_or_404(request.auth, reference), ref)
    return [common.proposal_out(proposal, ref)
            for proposal in found.proposals.select_related("proposed_by", "decided_by").order_by("-proposed_at")]


@router.get("/plans/{reference}/actions/{ref}/evidence", response={200: list[EvidenceOut], **READ},
            summary="An action's evidence: files and links, with each file's SHA-256", tags=READING)
@paginate(Pagination)
def action_evidence(request, reference: str = Reference, ref: str = Ref):
    found = action_or_404(plan_or_404(request.auth, reference), ref)
    return [common.evidence_out(item, ref) for item in found.evidence.select_related("added_by")]


FILE = {"schema": {"type": "string", "format": "binary"}}
FILE_TYPES = sorted({kind.content_type for kind in ALLOWED} | {"application/octet-stream"})


@router.get("/evidence/{evidence_id}/download", response={200: None, 401: Error, 404: Error, 422: Error},
            url_name="evidence_download", summary="Download an evidence file", tags=READING,
            openapi_extra={"responses": {200: {"description": "The file, as an attachment",
                                               "content": {kind: FILE for kind in FILE_TYPES}}}})
def evidence_download(request, evidence_id: int = EvidenceId):
    return evidence_response(request.auth, evidence_id, common.today(),
                             not_found="There is no evidence with that id that you can see.",
                             no_file="That evidence is a link, or its file is missing; see its url.")


@router.get("/plans/{reference}/actions/{ref}/comments", response={200: list[CommentOut], **READ},
            summary="An action's comments, oldest first, with what each said before it was edited", tags=READING)
@paginate(Pagination)
def action_comments(request, reference: str = Reference, ref: str = Ref):
    found = action_or_404(plan_or_404(request.auth, reference), ref)
    return [common.comment_out(view, ref) for view in comment_views(found)]


@router.get("/notifications", response={200: list[NotificationOut], **READ},
            summary="Your notifications, newest first", tags=READING)
@paginate(Pagination)
def notifications(request, unread: bool = False):
    found = request.auth.notifications.select_related("plan", "action")
    return [common.notification_out(note) for note in (found.filter(read_at=None) if unread else found)]


@router.get("/plans/{reference}/measures", response={200: list[MeasureOut], **READ_AS_AT},
            summary="The plan's measures with each period's value up to a date, rated against its target",
            tags=READING)
@paginate(Pagination)
def plan_measures(request, reference: str = Reference, as_at: IsoDate | None = AsAt):
    """Values are listed for the periods begun by the date, each with the target and tolerance in force then."""
    plan = plan_or_404(request.auth, reference)
    as_at = as_at_or_today(as_at)
    selectors.check_as_at(plan, as_at)  # before the plan was agreed there is nothing to show, as for its actions
    return [common.measure_out(view) for view in measures_as_at(plan, as_at)]

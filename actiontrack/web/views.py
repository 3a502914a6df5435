"""Server-rendered pages. A view parses input, calls a selector (or one service), renders. htmx requests
get the named partial of the same page (DESIGN rule 6)."""

from datetime import date
from functools import partial
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actiontrack.core.choices import EntityType
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import DateError, parse_as_at
from actiontrack.pages.context import manages_any_plan
from actiontrack.pages.lookups import plan_and_action, plan_or_404, plan_today
from actiontrack.pages.rendering import page, render_page, render_page_around
from actiontrack.people.models import Post
from actiontrack.plans import permissions as perms
from actiontrack.plans import readcache, selectors
from actiontrack.plans.choices import PlanRoleKind, ProposalStatus, SourceKind
from actiontrack.plans.models import Action
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.selectors import periods, queues
from actiontrack.plans.selectors.comments import action_comments
from actiontrack.plans.selectors.portfolio import portfolio
from actiontrack.web import plan_table
from actiontrack.web.comments.forms import CommentForm
from actiontrack.web.history_table import history_rows_html
from actiontrack.web.plan_summary import plan_summary_html


def _html(template: str, context: dict) -> str:
    """A piece of a page rendered once, for the read cache to keep as a string (the same for everyone who can
    see the plan)."""
    return str(render_to_string(template, context))


def _safe(html: str) -> SafeString:
    """A piece of our own rendering (a template's by _html, or built in Python as web/plan_summary.py builds a plan's
    section), marked safe again as it comes out of the cache: already escaped."""
    return mark_safe(html)


def action_permissions(user, action, today) -> dict[str, bool]:
    """What this person may do to this action today, for showing only the buttons that will work. The
    services check again: this only decides what is offered."""
    owner = perms.owns(user, action, today)
    plan = action.plan  # the roles come with the plan where the page read it through plan_or_404
    manager = plan.manages if hasattr(plan, "manages") else perms.is_manager(user, plan)
    verifier = (plan.verifies if hasattr(plan, "verifies") else perms.has_role(user, plan, PlanRoleKind.VERIFIER)
                ) and not owner
    life = Lifecycle(action.lifecycle)
    open_ = life.is_open
    back_to_work = manager and life.manager_may_move_to(Lifecycle.IN_PROGRESS)
    return {
        "owner": owner, "manager": manager, "verifier": verifier,
        "update": owner and open_, "propose": owner and open_,
        "evidence": (owner or manager) and life != Lifecycle.CANCELLED,
        "start": (owner or manager) and life in (Lifecycle.NOT_STARTED, Lifecycle.PAUSED),
        "complete": owner and life in (Lifecycle.NOT_STARTED, Lifecycle.IN_PROGRESS),
        "verify": verifier and life == Lifecycle.COMPLETED,
        "edit": manager, "decide": manager,
        # Comments are between the plan's managers and verifiers and the action's owners (services.comments).
        "comment": owner or manager or (plan.verifies if hasattr(plan, "verifies")
                                        else perms.has_role(user, plan, PlanRoleKind.VERIFIER)),
        # The plan manager's own moves (Lifecycle.manager_may_move_to): back to in progress is "resume" from
        # paused and "reinstate" from cancelled.
        "pause": manager and life.manager_may_move_to(Lifecycle.PAUSED),
        "cancel": manager and life.manager_may_move_to(Lifecycle.CANCELLED),
        "resume": back_to_work and life is Lifecycle.PAUSED,
        "reinstate": back_to_work and life is Lifecycle.CANCELLED,
    }


def action_context(request, plan, action, *, journal: list | None = None) -> dict:
    """Everything the action page's sections show; shared by the views that re-render it with errors.
    `journal`: selectors.action_journal(action), if the caller has read it."""
    today = timezone.localdate()
    can = action_permissions(request.user, action, today)
    if can["manager"]:
        request._manages_any_plan = True  # the menu need not ask (context.manages_any_plan)
    if can["manager"]:  # reordering within its recommendation: not above the first, nor below the last
        siblings = list(action.recommendation.actions.order_by("position", "number").values_list("pk", flat=True))
        can = {**can, "move_up": siblings[0] != action.pk, "move_down": siblings[-1] != action.pk}
    period = periods.current_period(plan, today)
    editable, period_locked = periods.updatable(plan, today, since=periods.added_on(action, journal=journal))
    # With the action's journal read, only the kinds of record it has are read (selectors.recorded_kinds).
    kinds = selectors.recorded_kinds(journal)
    updates = list(action.updates.select_related("author")) if EntityType.UPDATE in kinds else []
    by_start = {update.period_start: update for update in updates}
    proposals = (list(action.proposals.select_related("proposed_by", "decided_by"))
                 if EntityType.PROPOSAL in kinds else [])
    return {
        "can": can, "period": period, "period_locked": period_locked,
        # The periods the owner can still write an update for: this one and the one before, until locked.
        "update_tasks": [{"period": each, "update": by_start.get(each.start), "current": each == period}
                         for each in editable],
        "update_rows": [{"update": update, "period": update.period, "current": update.period_start == period.start,
                         "editable": can["update"] and update.period in editable} for update in updates],
        "current_update": by_start.get(period.start),
        "returned_comment": (queues.returned_by_verifier([action], journal=journal).get(action.pk)
                             if can["owner"] else None),
        "proposals": proposals,
        "pending_proposal": next((p for p in proposals if p.status == ProposalStatus.PENDING), None),
        "evidence": list(action.evidence.select_related("added_by")) if EntityType.EVIDENCE in kinds else [],
        "comments": action_comments(action) if EntityType.COMMENT in kinds else [],
        "comment_form": CommentForm(),
    }


def _as_at(request, default: date) -> dict:
    """The as-at date from ?as_at= (`default` if absent), and what the as-at form shows: the date, or None and a
    message saying what was wrong with what was typed. `is_today` is true when showing the default date, so
    links need not carry it."""
    raw = request.GET.get("as_at", "").strip()
    as_at, error = default, ""
    if raw:
        try:
            as_at = parse_as_at(raw)
        except DateError as exc:
            as_at, error = None, f"The as-at date could not be read: {exc}."
    return {"as_at": as_at, "as_at_raw": raw, "as_at_error": error, "is_today": as_at == default,
            "default_as_at": default, "default_is_today": default == timezone.localdate()}


@login_required
def home(request):
    """The portfolio dashboard: every plan this person can see, as at a date, filtered by plan, source kind
    or owner post (GET parameters, so every view of it has an address)."""
    today = timezone.localdate()
    dates = _as_at(request, today)
    filters = {"plan_reference": request.GET.get("plan", "").strip(),
               "source_kind": request.GET.get("source", "").strip(), "post_name": request.GET.get("post", "").strip()}
    visible = list(perms.with_manages(visible_plans(request.user, today), request.user).order_by("title"))
    request._manages_any_plan = any(plan.manages for plan in visible)  # the menu need not ask (context.py)
    can_create_plans = request.user.is_staff or manages_any_plan(request)
    # Everything below the header is the same for everyone who sees the same plans, as they are now: kept
    # once per version of each plan, filters and date. The plans' versions were read with the plans. Only
    # dates that could be read and filters that name a plan or source are kept, so typing nonsense into the
    # address cannot fill the cache and push out what others read.
    build = partial(_home_content, visible, dates, filters, today, can_create_plans)
    keep = dates["as_at"] and not filters["post_name"] and filters["source_kind"] in {"", *SourceKind.values} and (
        filters["plan_reference"] in {"", *(plan.reference for plan in visible)})
    content = readcache.get_or_build(
        ("home_content", today, dates["as_at"], *filters.values(), can_create_plans,
         *(readcache.loaded_version(plan) for plan in visible)), build) if keep else build()
    return render_page_around(request, "web/home.html", {}, {"content": content},
                              status=400 if dates["as_at_error"] else 200)


def _home_content(visible: list, dates: dict, filters: dict, today: date, can_create_plans: bool) -> bytes:
    result = portfolio(None, dates["as_at"], today, visible=visible, **filters) if dates["as_at"] else None
    # Every count links to Find actions with the same date and owner post, so the list there is what was counted.
    find = _find_query(dates, filters["post_name"])
    # Each plan's section is the same for everyone who can see the plan: rendered once per version and date.
    sections = [readcache.get_or_build(
        ("plan_summary_html", summary.version, result.as_at, filters["post_name"], dates["is_today"]),
        partial(plan_summary_html, summary, result.as_at, dates["is_today"], find))
        for summary in (result.plans if result else [])]
    return _html("web/_home_content.html", {
        **dates, "portfolio": result, "sections": [_safe(section) for section in sections], "filters": filters,
        "totals": [(band, count, urlencode([("plan", summary.plan.reference) for summary in result.plans
                                            if any(b.title == band.title for b, _ in summary.counts)]) + find)
                   for band, count in result.totals] if result else [],
        "filtered": any(filters.values()),
        "plan_choices": visible, "source_choices": SourceKind.choices,
        "post_choices": Post.objects.filter(pk__in=Action.owner_posts.through.objects.filter(
            action__plan__in=[plan.pk for plan in visible]).values("post_id")).order_by("name")
        .values_list("name", flat=True),
        "can_create_plans": can_create_plans,
        "slippage": [("Most days later than agreed", result.most_slipped), ("Most revised", result.most_revised)]
        if result else [],
        "find_query": find.lstrip("&"),
    }).encode()


def _find_query(dates: dict, post_name: str) -> str:
    """The as-at date and owner post of the dashboard as Find actions' filters, to add to an address's query."""
    query = [] if dates["is_today"] or not dates["as_at"] else [("as_at", dates["as_at"].isoformat())]
    if post_name and (post := Post.objects.filter(name=post_name).first()):
        query.append(("owner", f"post-{post.pk}"))
    return "&" + urlencode(query) if query else ""


@login_required
def plan_detail(request, reference):
    plan = plan_or_404(request.user, reference)
    dates = _as_at(request, plan_today(plan))
    summary, actions_html, manager_rows = None, b"", b""
    version = readcache.loaded_version(plan)  # plan_or_404 has just loaded it, before any of its data
    can_manage = plan.manages  # read with the plan by plan_or_404
    if can_manage:
        request._manages_any_plan = True  # so the menu need not ask (context.manages_any_plan)
    if can_manage:  # the recommendations in order, with their buttons: the same for every plan manager
        manager_rows = readcache.get_or_build(("plan_tools_rows", version), lambda: str(plan_table.tools_rows_html(
            plan, plan.recommendations.select_related("group").order_by(
                F("group__position").asc(nulls_first=True), "position", "pk"))).encode())
    if dates["as_at"]:
        view = selectors.the_plan_as_at(plan, dates["as_at"], version=version)  # read once, if at all
        try:
            summary = selectors.plan_summary_as_at(plan, dates["as_at"], version=version, view=view)
        except ValidationError as exc:
            dates["as_at_error"] = " ".join(exc.messages)
        else:
            # The bulk of the page, and the same for everyone who can see the plan: kept (plan_table).
            actions_html = plan_table.plan_actions_html(plan, summary.as_at, dates["is_today"], view=view)
    context = {**dates, "plan": plan, "summary": summary, "can_manage": can_manage}
    template = "web/_plan_body.html" if request.htmx else "web/plan.html"
    # The kept pieces (750 KB for 500 actions) go into the page as the bytes they are kept as.
    return render_page_around(request, template, context, {"actions_html": actions_html, "manager_rows": manager_rows},
                              status=400 if dates["as_at_error"] else 200)


@page()
def action_detail(request, reference, ref):
    plan, action = plan_and_action(request, reference, ref)  # the action comes with the plan, and its roles
    dates = _as_at(request, plan_today(plan))
    version = readcache.loaded_version(plan)
    row, posts = None, selectors.posts_with_holdings(version=version)
    journal = selectors.action_journal(action)  # read once: the replay, the history and the day it was added
    if dates["as_at"]:
        try:
            row = selectors.action_as_at(plan, action, dates["as_at"], posts=posts, journal=journal, version=version)
        except ValidationError as exc:
            dates["as_at_error"] = " ".join(exc.messages)
    context = {**dates, "plan": plan, "action": action, "row": row,
               "history_rows": history_rows_html(selectors.action_history(action, posts=posts, journal=journal)),
               **action_context(request, plan, action, journal=journal)}
    return render_page(request, "web/action.html", context, status=400 if dates["as_at_error"] else 200)

"""The plan page's recommendations and their action tables, rendered in Python.

The biggest table the app serves (a thousand rows and more), so it is built the way Django's admin builds its
change list rows (each value escaped as it is put in) rather than through the template engine, which costs
several times more per row. The markup is that of the GOV.UK table and tag patterns the templates use; the
rating cell is the one `web/_rating.html` draws on other pages.

Each recommendation is rendered on its own, so the page can keep them apart (views.plan_detail): a progress
update re-renders its action's recommendation, not the plan.
"""

from __future__ import annotations

import html
from datetime import date
from functools import partial
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from actiontrack.domain.periods import Period, period_of
from actiontrack.domain.ukdates import format_short
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import ActionRow, PlanAsAt, RecommendationRow, plan_as_at
from actiontrack.plans.selectors.progress import Progress, latest_progress

_SLUG = "__slug__"
# What Django's reverse() leaves unquoted in a path (django.urls.resolvers), so the addresses are the ones it gives.
_SAFE = "!$&'()*+,;=/~:@"


def action_address(plan: Plan, as_at: date, is_today: bool):
    """A function from an action's slug to its page's address: reverse() once for the plan, not once per row."""
    base = reverse("action", args=[plan.reference, _SLUG])
    query = "" if is_today else f"?as_at={as_at.isoformat()}"
    return lambda slug: base.replace(_SLUG, quote(slug, safe=_SAFE)) + query


def _e(value) -> str:
    """Escaped for HTML text and attribute values, as Django's `escape` does (without its lazy-string wrapper,
    which costs more than the escaping on a page of thousands of values)."""
    return html.escape(str(value))


def group_heading(plan: Plan, rec: RecommendationRow) -> SafeString:
    if rec.group:
        label = f"{plan.group_label}: " if plan.group_label else ""
        return mark_safe(f'<h3 class="heading-m group-heading">{_e(label)}{_e(rec.group)}</h3>\n')
    return mark_safe(f'<h3 class="heading-m group-heading">Not in a {_e((plan.group_label or "group").lower())}</h3>\n')


def times(count: int) -> str:
    """Revision counts in words, as the `times` filter says them: once, twice, 3 times."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _due(action: ActionRow) -> str:
    if not action.slipped:
        return _e(action.due_text)
    sign = "+" if action.slip_days >= 0 else ""
    return (f'{_e(action.due_text)}<span class="hint">was {format_short(action.baseline_on)}; revised '
            f'{times(action.revisions)}, {sign}{action.slip_days} days</span>')


def _words(text: str, count: int) -> str:
    return _e(Truncator(text).words(count, truncate=" …"))


def _progress(action: ActionRow, progress: Progress | None, period: Period) -> str:
    life = action.lifecycle
    if progress and (progress.is_for_period or not life.is_open):
        said = f'<div class="prewrap">{_words(progress.text, 60)}</div><span class="hint">{_e(progress.byline)}</span>'
    elif life.is_open:
        latest = (f'<span class="hint">Latest, {_e(progress.byline)}: {_words(progress.text, 30)}</span>'
                  if progress else "")
        said = f"<div>No update for {_e(period.label)}</div>{latest}"
    else:
        said = ""
    completed = f" on {format_short(action.completed_on)}" if action.completed_on else ""
    return f'{said}\n          <span class="hint">{_e(life.label)}{completed}</span>'


def _owners(action: ActionRow) -> str:
    return "".join(
        f"<div>{_e(owner.post)}"
        + (f' <span class="hint">{_e(owner.holder)}</span>' if owner.holder else "")
        + (' <span class="hint">(supporting)</span>' if owner.supporting else "") + "</div>"
        for owner in action.owners)


def _row(action: ActionRow, address, progress: Progress | None, period: Period) -> str:
    rating = action.rating
    return (
        '      <tr>\n'
        f'        <th scope="row" class="nowrap"><a href="{_e(address(action.slug))}"><span class="visually-hidden">'
        f'Action </span>{_e(action.ref)}</a></th>\n'
        f'        <td class="prewrap">{_e(action.text)}</td>\n'
        f'        <td>{_owners(action)}</td>\n'
        f'        <td>{_due(action)}</td>\n'
        f'        <td>{_progress(action, progress, period)}</td>\n'
        f'        <td><strong class="tag tag--{_e(rating.colour)}">{_e(rating.label)}</strong>\n'
        f'<span class="hint">{_e(rating.reason)}</span></td>\n'
        '      </tr>\n')


def recommendation_html(rec: RecommendationRow, *, heading: str, as_at: date, address,
                        progress: dict[int, Progress], period: Period) -> SafeString:
    """One recommendation's section: its heading and words, then its actions' table (or a line saying it had
    none on the date). `heading` is its heading element (h3, or h4 below a group's heading)."""
    on = format_short(as_at)
    source = f'  <p class="hint">From {_e(rec.source)}</p>\n' if rec.source else ""
    if rec.actions:
        group = f" ({rec.group})" if rec.group else ""
        rows = "".join(_row(action, address, progress.get(action.id), period) for action in rec.actions)
        body = (
            '  <table class="table table--actions">\n'
            f'    <caption class="table__caption visually-hidden">Actions for {_e(rec.kind_label.lower())} '
            f'{_e(rec.ref)}{_e(group)} as at {on}</caption>\n'
            '    <thead><tr><th scope="col">Ref</th><th scope="col">Action</th><th scope="col">Owner</th>'
            '<th scope="col">Due date</th><th scope="col">Progress</th><th scope="col">RAG status</th></tr></thead>\n'
            f'    <tbody>\n{rows}    </tbody>\n  </table>\n')
    else:
        body = f'  <p class="hint">No actions as at {on}.</p>\n'
    slug, kind = _e(rec.slug), _e(rec.kind_label)
    return mark_safe(
        f'<section class="recommendation" aria-labelledby="rec-{slug}">\n'
        f'  <{heading} class="heading-s" id="rec-{slug}">{kind} {_e(rec.ref)}</{heading}>\n{source}'
        f'  <p class="body">{_e(rec.text)}</p>\n{body}</section>\n')


def _layout(view: PlanAsAt) -> tuple:
    """What the page's keys need without the whole plan: per recommendation, in order, the group heading that
    comes before it ("" if none) and its actions' ids."""
    layout, group = [], None
    for rec in view.recommendations:
        heading = ""
        if view.grouped and (not layout or rec.group != group):
            heading, group = group_heading(view.plan, rec), rec.group
        layout.append((rec.id, str(heading), tuple(action.id for action in rec.actions)))
    return tuple(layout)


def plan_actions_html(plan: Plan, as_at: date, is_today: bool) -> SafeString:
    """The plan page's "Recommendations and actions" as at a date, for a plan loaded in this request before any
    of its data (readcache.loaded_version). Each recommendation's section is kept by the plan's read version and
    its own actions' progress, so after a progress update only that recommendation is rendered again; the whole
    plan as at the date is read only when some section must be rendered."""
    version = readcache.loaded_version(plan)
    progress = readcache.get_or_build(("plan_progress", readcache.loaded_progress_version(plan), as_at),
                                      partial(latest_progress, plan, as_at))
    views: list[PlanAsAt] = []

    def view() -> PlanAsAt:
        if not views:
            views.append(plan_as_at(plan, as_at, version=version))
        return views[0]

    layout = readcache.get_or_build(("plan_layout", version, as_at), lambda: _layout(view()))
    keys = [("plan_rec_html", version, as_at, is_today, rec_id, tuple(progress.get(pk) for pk in action_ids))
            for rec_id, _, action_ids in layout]

    def build(indexes: list[int]) -> list[str]:
        shown = view()
        recs = {rec.id: rec for rec in shown.recommendations}
        address = action_address(plan, as_at, is_today)
        period = period_of(as_at, plan.reporting_period)
        return [str(recommendation_html(recs[layout[i][0]], heading=shown.rec_heading, as_at=as_at, address=address,
                                        progress=progress, period=period)) for i in indexes]

    sections = readcache.get_many_or_build(keys, build)
    return mark_safe('<h2 class="heading-m">Recommendations and actions</h2>\n' + "".join(
        heading + section for (_, heading, _), section in zip(layout, sections, strict=True)))

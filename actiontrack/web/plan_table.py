"""The plan page's recommendations and their action tables, rendered in Python.

The biggest table the app serves (a thousand rows and more), so it is built the way Django's admin builds its
change list rows (each value escaped as it is put in) rather than through the template engine, which costs
several times more per row. The markup is that of the GOV.UK table and tag patterns the templates use; the
rating cell is the one `web/_rating.html` draws on other pages.

Each recommendation is rendered on its own, so the page can keep them apart (views.plan_detail): a progress
update re-renders its action's recommendation, not the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from actiontrack.domain.periods import Period, period_of
from actiontrack.domain.ukdates import format_due, format_short
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import ActionRow, PlanAsAt, RecommendationRow, recommendations_as_at, the_plan_as_at
from actiontrack.plans.selectors.progress import Progress, kept_progress_stamps, latest_progress
from actiontrack.web.escaping import escape_text as _e

_SLUG = "__slug__"
# What Django's reverse() leaves unquoted in a path (django.urls.resolvers), so the addresses are the ones it gives.
_SAFE = "!$&'()*+,;=/~:@"


def action_address(plan: Plan, as_at: date, is_today: bool):
    """A function from an action's slug to its page's address: reverse() once for the plan, not once per row."""
    base = reverse("action", args=[plan.reference, _SLUG])
    query = "" if is_today else f"?as_at={as_at.isoformat()}"
    return lambda slug: base.replace(_SLUG, quote(slug, safe=_SAFE)) + query


def due_links(actions, address) -> SafeString:
    """The dashboard's list of overdue or due-soon actions: each reference linking to its page, with its due date
    ("1.2 due 31/05/2021; 2.1 due 31/12/2021 (On Approval)"). In Python, as the plan's table is: a dashboard of
    twenty plans lists hundreds, and the template's loop cost more than the rest of each plan's section."""
    return mark_safe("; ".join(f'<a href="{_e(address(action.slug))}">{_e(action.ref)}</a> due '
                               f'{_e(format_due(action.due_on, action.due_condition))}' for action in actions))


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
    """The `truncatewords` filter's words: whitespace made single spaces, cut after `count` words with " …"."""
    words = text.split()
    if len(words) <= count:  # most updates: no need for Truncator's lazy machinery
        return _e(" ".join(words))
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
        f'        <th scope="row" class="nowrap" data-label="Ref"><a href="{_e(address(action.slug))}">'
        f'<span class="visually-hidden">Action </span>{_e(action.ref)}</a></th>\n'
        f'        <td class="prewrap" data-label="Action">{_e(action.text)}</td>\n'
        f'        <td data-label="Owner">{_owners(action)}</td>\n'
        f'        <td data-label="Due date">{_due(action)}</td>\n'
        f'        <td data-label="Progress">{_progress(action, progress, period)}</td>\n'
        f'        <td class="card-first" data-label="RAG status"><strong class="tag tag--{_e(rating.colour)}">'
        f'{_e(rating.label)}</strong>\n<span class="hint">{_e(rating.reason)}</span>'
        + (f'<span class="hint">{_e(action.external_text)}</span>' if action.external else "") + '</td>\n'
        f'        <td data-label="Assurance">{_assurance(action.assurance)}</td>\n'
        '      </tr>\n')


def _assurance(assurance) -> str:
    return (f'<strong class="tag tag--{_e(assurance.level.colour)}">{_e(assurance.level.label)}</strong>'
            f'<span class="hint">{_e(assurance.reason)}</span>')


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
            '  <table class="table table--actions table--cards">\n'
            f'    <caption class="table__caption visually-hidden">Actions for {_e(rec.kind_label.lower())} '
            f'{_e(rec.ref)}{_e(group)} as at {on}</caption>\n'
            '    <thead><tr><th scope="col">Ref</th><th scope="col">Action</th><th scope="col">Owner</th>'
            '<th scope="col">Due date</th><th scope="col">Progress</th><th scope="col">RAG status</th>'
            '<th scope="col">Assurance</th></tr></thead>\n'
            f'    <tbody>\n{rows}    </tbody>\n  </table>\n')
    else:
        body = f'  <p class="hint">No actions as at {on}.</p>\n'
    slug, kind = _e(rec.slug), _e(rec.kind_label)
    sure = rec.assurance
    assured = (f'  <p class="body">Assurance: <strong class="tag tag--{_e(sure.level.colour)}">'
               f'{_e(sure.level.label)}</strong> <span class="hint">as its least assured action</span></p>\n'
               if sure else "")
    if rec.external:
        assured += f'  <p class="body">{_e(rec.external_text)}</p>\n'
    return mark_safe(
        f'<section class="recommendation" aria-labelledby="rec-{slug}">\n'
        f'  <{heading} class="heading-s" id="rec-{slug}">{kind} {_e(rec.ref)}</{heading}>\n{source}'
        f'  <p class="body">{_e(rec.text)}</p>\n{assured}{body}</section>\n')


def _group_headings(view: PlanAsAt) -> dict[int, bytes]:
    """The group heading that comes before each recommendation that starts a group, by recommendation id."""
    headings, group, grouped = {}, None, view.grouped  # grouped looks at every recommendation: once
    for n, rec in enumerate(view.recommendations):
        if grouped and (n == 0 or rec.group != group):
            headings[rec.id], group = str(group_heading(view.plan, rec)).encode(), rec.group
    return headings


PART_ACTIONS = 250  # about this many actions' rows per kept part of the table (see plan_actions_html)


def plan_actions_html(plan: Plan, as_at: date, is_today: bool, *,
                      view: Callable[[], PlanAsAt] | None = None) -> bytes:
    """The plan page's "Recommendations and actions" as at a date, for a plan loaded in this request before any
    of its data (readcache.loaded_version): HTML as UTF-8, for pages.rendering.render_page_around.

    Kept per read version of the plan and date: the recommendations' order and group headings, and their
    sections in parts of about PART_ACTIONS actions, each section beside the stamp of its actions' progress
    (selectors.progress.kept_progress_stamps: one grouped read after each progress update, kept until the next).
    A progress update moves only the progress, so the next view finds the same parts, renders again the one
    recommendation whose stamp differs, with only it and its actions read (selectors.recommendations_as_at) and
    only their progress, and stores again only its part. The whole plan as at the date is read only when the layout
    is built, or the sections to render again hold half its actions or more: by `view` if given
    (selectors.the_plan_as_at, shared with the rest of the page)."""
    version = readcache.loaded_version(plan)
    view_of = view or the_plan_as_at(plan, as_at, version=version)
    stamps = kept_progress_stamps(plan, as_at)
    key = ("plan_sections", version, as_at, is_today)
    layout, whole = readcache.get(key), None
    if layout is None:
        whole = view_of()
        layout = (_layout(whole), _group_headings(whole))
        readcache.put(key, layout)
        parts = [{} for _ in range(_parts(layout[0]))]
    else:
        parts = [part or {} for part in readcache.get_many([(*key, n) for n in range(_parts(layout[0]))])]
    order, headings = layout
    stale = [(rec_id, ids, n) for rec_id, ids, n in order
             if rec_id not in parts[n] or parts[n][rec_id][0] != stamps.get(rec_id)]
    if stale:
        stale_actions = sum(len(ids) for _, ids, _ in stale)
        if whole is None and stale_actions * 2 < sum(len(ids) for _, ids, _ in order):
            # A few recommendations (a progress update's): only they are read, not the whole plan.
            recs = {rec.id: rec for rec in recommendations_as_at(plan, as_at, {rec_id: ids for rec_id, ids, _ in stale},
                                                                 version=version)}
        else:
            recs = {rec.id: rec for rec in (whole or view_of()).recommendations}
        progress = latest_progress(plan, as_at, None if len(stale) == len(order) else [
            pk for _, ids, _ in stale for pk in ids])
        address = action_address(plan, as_at, is_today)
        # PlanAsAt.rec_heading: below the group headings, where the plan has groups (and so has some).
        period, heading = period_of(as_at, plan.reporting_period), "h4" if headings else "h3"
        for rec_id, _, n in stale:
            parts[n][rec_id] = (stamps.get(rec_id), str(recommendation_html(
                recs[rec_id], heading=heading, as_at=as_at, address=address, progress=progress,
                period=period)).encode())
        readcache.put_many({(*key, n): parts[n] for n in {n for _, _, n in stale}})
    pieces = [b'<h2 class="heading-m">Recommendations and actions</h2>\n']
    for rec_id, _, n in order:
        if rec_id in headings:
            pieces.append(headings[rec_id])
        pieces.append(parts[n][rec_id][1])
    return b"".join(pieces)


def _layout(view: PlanAsAt) -> list[tuple[int, tuple[int, ...], int]]:
    """Each recommendation in display order, with its actions' ids and the part of the kept table it is in."""
    order, part, size = [], 0, 0
    for rec in view.recommendations:
        if size >= PART_ACTIONS:
            part, size = part + 1, 0
        order.append((rec.id, tuple(action.id for action in rec.actions), part))
        size += max(1, len(rec.actions))
    return order


def _parts(order: list) -> int:
    return order[-1][2] + 1 if order else 0


def tools_rows_html(plan: Plan, recommendations) -> SafeString:
    """The rows of the plan manager's recommendations table (web/manage/_plan_tools.html), the same for every
    plan manager: each recommendation with its edit and add-an-action links and its move buttons, which post
    with the form around the table. `recommendations`: the plan's, in display order, with their groups."""
    recommendations = list(recommendations)
    edit = reverse("manage:recommendation_edit", args=[plan.reference, _SLUG])
    add = reverse("manage:action_new", args=[plan.reference, _SLUG])
    move = reverse("manage:recommendation_move", args=[plan.reference, _SLUG])
    outside = reverse("external:recommendation", args=[plan.reference, _SLUG])
    rows = []
    for n, rec in enumerate(recommendations):
        slug, ref = quote(rec.slug, safe=_SAFE), _e(rec.ref)
        group = f'<span class="hint">{_e(rec.group.name)}</span>' if rec.group else ""
        up = (f'<button class="button button--secondary" type="submit" formaction="{_e(move.replace(_SLUG, slug))}" '
              f'name="direction" value="up">Move up<span class="visually-hidden"> recommendation {ref}</span></button>'
              if n else "")
        down = (f'<button class="button button--secondary" type="submit" formaction="{_e(move.replace(_SLUG, slug))}"'
                f' name="direction" value="down">Move down<span class="visually-hidden"> recommendation {ref}</span>'
                '</button>' if n < len(recommendations) - 1 else "")
        rows.append(
            '      <tr>\n'
            f'        <th scope="row" class="nowrap">{_e(rec.get_kind_display())} {ref}{group}</th>\n'
            f'        <td>{_words(rec.text, 8)}</td>\n'
            f'        <td class="nowrap"><a href="{_e(edit.replace(_SLUG, slug))}">Edit<span class="visually-hidden"> '
            f'recommendation {ref}</span></a><br><a href="{_e(add.replace(_SLUG, slug))}">Add an action<span '
            f'class="visually-hidden"> to recommendation {ref}</span></a><br>'
            f'<a href="{_e(outside.replace(_SLUG, slug))}">Closure by an outside body<span class="visually-hidden"> '
            f'of recommendation {ref}</span></a></td>\n'
            f'        <td class="nowrap"><div class="button-group">\n          {up}\n          {down}\n'
            '        </div></td>\n'
            '      </tr>\n')
    return mark_safe("".join(rows))

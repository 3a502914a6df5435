"""One plan's section of the dashboard, rendered in Python.

The dashboard shows a section per plan, and after a change that moves every plan's version (a post renamed, a
holder changed) all of them are rendered again in one request: through the template engine that was a third of
the dashboard's own work (bench/README.md, Dashboard). Built the way web/plan_table.py builds the plan's table,
with the same GOV.UK tag, table and summary-list markup the templates use; each value escaped as it is put in.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from actiontrack.domain.ukdates import format_short
from actiontrack.plans.selectors.portfolio import PlanSummary
from actiontrack.web import charts
from actiontrack.web.escaping import escape_text as _e
from actiontrack.web.plan_table import action_address, due_links


def plan_summary_html(summary: PlanSummary, as_at: date, is_today: bool, find: str) -> SafeString:
    """The section, for the dashboard as at `as_at`; `find`: the dashboard's own filters for Find actions'
    addresses ("&as_at=...&owner=..."), added to every count's link so the list there is what was counted."""
    plan = summary.plan
    ref = _e(plan.reference)
    plan_url = _e(reverse("plan", args=[plan.reference]))
    find_url = _e(reverse("actions"))
    in_plan = f"{find_url}?plan={_e(quote(plan.reference))}"
    find = _e(find)
    # Where each count and listed action links to: Find actions in this plan, the plan page, each action's page.
    links = (in_plan, find, plan_url, action_address(plan, as_at, is_today=True))
    title = _e(plan.title)
    caption = ref + " · " + _e(plan.get_source_kind_display())
    if plan.source_body:
        caption += f" by {_e(plan.source_body)}"
    if plan.board:
        caption += f" · reports to {_e(plan.board)}"
    bands = "".join(
        f'<tr><th scope="row"><strong class="tag tag--{_e(band.colour)}">{_e(band.title)}</strong></th>'
        f'<td class="numeric"><a href="{in_plan}&amp;rag={_e(band.key)}{find}" aria-label="{count} '
        f'{_e(band.title)}: find these actions">{count}</a></td></tr>' for band, count in summary.counts)
    soon = "due in the next 30 days"
    assured = "; ".join(f'<strong class="tag tag--{_e(level.colour)}">{_e(level.label)}</strong> {count}'
                        for level, count in summary.assurance) or "No actions"
    return mark_safe(
        f'<section class="plan-summary" aria-labelledby="plan-{ref}">\n'
        f'  <h2 class="heading-m" id="plan-{ref}"><a href="{plan_url}'
        f'{"" if is_today else "?as_at=" + as_at.isoformat()}">{title}</a></h2>\n'
        f'  <p class="caption">{caption}</p>\n'
        '  <div class="dashboard-summary">\n'
        f'    {charts.rag_bar(summary.counts, "RAG status of its actions", plan.reference)}\n'
        '    <table class="table table--narrow">\n'
        f'      <caption class="table__caption visually-hidden">{title}: actions by RAG status as at '
        f'{format_short(as_at)}</caption>\n'
        '      <thead><tr><th scope="col">Status</th><th scope="col" class="numeric">Actions</th></tr></thead>\n'
        '      <tbody>\n'
        f'        {bands}\n'
        f'        <tr><th scope="row">Total</th><td class="numeric"><a href="{in_plan}{find}" aria-label="All '
        f'{summary.total}: find these actions">{summary.total}</a></td></tr>\n'
        '      </tbody>\n'
        '    </table>\n'
        '  </div>\n'
        '  <dl class="summary-list">\n'
        f'    <div class="summary-list__row"><dt>Overdue</dt><dd>'
        f'{_listed(summary.overdue_count, summary.overdue, summary.overdue_more, "overdue", "overdue=on", links)}'
        '</dd></div>\n'
        f'    <div class="summary-list__row"><dt>Due in the next 30 days</dt><dd>'
        f'{_listed(summary.due_soon_count, summary.due_soon, summary.due_soon_more, soon, "due_within=30", links)}'
        '</dd></div>\n'
        f'    <div class="summary-list__row"><dt>Date revisions in {_e(summary.period.label)}</dt>'
        f'<dd>{summary.revisions_this_period}</dd></div>\n'
        f'    <div class="summary-list__row"><dt>Assurance</dt><dd>{assured}</dd></div>\n'
        '  </dl>\n'
        '  <h3 class="heading-s">Trend across issued board reports</h3>\n'
        f'{_trend(summary, title)}'
        '</section>\n')


def _listed(count: int, first: list, more: int, what: str, query: str, links: tuple) -> str:
    """A count linking to Find actions, then the first few actions listed, and how many more."""
    in_plan, find, plan_url, address = links
    listed = ""
    if first:
        listed = f": {due_links(first, address)}"
        if more:
            listed += f'; and <a href="{plan_url}">{more} more</a>'
    return f'<a href="{in_plan}&amp;{query}{find}" aria-label="{count} {what}: find these actions">{count}</a>{listed}'


def _trend(summary: PlanSummary, title: str) -> str:
    """The RAG counts at each issued board report: a chart (from two reports) and the same numbers as a table."""
    trend = summary.trend
    chart = ""
    if len(trend) > 1:
        lines = charts.trend_lines(trend, "RAG counts at each issued report", summary.plan.reference + "-trend")
        chart = f"\n  {lines}\n  "
    if not trend:
        return f'  {chart}\n  \n  <p class="body">No board report has been issued for this plan yet.</p>\n  \n'
    heads = "".join(f'<th scope="col" class="numeric">{_e(band.title)}</th>' for band, _ in trend[0].counts)
    rows = "".join(f'<tr><th scope="row">{_e(point.label)}</th>'
                   + "".join(f'<td class="numeric">{count}</td>' for _, count in point.counts) + "</tr>"
                   for point in trend)
    return (f'  {chart}\n  \n'
            '  <table class="table table--narrow">\n'
            f'    <caption class="table__caption visually-hidden">{title}: RAG counts at each issued board report'
            '</caption>\n'
            f'    <thead><tr><th scope="col">Report as at</th>{heads}</tr></thead>\n'
            f'    <tbody>{rows}</tbody>\n'
            '  </table>\n'
            '  \n')

"""The action page's History table body, written in Python as the plan page's rows are (plan_table): the template
loop, its date filters and defaults cost a third of the action page's rendering (about 4 ms of CPU for a year of
monthly updates), this a tenth of that. The same HTML as the template wrote."""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actiontrack.domain.ukdates import format_short
from actiontrack.plans.selectors.history import HistoryRow
from actiontrack.web.escaping import escape_text as _e


def _row(event: HistoryRow) -> str:
    recorded = timezone.localtime(event.recorded_at).strftime("%d/%m/%Y %H:%M")
    return (
        "    <tr>\n"
        f'      <th scope="row" class="nowrap">{format_short(event.effective_on)}</th>\n'
        f"      <td>{_e(event.what)}</td>\n"
        f'      <td class="prewrap">{_e(event.old)}</td>\n'
        f'      <td class="prewrap">{_e(event.new)}</td>\n'
        f"      <td>{_e(event.reason or '—')}</td>\n"
        f'      <td>{_e(event.actor)} <span class="hint">{_e(event.source)}</span></td>\n'
        f'      <td class="nowrap">{recorded}</td>\n'
        "    </tr>\n")


def history_rows_html(history: list[HistoryRow]) -> SafeString:
    """The table's rows, one per change, in the order given (selectors.action_history)."""
    return mark_safe("".join(_row(event) for event in history))

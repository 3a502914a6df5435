"""The board report's slippage table: every action due later than the date first agreed (its baseline), most
days first, with each revision of its date, why, and who approved it — what oversight bodies ask for when target
dates move. Read from the journal up to the report's as-at date, so an issued report keeps the table it had."""

from __future__ import annotations

from collections import defaultdict

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import DUE, from_json
from actiontrack.core.models import JournalEvent
from actiontrack.domain.ukdates import format_due, format_short
from actiontrack.plans.selectors import PlanAsAt

from .data import Paragraph, SlipLine, SlippageTable, Subheading

SLIPPAGE_HEADING = "Slippage against the dates first agreed"
NONE_SLIPPED = "No action is due later than the date first agreed."


def slippage_blocks(view: PlanAsAt) -> tuple:
    slipped = sorted((action for action in view.actions if action.revisions and action.slip_days > 0),
                     key=lambda action: -action.slip_days)  # ties stay in the plan's order
    if not slipped:
        return Subheading(SLIPPAGE_HEADING), Paragraph(NONE_SLIPPED)
    revisions = defaultdict(list)
    for event in JournalEvent.objects.filter(plan=view.plan, entity_type=EntityType.ACTION, field=DUE,
                                             entity_id__in=[action.id for action in slipped],
                                             effective_on__lte=view.as_at).order_by("effective_on", "id"):
        old, new = from_json(DUE, event.old), from_json(DUE, event.new)
        if not old or old["on"] is None:  # an undated action's first date is not a slip
            continue
        when = format_short(event.effective_on)
        revisions[event.entity_id].append(
            f"{when}: {format_due(old['on'], old['condition'])} → {format_due(new['on'], new['condition'])}. "
            f"{event.reason} Approved by {event.actor_name}.")
    return (SlippageTable(
        heading=SLIPPAGE_HEADING, caption=f"Actions due later than first agreed, as at {format_short(view.as_at)}",
        rows=tuple(SlipLine(ref=action.ref, text=action.text, baseline=format_short(action.baseline_on),
                            due=action.due_text, days=action.slip_days, revisions=action.revisions,
                            history=tuple(revisions[action.id])) for action in slipped)),)

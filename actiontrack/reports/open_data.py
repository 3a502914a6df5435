"""A published plan's register as open data: CSV (one row per action) and JSON (the plan, its recommendations with
their status history, their actions). The schema is documented in docs/public-register.md; a test keeps the two
the same. CSV text that a spreadsheet would run as a formula starts with an apostrophe, as in every export."""

from __future__ import annotations

import csv
import io

from actiontrack.interchange.exporting.export_csv import neutralise

from .register import PublicPlan

SCHEMA = "actiontrack-public-register/1"
CSV_COLUMNS = ["plan_reference", "plan_title", "organisation", "meeting", "meeting_date", "as_at", "group",
               "recommendation_ref", "recommendation", "action_ref", "action", "owners", "due", "status",
               "status_colour", "status_reason", "assurance", "progress", "progress_period"]


def register_json(plan: PublicPlan) -> dict:
    return {
        "schema": SCHEMA,
        "plan": {"reference": plan.reference, "title": plan.title, "organisation": plan.organisation,
                 "source": plan.source, "source_body": plan.source_body},
        "report": {"meeting": plan.meeting, "meeting_date": plan.meeting_date.isoformat(),
                   "as_at": plan.as_at.isoformat(),
                   "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
                   "actions_withheld": plan.withheld},
        "status_counts": [{"status": count.status.title, "colour": count.status.colour, "count": count.count}
                          for count in plan.counts],
        "recommendations": [{
            "ref": rec.ref, "kind": rec.kind, "group": rec.group, "text": rec.text,
            "status_history": [{"meeting": standing.meeting, "meeting_date": standing.meeting_date.isoformat(),
                                "as_at": standing.as_at.isoformat(),
                                "counts": [{"status": count.status.title, "colour": count.status.colour,
                                            "count": count.count} for count in standing.counts]}
                               for standing in rec.history],
            "actions": [{"ref": action.ref, "text": action.text, "owners": action.owners, "due": action.due,
                         "status": action.status.title, "status_colour": action.status.colour,
                         "status_reason": action.reason, "assurance": action.assurance, "progress": action.progress,
                         "progress_period": action.progress_period} for action in rec.actions],
        } for rec in plan.recommendations],
        "measures": list(plan.measures),
    }


def register_csv(plan: PublicPlan) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for rec in plan.recommendations:
        for action in rec.actions:
            row = [plan.reference, plan.title, plan.organisation, plan.meeting, plan.meeting_date.isoformat(),
                   plan.as_at.isoformat(), rec.group, rec.ref, rec.text, action.ref, action.text, action.owners,
                   action.due, action.status.title, action.status.colour, action.reason, action.assurance,
                   action.progress, action.progress_period]
            writer.writerow([neutralise(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # Excel reads UTF-8 with the byte-order mark

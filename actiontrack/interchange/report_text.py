"""An import report in words, for the command line (the web page shows the same report as HTML)."""

from __future__ import annotations

from .apply import CREATE, ImportReport
from .columns import FIELD_BY_KEY
from .safety import FORMATS


def field_label(key: str) -> str:
    return FIELD_BY_KEY[key].label if key in FIELD_BY_KEY else "not imported"


def lines(report: ImportReport) -> list[str]:
    out = []
    what = FORMATS.get(report.format, ("file",))[0]
    target = (f"a new plan {report.plan_reference}" if report.new_plan or not report.plan_title
              else f"{report.plan_reference} ({report.plan_title})")
    out.append(f"Importing {report.filename} ({what}) into {target}")
    if report.restore:
        out.append("An actiontrack JSON export: the plan is restored exactly, with its journal.")
    if report.columns:
        out.append("")
        out.append("Columns (change with --map \"column=field\"):")
        for column in report.columns:
            mapped = field_label(column.field) if column.field else "not imported"
            changed = " (your mapping)" if column.field != column.detected else ""
            note = f" — {column.note}" if column.note else ""
            out.append(f"  {column.table}, column {column.label} {column.header!r} -> {mapped}{changed}{note}")
    if report.owners:
        out.append("")
        out.append("Owners:")
        for match in report.owners:
            if match.post is None:
                similar = f"; looks like {match.similar!r}" if match.similar else ""
                out.append(f"  {match.text!r} -> NEW POST {match.post_name!r} (created only with --create-posts"
                           f"{similar})")
            else:
                detail = f" ({match.detail})" if match.detail else ""
                out.append(f"  {match.text!r} -> {match.post.name}{detail}")
    if report.problems:
        out.append("")
        out.append(f"Problems: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
        out.extend(f"  {problem}" for problem in report.problems)
    if report.notes:
        out.append("")
        out.append("Notes:")
        out.extend(f"  {note}" for note in report.notes)
    out.append("")
    out.append("Changes:" if report.changes else "Changes: none")
    for change in report.changes:
        mark = "+" if change.kind == CREATE else "~"
        where = f" [{change.where}]" if change.where else ""
        out.append(f"  {mark} {change.what}{where}")
        out.extend(f"      {detail}" for detail in change.details)
    if report.more_changes:
        out.append(f"  … and {report.more_changes:,} more (the counts below are complete)")
    out.append("")
    out.append(f"Summary: {report.summary}.")
    return out

"""What the importer does with each fixture plan today, beside what a correct import must produce.

    python -m tests.interchange.shapes.try_import [NAME ...]

Runs on SQLite in a throwaway data folder (created and removed here; DATABASE_URL is ignored), so it can
be run anywhere without touching a real database. For each fixture it parses the file
(`registry.parse_file`), previews an import into a new plan (`import_apply(..., apply=False)`, posts
allowed to be created) and prints the parsed rows, errors and warnings, and how many of the expected
recommendations, actions, due dates, owners and statuses came out right. It reports; it never fails."""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

AS_OF = date(2024, 6, 3)  # the day the previews are worked out as at: after every date in the corpus


def _django(data: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["ACTIONTRACK_DATA_DIR"] = str(data)
    os.environ.setdefault("SECRET_KEY", "shapes-corpus-only-" + "x" * 40)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actiontrack.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _preview(parsed, name: str) -> str:
    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.interchange.importing.service import import_apply

    actor = Actor.system(f"Import of {name}", ChangeSource.IMPORT)
    try:
        report = import_apply(actor=actor, plan_ref=f"SHAPE-{name.upper()[:20]}", parsed=parsed, apply=False,
                              create_posts=True, filename=name, today=AS_OF)
    except Exception as exc:  # noqa: BLE001 - the harness reports whatever happens, it never stops
        return f"preview raised {exc.__class__.__name__}: {exc}"
    verdict = "could apply" if report.can_apply else f"blocked by {len(report.errors)} error(s)"
    errors = "".join(f"\n    PREVIEW ERROR at {p.location}: {p.message[:160]}" for p in report.errors[:6])
    return (f"preview: {verdict}{errors}\n  would create {report.counts['recommendations created']} recommendation(s), "
            f"{report.counts['actions created']} action(s), {report.counts['posts created']} post(s)")


def run(names: list[str], out=sys.stdout) -> list:
    from actiontrack.interchange.registry import parse_file

    from .build import FIXTURES
    from .compare import measure
    from .spec import FILES, load_expected

    unknown = [n for n in names if n not in FIXTURES]
    if unknown:
        out.write(f"Unknown fixture(s): {', '.join(unknown)}. Known: {', '.join(FIXTURES)}\n")
        return []
    results = []
    for name in names or list(FIXTURES):
        fixture = FIXTURES[name]
        out.write(f"\n== {name} ({fixture.file})\n")
        try:
            parsed = parse_file(io.BytesIO((FILES / fixture.file).read_bytes()), fixture.file)
            found = measure(name, parsed, load_expected(name))
        except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not a reason to stop
            out.write(f"  CRASHED: {exc.__class__.__name__}: {exc}\n")
            continue
        results.append(found)
        if found.refused:
            out.write(f"  refused: {found.refused}\n")
        out.write(f"  parsed rows {found.rows}; {found.errors} error(s), {found.warnings} warning(s)\n")
        for problem in parsed.problems[:12]:
            out.write(f"    {' '.join(str(problem).split())[:160]}\n")
        if len(parsed.problems) > 12:
            out.write(f"    … and {len(parsed.problems) - 12} more\n")
        verdict = "right" if found.title_right else f"expected {fixture.title!r}"
        out.write(f"  title read {found.title!r}: {verdict}\n")
        out.write(f"  actions found {found.found}/{found.actions}; of {found.recommendations} recommendations: "
                  f"the right reference {found.refs_right}, the right text {found.rec_texts_right}, the right kind "
                  f"{found.kinds_right}; groups right {found.groups_right}/{found.groups}\n")
        out.write(f"  of the actions found: texts right {found.texts_right}, due dates right {found.due_right}, "
                  f"owners right {found.owners_right}, statuses right {found.status_right}\n")
        for silent in found.silent:
            out.write(f"  SILENTLY WRONG DATE: {silent}\n")
        out.write(f"  {_preview(parsed, name)}\n")
    out.write("\n" + table(results) + "\n")
    return results


def table(results: list) -> str:
    """The results as the Markdown table the README keeps."""
    heads = ["fixture", "title right", "rows", "errors", "warnings", "actions found", "rec refs right",
             "rec texts right", "kinds right", "groups right", "action texts right", "due right", "owners right",
             "status right", "silently wrong dates"]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for m in results:
        recs, acts = m.recommendations, m.actions
        cells = [m.name, "yes" if m.title_right else "no", m.rows, m.errors, m.warnings, f"{m.found}/{acts}",
                 f"{m.refs_right}/{recs}", f"{m.rec_texts_right}/{recs}", f"{m.kinds_right}/{recs}",
                 f"{m.groups_right}/{m.groups}", f"{m.texts_right}/{acts}", f"{m.due_right}/{acts}",
                 f"{m.owners_right}/{acts}", f"{m.status_right}/{acts}", len(m.silent)]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    data = Path(tempfile.mkdtemp(prefix="actiontrack-shapes-"))
    try:
        _django(data)
        run(list(sys.argv[1:] if argv is None else argv))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

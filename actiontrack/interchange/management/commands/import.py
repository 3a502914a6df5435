"""actiontrack import FILE --plan REF [--apply] [--title T] [--map column=field ...] [--status value=meaning ...]
[--create-posts] [--owner POST] [--as-at DATE] [--exclude "ROW=REASON" ...] [--mapping FILE.json]
[--refs whole|split] [--source KIND]

A dry run unless --apply: it prints the column mapping, every problem with its location, and what would
be created or updated. Changes are journalled with the import as their source."""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from actiontrack.core.choices import ChangeSource
from actiontrack.core.jobs import JobCommand, Refused, logged_job
from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import DateError, parse_as_at
from actiontrack.interchange.importing import decisions
from actiontrack.interchange.importing.columns import FIELDS, field_key, normalise
from actiontrack.interchange.importing.report import report_lines
from actiontrack.interchange.importing.service import import_apply, reading_of_existing_plan
from actiontrack.interchange.importing.values import STATUS_VALUE, loose_status, read_status
from actiontrack.interchange.registry import parse_file
from actiontrack.plans.choices import SourceKind


def parse_mapping(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items or []:
        column, equals, field = item.rpartition("=")
        key = field_key(field)
        if not equals or not normalise(column):
            raise CommandError(f"--map {item!r}: write it as \"column header=field\", "
                               "e.g. --map \"Lead officer=owner\"")
        if key is None:
            known = ", ".join(f.key for f in FIELDS)
            raise CommandError(f"--map {item!r}: {field!r} is not a field. Fields: {known}, or ignore")
        mapping[normalise(column)] = key
    return mapping


def parse_statuses(items: list[str]) -> dict[str, str]:
    """--status "Off track=in progress": what one of the plan's own status words means, as a mapping entry."""
    meanings = {}
    for item in items or []:
        value, equals, meaning = item.rpartition("=")
        read = read_status(meaning)
        if not equals or not loose_status(value):
            raise CommandError(f"--status {item!r}: write it as \"status in the file=meaning\", "
                               "e.g. --status \"Off track=in progress\"")
        if read.warning or read.value is None:
            known = ", ".join(life.label.lower() for life in Lifecycle)
            raise CommandError(f"--status {item!r}: {meaning.strip()!r} is not a meaning. Meanings: {known}")
        meanings[STATUS_VALUE + loose_status(value)] = read.value.value
    return meanings


def read_mapping_file(name: str) -> dict[str, str]:
    """A mapping file, as the web preview downloads it: every choice, as {"key": "value"}."""
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"--mapping {name!r}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"--mapping {name!r} is not a JSON file: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise CommandError(f"--mapping {name!r}: expected an object of texts, as the import preview downloads it "
                           "(\"Download these choices\")")
    return data


def parse_exclusions(items: list[str]) -> dict[str, str]:
    """--exclude "Sheet 'Actions', row 7=Duplicate of 3.1": a row left out, with why."""
    left_out = {}
    for item in items or []:
        row, equals, reason = item.rpartition("=")
        if not equals or not row.strip() or not reason.strip():
            raise CommandError(f"--exclude {item!r}: write it as \"row=reason\", with the row as the report "
                               "shows it, e.g. --exclude \"Sheet 'Actions', row 7=Duplicate of 3.1\"")
        left_out[decisions.exclude_key(row.strip())] = reason.strip()
    return left_out


class Command(JobCommand):
    help = "Import a Word, Excel, CSV or actiontrack JSON file into a plan (a dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .docx, .xlsx, .csv or actiontrack .json file")
        parser.add_argument("--plan", required=True, help="the plan's reference; a new plan is created if none has it")
        parser.add_argument("--apply", action="store_true", help="write the changes (default: show them only)")
        parser.add_argument("--title", default="", help="the title of a new plan (default: from the document)")
        parser.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                            help="read the column with this header as this field (or 'ignore'); repeatable")
        parser.add_argument("--status", action="append", default=[], metavar="VALUE=MEANING",
                            help="what one of the file's status values means, e.g. \"Off track=in progress\" "
                                 "(meanings: not started, in progress, completed, closed, paused, cancelled); "
                                 "repeatable")
        parser.add_argument("--create-posts", action="store_true",
                            help="create the owners that are not known posts as new posts")
        parser.add_argument("--agreed-on", default="", help="for a new plan: the date it was agreed (default today)")
        parser.add_argument("--owner", default="", metavar="POST",
                            help="the owner post of rows that name none (a known post)")
        parser.add_argument("--as-at", dest="as_at", default="", metavar="DATE",
                            help="the date the document is as at: the completion date of actions it says are "
                                 "complete without saying when (recorded as an assumption)")
        parser.add_argument("--exclude", action="append", default=[], metavar="ROW=REASON",
                            help="leave a row out, with the reason, e.g. \"Sheet 'Actions', row 7=Duplicate\"; "
                                 "repeatable")
        parser.add_argument("--refs", default="", choices=(decisions.REFS_WHOLE, decisions.REFS_SPLIT),
                            help="a Ref such as 'AFI 1.1' or '2.1': a recommendation's own reference (whole) or "
                                 "action 1 of recommendation 'AFI 1' or '2' (split); by default whole when the "
                                 "table has an action number column")
        parser.add_argument("--source", default="", choices=SourceKind.values, metavar="KIND",
                            help="for a new plan: its kind of source, one of " + ", ".join(SourceKind.values)
                                 + " (default: the one its title names, else other)")
        parser.add_argument("--mapping", default="", metavar="FILE.json",
                            help="every choice from a file (as the web preview downloads it); the options above "
                                 "are added to it")

    @logged_job("import")
    def handle(self, *args, file, plan, apply=False, title="", map=(), status=(), create_posts=False, agreed_on="",
               owner="", as_at="", exclude=(), mapping="", refs="", source="", **options):
        path = Path(file)
        self.job.record(plan=plan, file=path, dry_run=not apply)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        self.job.record(bytes=path.stat().st_size)
        chosen = read_mapping_file(mapping) if mapping else {}
        mapping = {**chosen, **parse_mapping(map), **parse_statuses(status), **parse_exclusions(exclude)}
        if owner.strip():
            mapping[decisions.DEFAULT_OWNER] = owner.strip()
        if refs:
            mapping[decisions.REFS] = refs
        if source:
            mapping[decisions.SOURCE_KIND] = source
        today = timezone.localdate()
        try:
            agreed = parse_as_at(agreed_on) if agreed_on else None
        except DateError as exc:
            raise CommandError(f"--agreed-on: {exc}") from None
        try:
            if as_at:
                mapping[decisions.AS_AT] = parse_as_at(as_at).isoformat()
        except DateError as exc:
            raise CommandError(f"--as-at: {exc}") from None
        actor = Actor.system(f"Import of {path.name}", ChangeSource.IMPORT)
        with path.open("rb") as stream:
            parsed = parse_file(stream, path.name, mapping)
            if reading := reading_of_existing_plan(plan, parsed, mapping):
                mapping[decisions.REFS] = reading  # as the plan already reads them (--refs says otherwise)
                stream.seek(0)
                parsed = parse_file(stream, path.name, mapping)
                parsed.split_ref_default = reading
            unknown = {key for key in mapping if not decisions.is_decision(key)} - {c.key for c in parsed.columns}
            report = import_apply(actor=actor, plan_ref=plan, parsed=parsed, mapping=mapping, title=title, apply=apply,
                                  create_posts=create_posts, filename=path.name, today=today, agreed_on=agreed)
        self.job.record(rows=report.rows, added=sum(n for k, n in report.counts.items() if k.endswith("created")),
                        updated=sum(n for k, n in report.counts.items() if k.endswith("updated")))
        for line in report_lines(report):
            self.stdout.write(line)
        for key in sorted(unknown):
            self.stdout.write(self.style.WARNING(f"--map: no column is headed {key!r}; that mapping was not used."))
        if report.errors:
            raise Refused(f"{len(report.errors)} error(s): nothing was written. Fix them (or map the columns "
                          "differently) and run the import again.")
        if report.applied:
            self.stdout.write(self.style.SUCCESS(f"Applied: {report.summary}. Every change is in the journal with "
                                                 "the import as its source."))
        else:
            self.stdout.write("Dry run: nothing was written. Run again with --apply to make these changes.")

"""actiontrack import FILE --plan REF [--apply] [--title T] [--map column=field ...] [--status value=meaning ...]
[--create-posts]

A dry run unless --apply: it prints the column mapping, every problem with its location, and what would
be created or updated. Changes are journalled with the import as their source."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actiontrack.core.choices import ChangeSource
from actiontrack.core.jobs import Refused, logged_job
from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import DateError, parse_as_at
from actiontrack.interchange.importing.columns import FIELDS, field_key, normalise
from actiontrack.interchange.importing.report import report_lines
from actiontrack.interchange.importing.service import import_apply
from actiontrack.interchange.importing.values import STATUS_VALUE, loose_status, read_status
from actiontrack.interchange.registry import parse_file


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


class Command(BaseCommand):
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

    @logged_job("import")
    def handle(self, *args, file, plan, apply=False, title="", map=(), status=(), create_posts=False, agreed_on="",
               **options):
        path = Path(file)
        self.job.record(plan=plan, file=path, dry_run=not apply)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        self.job.record(bytes=path.stat().st_size)
        mapping = {**parse_mapping(map), **parse_statuses(status)}
        today = timezone.localdate()
        try:
            agreed = parse_as_at(agreed_on) if agreed_on else None
        except DateError as exc:
            raise CommandError(f"--agreed-on: {exc}") from None
        actor = Actor.system(f"Import of {path.name}", ChangeSource.IMPORT)
        with path.open("rb") as stream:
            parsed = parse_file(stream, path.name, mapping)
            unknown = {key for key in mapping if not key.startswith(STATUS_VALUE)} - {c.key for c in parsed.columns}
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

"""One log line per job: a command's work runs inside `job_log(name)`, which writes exactly one line on the
`actiontrack.job` logger when it ends, with a fresh job id, the duration, the outcome and a few safe counts.

    with job_log("import", plan=reference) as job:
        ...
        job.record(rows=report.rows, added=3)

or, for a command whose whole handle() is the job, `@logged_job("backup")` on handle(), which then records
with `self.job.record(...)`.

Outcomes: "ok"; "refused" when the command declines to act on what it was given and changes nothing (it
raises `Refused`, a CommandError); "failed" for any other CommandError, with its message as the reason, and for
any other exception, with only the exception's class as the reason (its message may quote data; the traceback
still reaches standard error from Django). The exception is always re-raised.

Only the fields named in actiontrack.core.logs.FIELDS may be recorded (so both formatters print them), and only
counts, flags, dates, references and file paths: never passwords, tokens or file contents."""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import PurePath

from django.core.management.base import BaseCommand, CommandError

from actiontrack.core.logs import FIELDS, current_job

log = logging.getLogger("actiontrack.job")

# Set by job_log itself, never recorded by a command.
_OWN = frozenset({"job", "job_id", "duration_ms", "outcome", "reason", "user_id"})
# Request fields: they mean nothing on a job line.
_REQUEST = frozenset({"request_id", "method", "path", "status"})
LEVELS = {"ok": logging.INFO, "refused": logging.WARNING, "failed": logging.ERROR}


class JobCommand(BaseCommand):
    """An `actiontrack` command that does one job (rag, import, export, report, backup, ...). Django's system
    checks look at the code's models, URLs and templates, which a job changes nothing of; `actiontrack check`,
    `serve`, `demo` and `migrate` still run them. Left to those, a job starts without loading every page's views
    and the API's schemas to check its URLs: 0.5 s rather than 0.8 s for `actiontrack rag`. (`remind` is not one:
    its emails link to pages, so it loads them all the same, and is better stopped by the checks before it writes.)"""

    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django offers --skip-checks only to commands that run the checks: a scheduled line written with it still runs.
        parser.add_argument("--skip-checks", action="store_true", help="accepted, and nothing to skip: no checks run")
        return parser


class Refused(CommandError):
    """The command declines to act on what it was given, and changed nothing (logged as "refused")."""


class Job:
    def __init__(self, name: str, user_id: int | None):
        self.name = name
        self.id = uuid.uuid4().hex
        self.user_id = user_id
        self.fields: dict[str, object] = {}

    def record(self, **fields: object) -> None:
        """Add safe fields to the job's line: counts, flags, dates, references, file paths."""
        for name, value in fields.items():
            if name not in FIELDS or name in _OWN or name in _REQUEST:
                raise ValueError(f"{name!r} is not a job log field; add it to actiontrack.core.logs.FIELDS first")
            self.fields[name] = _plain(value)


def _plain(value: object) -> object:
    """A value the JSON formatter can write as it is."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"job log fields are numbers, flags, dates, paths or short strings, not {type(value).__name__}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


@contextmanager
def job_log(name: str, *, user_id: int | None = None, **fields: object) -> Iterator[Job]:
    job = Job(name, user_id)
    job.record(**fields)
    outcome, reason = "ok", None
    started = time.perf_counter()
    token = current_job.set((name, job.id))
    try:
        yield job
    except Refused as exc:
        outcome, reason = "refused", _one_line(str(exc))
        raise
    except CommandError as exc:
        outcome, reason = "failed", _one_line(str(exc))
        raise
    except BrokenPipeError:  # `actiontrack rag … | head`: the reader had what it wanted; the job did its work
        job.record(output="closed by the reader")
        raise
    except BaseException as exc:  # KeyboardInterrupt too: the job did not finish
        outcome, reason = "failed", exc.__class__.__name__
        raise
    finally:
        current_job.reset(token)
        duration = round((time.perf_counter() - started) * 1000, 1)
        extra = {"job": name, "job_id": job.id, "user_id": user_id, "outcome": outcome, "duration_ms": duration,
                 **job.fields}
        if reason is not None:
            extra["reason"] = reason
        log.log(LEVELS[outcome], "job %s %s", name, outcome, extra=extra)


def logged_job(name: str) -> Callable[[Callable], Callable]:
    """Decorates a management command's handle(): all of it is one job, whose fields it records with
    `self.job.record(...)`."""
    def decorate(handle: Callable) -> Callable:
        @functools.wraps(handle)
        def wrapper(command, *args, **options):
            with job_log(name) as job:
                command.job = job
                return handle(command, *args, **options)
        return wrapper
    return decorate

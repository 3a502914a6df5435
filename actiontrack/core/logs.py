"""Log lines: one per request and per job, plain or JSON (LOG_FORMAT=json), each with the request id and
the user id (a job: its job id, see actiontrack.core.jobs). Only what is passed in `extra` is added, and the
running job's name and id: never passwords, tokens or evidence contents."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

# Requests: request_id, user_id, method, path, status, duration_ms. Jobs (actiontrack.core.jobs): job, job_id,
# user_id, outcome, reason, duration_ms, and safe counts, flags, dates, references and file paths. A LogRecord's
# own attributes (created, filename, ...) cannot be used as names.
FIELDS = ("request_id", "job", "job_id", "user_id", "method", "path", "status", "outcome", "duration_ms", "reason",
          "plan", "format", "as_at", "dry_run", "file", "bytes", "files", "rows", "actions", "added", "updated",
          "sent", "not_sent", "would_send", "escalated", "overdue_events", "off_track_drafted", "notifications_pruned",
          "deliveries_pruned",
          "output")

# (job, job_id) while a job runs, so that every line logged during it (a reminder that could not be sent, a
# backup's warning) carries the job's id as well as the job's own line.
current_job: ContextVar[tuple[str, str] | None] = ContextVar("actiontrack_job", default=None)


def _fields(record: logging.LogRecord) -> dict[str, object]:
    fields = {name: getattr(record, name) for name in FIELDS if hasattr(record, name)}
    job = current_job.get()
    if job is not None and "request_id" not in fields and "job_id" not in fields:
        fields.setdefault("job", job[0])
        fields["job_id"] = job[1]
    return {name: fields[name] for name in FIELDS if name in fields}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        entry.update(_fields(record))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = " ".join(f"{name}={value}" for name, value in _fields(record).items())
        return f"{line} {extras}" if extras else line


# A command run in a terminal prints its own output only: its job line goes to the log file (JobFile), and to the
# terminal too only when asked for with -v (actiontrack.cli sets this). Elsewhere standard error is the log.
jobs_to_terminal = False


class TerminalFilter(logging.Filter):
    """On the console handler when standard error is a terminal: job lines only with -v."""

    def filter(self, record: logging.LogRecord) -> bool:
        return jobs_to_terminal or record.name != "actiontrack.job"


class JobFile(logging.FileHandler):
    """The data folder's log file, for the job lines of commands run in a terminal. Opened at the first line; if it
    cannot be written the line goes to standard error instead, rather than being lost or raising."""

    def __init__(self, filename: str):
        super().__init__(filename, encoding="utf-8", delay=True)

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None:
            try:
                self.stream = self._open()
            except OSError:
                sys.stderr.write(self.format(record) + "\n")
                return
        super().emit(record)

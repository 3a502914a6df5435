"""Background jobs: a row people can watch (models.BackgroundJob) and a task the worker runs.

    job = background.job_create(kind="report_issue", object_id=report.pk, label=..., user=user)
    background.enqueue(issue_report, job)        # the task's first argument is the job's id

and in the task:

    with background.running(job_id):
        ...the work...

A refusal the person can act on (a ValidationError, PermissionDenied: the report was edited meanwhile, it is no
longer theirs to issue) ends the job "failed" with that message; anything else ends it "failed" with a message
saying so, and is raised again so the worker logs it with its traceback.

Jobs are created and enqueued outside any transaction: each is committed at once, so the worker never waits on
a request, and with the immediate backend (tests, ACTIONTRACK_TASK_BACKEND=immediate) the task runs within the
call and its outcome is on the row when enqueue returns."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import BackgroundJob

log = logging.getLogger("actiontrack.job")
KEEP_JOBS = timedelta(days=90)
KEEP_TASK_RESULTS = timedelta(days=7)
UNEXPECTED = ("Something went wrong on the server while doing this; nothing was changed. Try again, and if it "
              "happens again tell your administrator the time it happened.")


def job_create(*, kind: str, object_id: int, label: str, user, key: str = "") -> BackgroundJob:
    sweep()
    return BackgroundJob.objects.create(kind=kind, object_id=object_id, key=key, label=label,
                                        requested_by=user if user and user.is_authenticated else None)


def sweep() -> None:
    """Forget jobs that ended long ago: what was asked for and how it ended stays KEEP_JOBS for people to see
    (what a job made - an issued report, an imported plan - is kept with its own history); the queue's own
    record of each finished task, KEEP_TASK_RESULTS."""
    now = timezone.now()
    BackgroundJob.objects.filter(finished_at__lt=now - KEEP_JOBS).delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_TASK_RESULTS).delete()


def enqueue(task, job: BackgroundJob, *args, **kwargs) -> BackgroundJob:
    """Hand the job to the worker; returns the row as it stands afterwards (already ended with the immediate
    backend)."""
    task.enqueue(job.pk, *args, **kwargs)
    job.refresh_from_db()
    return job


def waiting(kind: str, object_id: int | None = None, *, key: str = "") -> BackgroundJob | None:
    """The job of this kind on this object (or key) still queued or under way, if any."""
    jobs = _of(kind, object_id, key).filter(status__in=[BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING])
    return jobs.order_by("-requested_at").first()


def latest(kind: str, object_id: int | None = None, *, key: str = "") -> BackgroundJob | None:
    return _of(kind, object_id, key).order_by("-requested_at", "-pk").first()


def _of(kind: str, object_id: int | None, key: str):
    """Jobs of this kind on this object and key, each where given: a key alone (an import's upload) names its
    job; with an object (a plan's download) both must match, so one plan's prepared file is never another's."""
    jobs = BackgroundJob.objects.filter(kind=kind)
    if object_id is not None:
        jobs = jobs.filter(object_id=object_id)
    return jobs.filter(key=key) if key else jobs


def _end(job_id: int, status: str, message: str = "") -> None:
    BackgroundJob.objects.filter(pk=job_id).update(status=status, message=message, finished_at=timezone.now())


@contextmanager
def running(job_id: int) -> Iterator[BackgroundJob]:
    BackgroundJob.objects.filter(pk=job_id).update(status=BackgroundJob.Status.RUNNING, started_at=timezone.now())
    job = BackgroundJob.objects.get(pk=job_id)
    try:
        yield job  # the task may set job.message: what it did, kept with its end
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _end(job_id, BackgroundJob.Status.FAILED, " ".join(messages))
    except Exception:
        _end(job_id, BackgroundJob.Status.FAILED, UNEXPECTED)
        raise
    else:
        _end(job_id, BackgroundJob.Status.DONE, job.message)

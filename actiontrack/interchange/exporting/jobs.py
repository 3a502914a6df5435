"""Downloads of large plans, prepared by the worker: the Excel tracker of ten thousand actions takes seconds to
write, which a web request must not hold a server worker for. Asked for once (`export_request`), written into
the file store's exports folder (`prepare_export`), then served to anyone who may see the plan until the plan
changes; kept a day.

A prepared file is for one plan, format and as-at date as the journal stood (its newest event's id is in the
job's key), so any change anywhere - an action, a post's name, a piece of evidence - means a new one."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django_tasks import task

from actiontrack.core import background, files
from actiontrack.core.models import BackgroundJob, JournalEvent
from actiontrack.plans.models import Plan

from ..registry import EXPORTERS, exporter

KIND = "export"
FOLDER = files.EXPORTS_FOLDER
KEEP = timedelta(days=1)


def in_background(plan: Plan) -> bool:
    """Whether this plan's downloads are prepared by the worker (EXPORT_IN_BACKGROUND_FROM actions or more)."""
    return plan.actions.count() >= settings.EXPORT_IN_BACKGROUND_FROM


def key_of(fmt: str, as_at: date) -> str:
    newest = JournalEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
    return f"{fmt}:{as_at.isoformat()}:{newest}"


def file_name(job: BackgroundJob) -> str:
    return f"{FOLDER}/{job.pk}{EXPORTERS[job.key.split(':', 1)[0]].extension}"


def content_of(job: BackgroundJob) -> bytes:
    return files.read_bytes(file_name(job))


def prepared(plan: Plan, key: str) -> BackgroundJob | None:
    """The job that prepares (or prepared, or failed to prepare) this download, if any was asked for."""
    job = background.latest(KIND, plan.pk, key=key)
    if job is not None and job.status == BackgroundJob.Status.DONE and not files.exists(file_name(job)):
        return None  # swept: prepare it again
    return job


def export_request(*, plan: Plan, fmt: str, as_at: date, user) -> BackgroundJob:
    """Ask the worker to prepare the download (once: a job under way or done for the same key is the answer).
    The caller has checked that this person may see the plan."""
    key = key_of(fmt, as_at)
    job = prepared(plan, key)
    if job is not None and job.status != BackgroundJob.Status.FAILED:
        return job
    sweep()
    job = background.job_create(kind=KIND, object_id=plan.pk, key=key, user=user,
                                label=f"{EXPORTERS[fmt].label} of {plan.reference} as at {as_at:%d/%m/%Y}")
    return background.enqueue(prepare_export, job, fmt, as_at.isoformat())


@task()
def prepare_export(job_id: int, fmt: str, as_at: str) -> None:
    with background.running(job_id) as job:
        plan = Plan.objects.get(pk=job.object_id)
        content = exporter(fmt).render(plan, date.fromisoformat(as_at))
        files.save_bytes(file_name(job), content)
        job.message = f"Ready: {len(content) / 1024:,.0f} KB."


def sweep() -> None:
    """Delete prepared downloads more than a day old."""
    cutoff = datetime.now(UTC) - KEEP
    for name in files.listing(FOLDER):
        with contextlib.suppress(OSError):
            if files.modified_time(name) < cutoff:
                files.delete(name)

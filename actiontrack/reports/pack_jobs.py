"""Evidence packs made by the worker: rendering the plan's PDF and reading every evidence file takes longer than a
web request should hold a server worker. Asked for once (`pack_request`), written into the file store's exports
folder (`prepare_pack`, never backed up: it is made again on demand), then downloaded by the plan's managers
until the plan's history moves on (the newest journal event's id is in the job's key); kept a day."""

from __future__ import annotations

from datetime import date

from django.db.models import Max
from django_tasks import task

from actiontrack.core import background, files
from actiontrack.core.models import BackgroundJob, JournalEvent
from actiontrack.plans.models import Plan

from .evidence_pack import evidence_pack

KIND = "evidence_pack"


def key_of(as_at: date) -> str:
    newest = JournalEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
    return f"{as_at.isoformat()}:{newest}"


def file_name(job: BackgroundJob) -> str:
    return f"{files.EXPORTS_FOLDER}/evidence-pack-{job.pk}.zip"


def content_of(job: BackgroundJob) -> bytes:
    return files.read_bytes(file_name(job))


def prepared(plan: Plan, as_at: date) -> BackgroundJob | None:
    """The job that makes (or made, or failed to make) this pack, if one was asked for since the plan changed."""
    job = background.latest(KIND, plan.pk, key=key_of(as_at))
    if job is not None and job.status == BackgroundJob.Status.DONE and not files.exists(file_name(job)):
        return None  # swept: make it again
    return job


def pack_request(*, plan: Plan, as_at: date, user) -> BackgroundJob:
    """Ask the worker for the pack (once: one under way or made for the same day and history is the answer). The
    caller has checked that this person manages the plan."""
    job = prepared(plan, as_at)
    if job is not None and job.status != BackgroundJob.Status.FAILED:
        return job
    job = background.job_create(kind=KIND, object_id=plan.pk, key=key_of(as_at), user=user,
                                label=f"Evidence pack of {plan.reference} as at {as_at:%d/%m/%Y}")
    return background.enqueue(prepare_pack, job, as_at.isoformat())


@task()
def prepare_pack(job_id: int, as_at: str) -> None:
    with background.running(job_id) as job:
        content = evidence_pack(Plan.objects.get(pk=job.object_id), date.fromisoformat(as_at))
        files.save_bytes(file_name(job), content)
        job.message = f"Ready: {len(content) / 1024:,.0f} KB."

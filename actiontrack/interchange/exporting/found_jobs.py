"""Downloads of long lists from /actions/ (every action a person can see, filtered), prepared by the worker: ten
thousand rows take seconds to find and write, which a web request must not hold a server worker for. As the
downloads of large plans (jobs.py): asked for once (`found_request`), written into the file store's exports
folder (`prepare_found`) and swept with them after a day.

A prepared list is one person's (what they can see), for one search, format and as-at date as the plans stood:
its key hashes them with the read versions of the plans they can see and the stamp of those plans' progress
updates, so a change to what the list shows means a new one, and a change elsewhere does not. Only the person who
asked may download it, and each person has one list being prepared at a time."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from datetime import date
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django_tasks import task

from actiontrack.core import background, files
from actiontrack.core.models import BackgroundJob
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans.models import ProgressUpdate
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.selectors.finder import Search, find
from actiontrack.plans.selectors.progress import latest_progress_across

from . import found_actions

KIND = "found_actions"
FOLDER = files.EXPORTS_FOLDER  # swept by jobs.sweep with the plans' downloads
RENDERERS = {"csv": found_actions.render_csv, "xlsx": found_actions.render_xlsx}
_DATES = {"due_before", "due_after"}


def in_background(count: int) -> bool:
    """Whether a list this long is prepared by the worker (EXPORT_IN_BACKGROUND_FROM actions or more, as a
    plan's downloads)."""
    return count >= settings.EXPORT_IN_BACKGROUND_FROM


def search_to_json(search: Search) -> str:
    return json.dumps({name: (value.value if isinstance(value, Enum) else
                              value.isoformat() if isinstance(value, date) else value)
                       for name, value in asdict(search).items()}, sort_keys=True)


def search_from_json(text: str) -> Search:
    data = json.loads(text)
    known = {field.name for field in fields(Search)}
    values = {name: value for name, value in data.items() if name in known}
    values["plans"] = tuple(values.get("plans", ()))
    if values.get("lifecycle") is not None:
        values["lifecycle"] = Lifecycle(values["lifecycle"])
    for name in _DATES:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    return Search(**values)


def key_of(user, fmt: str, as_at: date, today: date, search: Search) -> str:
    """What the prepared list is named by: the search, and what it shows as it stands - the read version of each
    plan the person can see (every change to an action, a recommendation, a plan or a post's holders moves it)
    and the stamp of those plans' progress updates - so a change elsewhere does not make it be prepared again."""
    seen = sorted(visible_plans(user, today).values_list("pk", "read_version"))
    progress = ProgressUpdate.objects.filter(action__plan_id__in=[pk for pk, _ in seen], period_start__lte=as_at)
    stamp = progress.aggregate(n=Count("id"), edits=Sum("version"), newest=Max("id"))
    wanted = json.dumps([fmt, as_at.isoformat(), search_to_json(search), seen, sorted(stamp.items())])
    return hashlib.sha256(wanted.encode()).hexdigest()


def file_name(job: BackgroundJob) -> str:
    return f"{FOLDER}/found-{job.pk}"  # its format is in its key: the request that serves it names it


def content_of(job: BackgroundJob) -> bytes:
    return files.read_bytes(file_name(job))


def prepared(user, key: str) -> BackgroundJob | None:
    """This person's job that prepares (or prepared, or failed to prepare) this list, if they asked for it."""
    job = BackgroundJob.objects.filter(kind=KIND, object_id=user.pk, key=key).order_by("-requested_at", "-pk").first()
    if job is not None and job.status == BackgroundJob.Status.DONE and not files.exists(file_name(job)):
        return None  # swept: prepare it again
    return job


def found_request(*, user, fmt: str, as_at: date, today: date, search: Search, count: int) -> BackgroundJob:
    """Ask the worker to prepare the list (once: a job under way or done for the same key is the answer). The
    worker finds it again as this person, with what they can see then."""
    key = key_of(user, fmt, as_at, today, search)
    job = prepared(user, key)
    if job is not None and job.status != BackgroundJob.Status.FAILED:
        return job
    other = background.waiting(KIND, user.pk)
    if other is not None:  # one at a time each, so nobody fills the worker's queue ahead of everyone else's work
        raise ValidationError(f"{other.label} is still being prepared for you: ask for this one when it is ready.")
    label = f"{'Excel workbook' if fmt == 'xlsx' else 'CSV file'} of {count:,} actions as at {as_at:%d/%m/%Y}"
    job = background.job_create(kind=KIND, object_id=user.pk, key=key, user=user, label=label)
    return background.enqueue(prepare_found, job, fmt, as_at.isoformat(), today.isoformat(), search_to_json(search))


@task()
def prepare_found(job_id: int, fmt: str, as_at: str, today: str, search: str) -> None:
    with background.running(job_id) as job:
        user = get_user_model().objects.get(pk=job.object_id)
        day = date.fromisoformat(as_at)
        plans = list(visible_plans(user, date.fromisoformat(today)).order_by("reference"))
        found = find(plans, day, search_from_json(search), 0, 10**9)
        progress = latest_progress_across({row.id: plan for plan, row in found.rows}, day)
        content = RENDERERS[fmt](found.rows, progress, day)
        files.save_bytes(file_name(job), content)
        job.message = f"Ready: {len(content) / 1024:,.0f} KB."

"""Previewing and applying an import in the background: ten thousand rows take longer than a web request may hold
a server worker. The preview page asks the worker to work out the preview (`import_preview_request`) and shows
it once it is kept beside the upload. The plan manager confirms the preview (`import_apply_request`, which checks
at once who may import, so a refusal is still answered on the spot); the worker reads the kept upload again and
applies it through service.import_apply, which checks everything again against the plan as it then stands
(`apply_import`); the preview page shows the job until it ends (core.background), then takes the person to the
plan."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks import task

from actiontrack.core import background
from actiontrack.core.journal import Actor
from actiontrack.core.models import BackgroundJob
from actiontrack.plans import permissions as perms
from actiontrack.plans.models import Plan

from .importing import decisions, storage
from .importing.report import ImportReport, report_to_json
from .importing.service import import_apply, reading_of_existing_plan
from .registry import parse_file

APPLY = "import_apply"
PREVIEW = "import_preview"


def import_apply_request(*, actor: Actor, token: str, state: dict, today: date) -> BackgroundJob:
    """Check this person may import into the plan (or create it), then hand the applying to the worker. An
    import already being applied is not asked for twice."""
    plan = Plan.objects.filter(reference__iexact=state["plan"]).first()
    if plan is not None:
        perms.require_manager(actor, plan, "import into it")
    elif not perms.can_create_plans(actor.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    under_way = background.waiting(APPLY, key=token)
    if under_way is not None:
        raise ValidationError(f"{state['name']} is already being imported (asked for at "
                              f"{under_way.requested_at:%H:%M}).")
    job = background.job_create(kind=APPLY, object_id=plan.pk if plan else 0, key=token, user=actor.user,
                                label=f"Import {state['name']} into {plan.reference if plan else state['plan']}")
    return background.enqueue(apply_import, job, token, state, actor.user.pk if actor.user else None,
                              actor.source, today.isoformat())


def run_import(*, actor: Actor, token: str, state: dict, today: date, apply: bool) -> ImportReport:
    """The kept upload read with the choices made in the preview, and imported (apply=True) or previewed."""
    agreed = state.get("agreed_on")
    try:
        with storage.opened(token) as stream:  # the readers read the file as the import goes on
            mapping = state["mapping"]
            parsed = parse_file(stream, state["name"], mapping)
            if reading := reading_of_existing_plan(state["plan"], parsed, mapping):
                mapping = {**mapping, decisions.REFS: reading}  # as the plan already reads them
                stream.seek(0)
                parsed = parse_file(stream, state["name"], mapping)
                parsed.split_ref_default = reading  # what the preview's choice starts at
            return import_apply(actor=actor, plan_ref=state["plan"], parsed=parsed, mapping=mapping,
                                title=state["title"], apply=apply, create_posts=state["create_posts"],
                                filename=state["name"], today=today,
                                agreed_on=date.fromisoformat(agreed) if agreed else None)
    except FileNotFoundError:
        raise ValidationError(f"The uploaded {state['name']} is no longer kept (uploads not applied within a day "
                              "are deleted): upload it again.") from None


def _actor(user_id: int | None, source: str) -> Actor:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return Actor.of(user, source) if user else Actor.system("Background job", source)


@task()
def apply_import(job_id: int, token: str, state: dict, user_id: int | None, source: str, today: str) -> None:
    with background.running(job_id) as job:
        report = run_import(actor=_actor(user_id, source), token=token, state=state,
                            today=date.fromisoformat(today), apply=True)
        if not report.applied:  # the plan changed since the preview, so the file no longer fits it
            raise ValidationError(f"{state['name']} was not imported: checked again against the plan as it now "
                                  f"stands, it has {len(report.errors)} problem(s), shown below. Nothing was "
                                  "changed.")
        storage.delete(token, keep_state=True)  # the preview page says it is done, then forgets it
        job.message = (f"Imported {state['name']} into {report.plan_reference}: {report.summary}. Every change is "
                       "in the plan's history with the import as its source.")


def import_preview_request(*, actor: Actor, token: str, state: dict, key: str, today: date) -> BackgroundJob:
    """Have the worker work out the preview for `key` (the file and the choices as they now stand) and keep it
    beside the upload (storage.keep_preview), unless it is being worked out already. Writes nothing to the plan."""
    job_key = _preview_job_key(token, key)
    under_way = background.waiting(PREVIEW, key=job_key)
    if under_way is not None:
        return under_way
    job = background.job_create(kind=PREVIEW, object_id=0, key=job_key, user=actor.user,
                                label=f"Check {state['name']} against {state['plan']}")
    return background.enqueue(preview_import, job, token, state, key, actor.user.pk if actor.user else None,
                              actor.source, today.isoformat())


@task()
def preview_import(job_id: int, token: str, state: dict, key: str, user_id: int | None, source: str,
                   today: str) -> None:
    with background.running(job_id):
        report = run_import(actor=_actor(user_id, source), token=token, state=state,
                            today=date.fromisoformat(today), apply=False)
        storage.keep_preview(token, key, report_to_json(report))


def preview_job(token: str, key: str) -> BackgroundJob | None:
    return background.latest(PREVIEW, key=_preview_job_key(token, key))


def _preview_job_key(token: str, key: str) -> str:
    return f"{token}{key[:32]}"  # the upload, and the choices the preview is for (BackgroundJob.key: 64)


def apply_job(token: str) -> BackgroundJob | None:
    """The last applying job of this upload, if any."""
    return background.latest(APPLY, key=token)

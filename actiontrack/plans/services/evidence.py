"""Evidence: files (checked by content, stored under random names with their SHA-256) and links.

A file is written to a temporary name beside its final place and renamed only when complete, and the row
is created after that: a failure leaves no half-written file and no row pointing at a missing one."""

from __future__ import annotations

import re
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from actiontrack.core import files
from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.filetypes import FileTypeError, sniff
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.text import Limit
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import EvidenceKind
from actiontrack.plans.inputs import clean_text
from actiontrack.plans.models import Action, Evidence
from actiontrack.plans.selectors.evidence import evidence_store_name


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_MB", 25)) * 1024 * 1024


def safe_name(name: str) -> str:
    """The file's own name, for display and download only: no folders, no control characters."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name.replace("\\", "/").rsplit("/", 1)[-1]).strip().lstrip(".")
    return name[:255] or "evidence"


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def _store(upload) -> tuple[str, str, int]:
    """Copy the upload to its final place under a random name; returns (stored name, sha256, size)."""
    stored_name = secrets.token_hex(16)
    too_large = ValidationError({"file": f"The file is larger than the {_size_text(max_bytes())} limit."})
    sha256, size = files.save_upload(evidence_store_name(stored_name), upload, max_bytes=max_bytes(),
                                     too_large=too_large)
    return stored_name, sha256, size


def _check_accepts_evidence(action: Action) -> None:
    life = Lifecycle(action.lifecycle)
    if not (life.is_open or life is Lifecycle.COMPLETED):
        raise ValidationError({"file": f"Action {action.ref} is {action.get_lifecycle_display().lower()}: evidence "
                                       "is added while it is open or awaiting verification."})


def evidence_add_file(*, actor: Actor, action: Action, upload, title: str, today: date) -> Evidence:
    perms.require_owner_or_manager(actor, action, today, "add evidence")
    _check_accepts_evidence(action)
    return file_evidence_store(actor=actor, action=action, upload=upload, title=title, today=today)


def file_evidence_store(*, actor: Actor, action: Action, upload, title: str, today: date,
                        effective_on: date | None = None) -> Evidence:
    """The file checked, stored and journalled, whatever the action's state: for callers that have checked who
    may add it and when (an outside body's letter closing an action that was already closed). `effective_on`:
    the day the evidence counts from when that is not the upload day (the letter's date)."""
    title = _title(title)
    name = safe_name(upload.name or "")
    if upload.size is not None and upload.size > max_bytes():
        raise ValidationError({"file": f"{name!r} is {_size_text(upload.size)}; the limit is "
                                       f"{_size_text(max_bytes())}."})
    try:
        kind = sniff(upload, name)
    except FileTypeError as exc:
        raise ValidationError({"file": str(exc)}) from None
    try:
        stored_name, sha256, size = _store(upload)
    except OSError as exc:
        raise ValidationError({"file": f"The file could not be saved ({exc.strerror}); nothing was stored. "
                                       "Please tell an administrator."}) from None
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                action=action, kind=EvidenceKind.FILE, title=title or name[:TITLE_MAX], stored_name=stored_name,
                original_name=name, content_type=kind.content_type, size=size, sha256=sha256, added_by=actor.user)
            record(actor=actor, plan=action.plan, entity_type=EntityType.EVIDENCE, entity_id=evidence.pk,
                   field="created", old=None, new={"action": action.pk, "file": name, "sha256": sha256, "size": size},
                   effective_on=effective_on or today)
    except BaseException:
        files.delete(evidence_store_name(stored_name))
        raise
    return evidence


TITLE_MAX = Limit.LINE  # Evidence.title's column


def _title(title: str) -> str:
    """The title as given, normalised and held to its limit; "" means the file's name or the link stands in."""
    return clean_text(title, limit=TITLE_MAX, what="the title", field="title")


def clean_link(url: str) -> str:
    """A web address fit to be evidence (http or https only: never javascript: or data:), or a ValidationError
    saying why not. The one check for links, whether added on the web, through the API or restored."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": f"{url!r} is not a web address starting http:// or https://."}) from None
    return url


@transaction.atomic
def evidence_add_link(*, actor: Actor, action: Action, url: str, title: str, today: date) -> Evidence:
    perms.require_owner_or_manager(actor, action, today, "add evidence")
    try:
        _check_accepts_evidence(action)
    except ValidationError as exc:
        raise ValidationError({"url": exc.message_dict["file"]}) from None
    url = clean_link(url)
    title = _title(title)
    evidence = Evidence.objects.create(action=action, kind=EvidenceKind.LINK, title=title or url[:TITLE_MAX],
                                       url=url, added_by=actor.user)
    record(actor=actor, plan=action.plan, entity_type=EntityType.EVIDENCE, entity_id=evidence.pk, field="created",
           old=None, new={"action": action.pk, "url": url}, effective_on=today)
    return evidence

"""Reading evidence: where stored files are, and, to download one, the item for someone who can see its plan
and its stored file (one read for the web page's download and the API's)."""

from __future__ import annotations

import re
from datetime import date
from typing import BinaryIO

from actiontrack.core import files
from actiontrack.plans.choices import EvidenceKind
from actiontrack.plans.models import Evidence
from actiontrack.plans.permissions import visible_plans

EVIDENCE_FOLDER = "evidence"  # in the file store (actiontrack.core.files)


def evidence_store_name(stored_name: str) -> str:
    return f"{EVIDENCE_FOLDER}/{stored_name}"


def evidence_path(evidence: Evidence) -> str:
    """The evidence file's name in the file store."""
    if evidence.kind != EvidenceKind.FILE or not re.fullmatch(r"[0-9a-f]{32}", evidence.stored_name):
        raise ValueError("not a stored file")
    return evidence_store_name(evidence.stored_name)


def evidence_visible_to(user, pk: int, today: date) -> Evidence | None:
    """The evidence with this id, if `user` can see its plan today; None otherwise (the caller's 404, so ids of
    evidence on hidden plans are not confirmed)."""
    item = Evidence.objects.select_related("action__plan").filter(pk=pk).first()
    if item is None or not visible_plans(user, today).filter(pk=item.action.plan_id).exists():
        return None
    return item


def evidence_file(item: Evidence) -> BinaryIO | None:
    """The stored file, open for reading; None for a link, or a file that is missing."""
    try:
        return files.open_file(evidence_path(item))
    except (ValueError, OSError):
        return None

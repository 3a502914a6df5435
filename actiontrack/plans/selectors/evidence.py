"""Reading evidence to download it: the item, for someone who can see its plan, and its stored file. One read
for the web page's download and the API's."""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from actiontrack.plans.models import Evidence
from actiontrack.plans.permissions import visible_plans
from actiontrack.plans.services.evidence import evidence_path


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
        return evidence_path(item).open("rb")
    except (ValueError, OSError):
        return None

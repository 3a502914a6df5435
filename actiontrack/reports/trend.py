"""The dashboard's trend (plans.portfolio.trend_source): the RAG counts each issued board report showed, read
from its frozen snapshot, so the trend is what the board was told, whatever has been corrected since."""

from __future__ import annotations

from datetime import date
from functools import partial

from actiontrack.domain.rag import Band
from actiontrack.domain.ukdates import format_short
from actiontrack.plans import readcache
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors.portfolio import TrendPoint

from .choices import ReportStatus
from .data import load
from .models import BoardReport


def issued_trends(plans: list[Plan], as_at: date) -> dict[int, list[TrendPoint]]:
    """Per plan id: one point per issued report on the plan with an as-at date on or before `as_at`, oldest
    first. One query for all the plans; each report's point is kept for good (an issued report never changes)."""
    issued = (BoardReport.objects.filter(plan__in=plans, status=ReportStatus.ISSUED, as_at__lte=as_at)
              .exclude(snapshot=None).order_by("as_at", "issued_at").values_list("pk", "plan_id"))
    trends: dict[int, list[TrendPoint]] = {}
    for pk, plan_id in issued:
        point = readcache.get_or_build(("issued_trend_point", pk), partial(_point, pk))
        if point is not None:
            trends.setdefault(plan_id, []).append(point)
    return trends


def _point(pk: int) -> TrendPoint | None:
    data = load(BoardReport.objects.values_list("snapshot", flat=True).get(pk=pk))
    summaries = data.blocks("status_summary")
    if not summaries:
        return None
    counts = tuple((Band(key=c.status.key, colour=c.status.colour, label=c.status.label,
                         meaning=c.status.meaning), c.count) for c in summaries[0].counts)
    return TrendPoint(label=format_short(data.as_at), as_at=data.as_at, counts=counts)

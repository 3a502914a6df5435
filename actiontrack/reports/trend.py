"""The dashboard's trend (plans.portfolio.trend_source): the RAG counts each issued board report showed, read
from its frozen snapshot, so the trend is what the board was told, whatever has been corrected since."""

from __future__ import annotations

from datetime import date

from actiontrack.domain.rag import Band
from actiontrack.domain.ukdates import format_short
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors.portfolio import TrendPoint

from .choices import ReportStatus
from .data import load
from .models import BoardReport


def issued_trend(plan: Plan, as_at: date) -> list[TrendPoint]:
    """One point per issued report on the plan with an as-at date on or before `as_at`, oldest first."""
    issued = (BoardReport.objects.filter(plan=plan, status=ReportStatus.ISSUED, as_at__lte=as_at)
              .exclude(snapshot=None).order_by("as_at", "issued_at"))
    points = []
    for report in issued:
        data = load(report.snapshot)
        summaries = data.blocks("status_summary")
        if not summaries:
            continue
        counts = tuple((Band(key=c.status.key, colour=c.status.colour, label=c.status.label,
                             meaning=c.status.meaning), c.count) for c in summaries[0].counts)
        points.append(TrendPoint(label=format_short(data.as_at), as_at=data.as_at, counts=counts))
    return points

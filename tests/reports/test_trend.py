"""The dashboard's trend is what each issued board report told the board: read from the report's frozen
snapshot, so a later correction to the plan does not rewrite it."""

from datetime import date

import pytest

from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans import services
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref, portfolio
from actiontrack.reports import renderers
from actiontrack.reports import services as reports
from actiontrack.reports.demo import load_demo_report
from actiontrack.reports.trend import issued_trends

pytestmark = pytest.mark.django_db
BOARD_MEETING = date(2021, 11, 30)


def issued_trend(plan, as_at):
    return issued_trends([plan], as_at).get(plan.pk, [])


def counts(point) -> dict[str, int]:
    return {band.title: count for band, count in point.counts}


def test_the_reports_app_supplies_the_dashboards_trend():
    assert portfolio.trend_source is issued_trends


def test_each_issued_report_is_a_point_with_the_counts_it_showed(demo, plan_manager, monkeypatch):
    monkeypatch.setattr(renderers, "render", lambda fmt, data, **_: fmt.encode())  # the files are not the point here
    plan = Plan.objects.get(reference="PIP-PR")
    report, _ = load_demo_report()
    assert issued_trend(plan, date(2026, 1, 1)) == []  # a draft is not part of the trend
    reports.report_issue(actor=Actor.of(plan_manager), report=report, today=BOARD_MEETING)

    [point] = issued_trend(plan, date(2026, 1, 1))
    assert (point.label, point.as_at) == ("30/11/2021", BOARD_MEETING)
    assert counts(point) == {"Red – Overdue": 0, "Amber – On track but to be completed": 3, "Green – Complete": 7}
    assert issued_trend(plan, date(2021, 11, 29)) == []  # not yet reported on that date

    # A correction back-dated before the meeting changes the plan as at 30/11/2021, not what the board was told.
    services.action_change_lifecycle(actor=Actor.system("Correction", "cli"), action=action_by_ref(plan, "5.1"),
                                     lifecycle=Lifecycle.COMPLETED, effective_on=date(2021, 11, 1),
                                     completed_on=date(2021, 11, 1))
    [again] = issued_trend(plan, date(2026, 1, 1))
    assert counts(again) == counts(point)

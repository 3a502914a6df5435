"""Board report fixtures: the demo report for the 30 November 2021 meeting, and rendered files of it."""

from datetime import date

import pytest

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.reports.demo import load_demo_report

NOVEMBER = date(2021, 11, 30)
LOADER = Actor.system("Test loader", ChangeSource.CLI)


@pytest.fixture
def november_report(demo):
    """The draft report for the Performance and Resources Board of 30 November 2021, from the source report."""
    report, _ = load_demo_report()
    return report


@pytest.fixture
def as_manager(plan_manager):
    return Actor.of(plan_manager)

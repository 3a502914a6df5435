"""Fixtures the plan manager's page tests share."""

from datetime import date

import pytest

from actiontrack.core.journal import Actor
from actiontrack.plans.services import workflow
from tests.web.manage.helpers import action, today


@pytest.fixture
def proposal(owner):
    return workflow.date_propose(actor=Actor.of(owner), action=action("5.1"), due_on=date(2027, 3, 31),
                                 due_condition="", reason="Consultation extended", today=today())

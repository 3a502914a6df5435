"""A board report on a plan numbered as its source numbers it lists the recommendations under their themes
with their own references, and its action table names each action's theme and reference."""

from datetime import date

import pytest

from actiontrack.reports import services
from actiontrack.reports.data import NumberedList, Paragraph
from actiontrack.reports.selectors import report_data
from tests.builders import SET_UP, a_grouped_plan

pytestmark = pytest.mark.django_db


def test_the_report_lists_recommendations_under_their_themes_with_the_sources_references():
    plan = a_grouped_plan()
    report = services.report_create(actor=SET_UP, plan=plan, meeting_date=date(2021, 7, 1), today=date(2021, 7, 1),
                                    as_at=date(2021, 6, 30), meeting="Audit and Governance Committee")
    data = report_data(report)
    blocks = [block for section in data.sections for block in section.blocks
              if isinstance(block, (Paragraph, NumberedList))]
    listed = [(block.text,) if isinstance(block, Paragraph) else tuple(item.number for item in block.items)
              for block in blocks]
    start = listed.index(("Not in a theme",))
    assert listed[start:start + 6] == [("Not in a theme",), ("1)", "AFI 3)", "33.22c)"), ("Theme: Prevention",),
                                       ("R1)",), ("Theme: Protection",), ("R1)",)]
    [table] = data.blocks("action_table")
    rows = {row.ref: row.recommendation for row in table.rows}
    assert rows["E1b"].startswith("Prevention: Target prevention") and rows["R1.1"].startswith("Protection: Audit")
    assert rows["33.22c-2"] == "Recommendation 33.22c (continued)"

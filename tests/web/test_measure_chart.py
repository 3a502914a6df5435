"""The measure chart's period labels never overlap, however many periods a monthly measure has: every few is
labelled, always the latest; every period stays in the chart's description and the table beside it."""

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from actiontrack.domain.measures import HIGHER, Reading, rate
from actiontrack.domain.periods import period_of
from actiontrack.web.charts import measure_bars


def points(months: int):
    found = []
    for n in range(months):
        period = period_of(date(2025 + (8 + n) // 12, (8 + n) % 12 + 1, 1), "monthly")
        reading = Reading(period.label, Decimal(20 + n), Decimal(25), Decimal(2))
        found.append(SimpleNamespace(period=period, reading=reading, rating=rate(reading, HIGHER, "days")))
    return found


def labels(svg: str) -> list[tuple[float, str]]:
    return [(float(x), text) for x, text in re.findall(r'<text x="([0-9.]+)"[^>]*>([^<]+)</text>', svg)]


def test_a_year_and_a_half_of_months_is_labelled_without_overlap_ending_with_the_latest():
    shown = points(18)
    svg = str(measure_bars(shown, "the target", "Days to complete an audit", "m1"))
    found = labels(svg)
    assert found[-1][1] == shown[-1].period.short and 3 <= len(found) < 18
    assert all(b - a >= 56 for (a, _), (b, _) in zip(found, found[1:], strict=False))
    assert all(point.period.label in svg for point in shown)  # every period in the description


def test_a_few_quarters_are_each_labelled():
    shown = points(4)
    assert [text for _, text in labels(str(measure_bars(shown, "t", "t", "m2")))] == [p.period.short for p in shown]

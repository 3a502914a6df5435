"""Reads of measures: each measure's values by period, rated against their targets (domain.measures), and which
actions a held measure vouches for (assurance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from actiontrack.domain.measures import MeasureRating, Reading, held, held_until, rate
from actiontrack.domain.periods import Period, period_of
from actiontrack.plans.models import Action, Measure, MeasureValue, Plan


@dataclass(frozen=True)
class Point:
    period: Period
    reading: Reading
    rating: MeasureRating
    recorded: MeasureValue  # the row: who recorded it, and when


@dataclass(frozen=True)
class MeasureView:
    measure: Measure
    points: tuple[Point, ...]  # oldest first, up to the as-at date
    held: bool

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def held_until(self) -> str | None:
        """The last period by which it had held (the latest, if it holds now); None if it never had."""
        return held_until([p.reading for p in self.points], self.measure.direction, self.measure.hold_periods)

    @property
    def slipped(self) -> bool:
        """It had held, but its last periods were not all on target."""
        return not self.held and self.held_until is not None


def measures_as_at(plan: Plan, as_at: date) -> list[MeasureView]:
    """The plan's measures with the values recorded for periods begun by the date."""
    measures = list(plan.measures.select_related("recommendation", "action"))
    values: dict[int, list[MeasureValue]] = {}
    for value in MeasureValue.objects.filter(measure__plan=plan, period_start__lte=as_at).order_by("period_start"):
        values.setdefault(value.measure_id, []).append(value)
    return [_view(measure, values.get(measure.pk, [])) for measure in measures]


def measure_as_at(measure: Measure, as_at: date) -> MeasureView:
    """One measure with its values for periods begun by the date."""
    return _view(measure, list(measure.values.filter(period_start__lte=as_at).order_by("period_start")))


def _view(measure: Measure, values: list[MeasureValue]) -> MeasureView:
    points = []
    for value in values:
        period = period_of(value.period_start, measure.period)
        reading = Reading(period.label, value.value, value.target, value.tolerance)
        points.append(Point(period, reading, rate(reading, measure.direction, measure.unit), value))
    return MeasureView(measure, tuple(points),
                       held([p.reading for p in points], measure.direction, measure.hold_periods))


def held_actions(plan_ids: list[int], as_at: date) -> set[int]:
    """The actions a measure that held by the date vouches for: its own action, or every action of its
    recommendation where it is the recommendation's."""
    measures = list(Measure.objects.filter(plan_id__in=plan_ids))
    if not measures:
        return set()
    values: dict[int, list[MeasureValue]] = {}
    for value in MeasureValue.objects.filter(measure__in=measures, period_start__lte=as_at).order_by("period_start"):
        values.setdefault(value.measure_id, []).append(value)
    vouched, recommendations = set(), set()
    for measure in measures:
        if _view(measure, values.get(measure.pk, [])).held:
            if measure.action_id:
                vouched.add(measure.action_id)
            else:
                recommendations.add(measure.recommendation_id)
    if recommendations:
        vouched |= set(Action.objects.filter(recommendation_id__in=recommendations).values_list("pk", flat=True))
    return vouched

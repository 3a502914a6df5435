"""Measures: a figure a recommendation promises (fire safety audits completed per quarter), with a target and a
tolerance for each period, and a value recorded each period. A value is rated against its period's target the way
RAG rates an action — bands as data, each with colour, label and meaning, and a reason — and a measure that met its
target for the number of periods its plan asks has *held*, which assurance counts as evidence the change worked.

Pure: no Django, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .rag import Band

ON_TARGET = Band("on_target", "green", "Green", "On target")
WITHIN_TOLERANCE = Band("within_tolerance", "amber", "Amber", "Within tolerance")
OFF_TARGET = Band("off_target", "red", "Red", "Off target")
NO_VALUE = Band("no_value", "grey", "Grey", "No value recorded")
BANDS = (OFF_TARGET, WITHIN_TOLERANCE, ON_TARGET, NO_VALUE)
HIGHER, LOWER = "higher", "lower"  # which way is better


@dataclass(frozen=True)
class Reading:
    """One period's value against its target."""

    period: str  # "Q3 2021" or "September 2021"
    value: Decimal | None
    target: Decimal
    tolerance: Decimal


@dataclass(frozen=True)
class MeasureRating:
    band: Band
    reason: str

    @property
    def title(self) -> str:
        return self.band.title


def number(value: Decimal) -> str:
    """ "150", "12.5" — as people write figures."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def rate(reading: Reading, direction: str, unit: str = "") -> MeasureRating:
    """On target when the value is at least the target (at most, where lower is better); within tolerance when it
    misses by no more than the tolerance; off target otherwise."""
    unit = f" {unit}" if unit else ""
    target = f"a target of {number(reading.target)}{unit}"
    if reading.value is None:
        return MeasureRating(NO_VALUE, f"no value for {reading.period}; {target}")
    short = reading.target - reading.value if direction == HIGHER else reading.value - reading.target
    said = f"{number(reading.value)}{unit} in {reading.period} against {target}"
    if short <= 0:
        return MeasureRating(ON_TARGET, said)
    if short <= reading.tolerance:
        return MeasureRating(WITHIN_TOLERANCE, f"{said} (tolerance {number(reading.tolerance)})")
    return MeasureRating(OFF_TARGET, f"{said}, {number(short)} {'short' if direction == HIGHER else 'over'}")


def held(readings: list[Reading], direction: str, periods: int) -> bool:
    """Whether the last `periods` readings (oldest first) were all on target: the change held."""
    last = readings[-periods:] if periods > 0 else []
    return len(last) == periods and all(rate(r, direction).band is ON_TARGET for r in last)


def held_until(readings: list[Reading], direction: str, periods: int) -> str | None:
    """The last period that ended `periods` readings in a row on target (oldest first), or None if none ever did:
    a measure that held and then slipped says so, rather than "not yet held"."""
    run, last = 0, None
    for reading in readings:
        run = run + 1 if rate(reading, direction).band is ON_TARGET else 0
        if periods > 0 and run >= periods:
            last = reading.period
    return last

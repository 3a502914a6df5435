"""A measure's value rated against its period's target, higher or lower being better, with the tolerance as the
amber band and a reason; a measure held when its last periods were all on target. No database."""

from decimal import Decimal as D

from actiontrack.domain.measures import (
    HIGHER,
    LOWER,
    NO_VALUE,
    OFF_TARGET,
    ON_TARGET,
    WITHIN_TOLERANCE,
    Reading,
    held,
    held_until,
    rate,
)


def reading(value, target="150", tolerance="15", period="Q3 2021"):
    return Reading(period, None if value is None else D(value), D(target), D(tolerance))


def test_higher_is_better_with_a_tolerance():
    assert rate(reading("162"), HIGHER, "audits").reason == "162 audits in Q3 2021 against a target of 150 audits"
    assert rate(reading("162"), HIGHER).band is ON_TARGET
    assert rate(reading("140"), HIGHER).band is WITHIN_TOLERANCE
    off = rate(reading("120"), HIGHER, "audits")
    assert off.band is OFF_TARGET and off.reason.endswith(", 30 short") and off.title == "Red – Off target"
    assert rate(reading(None), HIGHER).band is NO_VALUE


def test_lower_is_better():
    assert rate(reading("4.5", target="5", tolerance="1"), LOWER).band is ON_TARGET
    assert rate(reading("5.5", target="5", tolerance="1"), LOWER).band is WITHIN_TOLERANCE
    assert rate(reading("7", target="5", tolerance="1"), LOWER).band is OFF_TARGET
    assert rate(reading("7", target="5", tolerance="1"), LOWER, "days").reason.endswith(", 2 over")  # not "short"


def test_held_means_on_target_for_the_last_periods():
    values = [reading(v) for v in ("120", "151", "160")]
    assert held(values, HIGHER, 2) and not held(values, HIGHER, 3)
    assert not held(values[:1], HIGHER, 2)


def test_a_measure_that_held_and_then_slipped_says_until_when():
    values = [reading(v, period=p) for v, p in (("151", "Q1"), ("160", "Q2"), ("155", "Q3"), ("120", "Q4"))]
    assert not held(values, HIGHER, 2) and held_until(values, HIGHER, 2) == "Q3"  # held by Q2 and Q3, then slipped
    assert held_until(values[:3], HIGHER, 2) == "Q3" and held(values[:3], HIGHER, 2)  # holding now: the latest
    assert held_until(values[:1], HIGHER, 2) is None  # never long enough
    assert held_until([reading(v) for v in ("151", "120", "160")], HIGHER, 2) is None  # never two in a row

"""References as sources write them: kept as text, turned into addresses, and derived for actions without one."""

import pytest

from actiontrack.domain.references import clean_ref, derived_action_ref, natural_key, slug_of, unique_slug


@pytest.mark.parametrize(("ref", "slug"), [
    ("2", "2"), ("2.1", "2.1"), ("33.22c", "33.22c"), ("AFI 3", "AFI-3"), ("CoC 1a", "CoC-1a"), ("E1b", "E1b"),
    ("47, 48 and 49", "47-48-and-49"), ("Volume 2 recommendation 5", "Volume-2-recommendation-5"),
    ("R12 ", "R12"), ("MD1/2", "MD1-2"), ("¹", ""), ("—", ""),
])
def test_a_reference_becomes_an_address_part_that_keeps_dots_and_old_addresses(ref, slug):
    assert slug_of(ref) == slug


@pytest.mark.parametrize(("rec", "action"), [
    ("2", "2.1"), ("E1", "E1.1"), ("R12", "R12.1"), ("AFI 3", "AFI 3.1"),
    ("33.22c", "33.22c-1"), ("33.22", "33.22-1"), ("CoC 1a", "CoC 1a-1"), ("47, 48 and 49", "47, 48 and 49-1"),
])
def test_an_action_without_a_reference_of_its_own_takes_its_recommendations(rec, action):
    assert derived_action_ref(rec, 1) == action


def test_the_second_r3_of_a_plan_gets_its_groups_name_in_its_address_then_a_number():
    assert unique_slug("R3", set(), prefix="Prevention") == "R3"
    assert unique_slug("R3", {"R3"}, prefix="Prevention") == "Prevention-R3"
    assert unique_slug("R3", {"r3", "prevention-r3"}, prefix="Prevention") == "R3-2"
    assert unique_slug("R3", {"R3", "R3-2"}) == "R3-3"


def test_a_reference_with_nothing_an_address_can_hold_gets_the_fallback():
    assert unique_slug("¹", set(), fallback="recommendation-4") == "recommendation-4"


def test_references_are_stored_on_one_line_with_single_spaces():
    assert clean_ref("  AFI\n 3 ") == "AFI 3"


def test_references_sort_with_their_numbers_read_as_numbers():
    assert sorted(["R10", "R2", "2.10", "2.9", "AFI 1"], key=natural_key) == ["2.9", "2.10", "AFI 1", "R2", "R10"]

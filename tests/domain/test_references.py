"""References as sources write them: kept as text, turned into addresses, and derived for actions without one."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.references import clean_ref, derived_action_ref, natural_key, slug_of, slug_stems, unique_slug


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


# A service asks the database only for the slugs starting with a stem (slug_stems): the slug chosen must be the
# one the whole list of a plan's slugs would give.
@given(ref=st.text(alphabet="Rr1.2-a ", min_size=0, max_size=5), prefix=st.sampled_from(["", "Prevention", "Ops 2"]),
       taken=st.sets(st.text(alphabet="Rr1.2-anpo", min_size=1, max_size=8), max_size=30))
def test_the_slugs_starting_with_a_stem_give_the_slug_every_slug_would(ref, prefix, taken):
    stems = [stem.lower() for stem in slug_stems(ref, prefix=prefix, fallback="item-3")]
    near = {slug for slug in taken if slug.lower().startswith(tuple(stems))}
    assert unique_slug(ref, near, prefix=prefix, fallback="item-3") == unique_slug(ref, taken, prefix=prefix,
                                                                                    fallback="item-3")

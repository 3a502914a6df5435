"""Free text normalised once on the way in (domain/text.py): no database needed."""

from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.text import Limit, normalise, too_long


def test_words_manual_line_break_and_form_feed_become_line_breaks():
    assert normalise("one\x0btwo\x0cthree\r\nfour\rfive\u2028six") == "one\ntwo\nthree\nfour\nfive\nsix"


def test_control_characters_that_no_document_can_carry_are_dropped():
    assert normalise("a\x00b\x01c\x1b[0md\x7fe\x85f\ufffeg\uffffh") == "abc[0mde\nfgh"


def test_tabs_spacing_and_everything_else_are_kept():
    text = "  Indented\tcolumn – “quoted” ✓ 中文 \U0001f692  "
    assert normalise(text) == text


@given(st.text())
def test_normalised_text_is_always_valid_xml_and_normalising_again_changes_nothing(text):
    once = normalise(text)
    assert normalise(once) == once
    for char in once:
        code = ord(char)
        assert code in (0x9, 0xA) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def test_the_message_for_text_over_its_limit_says_by_how_much():
    assert too_long("x" * Limit.CONDITION, Limit.CONDITION, "the condition") == ""
    assert too_long("x" * 101, Limit.CONDITION, "the condition") == (
        "The condition is 101 characters long; keep it to 100 or fewer (remove 1).")

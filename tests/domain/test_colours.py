"""Every colour pair the outputs draw meets WCAG AA contrast, so a label on a RAG fill is always readable."""

import pytest

from actiontrack.domain.rag import COLOURS


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", sorted(COLOURS))
def test_text_on_each_rag_colour_is_readable(name):
    colour = COLOURS[name]
    assert contrast(colour["on_strong"], colour["strong"]) >= 4.5
    assert contrast(colour["text"], colour["fill"]) >= 4.5

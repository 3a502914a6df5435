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


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: str, b: str) -> float:
    """CIE76 colour difference: about 2 is just noticeable; 10 and more is plainly a different colour."""
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


@pytest.mark.parametrize("kind", ["fill", "strong"])
def test_every_two_rag_colours_look_different_in_every_output(kind):
    names = sorted(COLOURS)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            assert distance(COLOURS[first][kind], COLOURS[second][kind]) >= 10, (kind, first, second)


def test_amber_looks_amber_not_like_red():
    """Red's and amber's cells were #f4cdc6 and #fcd6c3: two pinks. Amber is now a yellow amber."""
    assert distance(COLOURS["red"]["fill"], COLOURS["amber"]["fill"]) >= 25
    assert distance(COLOURS["red"]["strong"], COLOURS["amber"]["strong"]) >= 25
    assert distance("#f4cdc6", "#fcd6c3") < 10  # what it was: the test would have failed


def test_the_web_stylesheet_and_the_documents_draw_each_status_in_the_one_palette():
    from pathlib import Path

    from actiontrack.reports.palette import PALETTE

    css = (Path(__file__).parents[2] / "actiontrack/web/static/web/actiontrack.css").read_text()
    for name, colour in COLOURS.items():
        assert f".tag--{name} {{ color: {colour['text']}; background: {colour['fill']}; }}" in css
        assert PALETTE[name] == (colour["fill"], colour["text"], colour["strong"])

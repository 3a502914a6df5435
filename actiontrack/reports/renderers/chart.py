"""The RAG counts as a bar chart (PNG), drawn with matplotlib's Agg canvas: no display, no global pyplot
state, so it is safe in a web process. Each bar is labelled with its status text and its number, so the
colour only repeats what the words say; the alt text (StatusSummary.chart_alt) and the table beside the
chart carry the same numbers."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from ..data import StatusSummary


@lru_cache(maxsize=32)
def _draw(bars: tuple[tuple[str, int, str], ...]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6.4, 0.55 * len(bars) + 1.0), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    labels = [label for label, _, _ in bars]
    values = [value for _, value, _ in bars]
    positions = range(len(bars))
    axes.barh(positions, values, color=[colour for _, _, colour in bars], height=0.6)
    axes.set_yticks(list(positions), labels=labels, fontsize=9)
    axes.invert_yaxis()
    top = max(values, default=0)
    axes.set_xlim(0, max(1, top) * 1.15)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Number of actions", fontsize=9)
    for position, value in zip(positions, values, strict=True):
        axes.text(value + max(1, top) * 0.01, position, str(value), va="center", fontsize=9, color="#0b0c0c")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="x", labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def chart_png(summary: StatusSummary) -> bytes:
    return _draw(tuple((count.status.title, count.count, count.status.bar) for count in summary.counts))


def chart_data_uri(summary: StatusSummary) -> str:
    return "data:image/png;base64," + base64.b64encode(chart_png(summary)).decode("ascii")

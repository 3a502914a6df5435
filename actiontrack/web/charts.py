"""Server-rendered SVG charts. Each is an image with a title and a text description, and the page shows
the same numbers in a table: the chart adds a picture, never information only the picture has."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actiontrack.domain.rag import COLOURS


def _svg(width: int, height: int, title: str, desc: str, body: list[str], chart_id: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def describe(counts) -> str:
    return ", ".join(f"{count} {band.title}" for band, count in counts) or "no actions"


def rag_bar(counts, title: str, chart_id: str, width: int = 360) -> SafeString:
    """One stacked bar of RAG counts, each segment labelled with its number where it fits."""
    total = sum(count for _, count in counts)
    height, x, body = 28, 0.0, []
    for band, count in counts:
        if not count:
            continue
        w = width * count / total
        colour = COLOURS[band.colour]
        body.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour["strong"]}"/>')
        if w >= 18:
            body.append(f'<text x="{x + w / 2:.1f}" y="19" text-anchor="middle" font-size="14" '
                        f'font-family="Arial, sans-serif" fill="{colour["on_strong"]}">{count}</text>')
        x += w
    if not total:
        body.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f2f1"/>')
    return _svg(width, height, title, describe(counts), body, chart_id)


def trend_lines(points, title: str, chart_id: str, width: int = 360, height: int = 140) -> SafeString:
    """One line per band across issued reports (oldest first), with the dates along the bottom."""
    bands = []
    for point in points:
        for band, _ in point.counts:
            if band not in bands:
                bands.append(band)
    peak = max((count for point in points for _, count in point.counts), default=0) or 1
    left, bottom, top, right = 28, height - 24, 8, 12
    span = max(len(points) - 1, 1)

    def xy(i, count):
        return (left + (width - left - right) * i / span, bottom - (bottom - top) * count / peak)

    body = [f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="#505a5f"/>',
            f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11" font-family="Arial, sans-serif" '
            f'fill="#0b0c0c">{peak}</text>']
    for band in bands:
        counts = [dict((b.key, c) for b, c in point.counts).get(band.key, 0) for point in points]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, c) for i, c in enumerate(counts)))
        colour = COLOURS[band.colour]["strong"]
        body.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="3"/>')
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
                    for x, y in (xy(i, c) for i, c in enumerate(counts)))
    for i, point in enumerate(points):
        x, _ = xy(i, 0)
        body.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" '
                    f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(point.label)}</text>')
    desc = "; ".join(f"{point.label}: {describe(point.counts)}" for point in points)
    return _svg(width, height, title, desc, body, chart_id)


def measure_bars(points, target_label: str, title: str, chart_id: str, width: int = 420,
                 height: int = 160) -> SafeString:
    """One bar per period, coloured by its rating, with each period's target as a dashed mark across its bar."""
    peak = max([float(max(p.reading.value or 0, p.reading.target)) for p in points] or [1]) or 1
    left, bottom, top = 8, height - 24, 8
    slot = (width - left * 2) / max(len(points), 1)
    body = [f'<line x1="{left}" y1="{bottom}" x2="{width - left}" y2="{bottom}" stroke="#505a5f"/>']
    # A label ("Sep 2026") needs about 56 px: with many periods, every few is labelled, and always the last
    # (each period is in the table beside the chart).
    every = max(1, math.ceil(56 / slot))
    for i, point in enumerate(points):
        x = left + slot * i + slot * 0.15
        w = slot * 0.7
        value = float(point.reading.value or 0)
        h = (bottom - top) * value / peak
        colour = COLOURS[point.rating.band.colour]
        body.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                    f'fill="{colour["strong"]}"/>')
        y_target = bottom - (bottom - top) * float(point.reading.target) / peak
        body.append(f'<line x1="{x - 4:.1f}" y1="{y_target:.1f}" x2="{x + w + 4:.1f}" y2="{y_target:.1f}" '
                    f'stroke="#0b0c0c" stroke-width="2" stroke-dasharray="5 3"/>')
        if (len(points) - 1 - i) % every == 0:
            body.append(f'<text x="{x + w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" '
                        f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(point.period.short)}</text>')
    desc = "; ".join(f"{point.period.label}: {point.rating.reason} ({point.rating.band.meaning})"
                     for point in points) or "no values yet"
    return _svg(width, height, title, f"{desc}. Dashed marks: {target_label}.", body, chart_id)

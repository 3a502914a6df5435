"""What every format hands the table reader: grids of cells, vertically merged cells marked, and the cell
helpers the reader shares (a cell's text, a two-row header)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .values import clean_text


class Merged:
    """A vertically merged cell: it holds what the cell above holds."""

    def __repr__(self) -> str:
        return "MERGED"


MERGED = Merged()


@dataclass
class Grid:
    name: str  # "Table 2", "Sheet 'Tracker'", "CSV file"
    rows: Iterable[tuple[int, list]]  # (row number as the person sees it, cells)
    label: Callable[[int], str]  # 0-based column index -> "C" or "3"
    may_continue: bool = False  # a table without a header may be the one before it, broken by a page
    # The group its rows are in, from outside the table (a heading above it, its sheet); None: as before it.
    group: str | None = None
    hidden: frozenset[int] = frozenset()  # columns the workbook hides: read only where no visible one serves


def cell_text(value) -> str:
    if value is MERGED:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return clean_text(value)


def short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def sub_headers(header: list[str], row: list[str]) -> list[str] | None:
    """The header of a two-row header ("Implementation date" over "Original | Revised"), each sub-column named
    sub-label first ("Original Implementation date"), or None if `row` is not such a second row: its text must
    sit only under a header cell that spans columns (blank header cells to its right) or in those blank cells,
    be short words (no dates, no numbers), and name at least two sub-columns. Word repeats a cell merged across
    columns in each of them, and a header cell merged down both rows shows its text in the second: neither is
    a sub-column."""
    filled = [i for i, t in enumerate(row) if t and not (i < len(header) and t == header[i])]
    if len(filled) < 2 or any(len(row[i]) > 40 or re.search(r"\d", row[i]) for i in filled):
        return None
    parent_of: list[int] = []  # each column's header: its own, or the nearest one to its left (-1: none)
    for i in range(len(row)):
        own = i < len(header) and bool(header[i]) and not (i and header[i] == header[i - 1])
        parent_of.append(i if own else (parent_of[i - 1] if i else -1))
    spanning = {parent for i, parent in enumerate(parent_of) if parent >= 0 and parent != i}
    if not all(parent_of[i] in spanning for i in filled):
        return None
    combined = list(header) + [""] * (len(row) - len(header))
    for i in filled:
        combined[i] = f"{row[i]} {header[parent_of[i]]}"
    return combined

"""What every importer returns: parsed rows and problems, each problem with its location and the offending
text. Pure data: no database, no Django (DESIGN rule 4)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.references import clean_ref, derived_action_ref
from actiontrack.domain.ukdates import ParsedDate

ERROR = "error"
WARNING = "warning"


def rec_key(group: str, ref: str) -> tuple[str, str]:
    """A recommendation's identity in a plan: its reference within its group, compared without case or extra
    spaces (the second "R3" of a plan restarting its numbering per group is another recommendation)."""
    return (" ".join(group.split()).casefold(), clean_ref(ref).casefold())


class ImportRefused(ValueError):
    """The file is refused before anything is read from it (too big, not what its name says, a zip bomb,
    an XML entity attack). The message is for the person importing."""


@dataclass(frozen=True)
class Location:
    """Where something is: table or sheet, row (as the person sees it: 1-based), column (letter or number
    and its header)."""

    table: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        parts = [self.table] if self.table else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts) or "the file"


@dataclass(frozen=True)
class Problem:
    severity: str  # ERROR or WARNING
    message: str
    location: Location = field(default_factory=Location)
    text: str = ""  # the offending text, as written

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        quoted = f" [{self.text!r}]" if self.text and repr(self.text) not in self.message else ""
        return f"{self.severity.upper()} at {self.location}: {self.message}{quoted}"


@dataclass(frozen=True)
class Column:
    """One column of one table or sheet, and the field it was mapped to ("" = not imported)."""

    table: str
    index: int  # 0-based
    label: str  # "C" in a sheet, "3" in a Word table
    header: str  # the header text as written
    key: str  # the normalised header: what a mapping names
    field: str
    detected: str  # what recognition chose, before any mapping the user gave
    note: str = ""  # why it is not imported, when recognition had a candidate
    sample: str = ""  # the first value under the header, to help the person mapping it

    @property
    def where(self) -> str:
        return f"{self.label} ({self.header})" if self.header else self.label


@dataclass
class ParsedRow:
    """One action as read from the file (a logical row: continuation rows already joined)."""

    location: Location
    rec_ref: str  # the recommendation's reference as the source writes it ("3", "AFI 3", "33.22c")
    rec_text: str
    action_number: int  # its place among its recommendation's actions: the n of a derived reference
    text: str
    action_ref: str = ""  # the action's own reference, where the source gives one ("E1b", "4.1")
    group: str = ""  # the group it is in (theme, directorate, sheet ...), "" if none
    rec_kind: str = ""  # a RecommendationKind value, or "" if the file does not say
    ref_given: bool = False  # the file gave the ref (else numbered by position)
    owners: str = ""  # the owner cell as written; split against known posts when applied
    supporting: str = ""  # a supporting-owner cell ("Operational lead"), as written
    baseline: ParsedDate | None = None
    due: ParsedDate | None = None
    baseline_given: bool = False  # the file gives the first agreed date apart from the date in force
    lifecycle: Lifecycle | None = None
    status_is_rag: bool = False  # read from a RAG word: it says only whether the action is complete
    status_text: str = ""
    status_reason: str = ""
    completed_on: date | None = None
    progress: str = ""
    evidence: str = ""
    notes: list[str] = field(default_factory=list)  # repairs made, for the journal reason
    has_errors: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # field -> column label, for locating problems

    @property
    def ref(self) -> str:
        return self.action_ref or derived_action_ref(self.rec_ref, self.action_number)

    @property
    def rec_key(self) -> tuple[str, str]:
        """What names its recommendation in the plan: the reference within its group, without case."""
        return rec_key(self.group, self.rec_ref)

    @property
    def key(self) -> tuple[str, str, str]:
        return (*self.rec_key, self.ref.casefold())

    def at(self, field_name: str) -> Location:
        return Location(self.location.table, self.location.row, self.columns.get(field_name, ""))


class Rows:
    """The parsed rows, read again from the file each time they are iterated, so a large tracker is never
    held in memory whole. `len()` is known from the first reading."""

    def __init__(self, produce: Callable[[], Iterator[ParsedRow]], count: int):
        self._produce = produce
        self._count = count

    def __iter__(self) -> Iterator[ParsedRow]:
        return self._produce()

    def __len__(self) -> int:
        return self._count


@dataclass
class ParseResult:
    rows: Iterable[ParsedRow]
    problems: list[Problem]
    format: str = ""
    title: str = ""  # the plan's title as the document gives it, if it does
    columns: list[Column] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was skipped and why (repeated headers, notes)
    owner_names: list[str] = field(default_factory=list)  # every owner cell, once each, in order
    statuses: dict[str, str] = field(default_factory=dict)  # each status value found -> the lifecycle it is read as
    document: dict[str, Any] | None = None  # a whole actiontrack JSON export, for an exact restore
    refused: str = ""  # set when the file was refused before reading
    as_at: date | None = None  # the date the document says it is as at ("As at 31 March 2022"), if it does
    split_ref: str = ""  # a Ref cell such as "AFI 1.1": a reference whole, or a recommendation's and action's
    split_ref_default: str = ""  # how it is read unless the plan manager says (decisions.REFS_WHOLE or REFS_SPLIT)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def row_count(self) -> int:
        return len(self.rows)  # type: ignore[arg-type]

    @classmethod
    def refusal(cls, message: str, format: str = "") -> ParseResult:
        return cls(rows=[], problems=[Problem(ERROR, message)], format=format, refused=message)

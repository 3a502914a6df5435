"""The report data: ONE immutable object that every renderer (DOCX, PDF, HTML) and the web preview read.

It holds words, not model rows: every status already carries its text, colour and reason, every date is
already formatted the UK way, so no renderer decides anything. A section is a heading and a sequence of
blocks (paragraphs, lists, the RAG key, the action table, ...); each renderer draws each kind of block.

`dump` and `load` turn it into JSON and back, exactly: an issued report keeps its data as that snapshot.
Pure Python: no Django.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date
from typing import Any, Union

SCHEMA = 1


@dataclass(frozen=True)
class Status:
    """A RAG band as every output shows it: text and colour together."""

    key: str  # the band's key in the plan's scheme: "green"
    colour: str  # a colour name the outputs know: red, amber, green, blue, grey
    label: str  # "Green"
    meaning: str  # "Complete"
    fill: str  # background for a status cell, "#cce2d8"
    ink: str  # text on that background, "#005a30"
    bar: str  # the chart's bar colour

    @property
    def title(self) -> str:
        """ "Green – Complete" """
        return f"{self.label} – {self.meaning}"


@dataclass(frozen=True)
class HeaderField:
    label: str
    value: str


# The header grid as committee papers lay it out: two label/value pairs on a row where the source paper has them
# ("Meeting | … | Agenda Item No. | 7"), one elsewhere. The label on the left -> the label beside it.
HEADER_PAIRS = {"Meeting": "Agenda item no.", "Meeting date": "Classification",
                "Action point no.": "For publication", "Plan": "Status of actions as at"}


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Subheading:
    text: str
    kind: str = "subheading"


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class NumberedItem:
    number: str  # "1)"
    text: str


@dataclass(frozen=True)
class NumberedList:
    items: tuple[NumberedItem, ...]
    kind: str = "numbered"


@dataclass(frozen=True)
class RagKey:
    """The plan's RAG key, worded as the source report words it: "Red – Overdue." """

    statuses: tuple[Status, ...]
    kind: str = "rag_key"


@dataclass(frozen=True)
class ActionLine:
    ref: str  # "2.2"
    recommendation: str  # the recommendation's headline on its first action, "2) continued" after
    text: str
    owners: str
    due: str  # "31/12/2021 (On Approval)"
    baseline: str  # "31/05/2021" where the date slipped, else ""
    status: Status
    reason: str  # "completed on 30/07/2021; awaiting verification"
    # The owner's latest update for the report's period, or "No update for November 2021"; with its period and
    # author. Reports issued before there was a Progress column have neither (their snapshots load with "").
    progress: str = ""
    progress_by: str = ""  # "November 2021, by Chris Parker"
    # For the public register (reports.register), which names no one unless the plan chooses to: the same facts
    # without people's names. Reports issued before the register load with "" (the register then works them out).
    rec_ref: str = ""  # the recommendation's reference, "AFI 3"
    rec_kind: str = ""  # what its source calls it, "Area for improvement"; "" in reports issued before
    group: str = ""  # its group, "" if none
    rec_text: str = ""  # the recommendation's whole text
    owner_posts: str = ""  # the owners as posts only, "Head of Protection / Corporate Communications"
    progress_period: str = ""  # the byline's period only, "November 2021"
    # Assurance beside the RAG status (domain.assurance): "Limited assurance" and its reason; "" in reports issued
    # before it.
    assurance: str = ""
    assurance_reason: str = ""


@dataclass(frozen=True)
class ActionTable:
    caption: str
    rows: tuple[ActionLine, ...]
    kind: str = "action_table"


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True)
class StatusSummary:
    """Counts per status, drawn as a table and as a bar chart (the chart repeats the table)."""

    caption: str
    counts: tuple[StatusCount, ...]
    total: int
    chart_alt: str
    kind: str = "status_summary"


@dataclass(frozen=True)
class ChangeGroup:
    title: str  # "Newly complete"
    items: tuple[str, ...]


@dataclass(frozen=True)
class ChangeList:
    intro: str
    groups: tuple[ChangeGroup, ...]
    kind: str = "changes"

    @property
    def listed(self) -> tuple[ChangeGroup, ...]:
        """The groups with something in them: what the paper lists."""
        return tuple(group for group in self.groups if group.items)

    @property
    def none_line(self) -> str:
        """The kinds of change with nothing in them, in one line: "None in this period: Newly overdue; Paused." """
        empty = [group.title for group in self.groups if not group.items]
        if not empty:
            return ""
        return ("No changes in this period." if len(empty) == len(self.groups)
                else f"None in this period: {'; '.join(empty)}.")


@dataclass(frozen=True)
class EqualityRow:
    characteristic: str
    impact: str  # "No impact"
    note: str


@dataclass(frozen=True)
class EqualityTable:
    caption: str
    rows: tuple[EqualityRow, ...]
    kind: str = "equality_table"

    @property
    def has_notes(self) -> bool:
        return any(row.note for row in self.rows)

    @property
    def pairs(self) -> list[tuple[EqualityRow, ...]]:
        """Two characteristics to a row (the last may have one), as committee papers lay the table out."""
        return [self.rows[i:i + 2] for i in range(0, len(self.rows), 2)]


@dataclass(frozen=True)
class SlipLine:
    ref: str
    text: str
    baseline: str  # the date first agreed, "31/05/2021"
    due: str  # in force, "31/12/2021 (On Approval)"
    days: int  # later than the baseline
    revisions: int
    history: tuple[str, ...]  # each revision: "25/05/2021: 31/05/2021 → 31/12/2021. Why. Approved by Who."


@dataclass(frozen=True)
class SlippageTable:
    heading: str  # drawn with the table, so it goes with it onto its landscape page
    caption: str
    rows: tuple[SlipLine, ...]
    kind: str = "slippage_table"


Block = (Paragraph | Subheading | BulletList | NumberedList | RagKey | ActionTable | StatusSummary | ChangeList
         | EqualityTable | SlippageTable)
BLOCK_KINDS = {cls.kind: cls for cls in typing.get_args(Block)}


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportData:
    title: str  # the document's title: subject, meeting and date
    subject: str
    meeting: str
    authors: str
    language: str  # BCP 47, "en-GB"
    organisation: str
    plan_reference: str
    plan_title: str
    classification: str
    status: str  # "Draft" or "Issued"
    meeting_date: date
    as_at: date
    issued_on: date | None
    header: tuple[HeaderField, ...]
    sections: tuple[Section, ...]
    logo: str = ""  # the organisation's logo, a PNG data: URI ("" if none); kept in the issued snapshot
    logo_alt: str = ""
    for_publication: bool = True
    exemption: str = ""  # the exemption paragraph the report relies on, if any
    exempt: tuple[str, ...] = ()  # keys of the sections left out of the public version
    public: bool = False  # this is the public version

    @property
    def has_public_version(self) -> bool:
        """Whether the report holds material the public must not see: then a public version is offered."""
        return not self.public and (not self.for_publication or bool(self.exempt))

    @property
    def is_draft(self) -> bool:
        return self.status == "Draft"  # not "Issued", nor a "Record" of the plan as it stood

    @property
    def is_record(self) -> bool:
        """The plan as it stood on a day (build.plan_record_data), not a board paper."""
        return self.status == "Record"

    @property
    def header_rows(self) -> list[tuple[HeaderField, HeaderField | None]]:
        """The header's fields as the grid's rows, in the header's order (issued snapshots included)."""
        by_label = {field.label: field for field in self.header}
        beside = {HEADER_PAIRS[label] for label in HEADER_PAIRS if label in by_label} & by_label.keys()
        return [(field, by_label.get(HEADER_PAIRS.get(field.label, ""))) for field in self.header
                if field.label not in beside]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def blocks(self, kind: str) -> list:
        return [block for section in self.sections for block in section.blocks if block.kind == kind]

    def statuses(self) -> list[Status]:
        """Every status the report shows, once per colour (for outputs that style by colour)."""
        found: dict[str, Status] = {}
        for block in self.blocks("rag_key"):
            found.update((status.colour, status) for status in block.statuses)
        for block in self.blocks("action_table"):
            found.update((row.status.colour, row.status) for row in block.rows)
        for block in self.blocks("status_summary"):
            found.update((count.status.colour, count.status) for count in block.counts)
        return list(found.values())


# Text: every piece of it changed the same way ----------------------------------------------------------

# Fields that name things rather than say them: a block's kind, a section's or band's key, colours, the language.
_NAMES = frozenset({"kind", "key", "colour", "fill", "ink", "bar", "language", "status", "logo", "exempt"})


def _with_text(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_with_text(item, change) for item in value)
    if is_dataclass(value):
        return type(value)(**{f.name: (getattr(value, f.name) if f.name in _NAMES
                                       and isinstance(getattr(value, f.name), str)
                                       else _with_text(getattr(value, f.name), change)) for f in fields(value)})
    return value


def public_version(data: ReportData) -> ReportData:
    """The report as the public may read it: each exempt section's content (every section's, for a report not for
    publication that names none) replaced by the exemption paragraph; the header says it is the public version."""
    exempt = set(data.exempt) or ({section.key for section in data.sections} if not data.for_publication else set())
    notice = f"This section is exempt from publication. {data.exemption}".strip()
    sections = tuple(Section(section.key, section.heading, (Paragraph(notice),)) if section.key in exempt
                     else section for section in data.sections)
    header = tuple(HeaderField(f.label, "Public version: exempt material removed") if f.label == "For publication"
                   else f for f in data.header)
    return replace(data, sections=sections, header=header, public=True, title=f"{data.title} (public version)")


def with_text(data: ReportData, change: Callable[[str], str]) -> ReportData:
    """A copy of the report with `change` applied to every piece of text a reader sees (not to kinds, keys,
    colours or the language): how every renderer makes stored text printable, whatever was stored."""
    return _with_text(data, change)


# JSON: dump and load -------------------------------------------------------------------------------------

def _dump(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _dump(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def dump(data: ReportData) -> dict:
    """The report data as JSON-ready values, with the schema version."""
    return {"schema": SCHEMA, "report": _dump(data)}


def _load(annotation: Any, value: Any) -> Any:
    origin = typing.get_origin(annotation)
    if annotation is date:
        return date.fromisoformat(value)
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(annotation)
        return tuple(_load(item_type, item) for item in value)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [option for option in typing.get_args(annotation) if option is not type(None)]
        if len(options) == 1:  # X | None
            return _load(options[0], value)
        return _load(BLOCK_KINDS[value["kind"]], value)  # a Block: its kind says which
    if is_dataclass(annotation):
        hints = typing.get_type_hints(annotation)
        # A field added since a snapshot was issued is missing from it: it takes its default.
        return annotation(**{f.name: _load(hints[f.name], value[f.name]) for f in fields(annotation)
                             if f.name in value})
    return value


def load(snapshot: dict) -> ReportData:
    """The report data from `dump`'s output."""
    if snapshot.get("schema") != SCHEMA:
        raise ValueError(f"report snapshot schema {snapshot.get('schema')!r} is not {SCHEMA}")
    return _load(ReportData, snapshot["report"])

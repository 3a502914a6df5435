"""How far what the importer read from a fixture is from what a correct import must produce (the fixture's
expected.json). Pure: it reads a ParseResult and the expected data, and touches no database.

Each expected action is looked for among the parsed rows by its text (the first words of the action, or,
for a plan with no action column, of its recommendation), so a measure never depends on the numbering the
importer gave. A row whose text matches no expected action is not measured."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from actiontrack.interchange.importing.values import owner_parts

KEY_WORDS = 6  # the first words of an action that identify it in its fixture


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def squeeze(text: str) -> str:
    """A reference or name compared without case, spaces or punctuation: "AFI 3" ~ "afi3"."""
    return "".join(re.findall(r"\w+", (text or "").lower()))


@dataclass
class Silent:
    """A date the importer read for a row, different from the expected one, with no problem on that row."""

    action: str
    field: str
    read: str
    expected: str | None

    def __str__(self) -> str:
        return f"{self.action!r}: {self.field} read as {self.read}, expected {self.expected or 'no date'}"


@dataclass
class Measure:
    name: str
    rows: int
    errors: int
    warnings: int
    refused: str = ""
    title: str = ""  # the plan's title as read
    title_right: bool = False
    actions: int = 0
    found: int = 0
    recommendations: int = 0
    refs_right: int = 0
    rec_texts_right: int = 0  # recommendations whose text reads as the source's (once, without its kind word)
    kinds_right: int = 0
    texts_right: int = 0  # actions whose text reads as the source's
    groups: int = 0
    groups_right: int = 0
    due_right: int = 0
    owners_right: int = 0
    status_right: int = 0
    silent: list[Silent] = field(default_factory=list)


def rec_reference(row) -> str:
    """The recommendation's reference as the importer gives it."""
    return row.rec_ref


def _key(text: str) -> str:
    return " ".join(words(text).split()[:KEY_WORDS])


def match(rows: list, expected: dict) -> list[tuple[dict, dict, object]]:
    """(recommendation, action, parsed row) for each expected action found among the rows, each row used once."""
    wanted = [(rec, act, _key(act["text"])) for rec in expected["recommendations"] for act in rec["actions"]]
    used: set[int] = set()
    pairs = []
    for row in rows:
        for text in (row.text, row.rec_text):
            said = words(text)
            hit = next((i for i, (_, _, key) in enumerate(wanted) if i not in used and key and key in said), None)
            if hit is not None:
                used.add(hit)
                pairs.append((wanted[hit][0], wanted[hit][1], row))
                break
    return pairs


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _owners(cell: str) -> set[str]:
    return {squeeze(name) for name in owner_parts(cell)}


def measure(name: str, result, expected: dict) -> Measure:
    rows = list(result.rows)
    found = Measure(name, len(rows), len(result.errors), len(result.warnings), refused=result.refused,
                    title=result.title, title_right=words(result.title) == words(expected["title"]))
    recs = expected["recommendations"]
    found.actions = sum(len(rec["actions"]) for rec in recs)
    found.recommendations = len(recs)
    found.groups = len({rec["group"] for rec in recs if rec["group"]})
    troubled = {(p.location.table, p.location.row) for p in result.problems if p.location.row is not None}
    pairs = match(rows, expected)
    found.found = len(pairs)
    right_refs: set[int] = set()
    right_texts: set[int] = set()
    right_kinds: set[int] = set()
    right_groups: set[str] = set()
    for rec, act, row in pairs:
        if squeeze(rec_reference(row)) == squeeze(rec["ref"]):
            right_refs.add(id(rec))
        if words(row.rec_text) == words(rec["text"]):
            right_texts.add(id(rec))
        if (row.rec_kind or "recommendation") == rec["kind"]:
            right_kinds.add(id(rec))
        found.texts_right += words(row.text) == words(act["text"])
        if rec["group"] and squeeze(getattr(row, "group", "") or "") == squeeze(rec["group"]):
            right_groups.add(rec["group"])
        due = _iso(row.due.value) if row.due is not None else None
        found.due_right += due == act["due"]
        named = _owners(row.owners) | _owners(getattr(row, "supporting", ""))  # lead and supporting owners
        found.owners_right += named == {squeeze(o) for o in act["owners"]}
        found.status_right += (row.lifecycle.value if row.lifecycle is not None else None) == act["status"]
        if (row.location.table, row.location.row) in troubled:
            continue  # the importer said something about this row: whatever it read, it is not silent
        baseline = _iso(row.baseline.value) if row.baseline is not None else None
        for what, read, wanted in (("due date", due, act["due"]),
                                   ("baseline", baseline, act["baseline"] or act["due"]),
                                   ("completion date", _iso(row.completed_on), act["completed_on"])):
            if read is not None and read != wanted:
                found.silent.append(Silent(act["text"][:50], what, read, wanted))
    found.refs_right = len(right_refs)
    found.rec_texts_right = len(right_texts)
    found.kinds_right = len(right_kinds)
    found.groups_right = len(right_groups)
    return found

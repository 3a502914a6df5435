"""Recognising columns by their header text, whatever the case and punctuation, with the synonyms real
trackers use. The person importing confirms or changes the mapping before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import Column
from .values import STATUS_VALUE


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    synonyms: tuple[str, ...]
    help: str = ""


FIELDS = (
    Field("ref", "Ref", ("ref", "refs", "reference", "no", "number", "ref no", "reference number", "item",
                         "item no", "ref number", "recommendation ref", "recommendation no", "recommendation number",
                         "recommendation reference", "rec no", "rec ref", "finding no", "finding ref", "afi no"),
          "the recommendation's reference as the source writes it (\"AFI 3\", \"33.22c\"); 2.1 is action 1 of "
          "recommendation 2"),
    Field("action_ref", "Action ref", ("action ref", "action no", "action number", "action id", "action reference",
                                       "action ref no"),
          "the action's own reference (\"E1b\"); without one, actions are numbered within their recommendation"),
    Field("group", "Group", ("group", "theme", "themes", "pillar", "directorate", "volume", "core service",
                             "section", "workstream", "chapter", "priority area", "strategic theme", "area",
                             "audit", "audit title", "source", "source report", "report", "inspection",
                             "department", "service area", "portfolio"),
          "the theme, directorate, volume ... the recommendation is listed under; numbering may restart in each"),
    Field("recommendation", "Recommendation", (
        "recommendation", "recommendations", "area for improvement", "areas for improvement", "afi", "afis",
        "finding", "findings", "cause of concern", "causes of concern", "recommendation text",
        "recommendation area for improvement", "issue", "issues", "requirement", "requirements",
        "recommendation title", "improvement area", "improvement areas")),
    Field("kind", "Recommendation kind", ("kind", "type", "recommendation kind", "recommendation type")),
    Field("action", "Action", ("action", "actions", "action to be taken", "actions to be taken", "activity",
                               "activities", "action description", "agreed action", "agreed actions",
                               "action text", "actions agreed", "management response", "management responses",
                               "agreed management action", "agreed management actions")),
    Field("owner", "Owner", ("owner", "owners", "lead", "leads", "responsible officer", "responsible officers",
                             "action owner", "action owners", "lead officer", "responsible", "responsibility",
                             "owner post", "owner posts", "action lead", "assigned to", "executive lead",
                             "lead owner", "lead owners", "accountable officer", "senior responsible officer"),
          "the lead owner: the posts (or people) accountable for the action"),
    Field("supporting", "Supporting owner", ("supporting owner", "supporting owners", "operational lead",
                                             "operational leads", "supporting lead", "supporting officer",
                                             "supporting officers", "supported by", "support lead", "deputy lead",
                                             "delivery lead", "contributing officer", "contributors"),
          "posts that support the lead owner: they are owners too, listed after the lead"),
    Field("due", "Due date", ("delivery date", "target date", "due date", "deadline", "completion date", "due",
                              "date", "target completion date", "delivery", "timescale", "target",
                              "implementation date", "agreed implementation date", "target implementation date")),
    Field("baseline", "Baseline date", ("baseline date", "baseline", "original date", "original due date",
                                        "original target date", "original delivery date", "agreed date",
                                        "original implementation date")),
    Field("revised", "Revised date", ("revised date", "revised target date", "revised delivery date",
                                      "revised due date", "revised deadline", "revised completion date",
                                      "new date", "new target date", "revised implementation date")),
    Field("condition", "Due date condition", ("condition", "due date condition", "date condition")),
    Field("status", "Status", ("status", "rag", "progress status", "rag status", "rag rating", "current status",
                               "lifecycle", "state", "rating", "brag", "brag status", "brag rating", "complete",
                               "percent complete", "percentage complete"),
          "the status in words, a RAG or BRAG colour (as the document's key says), or a percentage complete"),
    Field("status_reason", "Status reason", ("status reason", "reason for status", "lifecycle reason")),
    Field("completed", "Completed on", ("completed on", "date completed", "completed date",
                                        "actual completion date", "date of completion", "completed",
                                        "completion date"),
          "the date the action was completed; a \"Completion date\" is the due date unless another column is"),
    Field("progress", "Progress", ("progress", "update", "updates", "commentary", "progress update",
                                   "progress updates", "comments", "comment", "latest update", "status update",
                                   "progress commentary", "latest progress update", "narrative", "notes")),
    Field("evidence", "Evidence", ("evidence", "evidence of completion", "evidence link", "evidence links",
                                   "supporting evidence")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
# Status headers that hold a code or a colour: a column of status words beside one is the better status.
CODED_STATUS = {"rag", "brag", "rag status", "rag rating", "brag status", "brag rating", "rating"}
# Status headers whose numbers are a percentage complete (Excel keeps 50% as 0.5).
PERCENT_STATUS = {"complete", "percent complete", "percentage complete"}
# A recommendation column headed by a kind: the kind of every recommendation in it that does not say its own.
HEADER_KIND = {"finding": "finding", "findings": "finding", "area for improvement": "afi",
               "areas for improvement": "afi", "afi": "afi", "afis": "afi", "cause of concern": "cause_of_concern",
               "causes of concern": "cause_of_concern"}
# Headers actiontrack's own exports write for information only, and a list's row ids: never imported.
# An "ID" column is a list's row id (SharePoint numbers every item), never a recommendation's reference.
IGNORED = {"id", "rag reason", "post holder", "post holders", "owner holder", "holder", "holders", "revisions",
           "update period", "progress period", "rag colour", "evidence count"}
NOT_IMPORTED = ("", "Not imported")
_WORDS = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """"Owner(s)" -> "owners", "R.A.G." -> "rag", "Delivery/Target Date" -> "delivery target date"."""
    text = (text or "").lower().replace("&", " and ")
    text = re.sub(r"[./'’()\[\]]", "", text.replace("/", " "))
    return " ".join(_WORDS.findall(text))


def field_key(text: str) -> str | None:
    """A field named on the command line (`--map "Lead officer=owner"`): its key, its label, or one of its
    synonyms; "" for "not imported" (ignore, none, skip, -). None if unknown."""
    wanted = normalise(text)
    if wanted in ("", "ignore", "none", "skip", "not imported"):
        return ""
    for f in FIELDS:
        if wanted in (f.key.replace("_", " "), normalise(f.label)):
            return f.key
    for f in FIELDS:
        if wanted in f.synonyms:
            return f.key
    return None


def _score(key: str, synonyms: tuple[str, ...]) -> tuple[int, int]:
    """(3 exact, 2 starts with, 1 contains, 0 not at all; the length in words of the synonym matched)."""
    words = key.split()
    best = (0, 0)
    for synonym in synonyms:
        syn = synonym.split()
        if words == syn:
            return 3, len(syn)
        if words[: len(syn)] == syn:
            best = max(best, (2, len(syn)))
        elif any(words[i: i + len(syn)] == syn for i in range(1, len(words) - len(syn) + 1)):
            best = max(best, (1, len(syn)))
    return best


def candidates(key: str) -> list[tuple[int, str]]:
    """(score, field) for a normalised header, best first: 3 exact, 2 starts with, 1 contains; between fields
    that score the same, the one whose synonym matched more words ("Area for improvement / Cause of concern"
    is the recommendation, not the "area")."""
    if not key or key in IGNORED:
        return []
    found = [(score, f.key) for f in FIELDS if (score := _score(key, f.synonyms))[0]]
    return [(score[0], key) for score, key in sorted(found, key=lambda pair: (-pair[0][0], -pair[0][1]))]


def _columns_only(mapping: dict[str, str] | None) -> dict[str, str]:
    """The mapping's column entries (normalised header -> field), without the meanings given to status values."""
    return {normalise(k): v for k, v in (mapping or {}).items()
            if not k.startswith(STATUS_VALUE) and not k.startswith("choice:")}  # decisions.is_decision


def detect(table: str, headers: list[tuple[int, str, str]], mapping: dict[str, str] | None = None,
           hidden: frozenset[int] = frozenset()) -> list[Column]:
    """Map each (index, label, header text) to a field. Each field is taken once: a visible column before a
    hidden one (a workbook hides the columns it no longer uses), then the best-scoring, then the leftmost.
    `mapping` (normalised header -> field key, "" for not imported) overrides."""
    mapping = _columns_only(mapping)
    keys = {index: normalise(header) for index, _, header in headers}
    detected: dict[int, str] = {}
    notes: dict[int, str] = {}
    taken: dict[str, int] = {}
    # A header two fields name alike ("Completion date": the due date, or when it was completed) gives way to a
    # header only one names ("Target date"), and then takes the other field.
    found = {index: candidates(key) for index, key in keys.items()}
    options = sorted(((score, index, field) for index, pairs in found.items() for score, field in pairs),
                     key=lambda o: (o[1] in hidden, -o[0], sum(s == o[0] for s, _ in found[o[1]]) > 1,
                                    o[2] == "status" and keys[o[1]] in CODED_STATUS, o[1]))
    for score, index, field in options:
        if index in detected:
            continue
        if field in taken:
            if score >= 2 and index not in notes:
                other = next(h for i, _, h in headers if i == taken[field])
                notes[index] = f"{FIELD_BY_KEY[field].label} is already read from the column headed {other!r}"
                if index in hidden:
                    notes[index] += " (this one is hidden in the workbook)"
            continue
        detected[index], taken[field] = field, index
    _title(keys, detected, taken)
    _abbreviated(keys, detected, taken, notes)
    chosen: dict[int, str] = {}
    for index, key in keys.items():
        chosen[index] = mapping[key] if key in mapping else detected.get(index, "")
    # A field the user gave to one column is taken from any column recognition had given it to.
    given = {mapping[key]: index for index, key in keys.items() if key in mapping and mapping[key]}
    for index in chosen:
        field = chosen[index]
        if field and field in given and given[field] != index and keys[index] not in mapping:
            chosen[index] = ""
            notes[index] = f"{FIELD_BY_KEY[field].label} was given to another column"
    return [Column(table=table, index=index, label=label, header=header, key=keys[index], field=chosen[index],
                   detected=detected.get(index, ""), note="" if chosen[index] else notes.get(index, ""))
            for index, label, header in headers]


# A list's "Title" (every SharePoint list has one) names each item: the action, where another column holds the
# recommendation; else the recommendation (and each is then its own single action).
TITLE = "title"


def _title(keys: dict[int, str], detected: dict[int, str], taken: dict[str, int]) -> None:
    for index, key in keys.items():
        if key == TITLE and index not in detected:
            field = "action" if "recommendation" in taken else "recommendation"
            if field not in taken:
                detected[index], taken[field] = field, index
            return


# A register's first column headed by the kind's abbreviation ("AFI" over "AFI 1", "AFI 2"), beside a column
# that names the recommendation in full ("Area for improvement"): the first holds the references.
ABBREVIATED = {"afi", "afis", "coc", "rec", "recs"}


def _abbreviated(keys: dict[int, str], detected: dict[int, str], taken: dict[str, int],
                 notes: dict[int, str]) -> None:
    short = taken.get("recommendation")
    if short is None or keys[short] not in ABBREVIATED or "ref" in taken:
        return
    full = next((i for i, key in keys.items() if i != short and (3, "recommendation") in candidates(key)), None)
    if full is not None:
        if full in detected:  # it had fallen to its next best field ("Area …" to the group)
            taken.pop(detected[full], None)
        detected[short], taken["ref"] = "ref", short
        detected[full], taken["recommendation"] = "recommendation", full
        notes.pop(full, None)


def header_score(cells: list[str], mapping: dict[str, str] | None = None) -> int:
    """How much a row looks like a header row: the number of distinct fields its cells name. A header
    needs an action or recommendation column and at least two fields."""
    mapping = _columns_only(mapping)
    fields = set()
    for cell in cells:
        if not isinstance(cell, str) or len(cell) > 80:
            continue
        key = normalise(cell)
        if key in mapping:
            if mapping[key]:
                fields.add(mapping[key])
            continue
        found = candidates(key)
        if found and found[0][0] >= 2:
            fields.add(found[0][1])
        elif key == TITLE:
            fields.add("action" if "recommendation" in fields else "recommendation")
    if len(fields) < 2 or not fields & {"action", "recommendation"}:
        return 0
    return len(fields)

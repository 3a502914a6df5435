"""What a plan manager decides in the preview besides what each column is: what a status value means
(values.STATUS_VALUE), a default owner for rows that name none, the date the document is as at (for actions
it says are complete without saying when), rows left out, each with a reason, how a Ref such as "AFI 1.1" is read
and, for a new plan, the kind of its source.

They travel in the same mapping as the columns, so the web preview keeps them between requests and a mapping
file (`import --mapping FILE.json`, which the preview offers to download) holds every choice. Their keys have a
colon, which a column's key (a normalised header: words and spaces) never has."""

from __future__ import annotations

from datetime import date

from .base import Location
from .values import STATUS_VALUE

DEFAULT_OWNER = "choice:default owner"
AS_AT = "choice:as at"
EXCLUDE = "choice:exclude:"  # + the row's location as the preview shows it ("Actions, row 5") -> the reason
# A Ref such as "AFI 1.1" or "2.1": the recommendation's own reference, whole ("AFI 1.1"), or its recommendation's
# and an action's number ("AFI 1", action 1). Unchosen, it is whole in a table with an action-number column.
REFS = "choice:refs"
REFS_WHOLE, REFS_SPLIT = "whole", "split"
SOURCE_KIND = "choice:source kind"  # a new plan's kind of source (plans.choices.SourceKind), if not the title's


def is_decision(key: str) -> bool:
    return key.startswith(STATUS_VALUE) or key.startswith("choice:")


def default_owner(mapping: dict[str, str] | None) -> str:
    return " ".join((mapping or {}).get(DEFAULT_OWNER, "").split())


def as_at(mapping: dict[str, str] | None) -> date | None:
    """The document's as-at date, if the plan manager gave one (kept as YYYY-MM-DD)."""
    value = (mapping or {}).get(AS_AT, "")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def refs(mapping: dict[str, str] | None) -> str:
    """How the plan manager said a Ref such as "AFI 1.1" is read (REFS_WHOLE or REFS_SPLIT), or "" (not said)."""
    value = (mapping or {}).get(REFS, "")
    return value if value in (REFS_WHOLE, REFS_SPLIT) else ""


def source_kind(mapping: dict[str, str] | None) -> str:
    """The kind of source the plan manager gave a new plan, or "" (then it is the one its title names)."""
    return (mapping or {}).get(SOURCE_KIND, "")


def excluded(mapping: dict[str, str] | None) -> dict[str, str]:
    """The rows left out: their location as shown -> why."""
    return {key[len(EXCLUDE):]: reason for key, reason in (mapping or {}).items() if key.startswith(EXCLUDE)}


def exclude_key(location: str) -> str:
    return EXCLUDE + location


def row_location(location: Location) -> str:
    """The row a location is in, as the preview shows it and an exclusion names it: "Actions, row 5"."""
    return str(Location(location.table, location.row)) if location.row is not None else ""

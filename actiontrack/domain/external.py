"""Closure by an outside body: some closures are not the organisation's to make (HMICFRS authorises the closure
of a cause of concern; internal audit closes its own findings). An action is submitted for closure to a named
body, which closes it (by a letter) or refuses (which reopens it); a recommendation, by the same step on each of
its actions. An action's state is one journalled value:

    {"status": "submitted" | "closed" | "refused", "body": "HMICFRS", "reference": "their reference",
     "submitted_on": "YYYY-MM-DD", "decided_on": "YYYY-MM-DD" | None, "letter": "the letter's reference",
     "reasons": "why they refused"}

Pure: no Django."""

from __future__ import annotations

from datetime import date

from .ukdates import format_short

FIELD = "external_closure"  # the journal's field and the action's column
SUBMITTED, CLOSED, REFUSED = "submitted", "closed", "refused"


def submitted(body: str, reference: str, on: date) -> dict:
    return {"status": SUBMITTED, "body": body, "reference": reference, "submitted_on": on.isoformat(),
            "decided_on": None, "letter": "", "reasons": ""}


def decided(current: dict, status: str, on: date, *, letter: str = "", reasons: str = "") -> dict:
    return {**current, "status": status, "decided_on": on.isoformat(), "letter": letter, "reasons": reasons}


def is_pending(value: dict | None) -> bool:
    return bool(value) and value["status"] == SUBMITTED


def shared(values: list[dict | None]) -> dict | None:
    """A recommendation's state: the one all its (uncancelled) actions share, if they all share one."""
    if not values or values[0] is None or any(value != values[0] for value in values[1:]):
        return None
    return values[0]


def external_text(value: dict | None) -> str:
    """How every output says it: "Submitted to HMICFRS for closure on 01/03/2022 (their reference CoC-7)"."""
    if not value:
        return ""
    body = value["body"]
    if value["status"] == SUBMITTED:
        ref = f" (their reference {value['reference']})" if value["reference"] else ""
        return f"Submitted to {body} for closure on {format_short(date.fromisoformat(value['submitted_on']))}{ref}"
    on = format_short(date.fromisoformat(value["decided_on"]))
    if value["status"] == CLOSED:
        return f"Closed by {body} on {on}" + (f" (letter {value['letter']})" if value["letter"] else "")
    return f"Closure refused by {body} on {on}: {value['reasons']}"


def closed_by(value: dict | None) -> str:
    """The body whose letter closed it, or "" (not submitted, waiting, or refused)."""
    return value["body"] if value and value.get("status") == CLOSED else ""

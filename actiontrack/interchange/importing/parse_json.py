"""actiontrack's own JSON export. Its actions are rows like a tracker's (so it can update an existing plan),
and the whole document is kept for an exact restore when no plan has the reference yet. The structure is
checked before anything is used: a file that is not an actiontrack export, or has been damaged, is
refused with the place that is wrong."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, BinaryIO

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.references import REF_MAX
from actiontrack.domain.text import Limit, normalise, too_long
from actiontrack.domain.ukdates import ParsedDate
from actiontrack.interchange.exporting.export_json import FORMAT as JSON_FORMAT
from actiontrack.interchange.exporting.export_json import VERSION
from actiontrack.people.services import NAME_LIMIT

from .base import ERROR, Location, ParsedRow, ParseResult, Problem
from .safety import max_bytes, max_rows

FORMAT = "json"
S, N, B, D, T, L = "text", "whole number", "true or false", "date", "date and time", "list"
OPTIONAL = "optional"
SHAPES: dict[str, dict[str, Any]] = {
    "plan": {"id": N, "reference": S, "title": S, "organisation": S, "source_kind": S, "source_body": S,
             "commissioned_on": (D, OPTIONAL), "reported_on": (D, OPTIONAL), "agreed_on": D, "background": S,
             "documents_reviewed": S, "board": S, "classification": S, "rag_scheme": S, "rag_window_days": N,
             "reminder_window_days": N, "reporting_period": S, "managers_change_dates_directly": B, "created_at": T,
             "group_label": S, "escalate_after_days": (N, OPTIONAL), "escalate_senior_after_days": (N, OPTIONAL),
             "escalate_senior_post": (N, OPTIONAL)},
    "posts": {"id": N, "name": S, "aliases": L, "description": S, "holdings": L},
    "holdings": {"holder_name": S, "user": (S, OPTIONAL), "starts_on": D, "ends_on": (D, OPTIONAL)},
    "groups": {"id": N, "name": S, "position": N},
    "recommendations": {"id": N, "ref": S, "slug": S, "group": (N, OPTIONAL), "source": S, "kind": S, "text": S,
                        "position": N},
    "actions": {"id": N, "recommendation": N, "ref": S, "slug": S, "number": N, "text": S, "owner_posts": L,
                "supporting_posts": L,
                "baseline_on": (D, OPTIONAL), "due_on": (D, OPTIONAL), "due_condition": S, "lifecycle": S,
                "lifecycle_reason": S, "completed_on": (D, OPTIONAL), "version": N, "position": N},
    "updates": {"id": N, "action": N, "period_start": D, "text": S, "author": (S, OPTIONAL), "created_at": T,
                "updated_at": T, "version": N},
    "proposals": {"id": N, "action": N, "due_on": D, "due_condition": S, "reason": S, "proposed_by": (S, OPTIONAL),
                  "proposed_at": T, "status": S, "decided_by": (S, OPTIONAL), "decided_at": (T, OPTIONAL),
                  "decision_comment": S},
    "evidence": {"id": N, "action": N, "kind": S, "title": S, "url": S, "original_name": S, "content_type": S,
                 "size": N, "sha256": S, "added_by": (S, OPTIONAL), "added_at": T},
    "comments": {"id": N, "action": N, "text": S, "author": (S, OPTIONAL), "author_name": S, "created_at": T,
                 "edited_at": (T, OPTIONAL), "version": N},
    "measures": {"id": N, "recommendation": N, "action": (N, OPTIONAL), "name": S, "unit": S, "direction": S,
                 "period": S, "target": S, "tolerance": S, "hold_periods": N, "position": N, "values": L},
    "off_track_notices": {"id": N, "action": N, "agreed_on": (D, OPTIONAL), "due_on": D, "drafted_on": D, "text": S,
                          "sent_to": S, "status": S, "decided_on": (D, OPTIONAL), "decided_by": S, "note": S},
    "period_locks": {"period_start": D, "locked_by": (S, OPTIONAL), "locked_at": T},
    "roles": {"user": S, "role": S},
    "journal": {"id": N, "entity_type": S, "entity_id": N, "field": S, "reason": S, "actor": (S, OPTIONAL),
                "actor_name": S, "source": S, "recorded_at": T, "effective_on": D},
}
SHAPES["post_journal"] = SHAPES["journal"]
# Fields added after version 1 files were first written: a file without them gets the default.
ADDED_LATER = {"plan": {"reminder_window_days": 14, "group_label": "", "escalate_after_days": None,
                        "escalate_senior_after_days": None, "escalate_senior_post": None}}
# The longest text each field may hold (domain.text.Limit), as the forms allow: what the file holds beyond
# that is refused with the item and field named. Journal reasons and names are records, kept as written.
LIMITS: dict[str, dict[str, tuple[int, str]]] = {
    "plan": {"title": (Limit.LINE, "the plan's title"), "organisation": (Limit.LINE, "the organisation"),
             "source_body": (Limit.LINE, "who carried out the review"), "board": (Limit.LINE, "the board"),
             "classification": (Limit.LINE, "the classification"), "background": (Limit.LONG, "the background"),
             "documents_reviewed": (Limit.LONG, "the documents reviewed")},
    "posts": {"name": (NAME_LIMIT, "the post's name"), "description": (Limit.TEXT, "the post's description")},
    "holdings": {"holder_name": (NAME_LIMIT, "the holder's name")},
    "groups": {"name": (Limit.LINE, "the group's name")},
    "recommendations": {"text": (Limit.TEXT, "the recommendation's text"), "ref": (REF_MAX, "the reference"),
                        "source": (Limit.LINE, "the source")},
    "actions": {"text": (Limit.TEXT, "the action's text"), "due_condition": (Limit.CONDITION, "the condition"),
                "lifecycle_reason": (Limit.REASON, "the reason for the status")},
    "updates": {"text": (Limit.UPDATE, "the progress update")},
    "proposals": {"reason": (Limit.REASON, "the reason for the new date"),
                  "due_condition": (Limit.CONDITION, "the condition"),
                  "decision_comment": (Limit.REASON, "the decision's comment")},
    "evidence": {"title": (Limit.LINE, "the evidence's title")},
    "comments": {"text": (Limit.REASON, "the comment")},
    "off_track_notices": {"text": (Limit.LONG, "the off-track notice"), "sent_to": (300, "who it was sent to"),
                          "note": (500, "why no notice was needed"), "decided_by": (200, "who decided")},
}
LISTS = ("posts", "groups", "recommendations", "actions", "updates", "proposals", "evidence", "comments", "measures",
         "off_track_notices", "period_locks", "roles", "journal", "post_journal")


def _fits(value, kind: str) -> bool:
    if kind == S:
        return isinstance(value, str)
    if kind == N:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == B:
        return isinstance(value, bool)
    if kind == L:
        return isinstance(value, list)
    if not isinstance(value, str):
        return False
    try:
        (date.fromisoformat if kind == D else datetime.fromisoformat)(value)
    except ValueError:
        return False
    return True


def normalised(value):
    """Every text in the document as text from the forms is stored (`domain.text.normalise`)."""
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    return value


def _check(item, shape: dict, where: str, problems: list[Problem], limits: dict | None = None) -> None:
    if not isinstance(item, dict):
        problems.append(Problem(ERROR, f"{where} should be an object", Location("JSON", column=where)))
        return
    for key, kind in shape.items():
        kind, optional = (kind if isinstance(kind, tuple) else (kind, ""))
        if key not in item:
            problems.append(Problem(ERROR, f"{where}.{key} is missing", Location("JSON", column=f"{where}.{key}")))
        elif not (item[key] is None and optional) and not _fits(item[key], kind):
            problems.append(Problem(ERROR, f"{where}.{key} should be a {kind}",
                                    Location("JSON", column=f"{where}.{key}"), str(item[key])[:80]))
        elif key in (limits or {}) and (message := too_long(item[key], *limits[key])):
            problems.append(Problem(ERROR, message, Location("JSON", column=f"{where}.{key}"), item[key][:80]))


def validate(data: dict) -> list[Problem]:
    problems: list[Problem] = []
    for name, defaults in ADDED_LATER.items():
        if isinstance(data.get(name), dict):
            for key, value in defaults.items():
                data[name].setdefault(key, value)
    _older_files(data)
    _check(data.get("plan"), SHAPES["plan"], "plan", problems, LIMITS["plan"])
    for name in LISTS:
        items = data.get(name)
        if not isinstance(items, list):
            problems.append(Problem(ERROR, f"{name} should be a list", Location("JSON", column=name)))
            continue
        for n, item in enumerate(items):
            _check(item, SHAPES[name], f"{name}[{n}]", problems, LIMITS.get(name))
            if name == "posts" and isinstance(item, dict) and isinstance(item.get("holdings"), list):
                for h, holding in enumerate(item["holdings"]):
                    _check(holding, SHAPES["holdings"], f"{name}[{n}].holdings[{h}]", problems, LIMITS["holdings"])
            if len(problems) > 50:
                return problems
    if not problems and len(data["actions"]) > max_rows():
        problems.append(Problem(ERROR, f"the file has {len(data['actions']):,} actions; an import takes at most "
                                f"{max_rows():,} (setting IMPORT_MAX_ROWS)"))
    return problems


def _older_files(data: dict) -> None:
    """What files from earlier versions lack. Before references were text they numbered recommendations
    ("number": 2) and had no groups: recommendation 2 is reference "2" and its first action "2.1", as the
    migration of a database reads them. Before supporting owners, every owner was a lead; before comments, none."""
    if "groups" not in data and isinstance(data.get("recommendations"), list):
        data["groups"] = []
    if "comments" not in data and isinstance(data.get("actions"), list):  # files from before comments
        data["comments"] = []
    if "measures" not in data and isinstance(data.get("actions"), list):  # files from before measures
        data["measures"] = []
    if "off_track_notices" not in data and isinstance(data.get("actions"), list):  # files from before notices
        data["off_track_notices"] = []
    numbers = {}
    recs, actions = data.get("recommendations"), data.get("actions")
    for rec in recs if isinstance(recs, list) else []:
        if isinstance(rec, dict) and "ref" not in rec and isinstance(rec.get("number"), int):
            rec["ref"] = rec["slug"] = str(rec.pop("number"))
            rec.setdefault("group", None)
            rec.setdefault("source", "")
        if isinstance(rec, dict) and isinstance(rec.get("id"), int):
            numbers[rec["id"]] = rec.get("ref")
    for action in actions if isinstance(actions, list) else []:
        if isinstance(action, dict):
            action.setdefault("supporting_posts", [])  # files from before supporting owners have none
        if isinstance(action, dict) and "slug" not in action and isinstance(action.get("number"), int):
            rec_id = action.get("recommendation")
            action.setdefault("ref", f"{numbers.get(rec_id) if isinstance(rec_id, int) else None}.{action['number']}")
            action["slug"] = action["ref"]


def _rows(data: dict) -> tuple[list[ParsedRow], list[Problem], list[str]]:
    problems: list[Problem] = []
    recs = {r["id"]: r for r in data["recommendations"]}
    groups = {g["id"]: g["name"] for g in data["groups"]}
    posts = {p["id"]: p["name"] for p in data["posts"]}
    latest: dict[int, dict] = {}
    for update in data["updates"]:
        if update["action"] not in latest or update["period_start"] > latest[update["action"]]["period_start"]:
            latest[update["action"]] = update
    links: dict[int, list[str]] = {}
    for item in data["evidence"]:
        if item["url"]:
            links.setdefault(item["action"], []).append(item["url"])
    rows, owners = [], {}
    for n, action in enumerate(data["actions"]):
        where = Location("JSON", n + 1, f"actions[{n}]")
        rec = recs.get(action["recommendation"])
        names = [posts.get(pk) for pk in action["owner_posts"]]
        if rec is None or None in names:
            problems.append(Problem(ERROR, "the action refers to a recommendation or post the file does not have",
                                    where))
            continue
        try:
            lifecycle = Lifecycle(action["lifecycle"])
        except ValueError:
            problems.append(Problem(ERROR, f"{action['lifecycle']!r} is not a status", where, action["lifecycle"]))
            continue
        cell = "\n".join(names)
        owners[cell] = None
        baseline = date.fromisoformat(action["baseline_on"]) if action["baseline_on"] else None
        due = date.fromisoformat(action["due_on"]) if action["due_on"] else None
        rows.append(ParsedRow(
            location=where, rec_ref=rec["ref"], rec_text=rec["text"], rec_kind=rec["kind"],
            group=groups.get(rec["group"], ""), action_number=action["number"], action_ref=action["ref"],
            text=action["text"], ref_given=True, owners=cell,
            baseline=ParsedDate(baseline) if baseline else None,
            due=ParsedDate(due, action["due_condition"]) if due else None, baseline_given=True,
            lifecycle=lifecycle, status_text=lifecycle.label, status_reason=action["lifecycle_reason"],
            completed_on=date.fromisoformat(action["completed_on"]) if action["completed_on"] else None,
            progress=latest.get(action["id"], {}).get("text", ""), evidence="\n".join(links.get(action["id"], []))))
    return rows, problems, list(owners)


def parse(file: BinaryIO, mapping: dict[str, str] | None = None, name: str = "plan.json") -> ParseResult:
    file.seek(0)
    raw = file.read(max_bytes() + 1)
    if len(raw) > max_bytes():
        return ParseResult.refusal(f"{name!r} is larger than the {max_bytes() // (1024 * 1024)} MB an import takes "
                                   "(setting IMPORT_MAX_MB).", FORMAT)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return ParseResult.refusal(f"{name!r} is not valid JSON ({str(exc)[:120]}).", FORMAT)
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        return ParseResult.refusal(f"{name!r} is not an actiontrack plan export: only JSON written by actiontrack's "
                                   "export can be imported (use CSV or Excel for other data).", FORMAT)
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        return ParseResult.refusal(f"{name!r} was written by a newer actiontrack (format version "
                                   f"{data.get('version')!r}); this one reads version {VERSION}.", FORMAT)
    data = normalised(data)
    problems = validate(data)
    if problems:
        return ParseResult(rows=[], problems=problems, format=FORMAT)
    rows, problems, owners = _rows(data)
    plan = data["plan"]
    return ParseResult(rows=rows, problems=problems, format=FORMAT, title=plan["title"], owner_names=owners,
                       document=None if problems else data,
                       notes=[f"An actiontrack export of {plan['reference']} ({plan['title']}), exported "
                              f"{data.get('exported_at', '')[:10] if isinstance(data.get('exported_at'), str) else ''}"
                              f", with {len(data['actions'])} actions and {len(data['journal'])} journal events."])

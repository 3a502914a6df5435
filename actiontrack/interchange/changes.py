"""What an import would do or did: the report shared by the preview (planner.py), the apply (apply.py) and the
restore (restore.py), and the few rules of wording they share."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError

from actiontrack.domain.text import too_long
from actiontrack.domain.ukdates import format_short
from actiontrack.people.models import Post

from .base import ERROR, WARNING, Column, Location, Problem
from .owners import Match, Owners

URL = re.compile(r"https?://[^\s<>\"']+", re.I)  # web addresses in an evidence cell
CHANGES_LISTED = 1000  # changes listed one by one in a report; the counts are always complete
CREATE, UPDATE = "create", "update"


@dataclass(frozen=True)
class Change:
    kind: str  # CREATE or UPDATE
    what: str  # "Action 2.1"
    details: tuple[str, ...] = ()
    where: str = ""


@dataclass
class ImportReport:
    filename: str
    plan_reference: str
    format: str = ""
    plan_title: str = ""
    new_plan: bool = False
    restore: bool = False  # an exact restore of an actiontrack JSON export
    applied: bool = False
    columns: list[Column] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    owners: list[Match] = field(default_factory=list)
    posts_to_create: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    untouched: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def can_apply(self) -> bool:
        return not self.errors

    @property
    def more_changes(self) -> int:
        return max(0, sum(self.counts[k] for k in self.counts if k.endswith(("created", "updated")))
                   - len(self.changes))

    def add(self, change: Change, counter: str) -> None:
        self.counts[counter] += 1
        if len(self.changes) < CHANGES_LISTED:
            self.changes.append(change)

    def problem(self, severity: str, message: str, location: Location | None = None, text: str = "") -> None:
        self.problems.append(Problem(severity, message, location or Location(), text))

    @property
    def summary(self) -> str:
        order = ("plans created", "posts created", "recommendations created", "recommendations updated",
                 "actions created", "actions updated", "actions unchanged", "journal events restored",
                 "progress updates restored", "evidence records restored")
        parts = [_counted(self.counts[k], k) for k in order if self.counts[k]]
        return ", ".join(parts) or "nothing to change"


def stem(filename: str) -> str:
    return PurePath(filename).stem.replace("_", " ").strip() or "Imported plan"


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def _same_text(a: str, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


POST_NAME_MAX = Post._meta.get_field("name").max_length  # shorter than other one-line text: no post is made


def owner_problems(report: ImportReport, owners: Owners, on: date, create_posts: bool) -> None:
    """What the owners of the file say about themselves: cells read as several names, holders of several
    posts, near-duplicates of known posts, and owners that are not posts yet (an error until confirmed)."""
    for cell, parts in owners.split.items():
        report.problem(WARNING, f"{cell!r} read as {len(parts)} owners: " + " / ".join(parts), text=cell)
    for holder, posts in owners.ambiguous.items():
        report.problem(WARNING, f"{holder!r} has held several posts ({', '.join(posts)}); the one held on "
                       f"{format_short(on)} (or most recently) is used", text=holder)
    report.owners = owners.matches
    for match in report.owners:
        if match.how == "reordered":
            report.problem(WARNING, f"{match.text!r} is read as the existing post {match.post.name!r} (a near-"
                           "duplicate: " + match.detail + "). Add it as another spelling of the post to stop "
                           "this warning.", text=match.text)
        elif match.how == "new" and match.similar:
            report.problem(WARNING, f"{match.text!r} is not a known post but looks like {match.similar!r}: "
                           "check the spelling before creating it, or add it to that post as another "
                           "spelling.", text=match.text)
    report.posts_to_create = list(owners.new.values())
    for name in report.posts_to_create:
        if message := too_long(name, POST_NAME_MAX, "an owner's name"):
            report.problem(ERROR, message + " A post is named by its title, such as Head of Protection.",
                           text=name[:80])
    if report.posts_to_create and not create_posts:
        report.problem(ERROR, f"{len(report.posts_to_create)} owner(s) are not known posts: "
                       + ", ".join(repr(n) for n in report.posts_to_create)
                       + ". Confirm that they should be created as new posts (--create-posts, or the box "
                       "'Create these owners as new posts'), or add them to existing posts as other spellings.")


def _counted(count: int, what: str) -> str:
    """3 actions created, 1 action created."""
    noun, _, rest = what.partition(" ")
    if count == 1:
        noun = {"evidence": "evidence", "progress": "progress"}.get(noun, noun.removesuffix("s"))
    return f"{count:,} {noun} {rest}"


def _clip(text: str, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def report_to_json(report: ImportReport) -> str:
    """The report as JSON, to keep a preview between reloads (storage.keep_preview) without pickling."""
    data = {name: getattr(report, name) for name in (
        "filename", "plan_reference", "format", "plan_title", "new_plan", "restore", "applied", "mapping", "notes",
        "posts_to_create", "untouched", "rows")}
    data["counts"] = dict(report.counts)
    data["columns"] = [asdict(column) for column in report.columns]
    data["problems"] = [{"severity": p.severity, "message": p.message, "text": p.text,
                         "location": asdict(p.location)} for p in report.problems]
    data["changes"] = [asdict(change) for change in report.changes]
    data["owners"] = [{"text": m.text, "post": [m.post.pk, m.post.name] if m.post else None, "how": m.how,
                       "detail": m.detail, "similar": m.similar} for m in report.owners]
    return json.dumps(data)


def report_from_json(text: str) -> ImportReport:
    data = json.loads(text)
    columns = [Column(**column) for column in data.pop("columns")]
    problems = [Problem(p["severity"], p["message"], Location(**p["location"]), p["text"])
                for p in data.pop("problems")]
    changes = [Change(c["kind"], c["what"], tuple(c["details"]), c["where"]) for c in data.pop("changes")]
    owners = [Match(m["text"], Post(pk=m["post"][0], name=m["post"][1]) if m["post"] else None, m["how"],
                    m["detail"], m["similar"]) for m in data.pop("owners")]
    counts = Counter(data.pop("counts"))
    return ImportReport(**data, columns=columns, problems=problems, changes=changes, owners=owners, counts=counts)

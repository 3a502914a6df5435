"""The import report, in one place: what an import would do or did, filled by the preview (planner.py), the
apply (apply.py) and the restore (restore.py). Everything the preview and the apply say is worded here once
(the ImportReport methods), so they say the same; the report's other forms are here too: JSON, to keep a
preview between reloads, and lines of text for the command line (the web page shows the same report as HTML,
templates/interchange/preview.html)."""

from __future__ import annotations

import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from actiontrack.domain.text import too_long
from actiontrack.domain.ukdates import ParsedDate, format_due, format_short
from actiontrack.people.models import Post

from .base import ERROR, WARNING, Column, Location, ParsedRow, Problem
from .columns import FIELD_BY_KEY
from .owners import POST_NAME_MAX, Match, Owners
from .safety import FORMATS

CHANGES_LISTED = 1000  # changes listed one by one in a report; the counts are always complete
CREATE, UPDATE, LEAVE_OUT = "create", "update", "leave out"


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
    statuses: dict[str, str] = field(default_factory=dict)  # each status value in the file -> the lifecycle it means
    rows: int = 0
    split_ref: str = ""  # a Ref such as "AFI 1.1" in the file: whole, or a recommendation's and an action's number?
    split_ref_default: str = ""  # how it is read unless the plan manager says (decisions.REFS_WHOLE or REFS_SPLIT)
    source_kind: str = ""  # a new plan's kind of source (plans.choices.SourceKind value)
    source_kind_found: str = ""  # the kind its title names, "" if none

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

    def mark(self) -> tuple[int, int]:
        """Where the report stands: what placed_at needs to report a row later in its place."""
        return len(self.changes), len(self.problems)

    @contextmanager
    def placed_at(self, mark: tuple[int, int]):
        """What is reported inside the block goes where the report stood at `mark`, as if said then (the new
        actions of an import are reported once added, many rows later). Place later marks first."""
        changes, problems = self.changes, self.problems
        self.changes, self.problems = [], []
        try:
            yield
        finally:
            said, warned = self.changes, self.problems
            self.changes, self.problems = changes, problems
            problems[mark[1]:mark[1]] = warned
            if mark[0] < CHANGES_LISTED:
                changes[mark[0]:mark[0]] = said
                del changes[CHANGES_LISTED:]

    @property
    def summary(self) -> str:
        order = ("plans created", "posts created", "recommendations created", "recommendations updated",
                 "actions created", "actions updated", "actions unchanged", "journal events restored",
                 "progress updates restored", "evidence records restored")
        parts = [_counted(self.counts[k], k) for k in order if self.counts[k]]
        return ", ".join(parts) or "nothing to change"

    # What an import says, worded once for the preview (planner.py) and the apply (apply.py) ----------------

    def plan_refused(self, exc: Exception) -> None:
        self.problem(ERROR, f"The plan {self.plan_reference!r} cannot be created: {message_of(exc)}")

    def plan_created(self, reference: str, title: str, agreed_on: date, source: str = "") -> None:
        """`source`: the kind of source as the plan will say it ("HMICFRS inspection")."""
        self.new_plan, self.plan_title = True, title
        details = (f"title {title!r}", f"agreed on {format_short(agreed_on)}",
                   *([f"source {source}"] if source else ()))
        self.add(Change(CREATE, f"Plan {reference}", details), "plans created")

    def owner_problems(self, owners: Owners, on: date, create_posts: bool) -> None:
        """What the owners of the file say about themselves: cells read as several names, holders of several
        posts, near-duplicates of known posts, and owners that are not posts yet (an error until confirmed)."""
        for cell, parts in owners.split.items():
            self.problem(WARNING, f"{cell!r} read as {len(parts)} owners: " + " / ".join(parts), text=cell)
        for holder, posts in owners.ambiguous.items():
            self.problem(WARNING, f"{holder!r} has held several posts ({', '.join(posts)}); the one held on "
                         f"{format_short(on)} (or most recently) is used", text=holder)
        self.owners = owners.matches
        for match in self.owners:
            if match.how == "reordered":
                self.problem(WARNING, f"{match.text!r} is read as the existing post {match.post.name!r} (a near-"
                             "duplicate: " + match.detail + "). Add it as another spelling of the post to stop "
                             "this warning.", text=match.text)
            elif match.how == "email":
                self.problem(ERROR, f"{match.text!r} is an e-mail address, and no one with an account of that "
                             "address holds a post. Write the owner's post instead, or give that person's account "
                             "the address and make them the post's holder.", text=match.text)
            elif match.how == "new" and match.similar:
                self.problem(WARNING, f"{match.text!r} is not a known post but looks like {match.similar!r}: "
                             "check the spelling before creating it, or add it to that post as another "
                             "spelling.", text=match.text)
        self.posts_to_create = list(owners.new.values())
        for name in self.posts_to_create:
            if message := too_long(name, POST_NAME_MAX, "an owner's name"):
                self.problem(ERROR, message + " A post is named by its title, such as Head of Protection.",
                             text=name[:80])
        if self.posts_to_create and not create_posts:
            self.problem(ERROR, f"{len(self.posts_to_create)} owner(s) are not known posts: "
                         + ", ".join(repr(n) for n in self.posts_to_create)
                         + ". Confirm that they should be created as new posts (--create-posts, or the box "
                         "'Create these owners as new posts'), or add them to existing posts as other spellings.")

    def post_needs_an_administrator(self, name: str) -> None:
        self.problem(ERROR, f"Only an administrator can create posts, so {name!r} cannot be created by this "
                     "import. Ask an administrator to add it (or add it as another spelling of an existing post), "
                     "then import again.", text=name)

    def post_refused(self, name: str, exc: Exception) -> None:
        self.problem(ERROR, f"The post {name!r} cannot be created: {message_of(exc)}", text=name)

    def post_created(self, name: str) -> None:
        self.add(Change(CREATE, f"Post {name!r}"), "posts created")

    def recommendation_untitled(self, row: ParsedRow) -> str:
        """The name a recommendation the file gives no text is called by, said as a warning."""
        text = f"Recommendation {row.rec_ref}"
        self.problem(WARNING, f"recommendation {row.rec_ref} has no text in the file; it is called {text!r} "
                     "until someone writes it", row.at("recommendation"))
        return text

    def recommendation_created(self, kind: str, ref: str, text: str, row: ParsedRow) -> None:
        self.add(Change(CREATE, f"{kind} {ref}", (clip(text),), str(row.at("recommendation"))),
                 "recommendations created")

    def recommendation_updated(self, kind: str, ref: str, details: list[str], row: ParsedRow) -> None:
        self.add(Change(UPDATE, f"{kind} {ref}", tuple(details), str(row.at("recommendation"))),
                 "recommendations updated")

    def action_refused(self, row: ParsedRow, exc: Exception) -> None:
        self.problem(ERROR, f"action {row.ref}: {message_of(exc)}", row.location)

    def row_left_out(self, row: ParsedRow, reason: str) -> None:
        self.add(Change(LEAVE_OUT, f"Action {row.ref}", (clip(row.text), f"left out: {reason}"), str(row.location)),
                 "rows left out")

    def default_owner_unknown(self, name: str, exc: ValidationError) -> None:
        self.problem(ERROR, f"The default owner {name!r} is not a post here: {message_of(exc)}", text=name)

    def completed_without_date(self, row: ParsedRow) -> None:
        self.problem(ERROR, f"action {row.ref} is complete ({row.status_text or 'status'}) but the file gives no "
                     "completion date: give the date the document is as at (the preview's \"As at\" date, or "
                     "--as-at on the command line), to be recorded as the completion date — an assumption the "
                     "history says — or leave the row out", row.at("status"))

    def action_without_owner(self, row: ParsedRow) -> None:
        self.problem(ERROR, f"action {row.ref} names no owner: every action needs an owner post", row.at("owner"))

    def action_created(self, ref: str, row: ParsedRow, details: list[str]) -> None:
        self.add(Change(CREATE, f"Action {ref}", (clip(row.text), *details), str(row.location)), "actions created")

    def action_updated(self, ref: str, row: ParsedRow, details: list[str]) -> None:
        """An action the file changes, or, with no details, one it leaves as it was (counted, not listed)."""
        if details:
            self.add(Change(UPDATE, f"Action {ref}", tuple(details), str(row.location)), "actions updated")
        else:
            self.counts["actions unchanged"] += 1

    def due_date_kept(self, row: ParsedRow, old: str, due: ParsedDate, because: str, new: bool) -> None:
        self.problem(WARNING, f"action {row.ref}: due date left at {old}, not {format_due(due.value, due.condition)}: "
                     f"{because} Owners propose new dates; an administrator can import from the command line to "
                     "record agreed revisions.", row.at("revised" if new else "due"))

    def baseline_kept(self, row: ParsedRow, baseline_on: date) -> None:
        self.problem(WARNING, f"action {row.ref}: the file's first agreed date {format_short(row.baseline.value)} "
                     f"differs from the plan's baseline {format_short(baseline_on)}; a baseline never changes, so "
                     "it is kept", row.at("baseline"))

    def progress_not_imported(self, row: ParsedRow, why: str) -> None:
        self.problem(WARNING, f"action {row.ref}: progress not imported: {why}", row.at("progress"))

    def evidence_link_refused(self, row: ParsedRow, url: str, exc: Exception) -> None:
        self.problem(WARNING, f"action {row.ref}: {message_of(exc)}", row.at("evidence"), url)

    def evidence_not_a_link(self, row: ParsedRow, text: str) -> None:
        self.problem(WARNING, "evidence that is not a web address is not imported: attach files on the action's "
                     "page", row.at("evidence"), clip(text))

    def left_out(self, progress_refused: int, progress_skipped: list[str], statuses_refused: list[str]) -> None:
        """What the file asked for that an import does not do, said the same in the preview and the apply."""
        if progress_refused:
            self.problem(WARNING, f"progress commentary for {progress_refused} action(s) was not imported: "
                         "progress updates are written by an action's owners. Owners can copy it in, or an "
                         "administrator can import it from the command line.")
        if progress_skipped:
            self.problem(WARNING, "progress commentary was not imported for actions that are no longer open "
                         "(complete, closed or cancelled): " + ", ".join(progress_skipped[:30]))
        if statuses_refused:
            self.problem(WARNING, "these statuses were not recorded, because a plan manager cannot make those "
                         "changes by hand (completion is the owner's, with evidence; closure a verifier's): "
                         + ", ".join(statuses_refused[:30]) + ". Owners and verifiers record them on the "
                         "action pages; an administrator can import from the command line to record them.")

    def not_in_file(self, reference: str, missing: list[str]) -> None:
        """The plan's actions the file does not mention: left as they are, and listed."""
        if missing:
            self.untouched = missing
            self.notes.append(f"{len(missing)} action(s) of {reference} are not in the file and are left "
                              "as they are: " + ", ".join(missing[:50]) + (" …" if len(missing) > 50 else ""))


def _counted(count: int, what: str) -> str:
    """3 actions created, 1 action created."""
    noun, _, rest = what.partition(" ")
    if count == 1:
        noun = {"evidence": "evidence", "progress": "progress"}.get(noun, noun.removesuffix("s"))
    return f"{count:,} {noun} {rest}"


# Words the report uses ---------------------------------------------------------------------

def message_of(exc: Exception) -> str:
    """A refusal as words for the report: a ValidationError's messages, or the exception's own text."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def clip(text: str, length: int = 80) -> str:
    """A text on one line, cut to `length` with an ellipsis: how a report quotes a cell."""
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


# As JSON ------------------------------------------------------------------------------------------------------

def report_to_json(report: ImportReport) -> str:
    """The report as JSON, to keep a preview between reloads (storage.keep_preview) without pickling."""
    data = {name: getattr(report, name) for name in (
        "filename", "plan_reference", "format", "plan_title", "new_plan", "restore", "applied", "mapping", "notes",
        "posts_to_create", "untouched", "statuses", "rows", "split_ref", "split_ref_default",
        "source_kind", "source_kind_found")}
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


# The report in words, for the command line --------------------------------------------------------------------

def field_label(key: str) -> str:
    return FIELD_BY_KEY[key].label if key in FIELD_BY_KEY else "not imported"


def report_lines(report: ImportReport) -> list[str]:
    """The report as the import command prints it."""
    out = []
    what = FORMATS.get(report.format, ("file",))[0]
    target = (f"a new plan {report.plan_reference}" if report.new_plan or not report.plan_title
              else f"{report.plan_reference} ({report.plan_title})")
    out.append(f"Importing {report.filename} ({what}) into {target}")
    if report.restore:
        out.append("An actiontrack JSON export: the plan is restored exactly, with its journal.")
    if report.columns:
        out.append("")
        out.append("Columns (change with --map \"column=field\"):")
        for column in report.columns:
            mapped = field_label(column.field) if column.field else "not imported"
            changed = " (your mapping)" if column.field != column.detected else ""
            note = f" — {column.note}" if column.note else ""
            out.append(f"  {column.table}, column {column.label} {column.header!r} -> {mapped}{changed}{note}")
    if report.owners:
        out.append("")
        out.append("Owners:")
        for match in report.owners:
            if match.how == "email":
                out.append(f"  {match.text!r} -> no post ({match.detail})")
            elif match.post is None:
                similar = f"; looks like {match.similar!r}" if match.similar else ""
                out.append(f"  {match.text!r} -> NEW POST {match.post_name!r} (created only with --create-posts"
                           f"{similar})")
            else:
                detail = f" ({match.detail})" if match.detail else ""
                out.append(f"  {match.text!r} -> {match.post.name}{detail}")
    if report.problems:
        out.append("")
        out.append(f"Problems: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
        out.extend(f"  {problem}" for problem in report.problems)
    if report.notes:
        out.append("")
        out.append("Notes:")
        out.extend(f"  {note}" for note in report.notes)
    out.append("")
    out.append("Changes:" if report.changes else "Changes: none")
    for change in report.changes:
        mark = {CREATE: "+", LEAVE_OUT: "-"}.get(change.kind, "~")
        where = f" [{change.where}]" if change.where else ""
        out.append(f"  {mark} {change.what}{where}")
        out.extend(f"      {detail}" for detail in change.details)
    if report.more_changes:
        out.append(f"  … and {report.more_changes:,} more (the counts below are complete)")
    out.append("")
    out.append(f"Summary: {report.summary}.")
    return out

"""The import preview: what applying parsed rows would change, worked out by reading the plan once and
comparing, never by writing. A preview therefore holds no write lock (SQLite) and no plan row (PostgreSQL):
other people save and sign in while a large tracker is previewed.

It foresees what the services would refuse or leave undone, with the rules they use (who may change due
dates, statuses and progress, the evidence link check, the periods open for updates), and says each
outcome through the report (report.py), in the apply's words. Apply checks everything again through the
services, in one transaction, so anything the preview could not foresee stops the apply with nothing
written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from actiontrack.core.choices import EntityType
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_due, format_long, format_short
from actiontrack.people.selectors import normalise_post_name, posts_held
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.models import Action, PeriodLock, Plan, ProgressUpdate
from actiontrack.plans.selectors.periods import current_period
from actiontrack.plans.services import RESERVED_REFERENCES
from actiontrack.plans.services.evidence import clean_link

from . import decisions
from .base import ParsedRow, ParseResult, rec_key
from .decide import (
    completion,
    completion_detail,
    default_owner,
    evidence_links,
    lifecycle_target,
    new_plan_source,
    same_text,
    same_words,
    title_from_filename,
)
from .owners import POST_NAME_MAX, resolve
from .report import ImportReport, clip


@dataclass
class _Action:
    """What the preview knows of an action: as stored, then as the rows before would leave it."""

    ref: str
    text: str
    owners: frozenset  # (post name normalised, supporting?) of each owner (new posts have no id yet)
    owner_names: str
    due_on: date | None
    due_condition: str
    baseline_on: date | None
    lifecycle: Lifecycle
    added_on: date
    latest_update: str = ""
    links: set[str] = field(default_factory=set)
    post_ids: set[int] = field(default_factory=set)  # for whether the importing person owns it


@dataclass
class _Rec:
    ref: str
    text: str
    kind: str


def preview_import(*, actor, report: ImportReport, parsed: ParseResult, plan: Plan | None, create_posts: bool,
                   today: date, agreed_on: date | None, title: str) -> ImportReport:
    """Fill `report` with what importing `parsed` into `plan` (None: a new plan) would do. Reads only."""
    _Planner(actor, report, parsed, plan, create_posts, today, agreed_on, title).run()
    return report


class _Planner:
    def __init__(self, actor, report: ImportReport, parsed: ParseResult, plan: Plan | None, create_posts: bool,
                 today: date, agreed_on: date | None, title: str):
        self.actor, self.report, self.parsed, self.plan = actor, report, parsed, plan
        self.create_posts, self.today, self.agreed_on, self.title = create_posts, today, agreed_on, title
        self.recs: dict[tuple[str, str], _Rec] = {}  # by (group, reference): ParsedRow.rec_key
        self.actions: dict[tuple[str, str, str], _Action] = {}  # by ParsedRow.key
        self.recs_done: set[tuple[str, str]] = set()
        self.seen: set[tuple[str, str, str]] = set()
        self.order: list[tuple[str, str, str]] = []  # the plan's actions in its order, to list those not in the file
        self.held: set[int] | None = None  # the posts the importing person holds today (progress is theirs)
        self.locked = False
        self.progress_refused = 0
        self.progress_skipped: list[str] = []
        self.statuses_refused: list[str] = []
        self.created_on = self.change_on = today
        self.left_out = decisions.excluded(report.mapping)  # rows the plan manager left out, with why
        self.as_at = decisions.as_at(report.mapping)
        self.default_owner = None

    # The plan and its owners ------------------------------------------------------------------------------

    def run(self) -> None:
        report = self.report
        if self.plan is None:
            if not self._new_plan():
                return
        else:
            self._read_plan()
        self.change_on = max(self.today, self.plan.agreed_on)
        if not report.new_plan:
            self.created_on = self.change_on
        self.period = current_period(self.plan, self.today)
        self.owners = resolve(self.parsed.owner_names, self.created_on)
        report.owner_problems(self.owners, self.created_on, self.create_posts)
        for name in report.posts_to_create:
            if len(name) > POST_NAME_MAX:  # an error already: no post is made
                continue
            if self.create_posts and self.actor.user is not None and not self.actor.user.is_staff:
                report.post_needs_an_administrator(name)
            report.post_created(" ".join(name.split()))
        self.default_owner = default_owner(report)
        if self.actor.user is not None:
            self.held = set(posts_held(self.actor.user, self.today).values_list("pk", flat=True))
        for row in self.parsed.rows:
            self._row(row)
        self._finish()

    def _new_plan(self) -> bool:
        report = self.report
        title = (self.title.strip() or self.parsed.title.strip() or title_from_filename(report.filename))[:300]
        source = new_plan_source(report, title.strip())
        plan = Plan(reference=report.plan_reference, title=title.strip(), agreed_on=self.agreed_on or self.today,
                    source_kind=source)
        try:
            if plan.reference.lower() in RESERVED_REFERENCES:
                raise ValidationError({"reference": f"{plan.reference!r} is a word the site uses in its addresses; "
                                                    "choose another reference."})
            plan.full_clean()
        except ValidationError as exc:
            report.plan_refused(exc)
            return False
        self.plan = plan
        report.plan_created(plan.reference, plan.title, plan.agreed_on, source.label)
        self.created_on = plan.agreed_on
        return True

    def _read_plan(self) -> None:
        """The plan's recommendations and actions, their latest updates and links: a few queries in all."""
        plan = self.plan
        groups = dict(plan.groups.values_list("pk", "name"))
        rec_keys = {}
        for rec in plan.recommendations.all():
            rec_keys[rec.pk] = rec_key(groups.get(rec.group_id, ""), rec.ref)
            self.recs[rec_keys[rec.pk]] = _Rec(rec.ref, rec.text, rec.kind)
        latest: dict[int, str] = {}
        for action_id, text in (ProgressUpdate.objects.filter(action__plan=plan)
                                .order_by("action_id", "period_start").values_list("action_id", "text")):
            latest[action_id] = text  # ordered by period: the last one seen is the latest
        links: dict[int, set[str]] = {}
        for action_id, url in plan.actions.exclude(evidence__url="").values_list("pk", "evidence__url"):
            if url:
                links.setdefault(action_id, set()).add(url)
        added_on = dict(plan.journal.filter(entity_type=EntityType.ACTION, field="created")
                        .values_list("entity_id", "effective_on"))
        for action in (Action.objects.filter(plan=plan).select_related("recommendation")
                       .prefetch_related("owner_posts", "supporting_posts")):
            supporting = {p.pk for p in action.supporting_posts.all()}
            posts = [(p.name, p.pk, p.pk in supporting) for p in sorted(action.owner_posts.all(),
                                                                         key=lambda p: (p.pk in supporting, p.name))]
            key = (*rec_keys[action.recommendation_id], action.ref.casefold())
            self.order.append(key)
            self.actions[key] = _Action(
                ref=action.ref, text=action.text, owners=_owner_set(posts), owner_names=_owner_names(posts),
                due_on=action.due_on,
                due_condition=action.due_condition, baseline_on=action.baseline_on,
                lifecycle=Lifecycle(action.lifecycle), added_on=added_on.get(action.pk, plan.agreed_on),
                latest_update=latest.get(action.pk, ""), links=links.get(action.pk, set()),
                post_ids={pk for _, pk, _ in posts})
        self.locked = PeriodLock.objects.filter(plan=plan, period_start=current_period(plan, self.today).start).exists()

    def _posts(self, row: ParsedRow) -> list[tuple[str, int | None, bool]]:
        """(name, id, supporting?) of each post the owner and supporting-owner cells name, lead first; a post to
        be created has no id yet."""
        posts: list[tuple[str, int | None, bool]] = []
        for helps, cell in ((False, row.owners), (True, row.supporting)):
            for match in self.owners.cells.get(cell, []) if cell else ():
                if match.post is not None:
                    name, pk = match.post.name, match.post.pk
                elif len(self.owners.new.get(normalise_post_name(match.text), "")) in range(1, POST_NAME_MAX + 1):
                    name, pk = " ".join(self.owners.new[normalise_post_name(match.text)].split()), None
                else:
                    continue
                if all(normalise_post_name(name) != normalise_post_name(n) for n, _, _ in posts):
                    posts.append((name, pk, helps))
        if not posts and not row.owners and self.default_owner is not None:
            posts.append((self.default_owner.name, self.default_owner.pk, False))
        if all(supporting for _, _, supporting in posts):  # no lead named: the supporting owners lead
            posts = [(name, pk, False) for name, pk, _ in posts]
        return posts

    # Rows ---------------------------------------------------------------------------------------------------

    @property
    def records_history(self) -> bool:
        return self.actor.user is None or self.report.new_plan

    def _row(self, row: ParsedRow) -> None:
        if not self.report.new_plan:
            self.seen.add(row.key)
        reason = self.left_out.get(decisions.row_location(row.location))
        if reason is not None:
            self.report.row_left_out(row, reason)
            return
        if row.has_errors:
            return
        try:
            self._recommendation(row)
            action = self.actions.get(row.key)
            if action is None:
                self._create(row)
            else:
                self._update(row, action)
        except (ValidationError, PermissionDenied) as exc:
            self.report.action_refused(row, exc)

    def _recommendation(self, row: ParsedRow) -> None:
        rec = self.recs.get(row.rec_key)
        if rec is not None and row.rec_key in self.recs_done:
            return
        text = " ".join(row.rec_text.split())
        kind = row.rec_kind or (rec.kind if rec else RecommendationKind.RECOMMENDATION)
        label = RecommendationKind(kind).label
        if rec is None:
            if not text:
                text = self.report.recommendation_untitled(row)
            self.recs[row.rec_key] = _Rec(row.rec_ref, text, kind)
            self.report.recommendation_created(label, row.rec_ref, text, row)
        elif (text and not same_words(text, rec.text)) or kind != rec.kind:
            details = []
            if text and text != rec.text:
                details.append(f"text {clip(rec.text)!r} → {clip(text)!r}")
            if kind != rec.kind:
                details.append(f"kind {RecommendationKind(rec.kind).label} → {label}")
            rec.text, rec.kind = text or rec.text, kind
            self.report.recommendation_updated(label, rec.ref, details, row)
        self.recs_done.add(row.rec_key)

    def _create(self, row: ParsedRow) -> None:
        posts = self._posts(row)
        if not posts:
            self.report.action_without_owner(row)
            return
        baseline, due = row.baseline, row.due
        action = _Action(ref=row.ref, text=row.text, owners=_owner_set(posts),
                         owner_names=_owner_names(posts), due_on=baseline.value if baseline else None,
                         due_condition=(baseline.condition if baseline else "").strip(),
                         baseline_on=baseline.value if baseline else None, lifecycle=Lifecycle.NOT_STARTED,
                         added_on=self.created_on, post_ids={pk for _, pk, _ in posts if pk is not None})
        details = [f"owner {action.owner_names}", f"due {format_due(action.due_on, action.due_condition)}"]
        changed = due and (due.value, due.condition) != (action.due_on, action.due_condition)
        if changed and self._revise(row, action, due, new=True):
            details.append(f"revised to {format_due(due.value, due.condition)}")
        self._progress(row, action, details, new=True)
        self._evidence(row, action, details)
        if row.lifecycle and row.lifecycle != Lifecycle.NOT_STARTED and self._lifecycle(row, action, row.lifecycle,
                                                                                        new=True):
            details += [f"status {row.lifecycle.label}", *completion_detail(row, row.lifecycle, self.as_at)]
        self.actions[row.key] = action
        self.report.action_created(action.ref, row, details)

    def _reopen(self, action: _Action) -> None:
        """Editing a closed action reopens it (services._changes.reopen_if_closed)."""
        if action.lifecycle == Lifecycle.CLOSED:
            action.lifecycle = Lifecycle.IN_PROGRESS

    def _revise(self, row: ParsedRow, action: _Action, due, new: bool) -> bool:
        old = format_due(action.due_on, action.due_condition)
        first = action.due_on is None and action.baseline_on is None  # its first date: the baseline, not a revision
        if not (new and self.actor.user is not None and self.records_history) and self.actor.user is not None \
                and not self.plan.managers_change_dates_directly and not first:
            self.report.due_date_kept(row, old, due, f"Due dates in {self.plan.reference} change only through "
                                      "an accepted proposal.", new)
            return False
        self._reopen(action)
        action.due_on, action.due_condition = due.value, (due.condition or "").strip()
        if first:
            action.baseline_on = due.value
        return True

    def _lifecycle(self, row: ParsedRow, action: _Action, target: Lifecycle, new: bool) -> bool:
        current = action.lifecycle
        if not (self.actor.user is None or current.manager_may_move_to(target) or (new and self.records_history)):
            self.statuses_refused.append(f"{action.ref} ({row.status_text or target.label})")
            return False
        completed, _ = completion(row, target, self.as_at)
        if target.is_complete and completed is None:
            self.report.completed_without_date(row)
            return False
        if completed and completed > self.today:
            raise ValidationError(f"the completion date {format_short(completed)} is in the future")
        action.lifecycle = target
        return True

    def _update(self, row: ParsedRow, action: _Action) -> None:
        details: list[str] = []
        if row.text and not same_text(row.text, action.text):
            details.append(f"text {clip(action.text)!r} → {clip(row.text)!r}")
            action.text = row.text.strip()
            self._reopen(action)
        posts = self._posts(row) if row.owners or row.supporting else []
        names = _owner_set(posts)
        if posts and names != action.owners:
            new_names = _owner_names(posts)
            details.append(f"owner {action.owner_names} → {new_names}")
            action.owners, action.owner_names = names, new_names
            action.post_ids = {pk for _, pk, _ in posts if pk is not None}
            self._reopen(action)
        if row.baseline_given and row.baseline and action.baseline_on and row.baseline.value != action.baseline_on:
            self.report.baseline_kept(row, action.baseline_on)
        due = row.due
        if due and (due.value, due.condition) != (action.due_on, action.due_condition):
            old = format_due(action.due_on, action.due_condition)
            if self._revise(row, action, due, new=False):
                details.append(f"due {old} → {format_due(due.value, due.condition)}")
        self._progress(row, action, details)
        self._evidence(row, action, details)
        target = lifecycle_target(row, action.lifecycle)
        if target is not None:
            old = action.lifecycle.label
            if self._lifecycle(row, action, target, new=False):
                details += [f"status {old} → {target.label}", *completion_detail(row, target, self.as_at)]
        self.report.action_updated(action.ref, row, details)

    def _progress(self, row: ParsedRow, action: _Action, details: list[str], new: bool = False) -> None:
        """As workflow.update_save would take it: from an owner (or the system), while the action is open, for
        a period the plan and the action exist in and that is not locked."""
        text = row.progress.strip()
        if not text or (not new and action.latest_update and same_text(action.latest_update, text)):
            return
        if not action.lifecycle.is_open:
            self.progress_skipped.append(action.ref)
            return
        if self.held is not None and not (self.held & action.post_ids):
            self.progress_refused += 1
            return
        period, refused = self.period, ""
        if not self.plan.has_updates_for(period):
            refused = (f"The plan was agreed on {format_long(self.plan.agreed_on)}: there is no update to write for "
                       f"{period.label}, before it.")
        elif period.end < action.added_on:
            refused = (f"Action {action.ref} was added to the plan on {format_long(action.added_on)}: there is no "
                       f"update to write for {period.label}, before it.")
        elif self.locked:
            refused = f"Updates for {period.label} are locked; ask the plan manager."
        if refused:
            self.report.progress_not_imported(row, refused)
            return
        action.latest_update = text
        details.append(f"progress update for {period.label}")

    def _evidence(self, row: ParsedRow, action: _Action, details: list[str]) -> None:
        if not row.evidence:
            return
        urls, rest = evidence_links(row.evidence)
        for url in urls:
            if url in action.links:
                continue
            try:
                if not (action.lifecycle.is_open or action.lifecycle is Lifecycle.COMPLETED):
                    raise ValidationError(f"Action {action.ref} is {action.lifecycle.label.lower()}: evidence is "
                                          "added while it is open or awaiting verification.")
                clean_link(url)
            except ValidationError as exc:
                self.report.evidence_link_refused(row, url, exc)
                continue
            action.links.add(url)
            details.append(f"evidence link {url}")
        if rest and not urls:
            self.report.evidence_not_a_link(row, rest)

    def _finish(self) -> None:
        self.report.left_out(self.progress_refused, self.progress_skipped, self.statuses_refused)
        if self.report.new_plan:
            return
        self.report.not_in_file(self.plan.reference,
                         [self.actions[key].ref for key in self.order if key not in self.seen])


def _owner_set(posts: list[tuple[str, int | None, bool]]) -> frozenset:
    return frozenset((normalise_post_name(name), supporting) for name, _, supporting in posts)


def _owner_names(posts: list[tuple[str, int | None, bool]]) -> str:
    """"Head of Prevention / Station Manager (supporting)", as the apply step writes it."""
    return " / ".join(name + (" (supporting)" if supporting else "") for name, _, supporting in posts)

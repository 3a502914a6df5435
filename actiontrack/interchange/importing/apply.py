"""Applying parsed rows to a plan, in one transaction, through the public plan services only (so every change
is checked and journalled with the import as its source, as if made on the web). Any error and nothing is
written.

A preview writes nothing: planner.py works out the same changes by reading the plan, so a preview never holds
the database's write lock or a plan's row while other people save. What it foresees is checked again here,
by the services, when the import is applied."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_due, format_short
from actiontrack.people import services as people
from actiontrack.people.selectors import normalise_post_name
from actiontrack.plans import services
from actiontrack.plans.choices import RecommendationKind
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.models import Action, Group, Plan, Recommendation
from actiontrack.plans.selectors import periods
from actiontrack.plans.services import evidence as plan_evidence
from actiontrack.plans.services import workflow

from . import decisions
from .all_or_nothing import write_all_or_nothing
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
from .owners import POST_NAME_MAX, Owners, resolve
from .report import ImportReport, clip, message_of


def write_import(*, actor: Actor, report: ImportReport, parsed: ParseResult, plan: Plan | None, create_posts: bool,
                 today: date, agreed_on: date | None, title: str) -> ImportReport:
    """Write what importing `parsed` into `plan` (None: a new plan) does, all of it or, if any error, none."""
    return write_all_or_nothing(
        report, _Importer(actor, report, parsed, plan, create_posts, today, agreed_on, title).run)


class _Importer:
    def __init__(self, actor: Actor, report: ImportReport, parsed: ParseResult, plan: Plan | None,
                 create_posts: bool, today: date, agreed_on: date | None, title: str):
        self.actor, self.report, self.parsed, self.plan = actor, report, parsed, plan
        self.create_posts, self.today, self.agreed_on, self.title = create_posts, today, agreed_on, title
        self.rec: Recommendation | None = None  # the last one used: a tracker's rows come in order
        self.recs_done: set[tuple[str, str]] = set()  # recommendations this import created or brought up to date
        self.rec_ids: dict[tuple[str, str], int] | None = None  # the plan's recommendations by (group, ref)
        self.groups: dict[str, Group] = {}
        self.new_posts: dict[str, object] = {}
        self.owners = Owners()
        self.seen: set[tuple[str, str, str]] = set()  # actions in the file (ParsedRow.key), to list the plan's others
        self.progress_refused = 0
        self.progress_skipped: list[str] = []
        self.statuses_refused: list[str] = []
        self.left_out = decisions.excluded(report.mapping)  # rows the plan manager left out, with why
        self.rows_left_out: dict[str, str] = {}  # those the file has, for the plan's history
        self.as_at = decisions.as_at(report.mapping)
        self.default_owner = None
        self.created_on = self.change_on = today
        self.pending: list[tuple[ParsedRow, services.NewAction, tuple]] = []  # new actions, with where reported
        self.existing: set[tuple[str, str, str]] = set()  # the plan's actions before the import (ParsedRow.key)

    # The plan and its owners ------------------------------------------------------------------------------

    def run(self) -> None:
        report = self.report
        if self.plan is None:
            title = self.title.strip() or self.parsed.title.strip() or title_from_filename(report.filename)
            source = new_plan_source(report, title[:300].strip())
            try:
                self.plan = services.plan_create(
                    actor=self.actor, reference=report.plan_reference, title=title[:300], source_kind=source,
                    agreed_on=self.agreed_on or self.today, reason=f"Imported from {report.filename}.")
            except ValidationError as exc:
                report.plan_refused(exc)
                return
            report.plan_created(self.plan.reference, self.plan.title, self.plan.agreed_on, source.label)
            self.created_on = self.plan.agreed_on
        self.change_on = max(self.today, self.plan.agreed_on)
        if not report.new_plan:
            self.created_on = self.change_on
        self._owners()
        self.default_owner = default_owner(report)
        if not report.new_plan:
            self.existing = {(*rec_key(group or "", rec), ref.casefold()) for group, rec, ref in self.plan.actions
                             .values_list("recommendation__group__name", "recommendation__ref", "ref")}
        for row in self.parsed.rows:
            self._row(row)
        self._flush()
        self._finish()

    def _owners(self) -> None:
        report = self.report
        self.owners = resolve(self.parsed.owner_names, self.created_on)
        report.owner_problems(self.owners, self.created_on, self.create_posts)
        if not report.posts_to_create:
            return
        system = Actor.system("Import without creating posts", ChangeSource.IMPORT)  # to report every row
        for key, name in self.owners.new.items():
            if len(name) > POST_NAME_MAX:  # an error already
                continue
            actor = self.actor if self.create_posts else system
            try:
                with transaction.atomic():
                    post = people.post_create(actor=actor, name=name, effective_on=self.today)
            except PermissionDenied:
                report.post_needs_an_administrator(name)
                post = people.post_create(actor=system, name=name, effective_on=self.today)
            except ValidationError as exc:
                report.post_refused(name, exc)
                continue
            self.new_posts[key] = post
            report.post_created(post.name)

    def _posts(self, row: ParsedRow) -> tuple[list, list]:
        """(every owner, lead first; the supporting ones) of the row's owner and supporting-owner cells."""
        posts, supporting = [], []
        for helps, cell in ((False, row.owners), (True, row.supporting)):
            for match in self.owners.cells.get(cell, []) if cell else ():
                post = match.post or self.new_posts.get(normalise_post_name(match.text))
                if post is not None and post not in posts:
                    posts.append(post)
                    if helps:
                        supporting.append(post)
        if not posts and not row.owners and self.default_owner is not None:
            posts.append(self.default_owner)
        if len(supporting) == len(posts):  # no lead named: the supporting owners lead
            supporting = []
        return posts, supporting

    # Rows ---------------------------------------------------------------------------------------------------

    def why(self, row: ParsedRow, what: str = "Imported from") -> str:
        notes = (" " + "; ".join(row.notes) + ".") if row.notes else ""
        return f"{what} {self.report.filename} ({row.location}).{notes}"

    def _row(self, row: ParsedRow) -> None:
        if not self.report.new_plan:
            self.seen.add(row.key)
        reason = self.left_out.get(decisions.row_location(row.location))
        if reason is not None:
            self.report.row_left_out(row, reason)
            self.rows_left_out[decisions.row_location(row.location)] = reason
            return
        if row.has_errors:
            return
        if row.evidence or row.key in self.existing:  # written one at a time, in the file's order
            self._flush()
        done = set(self.recs_done)
        try:
            with transaction.atomic():
                rec = self._recommendation(row)
                action = None if self.report.new_plan else (
                    Action.objects.select_related("recommendation", "plan")
                    .filter(plan=self.plan, recommendation=rec, ref__iexact=row.ref).first())
                if action is None:
                    self._create(row, rec)
                else:
                    self._update(row, action)
        except (ValidationError, PermissionDenied, EditConflict) as exc:
            self.report.action_refused(row, exc)
            self.recs_done, self.rec, self.rec_ids = done, None, None  # what the row did is rolled back with it
            self.groups = {}

    def _recommendation(self, row: ParsedRow) -> Recommendation:
        if self.rec_ids is None:
            self.rec_ids = {rec_key(name or "", ref): pk for pk, ref, name
                            in self.plan.recommendations.values_list("pk", "ref", "group__name")}
        if self.rec is not None and self.rec_key == row.rec_key:
            return self.rec
        pk = self.rec_ids.get(row.rec_key)
        rec = None if pk is None else self.plan.recommendations.select_related("group").get(pk=pk)
        if rec is not None and row.rec_key in self.recs_done:  # the file's first text for it stands
            self.rec, self.rec_key = rec, row.rec_key
            self.rec = rec
            return rec
        text = " ".join(row.rec_text.split())
        kind = row.rec_kind or (rec.kind if rec else RecommendationKind.RECOMMENDATION)
        if rec is None:
            if not text:
                text = self.report.recommendation_untitled(row)
            rec = services.recommendation_create(actor=self.actor, plan=self.plan, ref=row.rec_ref, text=text,
                                                 kind=kind, group=self._group(row), effective_on=self.created_on,
                                                 reason=self.why(row))
            self.rec_ids[row.rec_key] = rec.pk
            self.report.recommendation_created(rec.get_kind_display(), rec.ref, text, row)
        elif (text and not same_words(text, rec.text)) or kind != rec.kind:
            old_text, old_kind = rec.text, rec.get_kind_display()
            rec = services.recommendation_update(actor=self.actor, recommendation=rec, text=text or rec.text,
                                                 kind=kind, effective_on=self.change_on,
                                                 reason=self.why(row, "Changed by the import of"))
            details = []
            if old_text != rec.text:
                details.append(f"text {clip(old_text)!r} → {clip(rec.text)!r}")
            if old_kind != rec.get_kind_display():
                details.append(f"kind {old_kind} → {rec.get_kind_display()}")
            self.report.recommendation_updated(rec.get_kind_display(), rec.ref, details, row)
        self.rec, self.rec_key = rec, row.rec_key
        self.recs_done.add(row.rec_key)
        return rec

    def _group(self, row: ParsedRow) -> Group | None:
        if not row.group:
            return None
        key = row.rec_key[0]
        if key not in self.groups:
            self.groups[key] = services.group_for(actor=self.actor, plan=self.plan, name=row.group)
        return self.groups[key]

    @property
    def records_history(self) -> bool:
        """Whether the file's revised dates and statuses of the actions this import creates are recorded as
        their starting state even where a plan manager could not make that change by hand: for the command
        line (the system), and when the import brings in a whole plan that did not exist (the document is
        the record of what happened before actiontrack). Never for actions that already exist."""
        return self.actor.user is None or self.report.new_plan

    def _starting_on(self, row: ParsedRow) -> date:
        """The day a new action's revised date and status from the file take effect. In a plan the import
        creates, the file is the record of what happened before actiontrack: what it says held by the day the
        document is as at (when given), and a revised date was in force before the action was completed. So
        the earliest of those and today, but never before the action took effect. Otherwise today."""
        candidates = [self.change_on, self.as_at,
                      completion(row, row.lifecycle, self.as_at)[0] if row.lifecycle else None]
        return max(self.created_on, min(day for day in candidates if day is not None))

    def _create(self, row: ParsedRow, rec: Recommendation) -> None:
        posts, supporting = self._posts(row)
        if not posts:
            self.report.action_without_owner(row)
        elif row.evidence:  # its links are added before its status, one at a time
            self._create_one(row, rec, posts, supporting)
        else:
            mark = self.report.mark()  # where it is reported, once added
            self.pending.append((row, self._new_action(row, rec, posts, supporting), mark))
            if len(self.pending) >= services.MANY_AT_ONCE:
                self._flush()

    def _new_action(self, row: ParsedRow, rec: Recommendation, posts: list, supporting: list) -> services.NewAction:
        """The action as _create_one makes it, to be added with others: its first date, a revised one, this
        period's progress, its status. Refused here (the row's transaction undone) where _create_one would be."""
        baseline, due = row.baseline, row.due
        first = (baseline.value, baseline.condition) if baseline else (None, "")
        revision = status = None
        if due and (due.value, due.condition) != first:
            revision = services.Revision(due.value, due.condition, self.why(row, "Revised date in"),
                                         self._starting_on(row),
                                         recorded=self.actor.user is not None and self.records_history)
        target = row.lifecycle
        if target and target != Lifecycle.NOT_STARTED:
            status = self._starting_status(row, Lifecycle.NOT_STARTED, target, new=True)
        return services.NewAction(recommendation=rec, text=row.text, supporting_posts=supporting,
                                  owner_posts=[p for p in posts if p not in supporting], due_on=first[0],
                                  due_condition=first[1], effective_on=self.created_on, ref=row.action_ref,
                                  number=None if row.action_ref else row.action_number, reason=self.why(row),
                                  revision=revision, update=row.progress.strip(), status=status)

    def _flush(self) -> None:
        """Add the new actions waiting, and report each as _create_one does."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        try:
            results = services.actions_add(actor=self.actor, plan=self.plan, today=self.today,
                                           new=[new for _, new, _ in pending])
        except PermissionDenied as exc:
            results = [services.Added(refused=exc)] * len(pending)
        for (row, new, mark), added in reversed(list(zip(pending, results, strict=True))):
            with self.report.placed_at(mark):
                self._report_added(row, new, added)

    def _report_added(self, row: ParsedRow, new: services.NewAction, added: services.Added) -> None:
        if added.refused is not None:
            self.report.action_refused(row, added.refused)
            return
        first = format_due(new.due_on, new.due_condition)
        details = [f"owner {_owner_names([*new.owner_posts, *new.supporting_posts], new.supporting_posts)}",
                   f"due {first}"]
        if new.revision and added.revision_refused:
            self.report.due_date_kept(row, first, row.due, str(added.revision_refused), True)
        elif new.revision:
            details.append(f"revised to {format_due(new.revision.due_on, new.revision.due_condition)}")
        if added.update_period is not None:
            details.append(f"progress update for {added.update_period.label}")
        elif isinstance(added.update_refused, PermissionDenied):
            self.progress_refused += 1
        elif added.update_refused is not None:
            self.report.progress_not_imported(row, message_of(added.update_refused))
        if new.status:
            details += [f"status {new.status.lifecycle.label}",
                        *completion_detail(row, new.status.lifecycle, self.as_at)]
        self.report.action_created(added.action.ref, row, details)

    def _create_one(self, row: ParsedRow, rec: Recommendation, posts: list, supporting: list) -> None:
        baseline, due = row.baseline, row.due
        action = services.action_create(
            actor=self.actor, recommendation=rec, text=row.text, supporting_posts=supporting,
            owner_posts=[p for p in posts if p not in supporting],
            due_on=baseline.value if baseline else None, due_condition=baseline.condition if baseline else "",
            effective_on=self.created_on, ref=row.action_ref, number=None if row.action_ref else row.action_number,
            reason=self.why(row))
        details = [f"owner {_owner_names(posts, supporting)}",
                   f"due {format_due(action.due_on, action.due_condition)}"]
        changed = due and (due.value, due.condition) != (action.due_on, action.due_condition)
        if changed and self._revise(row, action, due, new=True):
            details.append(f"revised to {format_due(due.value, due.condition)}")
            action.refresh_from_db()
        self._progress(row, action, details, new=True)
        self._evidence(row, action, details)
        if row.lifecycle and row.lifecycle != Lifecycle.NOT_STARTED and self._lifecycle(row, action, row.lifecycle,
                                                                                        new=True):
            details += [f"status {row.lifecycle.label}", *completion_detail(row, row.lifecycle, self.as_at)]
        self.report.action_created(action.ref, row, details)

    def _revise(self, row: ParsedRow, action: Action, due, new: bool) -> bool:
        """A due date revision; where the plan's rules do not let this person make it, a warning instead."""
        old = format_due(action.due_on, action.due_condition)
        reason = self.why(row, "Revised date in" if new else "Changed by the import of")
        effective_on = self._starting_on(row) if new else self.change_on
        if new and self.actor.user is not None and self.records_history:
            services.action_record_starting_due_date(actor=self.actor, action=action, due_on=due.value,
                                                     due_condition=due.condition, reason=reason,
                                                     effective_on=effective_on)
            return True
        try:
            with transaction.atomic():
                services.action_change_due_date(actor=self.actor, action=action, due_on=due.value,
                                                due_condition=due.condition, reason=reason,
                                                effective_on=effective_on)
        except PermissionDenied as exc:
            self.report.due_date_kept(row, old, due, str(exc), new)
            return False
        return True

    def _lifecycle(self, row: ParsedRow, action: Action, target: Lifecycle, new: bool) -> bool:
        """Move the action to the file's status, where _starting_status allows."""
        status = self._starting_status(row, Lifecycle(action.lifecycle), target, new, ref=action.ref)
        if status is None:
            return False
        if status.recorded:
            services.action_record_starting_status(actor=self.actor, action=action, lifecycle=target,
                                                   effective_on=status.effective_on, reason=status.reason,
                                                   completed_on=status.completed_on)
        else:
            services.action_change_lifecycle(actor=self.actor, action=action, lifecycle=target,
                                             effective_on=status.effective_on, reason=status.reason,
                                             completed_on=status.completed_on, today=self.today)
        return True

    def _starting_status(self, row: ParsedRow, current: Lifecycle, target: Lifecycle, new: bool,
                         ref: str = "") -> services.StartingStatus | None:
        """The move to the file's status, or None with a warning: a move a plan manager may not make by hand
        (completion is the owner's, with evidence; closure a verifier's) is refused, unless this import records
        the starting state of a plan it creates."""
        by_hand = self.actor.user is None or current.manager_may_move_to(target)
        if not by_hand and not (new and self.records_history):
            self.statuses_refused.append(f"{ref or row.ref} ({row.status_text or target.label})")
            return None
        completed, assumed = completion(row, target, self.as_at)
        if target.is_complete and completed is None:
            self.report.completed_without_date(row)
            return None
        effective = self._starting_on(row) if new else self.change_on
        if completed and completed > self.today:
            raise ValidationError(f"the completion date {format_short(completed)} is in the future")
        if completed and new and self.created_on <= completed <= self.today:
            effective = completed
        reason = row.status_reason if target.needs_reason and row.status_reason else (
            f"Status {row.status_text!r} in {self.report.filename} ({row.location})." if row.status_text
            else self.why(row))
        reason = f"{reason} {assumed}".strip()
        return services.StartingStatus(target, effective, reason, completed, recorded=not by_hand)

    def _update(self, row: ParsedRow, action: Action) -> None:
        details: list[str] = []
        reason = self.why(row, "Changed by the import of")
        if row.text and not same_text(row.text, action.text):
            old = action.text
            action = services.action_change_text(actor=self.actor, action=action, text=row.text, reason=reason,
                                                 effective_on=self.change_on)
            details.append(f"text {clip(old)!r} → {clip(action.text)!r}")
        posts, supporting = self._posts(row) if row.owners or row.supporting else ([], [])
        current = (sorted(action.owner_posts.values_list("pk", flat=True)),
                   sorted(action.supporting_posts.values_list("pk", flat=True)))
        if posts and (sorted(p.pk for p in posts), sorted(p.pk for p in supporting)) != current:
            helping = list(action.supporting_posts.order_by("name"))
            old = _owner_names([*action.owner_posts.exclude(pk__in=current[1]).order_by("name"), *helping], helping)
            action = services.action_change_owners(actor=self.actor, action=action, reason=reason,
                                                   effective_on=self.change_on,
                                                   owner_posts=[p for p in posts if p not in supporting],
                                                   supporting_posts=supporting)
            details.append(f"owner {old} → {_owner_names(posts, supporting)}")
        if row.baseline_given and row.baseline and action.baseline_on and row.baseline.value != action.baseline_on:
            self.report.baseline_kept(row, action.baseline_on)
        due = row.due
        if due and (due.value, due.condition) != (action.due_on, action.due_condition):
            old = format_due(action.due_on, action.due_condition)
            if self._revise(row, action, due, new=False):
                details.append(f"due {old} → {format_due(due.value, due.condition)}")
        action.refresh_from_db()
        self._progress(row, action, details)
        self._evidence(row, action, details)
        target = lifecycle_target(row, Lifecycle(action.lifecycle))
        if target is not None:
            old = Lifecycle(action.lifecycle).label
            if self._lifecycle(row, action, target, new=False):
                details += [f"status {old} → {target.label}", *completion_detail(row, target, self.as_at)]
            action.refresh_from_db()
        self.report.action_updated(action.ref, row, details)

    def _progress(self, row: ParsedRow, action: Action, details: list[str], new: bool = False) -> None:
        """The file's progress commentary, as this period's progress update (only an owner, or the system,
        may write one; only while the action is open)."""
        text = row.progress.strip()
        if not text:
            return
        latest = None if new else action.updates.order_by("-period_start").first()
        if latest is not None and same_text(latest.text, text):
            return
        if not Lifecycle(action.lifecycle).is_open:
            self.progress_skipped.append(action.ref)
            return
        period = periods.current_period(self.plan, self.today)
        this = None if new else action.updates.filter(period_start=period.start).first()
        try:
            with transaction.atomic():
                workflow.update_save(actor=self.actor, action=action, text=text, today=self.today,
                                     expected_version=this.version if this else None)
            details.append(f"progress update for {period.label}")
        except PermissionDenied:
            self.progress_refused += 1
        except (ValidationError, EditConflict) as exc:
            self.report.progress_not_imported(row, message_of(exc))

    def _evidence(self, row: ParsedRow, action: Action, details: list[str]) -> None:
        if not row.evidence:
            return
        urls, rest = evidence_links(row.evidence)
        for url in urls:
            if action.evidence.filter(url=url).exists():
                continue
            try:
                with transaction.atomic():
                    plan_evidence.evidence_add_link(actor=self.actor, action=action, url=url, title="",
                                                    today=self.today)
                details.append(f"evidence link {url}")
            except ValidationError as exc:
                self.report.evidence_link_refused(row, url, exc)
        if rest and not urls:
            self.report.evidence_not_a_link(row, rest)

    def _finish(self) -> None:
        self.report.left_out(self.progress_refused, self.progress_skipped, self.statuses_refused)
        if self.rows_left_out and self.plan is not None:
            services.plan_record_rows_left_out(actor=self.actor, plan=self.plan, filename=self.report.filename,
                                               rows=self.rows_left_out, effective_on=self.change_on)
        if self.plan is None or self.report.new_plan:
            return
        self.report.not_in_file(self.plan.reference,
                         [a.ref for a in self.plan.actions.select_related("recommendation__group")
                          if (*rec_key(a.recommendation.group.name if a.recommendation.group else "",
                                       a.recommendation.ref), a.ref.casefold()) not in self.seen])


def _owner_names(posts: list, supporting: list) -> str:
    """"Head of Prevention / Station Manager (supporting)": how the import report names an action's owners."""
    return " / ".join(p.name + (" (supporting)" if p in supporting else "") for p in posts)

"""Every write to board reports: create (from the previous report's text), update, issue. Each checks who is
acting (only a plan manager of the report's plan), is atomic, and journals its change on the plan
(DESIGN rules 2 and 3). Reading and downloading are in selectors.py."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actiontrack.core import files as file_store
from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.periods import period_of
from actiontrack.domain.text import Limit, normalise, too_long
from actiontrack.domain.ukdates import format_long
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import WebhookEvent
from actiontrack.plans.errors import EditConflict
from actiontrack.plans.models import Plan, ProgressUpdate
from actiontrack.plans.services import webhooks

from . import renderers
from .build import build_report_data
from .choices import AUTHORED_SECTIONS, FORMATS, PROTECTED_CHARACTERISTICS, SECTION_BY_KEY, Impact, ReportStatus
from .data import dump
from .models import ISSUED_FOLDER, BoardReport, IssuedFile
from .organisation import branding

HEADER_FIELDS = ("meeting", "meeting_date", "agenda_item", "authors", "presented_by", "subject", "report_type",
                 "action_point", "for_publication", "exemption", "classification", "as_at", "show_holder_names")
EDITABLE = (*HEADER_FIELDS, "sections", "summary_sentence", "equality", "change_reasons", "board_progress",
            "exempt_sections")
CARRIED = ("meeting", "authors", "presented_by", "subject", "report_type", "for_publication", "exemption",
           "classification", "show_holder_names", "sections", "equality")  # into the next report


def starting_point(plan: Plan) -> BoardReport | None:
    """The report a new one copies its text from: the last issued one, else the latest draft."""
    reports = BoardReport.objects.filter(plan=plan).order_by("-meeting_date", "-id")
    return reports.filter(status=ReportStatus.ISSUED).first() or reports.first()


def first_sections(plan: Plan) -> dict[str, str]:
    texts = {spec.key: spec.default for spec in AUTHORED_SECTIONS}
    texts["executive_summary"] = f"This report provides an update on progress against the {plan.title}."
    return texts


def new_report(plan: Plan, *, meeting_date: date, as_at: date | None = None, **header) -> BoardReport:
    """An unsaved report for a meeting: the previous report's header and authored text (or, for a plan's
    first report, the defaults), then `header`. The as-at date defaults to the meeting date. Saves nothing."""
    previous = starting_point(plan)
    if previous is not None:
        start = {name: getattr(previous, name) for name in CARRIED}
        start["sections"] = dict(previous.sections)
        start["equality"] = {key: dict(value) for key, value in previous.equality.items()}
    else:
        start = {"meeting": plan.board, "subject": _fit(f"Monthly update – {plan.title}", SUBJECT_MAX),
                 "classification": plan.classification, "sections": first_sections(plan),
                 "equality": {key: {"impact": Impact.NOT_ASSESSED.value, "note": ""}
                              for key, _ in PROTECTED_CHARACTERISTICS}}
    start.update({key: value for key, value in header.items() if value is not None})
    return BoardReport(plan=plan, meeting_date=meeting_date, as_at=as_at or meeting_date, **start)


SUBJECT_MAX = BoardReport._meta.get_field("subject").max_length


def _fit(text: str, limit: int) -> str:
    """A default made from other text, cut to fit its column ("…" where it was cut): a plan's longest title must
    not stop its first report being made."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _clean_text(value) -> str:
    return normalise(value).strip() if isinstance(value, str) else value


def _validate(report: BoardReport) -> None:
    plan = report.plan
    errors = {}
    for name in ("meeting", "subject"):
        if not (getattr(report, name) or "").strip():
            errors[name] = f"Enter the {'meeting' if name == 'meeting' else 'subject'} of the report."
    if report.as_at and report.as_at < plan.agreed_on:
        errors["as_at"] = (f"{plan.title} was agreed on {format_long(plan.agreed_on)}; the report cannot show it as "
                           f"at {format_long(report.as_at)}.")
    elif report.as_at and report.meeting_date and report.as_at > report.meeting_date:
        errors["as_at"] = "The report cannot show the plan as at a date after the meeting."
    if not report.for_publication and not report.exemption.strip():
        errors["exemption"] = "A report not for publication needs the exemption paragraph it relies on."
    exempt = report.exempt_sections or []
    if not isinstance(exempt, list) or any(key not in SECTION_BY_KEY for key in exempt):
        errors["exempt_sections"] = "Choose sections of the report to leave out of the public version."
    elif exempt and not report.exemption.strip():
        errors["exemption"] = ("Sections left out of the public version need the exemption paragraph they rely "
                               "on, which takes their place.")
    unknown = set(report.sections) - {spec.key for spec in AUTHORED_SECTIONS}
    if unknown:
        errors["sections"] = f"Unknown sections: {', '.join(sorted(unknown))}."
    headings = {spec.key: spec.heading for spec in AUTHORED_SECTIONS}
    for key, text in (report.sections or {}).items():
        message = too_long(text or "", Limit.LONG, f"the section “{headings.get(key, key)}”")
        if message:
            errors[f"section_{key}"] = message
    for name, limit, what in (("exemption", Limit.LONG, "the exemption paragraph"),
                              ("summary_sentence", Limit.TEXT, "the summary sentence")):
        message = too_long(getattr(report, name) or "", limit, what)
        if message:
            errors[name] = message
    for key, value in (report.equality or {}).items():
        if key not in dict(PROTECTED_CHARACTERISTICS) or value.get("impact") not in Impact.values:
            errors["equality"] = "Record one of the listed impacts against each protected characteristic."
    errors.update(_board_wording_errors(report))
    if errors:
        raise ValidationError(errors)
    report.full_clean(exclude=["plan", "created_by", "issued_by", "snapshot"])


def _board_wording_errors(report: BoardReport) -> dict[str, str]:
    """The report's own wording of reasons and of owners' updates: keys it can name, text within its limits."""
    errors = {}
    for key, text in (report.change_reasons or {}).items():
        if not (isinstance(key, str) and re.fullmatch(r"journal:\d+", key) and isinstance(text, str)):
            errors["change_reasons"] = "A reason can be worded only for a change in the report's list."
        elif message := too_long(text, Limit.REASON, "the reason"):
            errors["reason_" + key.replace(":", "_")] = message
    updates = _updates_for_period(report)
    for key, text in (report.board_progress or {}).items():
        if not (isinstance(key, str) and key.isdigit() and int(key) in updates and isinstance(text, str)):
            errors["board_progress"] = ("The board's version can be written only of an owner's update for the "
                                        "report's period.")
        elif message := too_long(text, Limit.UPDATE, "the progress"):
            errors[f"progress_{key}"] = message
    return errors


def _updates_for_period(report: BoardReport) -> dict[int, ProgressUpdate]:
    """The owners' updates for the period of the report's as-at date, by action id."""
    period = period_of(report.as_at, report.plan.reporting_period)
    return {u.action_id: u for u in ProgressUpdate.objects.filter(action__plan=report.plan,
                                                                  period_start=period.start)}


def _journal_board_versions(actor: Actor, report: BoardReport, before: dict, today: date) -> None:
    """Each action whose update the board now reads differently: journalled on the update, so the action's
    history shows that a board version was written, by whom, for which report."""
    updates = _updates_for_period(report)
    after = report.board_progress or {}
    for key in sorted(set(before) | set(after), key=int):
        if before.get(key) == after.get(key) or int(key) not in updates:
            continue
        update = updates[int(key)]
        record(actor=actor, plan=report.plan, entity_type=EntityType.UPDATE, entity_id=update.pk,
               field="board_version", old={"action": update.action_id, "text": before.get(key, update.text)},
               new={"action": update.action_id, "report": report.pk, "text": after.get(key, update.text)},
               effective_on=today, reason=f"Worded for the board in the report for {report}."
               if key in after else f"The owner's words restored in the report for {report}.")


def _journal(actor: Actor, report: BoardReport, field: str, new: dict, today: date, reason: str) -> None:
    record(actor=actor, plan=report.plan, entity_type=EntityType.PLAN, entity_id=report.plan_id, field=field,
           old=None, new={"report": report.pk, **new}, effective_on=today, reason=reason)


class AlreadyReported(ValidationError):
    """The meeting has a report already: one report per meeting, unless the plan manager means a second."""

    def __init__(self, existing: BoardReport):
        self.existing = existing
        state = "issued" if existing.is_issued else "a draft"
        super().__init__({"meeting_date": f"There is already a report for the {existing.meeting} of "
                                          f"{format_long(existing.meeting_date)} ({state})."})


@transaction.atomic
def report_create(*, actor: Actor, plan: Plan, meeting_date: date, today: date, as_at: date | None = None,
                  second_for_meeting: bool = False, **header) -> BoardReport:
    """A draft board report for a meeting, starting from the previous report's text. A meeting that has a report
    already is refused with AlreadyReported (naming it) unless `second_for_meeting` says a second is meant."""
    perms.require_manager(actor, plan, "create board reports")
    existing = plan.board_reports.filter(meeting_date=meeting_date).order_by("-status", "id").first()
    if existing is not None and not second_for_meeting:
        raise AlreadyReported(existing)
    unknown = set(header) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    report = new_report(plan, meeting_date=meeting_date, as_at=as_at,
                        **{key: _clean_text(value) for key, value in header.items()})
    _validate(report)
    report.created_by = actor.user
    report.save()
    _journal(actor, report, "report_created", {"meeting": report.meeting, "meeting_date": meeting_date,
                                               "as_at": report.as_at}, today,
             f"Board report for the {report.meeting} of {format_long(meeting_date)} started.")
    return report


def _current(report: BoardReport) -> dict:
    """What is stored now, in words, for the edit-conflict page."""
    current = {name: str(getattr(report, name)) for name in HEADER_FIELDS}
    current.update({SECTION_BY_KEY[key].heading: text for key, text in report.sections.items()})
    return current


@transaction.atomic
def report_update(*, actor: Actor, report: BoardReport, expected_version: int, changes: dict,
                  today: date) -> BoardReport:
    """Change a draft's header, authored sections, summary sentence or equality impacts. An issued report
    cannot change. Refused with EditConflict if someone saved the report since the form was opened."""
    report = BoardReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
    perms.require_manager(actor, report.plan, "edit board reports")
    if report.is_issued:
        raise ValidationError(f"The report for {report} was issued on {format_long(report.issued_on)} and can no "
                              "longer be changed. Create a new report instead.")
    if report.version != expected_version:
        raise EditConflict(f"The report for {report}", _current(report), report.version)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in sorted(unknown)})
    changed = []
    board_before = dict(report.board_progress or {})
    for name, value in changes.items():
        value = _clean_text(value)
        if name == "sections":
            value = {**report.sections, **{key: _clean_text(text) for key, text in value.items()}}
        if getattr(report, name) != value:
            setattr(report, name, value)
            changed.append(name)
    if not changed:
        return report
    _validate(report)
    report.version += 1
    report.updated_at = timezone.now()
    report.save()
    _journal(actor, report, "report_updated", {"fields": changed}, today, f"Board report for {report} edited.")
    if "board_progress" in changed:
        _journal_board_versions(actor, report, board_before, today)
    return report


def _check_issuable(report: BoardReport, today: date) -> None:
    if report.is_issued:
        raise ValidationError(f"The report for {report} was already issued on {format_long(report.issued_on)}.")
    if today < report.as_at:
        raise ValidationError({"as_at": (
            f"This report shows the plan as at {format_long(report.as_at)}; it can be issued from that day, when "
            "the data it shows can no longer change. Choose an earlier as-at date to issue it today.")})


def report_issue_check(report: BoardReport, today: date, expected_version: int | None = None) -> None:
    """Raise what report_issue would about the report as it stands (issued already, not yet issuable, edited
    since `expected_version`), before any work is done."""
    _check_issuable(report, today)
    if expected_version is not None and report.version != expected_version:
        raise EditConflict(f"The report for {report}", _current(report), report.version)


def report_issue(*, actor: Actor, report: BoardReport, today: date,
                 expected_version: int | None = None) -> BoardReport:
    """Freeze the report: its data as a JSON snapshot, and the PDF, DOCX and HTML rendered from that one
    snapshot and stored with their SHA-256. Rendering happens before the transaction (it takes seconds,
    and must not hold the database's write lock); the transaction then checks nobody edited or issued the
    report meanwhile and stores everything at once, journalled."""
    perms.require_manager(actor, report.plan, "issue board reports")
    report_issue_check(report, today, expected_version)
    data = build_report_data(report, issued_on=today)
    template = branding().template
    files = {fmt: renderers.render(fmt, data, docx_template=template) for fmt in FORMATS}
    # Into the file store before the rows that point to them are committed; taken out again if they are not.
    stored = {fmt: secrets.token_hex(16) for fmt in files}
    try:
        for fmt, content in files.items():
            file_store.save_bytes(f"{ISSUED_FOLDER}/{stored[fmt]}", content)
        return _issue_stored(actor, report, data, files, stored, today)
    except BaseException:
        for name in stored.values():
            file_store.delete(f"{ISSUED_FOLDER}/{name}")
        raise


def _issue_stored(actor: Actor, report: BoardReport, data, files: dict[str, bytes], stored: dict[str, str],
                  today: date) -> BoardReport:
    with transaction.atomic():
        locked = BoardReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
        _check_issuable(locked, today)
        if locked.version != report.version:
            raise EditConflict(f"The report for {report}", _current(locked), locked.version)
        locked.snapshot = dump(data)
        locked.status = ReportStatus.ISSUED
        locked.issued_by = actor.user
        locked.issued_by_name = actor.name
        locked.issued_on = today
        locked.issued_at = timezone.now()
        locked.version += 1
        locked.save()
        hashes = {}
        for fmt, content in files.items():
            digest = hashlib.sha256(content).hexdigest()
            IssuedFile.objects.create(report=locked, format=fmt, stored_name=stored[fmt], size=len(content),
                                      sha256=digest)
            hashes[fmt] = digest
        _journal(actor, locked, "report_issued", {"as_at": locked.as_at, "sha256": hashes}, today,
                 f"Board report for {locked} issued and frozen.")
        webhooks.emit(locked.plan, WebhookEvent.REPORT_ISSUED, {
            "plan": locked.plan.reference, "plan_title": locked.plan.title, "action": None,
            "text": f"{actor.name} issued the board report for {locked} (as at {format_long(locked.as_at)}).",
            "path": f"/plans/{locked.plan.reference}/"})
    return locked


@transaction.atomic
def report_discard(*, actor: Actor, report: BoardReport, today: date) -> None:
    """Throw a draft away. An issued report is the record of what the board was told: never."""
    report = BoardReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
    perms.require_manager(actor, report.plan, "discard board reports")
    if report.is_issued:
        raise ValidationError(f"The report for {report} was issued on {format_long(report.issued_on)}: an issued "
                              "report is kept for good and cannot be discarded.")
    _journal(actor, report, "report_discarded", {"meeting": report.meeting, "meeting_date": report.meeting_date,
                                                 "as_at": report.as_at}, today,
             f"Draft board report for {report} discarded.")
    report.delete()


@transaction.atomic
def report_share(*, actor: Actor, report: BoardReport, shared: bool, today: date) -> BoardReport:
    """Let the board (the plan's viewers) read a draft before it is issued, or stop them."""
    report = BoardReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
    perms.require_manager(actor, report.plan, "share draft board reports")
    if report.is_issued:
        raise ValidationError(f"The report for {report} is issued: everyone who can see the plan reads it.")
    if report.shared != shared:
        report.shared = shared
        report.save(update_fields=["shared"])
        _journal(actor, report, "report_shared" if shared else "report_unshared", {}, today,
                 f"Draft board report for {report} {'shared with' if shared else 'no longer shared with'} the "
                 "board.")
    return report

"""Closure by an outside body: a plan manager submits a completed action to HMICFRS, then records HMICFRS's
letter closing it (the letter kept as evidence) or its refusal, which reopens the action with its reasons. Each
step is journalled, so the plan as at any date shows where the action stood; the rows and the replayed journal
agree; only plan managers may, and only in order."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actiontrack.core.journal import Actor
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.selectors import action_history, plan_as_at
from actiontrack.plans.selectors.finder import Search, find
from actiontrack.plans.services import evidence, external, workflow

DONE, SUBMITTED, ANSWERED, TODAY = date(2021, 12, 6), date(2021, 12, 10), date(2022, 2, 1), date(2022, 3, 1)
LETTER = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n HMICFRS letter"


def action(ref="5.1") -> Action:
    return Action.objects.get(plan__reference="PIP-PR", ref=ref)


@pytest.fixture
def completed(demo, owner):
    evidence.evidence_add_link(actor=Actor.of(owner), action=action(), title="Structure paper", today=DONE,
                               url="https://intranet.example.org/structure")
    workflow.action_complete(actor=Actor.of(owner), action=action(), completed_on=DONE, today=DONE)
    return action()


def submit(plan_manager):
    return external.action_submit_external(actor=Actor.of(plan_manager), action=action(), body="HMICFRS",
                                           reference="CoC-7/2021", submitted_on=SUBMITTED, today=TODAY)


def row_as_at(day, ref="5.1"):
    return next(a for a in plan_as_at(Plan.objects.get(reference="PIP-PR"), day).actions if a.ref == ref)


def test_closed_by_the_body_with_its_letter_and_replayed_as_at_each_date(completed, plan_manager):
    submit(plan_manager)
    assert action().external_closure["status"] == "submitted"
    external.action_closed_externally(actor=Actor.of(plan_manager), action=action(), letter="HMI/2022/031",
                                      decided_on=ANSWERED, today=TODAY,
                                      letter_file=SimpleUploadedFile("letter.pdf", LETTER))
    closed = action()
    assert closed.lifecycle == Lifecycle.CLOSED and closed.external_closure["letter"] == "HMI/2022/031"
    assert closed.evidence.filter(title="HMICFRS letter HMI/2022/031").exists()
    assert row_as_at(date(2021, 12, 8)).external_text == ""
    assert row_as_at(date(2022, 1, 5)).external_text == ("Submitted to HMICFRS for closure on 10/12/2021 (their "
                                                         "reference CoC-7/2021)")
    after = row_as_at(TODAY)
    assert after.external_text == "Closed by HMICFRS on 01/02/2022 (letter HMI/2022/031)"
    assert after.lifecycle == Lifecycle.CLOSED
    assert after.rating.reason.endswith("; closed by HMICFRS")  # not "and verified": no verifier closed it
    # The rows (Find actions' database path) say the same as the replayed journal.
    [(_, found)] = find([Plan.objects.get(reference="PIP-PR")], TODAY, Search(q="Restructure"), 0, 50).rows
    assert found.external == after.external
    # The action's history says it in words, as the page does.
    steps = [(row.what, row.old, row.new) for row in action_history(action()) if row.what.startswith("Closure")]
    assert steps == [
        ("Closure by an outside body", "—",
         "Submitted to HMICFRS for closure on 10/12/2021 (their reference CoC-7/2021)"),
        ("Closure by an outside body", "Submitted to HMICFRS for closure on 10/12/2021 (their reference CoC-7/2021)",
         "Closed by HMICFRS on 01/02/2022 (letter HMI/2022/031)")]


def test_the_letter_counts_as_evidence_from_its_own_date_not_the_day_it_was_uploaded(completed, plan_manager):
    import io
    import zipfile

    from actiontrack.reports.evidence_pack import evidence_pack

    submit(plan_manager)
    external.action_closed_externally(actor=Actor.of(plan_manager), action=action(), letter="HMI/2022/031",
                                      decided_on=ANSWERED, today=TODAY,  # uploaded four weeks after its date
                                      letter_file=SimpleUploadedFile("letter.pdf", LETTER))
    plan = Plan.objects.get(reference="PIP-PR")
    with zipfile.ZipFile(io.BytesIO(evidence_pack(plan, date(2022, 2, 15)))) as pack:
        letters = [name for name in pack.namelist() if name.endswith("letter.pdf")]
        assert len(letters) == 1 and pack.read(letters[0]) == LETTER
    with zipfile.ZipFile(io.BytesIO(evidence_pack(plan, date(2022, 1, 31)))) as pack:  # before the letter
        assert not any(name.endswith("letter.pdf") for name in pack.namelist())


def test_refused_reopens_the_action_with_the_reasons(completed, plan_manager):
    submit(plan_manager)
    external.action_refused_externally(actor=Actor.of(plan_manager), action=action(), decided_on=ANSWERED,
                                       reasons="No evidence the structure is embedded in the people strategy.",
                                       today=TODAY)
    reopened = action()
    assert reopened.lifecycle == Lifecycle.IN_PROGRESS
    assert row_as_at(TODAY).external_text.startswith("Closure refused by HMICFRS on 01/02/2022: No evidence")


def test_only_in_order_and_only_by_a_plan_manager(completed, plan_manager, owner, demo):
    with pytest.raises(ValidationError, match="not waiting for an outside body"):
        external.action_closed_externally(actor=Actor.of(plan_manager), action=action(), letter="x",
                                          decided_on=ANSWERED, today=TODAY)
    with pytest.raises(PermissionDenied):
        external.action_submit_external(actor=Actor.of(owner), action=action(), body="HMICFRS", reference="",
                                        submitted_on=SUBMITTED, today=TODAY)
    with pytest.raises(ValidationError, match="only a completed action"):
        external.action_submit_external(actor=Actor.of(plan_manager), action=action("3.1"), body="HMICFRS",
                                        reference="", submitted_on=SUBMITTED, today=TODAY)
    with pytest.raises(ValidationError, match="completed on 6 December 2021: it can only have been submitted"):
        external.action_submit_external(actor=Actor.of(plan_manager), action=action(), body="HMICFRS",
                                        reference="", submitted_on=date(2021, 12, 1), today=TODAY)
    submit(plan_manager)
    with pytest.raises(ValidationError, match="already waiting for HMICFRS"):
        submit(plan_manager)
    with pytest.raises(ValidationError, match="cannot be before the submission"):
        external.action_refused_externally(actor=Actor.of(plan_manager), action=action(), reasons="No.",
                                           decided_on=date(2021, 12, 9), today=TODAY)


def test_a_json_export_restores_it_in_the_rows_and_the_history(completed, plan_manager):
    from actiontrack.interchange.exporting import export_json
    from tests.interchange.helpers import run_import

    submit(plan_manager)
    report = run_import(export_json.render(Plan.objects.get(reference="PIP-PR")), "pip.json", "PIP-COPY",
                        apply=True)
    assert report.restore and not report.errors, report.errors
    copy = Action.objects.get(plan__reference="PIP-COPY", ref="5.1")
    assert copy.external_closure == action().external_closure
    restored = next(a for a in plan_as_at(copy.plan, TODAY).actions if a.ref == "5.1")
    assert restored.external_text.startswith("Submitted to HMICFRS for closure on 10/12/2021")

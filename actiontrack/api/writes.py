"""Writing: the owner's progress update, date proposal and completion; the verifier's close and return. Each
handler finds the plan (404 for anyone who cannot see it), then calls the same service the web calls, so the
same person is refused with the same words; errors.py turns the refusal into JSON."""


from django.http import Http404
from ninja import Path, Status

from actiontrack.plans import selectors
from actiontrack.plans.selectors.comments import CommentView
from actiontrack.plans.selectors.measures import measure_as_at
from actiontrack.plans.selectors.progress import latest_progress
from actiontrack.plans.services import comments, measures, workflow

from . import common
from .common import action_or_404, plan_or_404
from .errors import WRITE, WRITE_WITH_VERSION
from .reads import Ref, Reference, router
from .schemas import (
    MAX_ID,
    ActionOut,
    CommentIn,
    CommentOut,
    CompleteIn,
    MeasureOut,
    MeasureValueIn,
    ProposalIn,
    ProposalOut,
    ReturnIn,
    UpdateIn,
    UpdateOut,
    VerifyIn,
)

MeasureId = Path(..., ge=1, le=MAX_ID)
WRITING = ["Writing"]  # the same router as reading: a path with GET and POST must be one route


def _found(request, reference: str, ref: str):
    plan = plan_or_404(request.auth, reference)
    return plan, action_or_404(plan, ref)


def _action_now(plan, action) -> dict:
    day = common.today()
    row = selectors.action_as_at(plan, action, max(day, plan.agreed_on))
    as_at = max(day, plan.agreed_on)
    return common.action_out(plan, row, as_at, {name: pk for pk, name in common.post_names().items()},
                             latest_progress(plan, as_at, [row.id]).get(row.id))


@router.post("/plans/{reference}/actions/{ref}/updates", response={200: UpdateOut, **WRITE_WITH_VERSION},
             summary="Write or edit this period's progress update (owners)", tags=WRITING)
def update_save(request, payload: UpdateIn, reference: str = Reference, ref: str = Ref):
    """One update per action per reporting period, for this period or (until the plan manager locks it) the one
    before. To edit an existing update, send the `version` you last saw as `expected_version`: if someone else
    has saved since, or it is left out, nothing is saved and the answer is 409 with what is stored now."""
    _, action = _found(request, reference, ref)
    update = workflow.update_save(actor=common.actor(request), action=action, text=payload.text,
                                  today=common.today(), expected_version=payload.expected_version,
                                  period_start=payload.period)
    return common.update_out(update, action.ref)


@router.post("/plans/{reference}/actions/{ref}/proposals", response={201: ProposalOut, **WRITE},
             summary="Propose a new due date, with a reason (owners)", tags=WRITING)
def date_propose(request, payload: ProposalIn, reference: str = Reference, ref: str = Ref):
    """Nothing changes until a plan manager accepts; one proposal at a time."""
    _, action = _found(request, reference, ref)
    proposal = workflow.date_propose(actor=common.actor(request), action=action, due_on=payload.due_on,
                                     due_condition=payload.due_condition, reason=payload.reason,
                                     today=common.today())
    return Status(201, common.proposal_out(proposal, action.ref))


@router.post("/plans/{reference}/actions/{ref}/complete", response={200: ActionOut, **WRITE},
             summary="Mark an action complete (owners; needs evidence)", tags=WRITING)
def action_complete(request, payload: CompleteIn, reference: str = Reference, ref: str = Ref):
    """The action then awaits verification by a verifier who does not own it."""
    plan, action = _found(request, reference, ref)
    today = common.today()
    action = workflow.action_complete(actor=common.actor(request), action=action,
                                      completed_on=payload.completed_on or today, today=today, note=payload.note)
    return _action_now(plan, action)


@router.post("/plans/{reference}/actions/{ref}/verify", response={200: ActionOut, **WRITE},
             summary="Verify and close a completed action (verifiers who do not own it)", tags=WRITING)
def action_verify(request, payload: VerifyIn, reference: str = Reference, ref: str = Ref):
    plan, action = _found(request, reference, ref)
    action = workflow.action_verify(actor=common.actor(request), action=action, today=common.today(),
                                    comment=payload.comment, without_evidence=payload.without_evidence)
    return _action_now(plan, action)


@router.post("/plans/{reference}/actions/{ref}/return", response={200: ActionOut, **WRITE},
             summary="Return a completed action to its owner, saying why (verifiers)", tags=WRITING)
def action_return(request, payload: ReturnIn, reference: str = Reference, ref: str = Ref):
    plan, action = _found(request, reference, ref)
    action = workflow.action_return(actor=common.actor(request), action=action, comment=payload.comment,
                                    today=common.today())
    return _action_now(plan, action)


@router.post("/plans/{reference}/actions/{ref}/comments", response={201: CommentOut, **WRITE},
             summary="Comment on an action (its plan managers, verifiers and owners)", tags=WRITING)
def comment_add(request, payload: CommentIn, reference: str = Reference, ref: str = Ref):
    _, action = _found(request, reference, ref)
    comment = comments.comment_add(actor=common.actor(request), action=action, text=payload.text,
                                   today=common.today())
    return Status(201, common.comment_out(CommentView(comment), action.ref))


@router.post("/plans/{reference}/measures/{measure_id}/values", response={200: MeasureOut, **WRITE},
             summary="Record a measure's value for a period (its owners and plan managers)", tags=WRITING)
def measure_record(request, payload: MeasureValueIn, reference: str = Reference, measure_id: int = MeasureId):
    """The value for the period containing `period`, rated against the target in force; recording a period
    again replaces its value (both are in the journal)."""
    plan = plan_or_404(request.auth, reference)
    measure = plan.measures.filter(pk=measure_id).first()
    if measure is None:
        raise Http404(f"There is no measure {measure_id} in {plan.reference}.")
    today = common.today()
    measures.measure_record(actor=common.actor(request), measure=measure, day=payload.period,
                            value=str(payload.value), today=today)
    return common.measure_out(measure_as_at(measure, today))

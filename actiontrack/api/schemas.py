"""What the API sends and accepts. Labels come from the one place each vocabulary is defined (choices.py, the
RAG scheme), so the API says "Red – Overdue" exactly as the web and the board report do."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, BeforeValidator, StrictInt, field_validator

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.text import Limit

RagColour = Literal["red", "amber", "green", "blue", "grey"]
REFERENCE_PATTERN = r"^[-a-zA-Z0-9_]{1,40}$"
REF_PATTERN = r"^[A-Za-z0-9._-]{1,120}$"  # an action's address part (its slug): domain.references.slug_of
MAX_ID = 2**63 - 1  # the largest id the databases store
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value):
    """Dates are written YYYY-MM-DD, and nothing else: no numbers read as seconds since 1970, no times."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value) or isinstance(value, date | type(None)):
        return value
    raise ValueError("Give the date as YYYY-MM-DD, e.g. 2021-11-30")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


# Errors -------------------------------------------------------------------------------------------------------

class Error(Schema):
    detail: str = Field(description="What went wrong, in words")
    field: str | None = Field(None, description="The parameter or body field it is about, if any")


class Conflict(Error):
    current: dict[str, Any] = Field(description="What is stored now, as someone else saved it")
    current_version: int = Field(description="Send this as expected_version to replace what is stored now")


# Reads --------------------------------------------------------------------------------------------------------
# Actions are built as dicts, so their shapes are plain pydantic models: ninja's Schema reads every field
# through a getter meant for ORM objects, which costs more than the rest of an action list request.

class RatingOut(BaseModel):
    colour: RagColour
    band: str = Field(description="The band's key in the plan's RAG scheme")
    label: str = Field(description="Status as text, e.g. 'Red – Overdue'")
    reason: str = Field(description="Why, e.g. 'due 31/05/2021, not complete on 30/11/2021'")


class ProgressOut(BaseModel):
    text: str = Field(description="The owner's latest progress update for a period starting on or before the as-at "
                                  "date")
    period_start: date
    period: str = Field(description="The reporting period it is for, e.g. 'November 2021'")
    author: str
    for_as_at_period: bool = Field(description="Whether it is the update for the as-at date's period (a board "
                                               "paper shows 'No update for …' otherwise)")


class OwnerOut(BaseModel):
    post_id: int | None
    post: str
    holder: str = Field(description="Who held the post on the as-at date; empty if nobody is recorded")
    supporting: bool = Field(description="A supporting owner beside the lead (e.g. an operational lead)")


class ActionOut(BaseModel):
    id: int
    plan: str = Field(description="The plan's reference")
    ref: str = Field(description="The action's reference as its source gives it (e.g. 'E1b'), or derived from its "
                                 "recommendation's (e.g. '2.1')")
    slug: str = Field(description="The reference as it appears in addresses: /plans/{reference}/actions/{slug}")
    recommendation: str = Field(description="Its recommendation's reference, e.g. '2' or 'AFI 3'")
    group: str = Field(description="The group its recommendation is in (theme, directorate ...); empty if none")
    text: str
    owners: list[OwnerOut]
    owners_text: str
    due_on: date | None
    due_condition: str
    due_text: str = Field(description="The due date as shown, e.g. '31/12/2021 (On Approval)'")
    baseline_on: date | None
    revisions: int = Field(description="Due-date changes in force by the as-at date")
    slip_days: int
    lifecycle: Lifecycle
    lifecycle_label: str
    lifecycle_reason: str
    completed_on: date | None
    as_at: date
    rating: RatingOut
    progress: ProgressOut | None = Field(description="The latest progress update; null if none was ever written")
    web_url: str


class BandCount(Schema):
    band: str
    colour: RagColour
    label: str
    count: int


class PlanOut(Schema):
    reference: str
    title: str
    organisation: str
    source_kind: str
    source_kind_label: str
    source_body: str
    board: str
    classification: str
    agreed_on: date
    reported_on: date | None
    rag_scheme: str
    rag_window_days: int
    reminder_window_days: int = Field(description="Owners are reminded of an open action due within this many days")
    reporting_period: str
    your_roles: list[Literal["manager", "verifier", "viewer", "owner"]]
    web_url: str


class PlanDetailOut(PlanOut):
    background: str
    documents_reviewed: list[str]
    as_at: date
    actions: int
    counts: list[BandCount] = Field(description="Actions by RAG band as at the date, in the scheme's order")


class RecommendationOut(Schema):
    id: int
    ref: str = Field(description="The reference its source gives it, as text: '3', 'AFI 3', '33.22c'")
    slug: str
    group: str = Field(description="The group it is in (theme, directorate ...); empty if none")
    source: str = Field(description="The review it comes from, where the plan brings several together")
    kind: str
    kind_label: str
    text: str
    headline: str
    actions: list[str] = Field(description="Refs of its actions as at the date")


class HoldingOut(Schema):
    holder: str
    starts_on: date
    ends_on: date | None


class PostOut(Schema):
    id: int
    name: str
    aliases: list[str]
    holders: list[HoldingOut]


class JournalEventOut(Schema):
    id: int
    entity_type: str
    entity_id: int
    field: str
    old: Any
    new: Any
    reason: str
    actor: str
    source: str
    recorded_at: datetime
    effective_on: date


class UpdateOut(Schema):
    id: int
    action: str = Field(description="The action's ref")
    period_start: date
    period: str = Field(description="The reporting period, e.g. 'December 2021'")
    text: str
    author: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Send as expected_version when editing, to be told of someone else's save")


class ProposalOut(Schema):
    id: int
    action: str
    due_on: date
    due_condition: str
    due_text: str
    reason: str
    status: Literal["pending", "accepted", "rejected", "withdrawn"]
    status_label: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str
    decided_at: datetime | None
    decision_comment: str


class EvidenceOut(Schema):
    id: int
    action: str
    kind: Literal["file", "link"]
    title: str
    url: str = Field(description="For a link: where it points")
    original_name: str
    content_type: str
    size: int
    sha256: str
    added_by: str
    added_at: datetime
    held: bool = Field(description="False for a file listed without its contents: a plan restored from a JSON "
                                   "export lists its evidence files by name and SHA-256 but does not hold them")
    download_url: str | None = Field(description="For a file held here: where to download it with your token")


# Writes -------------------------------------------------------------------------------------------------------

class Input(Schema):
    """Text the databases can store: no NUL characters, no lone surrogates (the web's forms refuse the same)."""

    @field_validator("*", mode="before")
    @classmethod
    def storable(cls, value):
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError("Null characters are not allowed.")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("The text is not valid Unicode.") from None
        return value


class UpdateIn(Input):
    model_config = {"json_schema_extra": {"examples": [
        {"text": "Consultation on the restructure closed; responses are being analysed."}]}}

    text: str = Field(min_length=1, max_length=Limit.UPDATE,
                      description=f"The progress narrative for the reporting period, at most {Limit.UPDATE:,} "
                                  "characters")
    expected_version: StrictInt | None = Field(
        None, description="Needed to edit an existing update: the `version` you last saw. If it is left out, or "
                          "someone else has saved since, the answer is 409 with what is stored now")
    period: IsoDate | None = Field(
        None, description="Any date in the reporting period the update is for (YYYY-MM-DD): this period if left "
                          "out; the period before is allowed until the plan manager locks it")


class ProposalIn(Input):
    model_config = {"json_schema_extra": {"examples": [
        {"due_on": "2027-03-31", "due_condition": "", "reason": "The consultation was extended by three months."}]}}

    due_on: IsoDate = Field(description="The proposed due date (YYYY-MM-DD)")
    due_condition: str = Field("", max_length=Limit.CONDITION, description="Optional condition, e.g. 'On Approval'")
    reason: str = Field(min_length=1, max_length=Limit.REASON, description="Why the date should change")


class CompleteIn(Input):
    completed_on: IsoDate | None = Field(None, description="When it was completed (YYYY-MM-DD); today if left out")
    note: str = Field("", max_length=Limit.REASON, description="What was done, for the verifier and the history")


class VerifyIn(Input):
    comment: str = Field("", max_length=Limit.REASON, description="What you checked, or (with `without_evidence`) "
                                                                  "why it is closed without evidence")
    without_evidence: bool = Field(False, description="Close an action that has no evidence: `comment` is then the "
                                                      "required reason, and the action shows as Closed without "
                                                      "evidence")


class ReturnIn(Input):
    comment: str = Field(min_length=1, max_length=Limit.REASON,
                         description="Why it goes back to the owner; the owner sees it in the history")


class CommentOut(Schema):
    id: int
    action: str = Field(description="The action's ref")
    author: str
    text: str
    mentions: list[str] = Field(description="Usernames of the people the comment mentions")
    earlier: list[str] = Field(description="What the comment said before each edit, oldest first")
    created_at: datetime
    edited_at: datetime | None
    version: int = Field(description="Send as expected_version when editing")


class CommentIn(Schema):
    text: str = Field(description="The comment; @username mentions someone who can see the action")


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    plan: str
    action: str
    text: str
    created_at: datetime
    read: bool


class MeasureValueOut(Schema):
    period: str = Field(description="The period, as people say it: 'Q3 2021' or 'September 2021'")
    period_start: date
    value: float
    target: float = Field(description="The target in force for that period")
    tolerance: float
    rating: str = Field(description="on_target, within_tolerance or off_target")
    rating_label: str = Field(description="Its colour and meaning as text: 'Red – Off target'")
    colour: str
    reason: str = Field(description="Why, in words: '9 audits in Q3 2021 against a target of 12 audits, 3 short'")
    recorded_by: str
    recorded_on: date


class MeasureOut(Schema):
    id: int
    name: str
    recommendation: str = Field(description="The recommendation's ref")
    action: str | None = Field(description="The action's ref, where the measure is one action's")
    unit: str
    direction: str = Field(description="higher or lower: which way is better")
    period: str = Field(description="monthly or quarterly")
    target: float = Field(description="The target in force now")
    tolerance: float
    hold_periods: int = Field(description="Periods on target in a row for the change to count as having held")
    held: bool = Field(description="Whether it had held by the date (assurance counts it)")
    held_until: str | None = Field(description="The last period by which it had held (the latest when it holds; "
                                               "an earlier one when it held and then slipped); null if it never had")
    values: list[MeasureValueOut] = Field(description="Each period's value up to the date, oldest first")


class MeasureValueIn(Schema):
    period: date = Field(description="Any day in the period the value is for (begun by today)")
    value: float

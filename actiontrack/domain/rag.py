"""RAG ratings: a pure function of an action's facts, a date and a scheme.

A scheme is data — bands (colour, label, meaning) and ordered rules — so a new scheme is a new value,
not a new code branch. The first rule whose condition holds decides the band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .deadlines import is_due_within, is_overdue
from .lifecycle import Lifecycle
from .ukdates import format_due, format_short


class Condition(StrEnum):
    CANCELLED = "cancelled"
    CLOSED = "closed"  # completed and verified
    COMPLETE = "complete"  # completed, verified or not
    UNDATED = "undated"  # not complete and no due date set yet: nothing to rate it against
    OVERDUE = "overdue"  # not complete and the due date has passed
    DUE_WITHIN = "due_within"  # not complete and due within `days` of the as-at date
    OTHERWISE = "otherwise"


@dataclass(frozen=True)
class Band:
    key: str
    colour: str  # a colour name the outputs know: red, amber, green, blue, grey
    label: str  # "Red"
    meaning: str  # "Overdue"
    in_key: bool = True  # listed in the key printed on reports

    @property
    def title(self) -> str:
        """Status as text, as every output shows it: "Red – Overdue"."""
        return f"{self.label} – {self.meaning}"


@dataclass(frozen=True)
class Rule:
    condition: Condition
    band: str
    days: int = 0


@dataclass(frozen=True)
class RagScheme:
    key: str
    name: str
    bands: tuple[Band, ...]
    rules: tuple[Rule, ...]

    def band(self, key: str) -> Band:
        for band in self.bands:
            if band.key == key:
                return band
        raise KeyError(f"scheme {self.key!r} has no band {key!r}")

    def __post_init__(self):
        keys = {band.key for band in self.bands}
        for rule in self.rules:
            if rule.band not in keys:
                raise ValueError(f"scheme {self.key!r}: rule {rule.condition} names unknown band {rule.band!r}")
        if not self.rules or self.rules[-1].condition is not Condition.OTHERWISE:
            raise ValueError(f"scheme {self.key!r} must end with an 'otherwise' rule so every action is rated")


@dataclass(frozen=True)
class ActionFacts:
    """What a rating depends on, as the action stood on the as-at date."""

    lifecycle: Lifecycle
    due_on: date | None
    due_condition: str = ""
    completed_on: date | None = None
    closed_without_evidence: bool = False
    closed_by: str = ""  # the outside body whose letter closed it (domain.external), if one did


@dataclass(frozen=True)
class Rating:
    band: Band
    reason: str

    @property
    def colour(self) -> str:
        return self.band.colour

    @property
    def label(self) -> str:
        return self.band.title


# How each colour name is drawn, for every output that draws (the web stylesheet, SVG charts, DOCX shading,
# PDF, XLSX fills): the strong colour for chart bars with the text that reads on it, and the light fill with its
# dark text for labelled cells. Every text pair meets WCAG AA contrast (4.5:1), and every two colours' fills,
# and strong colours, are far apart (tests/domain/test_colours.py): amber is a yellow amber, never the pinkish
# orange that looks like red's fill.
COLOURS = {
    "red": {"strong": "#d4351c", "on_strong": "#ffffff", "fill": "#f4cdc6", "text": "#2a0b06"},
    "amber": {"strong": "#ffbf00", "on_strong": "#0b0c0c", "fill": "#ffdd66", "text": "#3d2e00"},
    "green": {"strong": "#00703c", "on_strong": "#ffffff", "fill": "#cce2d8", "text": "#005a30"},
    "blue": {"strong": "#1d70b8", "on_strong": "#ffffff", "fill": "#bbd4ea", "text": "#0c2d4a"},
    "grey": {"strong": "#505a5f", "on_strong": "#ffffff", "fill": "#e5e6e7", "text": "#282d30"},
}

CANCELLED_BAND = Band("cancelled", "grey", "Grey", "Cancelled", in_key=False)
# An open action with no due date has nothing to be rated against: it is listed as such, never as on track.
UNDATED_BAND = Band("undated", "grey", "Grey", "No date set", in_key=False)

DEFAULT = RagScheme(
    key="rag",
    name="RAG (Red – Overdue, Amber – On track, Green – Complete)",
    bands=(
        Band("red", "red", "Red", "Overdue"),
        Band("amber", "amber", "Amber", "On track but to be completed"),
        Band("green", "green", "Green", "Complete"),
        UNDATED_BAND,
        CANCELLED_BAND,
    ),
    rules=(
        Rule(Condition.CANCELLED, "cancelled"),
        Rule(Condition.COMPLETE, "green"),
        Rule(Condition.UNDATED, "undated"),
        Rule(Condition.OVERDUE, "red"),
        Rule(Condition.OTHERWISE, "amber"),
    ),
)


def brag(at_risk_days: int = 14) -> RagScheme:
    """Blue = closed, Green = on track, Amber = due within `at_risk_days`, Red = overdue."""
    if at_risk_days < 1:
        raise ValueError("the at-risk window must be at least one day")
    return RagScheme(
        key="brag",
        name=f"BRAG (Amber when due within {at_risk_days} days)",
        bands=(
            Band("red", "red", "Red", "Overdue"),
            Band("amber", "amber", "Amber", f"At risk – due within {at_risk_days} days"),
            Band("green", "green", "Green", "On track"),
            Band("blue", "blue", "Blue", "Closed"),
            UNDATED_BAND,
            CANCELLED_BAND,
        ),
        rules=(
            Rule(Condition.CANCELLED, "cancelled"),
            Rule(Condition.CLOSED, "blue"),
            Rule(Condition.COMPLETE, "green"),
            Rule(Condition.UNDATED, "undated"),
            Rule(Condition.OVERDUE, "red"),
            Rule(Condition.DUE_WITHIN, "amber", days=at_risk_days),
            Rule(Condition.OTHERWISE, "green"),
        ),
    )


SCHEME_KEYS = {"rag": "RAG (source report key)", "brag": "BRAG (with an at-risk window)"}


def scheme_for(key: str, at_risk_days: int = 14) -> RagScheme:
    if key == "rag":
        return DEFAULT
    if key == "brag":
        return brag(at_risk_days)
    raise KeyError(f"unknown RAG scheme {key!r}; known: {', '.join(SCHEME_KEYS)}")


def _holds(rule: Rule, facts: ActionFacts, as_at: date) -> bool:
    life = facts.lifecycle
    match rule.condition:
        case Condition.CANCELLED:
            return life is Lifecycle.CANCELLED
        case Condition.CLOSED:
            return life is Lifecycle.CLOSED
        case Condition.COMPLETE:
            return life.is_complete
        case Condition.UNDATED:
            return not life.is_complete and facts.due_on is None
        case Condition.OVERDUE:
            return is_overdue(life, facts.due_on, as_at)
        case Condition.DUE_WITHIN:
            return is_due_within(life, facts.due_on, as_at, rule.days)
        case Condition.OTHERWISE:
            return True
    raise AssertionError(rule.condition)


def _completion(facts: ActionFacts) -> str:
    """"completed on 01/12/2026", saying how late when it was done after its due date."""
    if facts.completed_on is None:
        return "completed"
    said = f"completed on {format_short(facts.completed_on)}"
    if facts.due_on is not None and facts.completed_on > facts.due_on:
        late = (facts.completed_on - facts.due_on).days
        said += f", {late:,} day{'s' if late != 1 else ''} after its due date"
    return said


def _reason(condition: Condition, facts: ActionFacts, as_at: date) -> str:
    due = format_due(facts.due_on, facts.due_condition)
    on = format_short(as_at)
    paused = "; paused" if facts.lifecycle is Lifecycle.PAUSED else ""
    match condition:
        case Condition.CANCELLED:
            return "cancelled; no longer rated"
        case Condition.CLOSED | Condition.COMPLETE:
            if facts.lifecycle is Lifecycle.COMPLETED:
                return f"{_completion(facts)}; awaiting verification"
            if facts.closed_without_evidence:
                return f"{_completion(facts)}; closed without evidence"
            if facts.closed_by:
                return f"{_completion(facts)}; closed by {facts.closed_by}"
            return f"{_completion(facts)} and verified"
        case Condition.UNDATED:
            return f"no due date set, not complete on {on}{paused}"
    if facts.due_on is None:
        return f"no due date set, not complete on {on}{paused}"
    days = (facts.due_on - as_at).days
    if days < 0:
        return f"due {due}, not complete on {on}{paused}"
    if days == 0:
        return f"due {due}, which is today ({on}){paused}"
    return f"due {due}, {days} day{'s' if days != 1 else ''} left on {on}{paused}"


def _rule(facts: ActionFacts, as_at: date, scheme: RagScheme) -> Rule:
    for rule in scheme.rules:
        if _holds(rule, facts, as_at):
            return rule
    raise AssertionError("a scheme always ends with an 'otherwise' rule")


def rate(facts: ActionFacts, as_at: date, scheme: RagScheme = DEFAULT) -> Rating:
    """Rate an action as at a date. Pure: the same facts, date and scheme always give the same rating."""
    rule = _rule(facts, as_at, scheme)
    return Rating(scheme.band(rule.band), _reason(rule.condition, facts, as_at))


def band_of(facts: ActionFacts, as_at: date, scheme: RagScheme = DEFAULT) -> Band:
    """The band `rate` gives, without its reason: what counts need. A band depends only on the lifecycle and the
    due date, so the dashboard rates each pair once however many actions share it."""
    return scheme.band(_rule(facts, as_at, scheme).band)


def count_by_band(ratings, scheme: RagScheme) -> dict[str, int]:
    """Counts per band key, in the scheme's band order, zeros included."""
    counts = {band.key: 0 for band in scheme.bands}
    for rating in ratings:
        counts[rating.band.key] += 1
    return counts


def due_cutoffs(scheme: RagScheme, as_at: date, windows: tuple[int, ...] = ()) -> list[date]:
    """The due dates at which, as at `as_at`, an action's band by `scheme` — or whether it is overdue or due
    within any of `windows` days — can change. Between two cutoffs every due date rates the same (given the
    same lifecycle), so counts can be grouped by interval (`due_interval`) in the database and each interval
    rated once here. The rules compare a due date with the as-at date (overdue: before it) and with the end of
    a window (due within N days: up to as_at + N)."""
    days = {rule.days for rule in scheme.rules if rule.condition is Condition.DUE_WITHIN} | set(windows)
    return sorted({as_at} | {as_at + timedelta(days=n + 1) for n in days})


def due_interval(due_on: date | None, cutoffs: list[date]) -> date | None:
    """A due date standing for every due date in `due_on`'s interval between cutoffs: the day before the first
    cutoff for the dates before it, otherwise the cutoff that starts the interval. None stays None."""
    if due_on is None:
        return None
    if due_on < cutoffs[0]:
        return cutoffs[0] - timedelta(days=1)
    return max(cutoff for cutoff in cutoffs if cutoff <= due_on)

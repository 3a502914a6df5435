"""Assurance: how sure we are that an action worked, beside RAG (which says whether it is on time). Boards ask for
it in internal audit's words — Substantial, Reasonable, Limited, No assurance — and every level carries its reason.

Like a RAG scheme it is data: ordered rules over what the record holds, the first that holds deciding. The default
scheme reads: closed by the outside body that must authorise it, or a measure that held its target → Substantial;
evidence verified by someone other than the owner → Reasonable; completed on the owner's word only, or closed
without evidence → Limited; not yet done → No assurance. Cancelled actions are not assessed.

Pure: no Django, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .external import CLOSED as EXTERNALLY_CLOSED
from .external import external_text
from .lifecycle import Lifecycle


@dataclass(frozen=True)
class Level:
    key: str
    label: str  # "Reasonable assurance"
    colour: str  # a colour name the outputs know: green, blue, amber, red, grey
    rank: int  # higher is surer; a recommendation is as sure as its least sure action

    @property
    def title(self) -> str:
        return self.label


SUBSTANTIAL = Level("substantial", "Substantial assurance", "green", 4)
REASONABLE = Level("reasonable", "Reasonable assurance", "blue", 3)
LIMITED = Level("limited", "Limited assurance", "amber", 2)
NO_ASSURANCE = Level("none", "No assurance", "red", 1)
NOT_ASSESSED = Level("not_assessed", "Not assessed", "grey", 0)
LEVELS = (SUBSTANTIAL, REASONABLE, LIMITED, NO_ASSURANCE, NOT_ASSESSED)


class Fact(StrEnum):
    CANCELLED = "cancelled"
    CLOSED_EXTERNALLY = "closed_externally"  # closed by the outside body it was submitted to
    MEASURE_HELD = "measure_held"  # a measure of it met its target for the periods the scheme asks
    VERIFIED = "verified"  # closed after someone other than the owner checked its evidence
    CLOSED_WITHOUT_EVIDENCE = "closed_without_evidence"
    OWNERS_WORD = "owners_word"  # completed by its owner, not yet verified
    OTHERWISE = "otherwise"


@dataclass(frozen=True)
class Rule:
    fact: Fact
    level: Level
    reason: str  # may name {external}: how the outside body's closure reads


@dataclass(frozen=True)
class AssuranceScheme:
    key: str
    name: str
    rules: tuple[Rule, ...]


DEFAULT = AssuranceScheme("default", "Internal audit's four levels, from what the record holds", (
    Rule(Fact.CANCELLED, NOT_ASSESSED, "cancelled: not assessed"),
    Rule(Fact.CLOSED_EXTERNALLY, SUBSTANTIAL, "{external}"),
    Rule(Fact.MEASURE_HELD, SUBSTANTIAL, "its measure met its target for the periods set"),
    Rule(Fact.VERIFIED, REASONABLE, "evidence verified independently of the owner"),
    Rule(Fact.CLOSED_WITHOUT_EVIDENCE, LIMITED, "closed without evidence"),
    Rule(Fact.OWNERS_WORD, LIMITED, "completed on the owner's word; evidence not yet verified"),
    Rule(Fact.OTHERWISE, NO_ASSURANCE, "not yet complete"),
))
SCHEMES = {DEFAULT.key: DEFAULT}


@dataclass(frozen=True)
class AssuranceFacts:
    lifecycle: Lifecycle
    closed_without_evidence: bool = False
    external: dict | None = None  # domain.external's value
    measure_held: bool = False


@dataclass(frozen=True)
class Assurance:
    level: Level
    reason: str

    @property
    def text(self) -> str:
        """ "Reasonable assurance: evidence verified independently of the owner" """
        return f"{self.level.label}: {self.reason}"


def _holds(fact: Fact, facts: AssuranceFacts) -> bool:
    # Only the fact asked about is worked out: a plan page asks this thousands of times.
    life = facts.lifecycle
    if fact == Fact.CANCELLED:
        return life is Lifecycle.CANCELLED
    if fact == Fact.CLOSED_EXTERNALLY:
        return life.is_complete and bool(facts.external) and facts.external["status"] == EXTERNALLY_CLOSED
    if fact == Fact.MEASURE_HELD:
        return facts.measure_held and life.is_complete
    if fact == Fact.VERIFIED:
        return life is Lifecycle.CLOSED and not facts.closed_without_evidence
    if fact == Fact.CLOSED_WITHOUT_EVIDENCE:
        return life is Lifecycle.CLOSED and facts.closed_without_evidence
    if fact == Fact.OWNERS_WORD:
        return life is Lifecycle.COMPLETED
    if fact == Fact.OTHERWISE:
        return True
    raise KeyError(fact)


def _rule(facts: AssuranceFacts, scheme: AssuranceScheme) -> Rule:
    """The first rule of the scheme whose fact holds decides."""
    for rule in scheme.rules:
        if _holds(rule.fact, facts):
            return rule
    raise ValueError(f"assurance scheme {scheme.key!r} has no rule for this action")  # OTHERWISE always holds


def assure(facts: AssuranceFacts, scheme: AssuranceScheme = DEFAULT) -> Assurance:
    rule = _rule(facts, scheme)
    return Assurance(rule.level, rule.reason.format(external=external_text(facts.external)))


def level_of(facts: AssuranceFacts, scheme: AssuranceScheme = DEFAULT) -> Level:
    """The level alone (counting needs no reason: `external` may then hold only its status)."""
    return _rule(facts, scheme).level


def least(assurances: list[Assurance]) -> Assurance | None:
    """A recommendation's assurance: its least sure assessed action's (None if none is assessed)."""
    assessed = [a for a in assurances if a.level is not NOT_ASSESSED]
    return min(assessed, key=lambda a: a.level.rank) if assessed else None

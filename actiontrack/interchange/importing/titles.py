"""Which text in a document is its plan's title. Committee papers head a plan with a label ("Appendix 1",
"Annex B"); workbooks open with a cover, a read-me or a contents sheet; neither names the plan. And what kind of
source a title names (an HMICFRS inspection, the Grenfell Tower Inquiry, a peer review, an audit)."""

from __future__ import annotations

import re

_LABEL = re.compile(r"^(?:(?:appendix|annex|annexe|schedule|enclosure|item|agenda item)\s*[\w.]{0,6}"
                    r"|contents|table of contents|read ?me|how to use (?:this|the) (?:tracker|workbook|plan)"
                    r"|key|cover|instructions|notes)[.:]?$", re.I)
_TITLE_WORD = re.compile(r"\b(?:plan|tracker|register|recommendations?|improvement|actions?|inspection|review|"
                         r"inquiry|audit|follow-up)\b", re.I)


def is_label(text: str) -> bool:
    """A heading that labels the document's place in a pack, or a sheet's purpose, rather than naming the plan."""
    return bool(_LABEL.match(" ".join(text.split())))


def title_from(texts: list[str]) -> str:
    """The first of `texts` (above a tracker's header) that is not a label."""
    return next((text for text in texts if not is_label(text) and len(text) <= 200), "")


def title_from_cover(texts: list[str]) -> str:
    """From a sheet that is not a tracker (a cover): the first text that names a plan, else ""."""
    return next((text for text in texts if not is_label(text) and len(text) <= 200 and _TITLE_WORD.search(text)),
                "")


# The source a title names, as plans.choices.SourceKind values (this module has no Django): the first that matches.
_SOURCE_KINDS = (
    ("hmicfrs", re.compile(r"\bHMICFRS\b|\bHMIC\b|\bHMI\b|inspectorate\s+of\s+(?:constabulary\s+and\s+)?fire|"
                           r"\bfire\s+(?:and|&)\s+rescue\s+(?:service\s+)?inspection\b", re.I)),
    ("grenfell", re.compile(r"\bgrenfell\b", re.I)),
    ("peer_review", re.compile(r"\bpeer[\s-]+(?:review|challenge)\b", re.I)),
    ("audit", re.compile(r"\baudit\b", re.I)),
)


def source_kind_of(title: str) -> str:
    """The kind of source a plan's title names: "HMICFRS inspection 2023 – action plan" and "Her Majesty's
    Inspectorate of Constabulary and Fire & Rescue Services" -> "hmicfrs"; "Grenfell Tower Inquiry Phase 1" ->
    "grenfell"; "LGA peer review" -> "peer_review"; "Internal audit follow-up" -> "audit"; "" when it names none."""
    text = " ".join((title or "").split())
    return next((kind for kind, pattern in _SOURCE_KINDS if pattern.search(text)), "")

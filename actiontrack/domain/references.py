"""References as sources write them ("3", "33.22c", "AFI 3", "CoC 1a", "E1b", "47, 48 and 49"), the address
part (slug) made from them, and the reference an action gets when its source gives none.

A reference is text, kept exactly as the source writes it; it is never renumbered. Display order is separate.
"""

from __future__ import annotations

import re

REF_MAX = 100  # characters in a reference: "Volume 2 recommendation 5" fits many times over
SLUG_MAX = 120

_NOT_SLUG = re.compile(r"[^A-Za-z0-9._]+", re.ASCII)


def clean_ref(text: str) -> str:
    """One line, single spaces, no surrounding space: how a reference is stored and compared."""
    return " ".join(str(text).split())


def slug_of(ref: str) -> str:
    """The address part for a reference: letters, digits, dots and underscores kept (so "2.1" stays "2.1" and
    old addresses keep working), every other run of characters one hyphen. "" when nothing is left."""
    slug = _NOT_SLUG.sub("-", clean_ref(ref)).strip("-.")
    return slug[:SLUG_MAX].rstrip("-.")


class TakenSlugs:
    """Slugs in use, compared without case (as people type addresses); one set for many new slugs at once."""

    def __init__(self, slugs=()):
        self._lowered = {slug.lower() for slug in slugs}

    def __contains__(self, slug: str) -> bool:
        return slug.lower() in self._lowered

    def add(self, slug: str) -> None:
        self._lowered.add(slug.lower())


def unique_slug(ref: str, taken, *, prefix: str = "", fallback: str = "item") -> str:
    """A slug not in `taken` (a set of slugs, or TakenSlugs): the reference's own, else with the group's prefix
    ("prevention-R3" for the second R3 of a plan), else numbered ("R3-2")."""
    lowered = taken if isinstance(taken, TakenSlugs) else TakenSlugs(taken)
    base = slug_of(ref) or fallback
    candidates = [base]
    if prefix and slug_of(prefix):
        candidates.append(f"{slug_of(prefix)[:40]}-{base}"[:SLUG_MAX])
    for candidate in candidates:
        if candidate not in lowered:
            return candidate
    n = 2
    while f"{base}-{n}" in lowered:
        n += 1
    return f"{base}-{n}"


def slug_stems(ref: str, *, prefix: str = "", fallback: str = "item") -> list[str]:
    """What every slug unique_slug may give for `ref` starts with (compared without case): so a caller need
    only pass it the slugs taken that start with one of these, not every slug of a plan of thousands."""
    stems = [slug_of(ref) or fallback]
    if prefix and slug_of(prefix):
        stems.append(slug_of(prefix)[:40])
    return stems


def derived_action_ref(recommendation_ref: str, number: int) -> str:
    """An action's reference when its source gives none: "2.1" for action 1 of recommendation 2 (the form the
    seed plan uses), "E1.1" for E1; where the recommendation's reference already has a dot or does not end in
    a number ("33.22c", "CoC 1a", "33.22", "47, 48 and 49"), a hyphen: "33.22c-1"."""
    ref = clean_ref(recommendation_ref)
    joiner = "." if ref[-1:].isascii() and ref[-1:].isdigit() and not set(ref) & {".", ","} else "-"
    return f"{ref}{joiner}{number}"


_PARTS = re.compile(r"([0-9]+)")


def natural_key(ref: str) -> tuple:
    """Sort key reading the numbers in a reference as numbers: "R2" before "R10", "2.9" before "2.10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in _PARTS.split(clean_ref(ref)) if part)

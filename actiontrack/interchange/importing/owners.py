"""Matching the owners an import names to posts: by the post's name or another spelling of it, or by the
name of someone who holds (or held) it, as older plans name officers ("AM Palmer"). Names that match no
post are listed, to be created only when the person confirms; names close to an existing post are flagged
as near-duplicates."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from actiontrack.people.models import Post
from actiontrack.people.selectors import normalise_post_name

from .values import owner_parts, split_known, tidy_owner

POST_NAME_MAX = Post._meta.get_field("name").max_length  # shorter than other one-line text: no post is made
EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}", re.I)

@dataclass
class Match:
    text: str  # the name as the file writes it
    post: Post | None  # None: not a post yet
    how: str  # "post", "spelling", "reordered", "holder", "account" (by e-mail address), "email" (no one), "new"
    detail: str = ""  # for the person: "held by AM Palmer from 01/01/2021", "looks like ..."
    similar: str = ""  # an existing post this new name is close to

    @property
    def post_name(self) -> str:
        return self.post.name if self.post else tidy_owner(self.text)


@dataclass
class Owners:
    """Every owner cell of an import, resolved."""

    cells: dict[str, list[Match]] = field(default_factory=dict)
    split: dict[str, list[str]] = field(default_factory=dict)  # cells read as several names run together
    new: dict[str, str] = field(default_factory=dict)  # normalised -> the first spelling seen
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # holder names held by several posts

    @property
    def matches(self) -> list[Match]:
        seen, found = set(), []
        for matches in self.cells.values():
            for match in matches:
                key = (normalise_post_name(match.text), match.post.pk if match.post else None)
                if key not in seen:
                    seen.add(key)
                    found.append(match)
        return found


def _similar(name: str, known: dict[str, str]) -> str:
    """The known post name closest to `name` if close enough to be a near-duplicate, else ""."""
    wanted = normalise_post_name(name)
    words = set(wanted.split())
    best, best_score = "", 0.0
    for key, post_name in known.items():
        ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
        other = set(key.split())
        overlap = len(words & other) / max(len(words | other), 1)
        score = max(ratio, overlap)
        if score > best_score:
            best, best_score = post_name, score
    return best if best_score >= 0.8 else ""


def resolve(owner_cells: list[str], on: date) -> Owners:
    """Resolve every owner cell once. `on` decides between posts when one holder name held several."""
    posts = list(Post.objects.prefetch_related("holdings__user"))
    by_name: dict[str, tuple[Post, str]] = {}
    names: dict[str, str] = {}  # normalised name or spelling -> post name, for near-duplicates
    holders: dict[str, list] = {}
    for post in posts:
        by_name.setdefault(normalise_post_name(post.name), (post, "post"))
        names[normalise_post_name(post.name)] = post.name
        for alias in post.alias_list:
            by_name.setdefault(normalise_post_name(alias), (post, "spelling"))
            names[normalise_post_name(alias)] = post.name
        for holding in post.holdings.all():
            holders.setdefault(normalise_post_name(holding.holder_name), []).append(holding)
            if holding.user is not None and holding.user.email:
                holders.setdefault(holding.user.email.lower(), []).append(holding)
    in_file: Counter = Counter()  # how many owner cells name each name, to split cells against the others
    for cell in owner_cells:
        in_file.update({normalise_post_name(part) for part in owner_parts(cell)} - {""})

    def known_besides(cell: str):
        own = {normalise_post_name(part) for part in owner_parts(cell)}

        def known(text: str) -> bool:
            key = normalise_post_name(text)
            return bool(key) and (key in by_name or key in holders or in_file[key] > (1 if key in own else 0))
        return known

    result = Owners()
    for cell in owner_cells:
        parts, split_words = split_known(cell, known_besides(cell))
        if split_words:
            result.split[cell] = parts
        result.cells[cell] = [_match(part, by_name, holders, names, on, result) for part in parts if part]
    return result


def _match(text: str, by_name: dict, holders: dict, names: dict, on: date, result: Owners) -> Match:
    address = EMAIL.fullmatch(text.strip(" <>"))
    if address:  # a person's address names their post through their account; never a post of its own
        holdings = holders.get(address.group(0).lower())
        if not holdings:
            return Match(text, None, "email", "no one with an account of this e-mail address holds a post")
        chosen = next((h for h in holdings if h.in_force_on(on)), max(holdings, key=lambda h: h.starts_on))
        return Match(text, chosen.post, "account", f"the account of {chosen.holder_name}, who holds "
                     f"{chosen.post.name} from {chosen.starts_on:%d/%m/%Y}")
    key = normalise_post_name(text)
    if key in by_name:
        post, how = by_name[key]
        plain = " ".join(text.lower().split()).strip(" .")
        if plain not in {" ".join(n.lower().split()).strip(" .") for n in [post.name, *post.alias_list]}:
            return Match(text, post, "reordered", f"the same words as {post.name!r} in another order or spelling")
        return Match(text, post, how, "" if how == "post" else f"another spelling of {post.name!r}")
    if key in holders:
        holdings = holders[key]
        posts = {h.post_id: h.post for h in holdings}
        chosen = next((h for h in holdings if h.in_force_on(on)), max(holdings, key=lambda h: h.starts_on))
        if len(posts) > 1:
            result.ambiguous[text] = sorted(p.name for p in posts.values())
        when = (f"held {chosen.post.name} from {chosen.starts_on:%d/%m/%Y} to {chosen.ends_on:%d/%m/%Y}"
                if chosen.ends_on else f"holds {chosen.post.name} from {chosen.starts_on:%d/%m/%Y}")
        return Match(text, chosen.post, "holder", f"{chosen.holder_name} {when}")
    spelling = result.new.setdefault(key, tidy_owner(text))
    similar = _similar(spelling, names) or _similar(spelling, {k: v for k, v in result.new.items() if k != key})
    return Match(text, None, "new", similar=similar)

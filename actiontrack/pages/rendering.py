"""Rendering a page, and refusing one. A page showing what was wrong with the input (a 400) has a <title>
starting "Error: " (the GOV.UK pattern); a refusal (PermissionDenied from a permission check or a service) is the
one refused page (pages/refused.html), status 403, worded for its area by a `Refusal`."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from actiontrack.core.journal import Actor
from actiontrack.plans.choices import EvidenceKind, ProposalStatus

from .lookups import MovedPermanently, actor

# The vocabularies templates compare values with, so no template spells a status as a bare string.
VOCABULARY = {"EvidenceKind": EvidenceKind, "ProposalStatus": ProposalStatus}


def render_page(request, template: str, context: dict, status: int = 200):
    """Render a full page. A 400 is a page showing what was wrong with the input, so its title says "Error: "
    (base.html reads `title_error`)."""
    return render(request, template, {**VOCABULARY, **context, "title_error": status == 400}, status=status)


# Unique to this process, so no page's own text can match it (what people typed is escaped: "<" never survives).
_MARK = f"kept-{secrets.token_hex(8)}"


def render_page_around(request, template: str, context: dict, kept: dict[str, bytes], status: int = 200):
    """render_page, with each of `kept` (a piece of the page kept as UTF-8 bytes by the read cache) put where the
    template shows the context variable of that name. A piece of hundreds of kilobytes (a plan's table) passed
    through the template is copied at every level of it as text, then encoded again: about two thirds of what a
    kept 500-action plan page cost to serve. Here it is copied once, as bytes. An empty piece is an empty string
    to the template (so `{% if piece %}` still reads as it would)."""
    marks = {name: f"<!--{_MARK}-{name}-->" for name, piece in kept.items() if piece}
    shown = {name: mark_safe(marks.get(name, "")) for name in kept}
    response = render_page(request, template, {**context, **shown}, status=status)
    content = response.content
    for name, mark in marks.items():
        content = content.replace(mark.encode(), kept[name], 1)
    response.content = content
    return response


@dataclass(frozen=True)
class Refusal:
    """How an area words the refused page: why (when the refusal itself does not say), what to do about it, and
    where to go. With `back_to_address`, the link goes back to the action or the plan the address names."""

    advice: str
    reason: str = ""
    title: str = "You cannot do this"
    home_text: str = "Back to your plans"
    back_to_address: bool = True


def _back(kwargs: dict) -> dict:
    """Where a refused person can go back to: the action or the plan named in the address, if any."""
    if "reference" in kwargs and "ref" in kwargs:
        return {"back": reverse("action", args=[kwargs["reference"], kwargs["ref"]]),
                "back_text": f"Back to action {kwargs['ref']}"}
    if "reference" in kwargs:
        return {"back": reverse("plan", args=[kwargs["reference"]]), "back_text": "Back to the plan"}
    return {"back": None, "back_text": ""}


def refused_page(request, refusal: Refusal, reason: str, kwargs: dict):
    """The refused page (403), saying why and where to go from here."""
    back = _back(kwargs) if refusal.back_to_address else {}
    return render_page(request, "pages/refused.html", {"refusal": refusal, "reason": reason, **back}, status=403)


def page(*, refused: Refusal | None = None, require: Callable[[Actor], None] | None = None):
    """Decorate a view: signed in (else the sign-in page); `require` checked first, if given; a refusal from it,
    the view or its service (PermissionDenied) becomes the refused page, worded by `refused`, saying why.
    Someone who cannot even see the plan never gets this far: the view gives them a 404 first. An action's
    address written another way (see lookups.action_or_404) is answered with a 301 to the canonical one."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if require is not None:
                    require(actor(request))
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                if refused is None:
                    raise
                return refused_page(request, refused, str(exc), kwargs)
            except MovedPermanently as moved:
                return HttpResponsePermanentRedirect(moved.url)
        return wrapper

    return decorate

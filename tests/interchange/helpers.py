"""Small helpers shared by the import tests."""

from __future__ import annotations

import io
import re
from datetime import date

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.interchange.importing.service import import_apply
from actiontrack.interchange.registry import parse_file

TODAY = date(2021, 12, 6)  # the month after the board report, as the workflow tests use


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def run_import(content: bytes, name: str, plan: str, *, actor: Actor | None = None, apply: bool = False,
               mapping=None, today: date = TODAY, **options):
    actor = actor or Actor.system(f"Import of {name}", ChangeSource.IMPORT)
    parsed = parse_file(io.BytesIO(content), name, mapping)
    return import_apply(actor=actor, plan_ref=plan, parsed=parsed, mapping=mapping, apply=apply, filename=name,
                        today=today, **options)


def web_actor(user) -> Actor:
    return Actor(user=user, name=user.get_full_name() or user.get_username(), source=ChangeSource.IMPORT)

"""Writing the journal, and turning its rows back into domain events. Only services call `record`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F

from actiontrack.domain.journal import Change

from .choices import ChangeSource, EntityType
from .models import JournalEvent, Plan

DATE_FIELDS = {"baseline_on", "completed_on"}
# Post events that change nothing a plan shows: a new post owns nothing yet; a holder's account is not shown.
POST_FIELDS_NOT_SHOWN = ("created", "holder_account")
DUE = "due"  # the due date and its condition change together, as one revision: {"on": date, "condition": str}


@dataclass(frozen=True)
class Actor:
    """Who is making a change, and through what: a signed-in user, or the demo loader, CLI or an import."""

    user: AbstractBaseUser | None
    name: str
    source: str

    @classmethod
    def of(cls, user, source: str = ChangeSource.WEB) -> Actor:
        name = (user.get_full_name() or user.get_username()) if user else ChangeSource(source).label
        return cls(user=user, name=name, source=source)

    @classmethod
    def system(cls, name: str, source: str) -> Actor:
        return cls(user=None, name=name, source=source)


def due_value(on: date | None, condition: str = "") -> dict:
    return {"on": on, "condition": condition or ""}


def to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(field: str, value: Any) -> Any:
    if field in DATE_FIELDS and value:
        return date.fromisoformat(value)
    if field == DUE and value:
        return due_value(date.fromisoformat(value["on"]) if value["on"] else None, value["condition"])
    return value


def record(*, actor: Actor, plan: Plan | None, entity_type: str, entity_id: int, field: str, old: Any, new: Any,
           effective_on: date, reason: str = "") -> JournalEvent:
    # Move the read version on in the same transaction as the event, so they become visible together
    # (readcache). A post's name and holders show on every plan it has owned actions in, at any date.
    if plan is not None:
        Plan.objects.filter(pk=plan.pk).update(read_version=F("read_version") + 1)
    elif entity_type == EntityType.POST and field not in POST_FIELDS_NOT_SHOWN:
        Plan.objects.update(read_version=F("read_version") + 1)
    return JournalEvent.objects.create(
        plan=plan, entity_type=entity_type, entity_id=entity_id, field=field,
        old=to_json(old), new=to_json(new), reason=reason.strip(),
        actor=actor.user, actor_name=actor.name, source=actor.source, effective_on=effective_on,
    )


REPLAY_COLUMNS = ("id", "entity_type", "entity_id", "field", "new", "effective_on")


def change_from_row(event_id: int, entity_type: str, entity_id: int, field: str, new: Any,
                    effective_on: date) -> Change:
    """A domain event from the columns replay needs (REPLAY_COLUMNS), so reads can skip the rest."""
    if field == "created":
        new = {key: from_json(key, value) for key, value in (new or {}).items()}
    else:
        new = from_json(field, new)
    return Change(entity=(entity_type, entity_id), field=field, new=new, effective_on=effective_on,
                  sequence=event_id)


def as_change(event: JournalEvent) -> Change:
    return change_from_row(event.id, event.entity_type, event.entity_id, event.field, event.new, event.effective_on)

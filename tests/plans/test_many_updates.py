"""This period's progress updates written many at once (services.many_updates.updates_save) are exactly what
update_save writes one at a time - the rows and the journal, event for event - and are refused alike: an action
the person does not own, one no longer open, a locked period. Today is 6 December 2021, as in test_workflow."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.models import Plan, ProgressUpdate
from actiontrack.plans.services import workflow
from actiontrack.plans.services.many_updates import updates_save

pytestmark = pytest.mark.django_db
TODAY = date(2021, 12, 6)


def written(plan: Plan, since: int) -> tuple:
    updates = sorted((u.action.ref, u.period_start, u.text, u.author_id, u.version)
                     for u in ProgressUpdate.objects.filter(action__plan=plan).select_related("action"))
    events = sorted((e.entity_type, e.field, str(e.old), str(e.new), e.effective_on, e.reason, e.actor_id)
                    for e in JournalEvent.objects.filter(pk__gt=since))
    return updates, events


def one_at_a_time(actor, texts) -> list:
    said = []
    for action, text in texts:
        try:
            current = ProgressUpdate.objects.filter(action=action, period_start=date(2021, 12, 1)).first()
            workflow.update_save(actor=actor, action=action, text=text, today=TODAY,
                                 expected_version=current.version if current else None)
            said.append(None)
        except (PermissionDenied, ValidationError) as exc:
            said.append(type(exc).__name__ + ": " + " ".join(getattr(exc, "messages", [str(exc)])))
    return said


def test_many_updates_are_written_and_refused_as_one_at_a_time(demo, owner):
    plan = demo.plan
    actions = list(plan.actions.order_by("pk"))
    owned = [a for a in actions if a.owner_posts.filter(holdings__user=owner).exists()]
    mine = [a for a in owned if Lifecycle(a.lifecycle).is_open]
    closed = next(a for a in owned if not Lifecycle(a.lifecycle).is_open)  # 8.1, awaiting verification
    not_mine = mine.pop()  # given to a post someone else holds
    other = Post.objects.exclude(holdings__user=owner).first()
    not_mine = services.action_change_owners(actor=Actor.system("Test", "cli"), action=not_mine, owner_posts=[other],
                                             reason="Restructure.", effective_on=TODAY)
    texts = [(a, f"December on {a.ref}: work continues.") for a in mine] + [(closed, "x"), (not_mine, "y")]
    workflow.update_save(actor=Actor.of(owner), action=mine[0], text="Written earlier today.", today=TODAY)
    texts.append((mine[0], f"December on {mine[0].ref}: work continues."))  # the same again: unchanged
    since = JournalEvent.objects.latest("pk").pk

    results = []
    for bulk in (True, False):
        savepoint = transaction.savepoint()
        if bulk:
            said = [None if r.refused is None else type(r.refused).__name__ + ": " + " ".join(
                getattr(r.refused, "messages", [str(r.refused)])) for r in
                updates_save(actor=Actor.of(owner), plan=plan, texts=texts, today=TODAY)]
        else:
            said = one_at_a_time(Actor.of(owner), texts)
        results.append((said, written(plan, since)))
        transaction.savepoint_rollback(savepoint)
    assert results[0] == results[1]
    said, (updates, events) = results[0]
    assert said[-3].startswith("ValidationError: Action") and "progress updates are for actions still" in said[-3]
    assert said[-2].startswith("PermissionDenied: Only an owner of action")
    assert said.count(None) == len(mine) + 1 and len(events) == len(mine)  # one event per update written


def test_a_locked_period_refuses_every_update(demo, owner, plan_manager):
    plan = demo.plan
    workflow.period_lock(confirmed_current=True, actor=Actor.of(plan_manager), plan=plan, period_start=TODAY,
                         today=TODAY)
    action = next(a for a in plan.actions.all() if a.owner_posts.filter(holdings__user=owner).exists())
    result, = updates_save(actor=Actor.of(owner), plan=plan, texts=[(action, "Late")], today=TODAY)
    assert "December 2021 are locked" in " ".join(result.refused.messages) and result.update is None

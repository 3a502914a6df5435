"""Bulk writes (an import, a restore, the demo) move each plan's read version once, at the end, inside the same
transaction as their events (journal.one_version_move): what a reader has kept is still replaced, and the plans
table is not rewritten once per event."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from actiontrack.core.journal import Actor, one_version_move
from actiontrack.core.models import JournalEvent
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.plans import services
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref
from tests.builders import a_person, a_plan
from tests.interchange.helpers import run_import, web_actor

REF = "PIP-PR"


def version(reference: str = REF) -> int:
    return Plan.objects.get(reference=reference).read_version


def test_many_changes_in_one_batch_move_the_version_once_and_the_plan_page_shows_them(
        signed_in, plan_manager):
    client = signed_in(plan_manager)
    assert "succession planning" in client.get(f"/plans/{REF}/").content.decode()  # kept now
    before, events = version(), JournalEvent.objects.count()
    plan, actor = Plan.objects.get(reference=REF), Actor.of(plan_manager)
    with one_version_move():
        for ref, text in [("3.1", "Workforce plan agreed"), ("5.1", "Protection restructured"),
                          ("4.1", "Audit targets set")]:
            services.action_change_text(actor=actor, action=action_by_ref(plan, ref), text=text,
                                        reason="Reworded", effective_on=timezone.localdate())
        assert version() == before  # not yet: nobody can read the batch before it commits anyway
    assert version() == before + 1 and JournalEvent.objects.count() == events + 3
    page = client.get(f"/plans/{REF}/").content.decode()
    assert "Workforce plan agreed" in page and "Audit targets set" in page and "succession planning" not in page


def test_a_batch_that_fails_leaves_neither_its_events_nor_a_version_move(db):
    plan = a_plan(reference="SMALL", recommendation=3)
    manager = a_person("pat", plan=plan, role="manager")
    before, events = version("SMALL"), JournalEvent.objects.count()
    with pytest.raises(RuntimeError), one_version_move():
        services.action_change_text(actor=Actor.of(manager), action=action_by_ref(plan, "3.1"),
                                    text="Never committed", reason="Test", effective_on=timezone.localdate())
        raise RuntimeError("the import found a problem")
    assert version("SMALL") == before and JournalEvent.objects.count() == events
    assert action_by_ref(Plan.objects.get(reference="SMALL"), "3.1").text != "Never committed"


def test_renaming_a_post_in_a_batch_moves_every_plans_version_once(administrator, demo):
    other = services.plan_create(actor=Actor.of(administrator), reference="OTHER", title="Another plan",
                                 agreed_on=date(2024, 1, 8))
    before = dict(Plan.objects.values_list("reference", "read_version"))
    with one_version_move():
        for name in ["Head of Protection (acting)", "Head of Protection (interim)"]:
            people.post_update(actor=Actor.of(administrator), post=Post.objects.get(pk=_post("Head of Protection")),
                               name=name, aliases=[], today=timezone.localdate())
    after = dict(Plan.objects.values_list("reference", "read_version"))
    assert after == {ref: value + 1 for ref, value in before.items()} and other.reference in after


def test_a_change_journalled_as_a_batch_commits_still_moves_its_plans_version(transactional_db):
    """An on_commit callback runs as the batch's atomic block exits: what it journals is not part of the
    batch's single move, so it must move the version itself."""
    plan = a_plan(reference="SMALL", actions=2)
    actor = Actor.of(a_person("pat", plan=plan, role="manager"))
    before = version("SMALL")
    with one_version_move():  # the outermost block here, so its on_commit callbacks run as it exits
        services.action_change_text(actor=actor, action=action_by_ref(plan, "1.1"), text="First",
                                    reason="Reworded", effective_on=timezone.localdate())
        transaction.on_commit(lambda: services.action_change_text(
            actor=actor, action=action_by_ref(plan, "1.2"), text="Second", reason="Reworded",
            effective_on=timezone.localdate()), robust=False)
    assert version("SMALL") == before + 2


def _post(name: str) -> int:
    return Post.objects.filter(name__startswith=name).order_by("pk").values_list("pk", flat=True).first()


def test_an_import_of_many_rows_moves_the_plans_version_by_one(plan_manager):
    rows = [["Ref", "Recommendation", "Action", "Owner", "Target date"]] + [
        [f"9.{n}", "Keep the plan's records complete.", f"Imported action {n}", "Head of Protection", "31/12/2021"]
        for n in range(1, 41)]
    content = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).encode()
    before = version()
    report = run_import(content, "tracker.csv", REF, actor=web_actor(plan_manager), apply=True)
    assert report.applied and not report.errors, [problem.message for problem in report.errors]
    assert Plan.objects.get(reference=REF).actions.count() == 50
    assert version() == before + 1

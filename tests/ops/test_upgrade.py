"""Upgrades: a database built at the first release's migrations, holding data written as that release wrote it,
migrates to the current code with every row intact, and the current code reads it.

The first release is the initial migration of every actiontrack app that existed then: for each app its last
migration marked `initial`, unless that needs a later (non-initial) migration of another of our apps — such an
app came later, and the upgrade creates it. The data goes in through the historical models (the models as they
were at those migrations), and the journal in the form the first released services write it (a due-date
revision is one `due` event holding the date and its condition).

Runs in a subprocess on a database of its own: a new SQLite file, and a throwaway PostgreSQL database when the
server at 127.0.0.1:5432 answers."""

from __future__ import annotations

import json

import pytest

from tests.ops.installations import ENGINES, Site, databases

UPGRADE = r"""
import json
from datetime import date
from django.apps import apps as current
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OURS = sorted(config.label for config in current.get_app_configs() if config.name.startswith("actiontrack."))


def first_release(loader):
    targets = []
    for label in OURS:
        initial = sorted(key for key, migration in loader.disk_migrations.items()
                         if key[0] == label and migration.initial)
        if not initial:
            continue
        needs = loader.graph.forwards_plan(initial[-1])
        if all(loader.disk_migrations[key].initial for key in needs if key[0] in OURS):
            targets.append(initial[-1])
    return targets


executor = MigrationExecutor(connection)
targets = first_release(executor.loader)
executor.migrate(targets)
old = executor.loader.project_state(targets, at_end=True).apps

User, Post = old.get_model("auth", "User"), old.get_model("people", "Post")
Holding, Role = old.get_model("people", "PostHolding"), old.get_model("people", "PlanRole")
Plan = old.get_model("plans", "Plan")
Recommendation, Action = old.get_model("plans", "Recommendation"), old.get_model("plans", "Action")
Event = old.get_model("plans", "JournalEvent")

pmo = User.objects.create(username="pmo", password="!", first_name="Priya", last_name="Shah", email="pmo@example.org",
                          date_joined=timezone.now())
owner = User.objects.create(username="earwicker", password="!", first_name="Gary", last_name="Earwicker",
                            date_joined=timezone.now())
head = Post.objects.create(name="Head of Protection", aliases="Protection lead", description="Runs protection")
comms = Post.objects.create(name="Corporate Communications")
Holding.objects.create(post=head, holder_name="GM Earwicker", user=owner, starts_on=date(2021, 1, 1),
                       ends_on=date(2021, 9, 30))
Holding.objects.create(post=head, holder_name="GM Shah", starts_on=date(2021, 10, 1))
plan = Plan.objects.create(reference="PIP-PR", title="Protection Improvement Plan – Peer Review",
                           organisation="Essex County Fire and Rescue Service", source_kind="peer_review",
                           agreed_on=date(2021, 2, 1), board="Performance and Resources Board",
                           documents_reviewed="Protection Strategy\nEnforcement Policy", rag_scheme="rag")
Role.objects.create(user=pmo, plan=plan, role="manager")
rec = Recommendation.objects.create(plan=plan, number=1, kind="recommendation",
                                    text="Provide further evidence of sharing information with businesses.")
action = Action.objects.create(plan=plan, recommendation=rec, number=1, text="Develop a communications plan.",
                               baseline_on=date(2021, 5, 31), due_on=date(2021, 12, 31), due_condition="On Approval",
                               lifecycle="in_progress", version=4)
action.owner_posts.set([head, comms])


def journal(entity_type, entity_id, field, new, effective_on, old=None, reason="", plan=plan):
    Event.objects.create(plan=plan, entity_type=entity_type, entity_id=entity_id, field=field, old=old, new=new,
                         reason=reason, actor=pmo, actor_name="Priya Shah", source="web", effective_on=effective_on)


journal("post", head.pk, "created", {"name": head.name, "aliases": ["Protection lead"]}, date(2021, 1, 1), plan=None)
journal("post", head.pk, "holder", "GM Shah", date(2021, 10, 1), old="GM Earwicker", plan=None)
journal("plan", plan.pk, "created", {"reference": "PIP-PR", "title": plan.title, "source_kind": "peer_review"},
        date(2021, 2, 1), reason="Plan agreed")
journal("recommendation", rec.pk, "created", {"number": 1, "kind": "recommendation", "text": rec.text},
        date(2021, 2, 1))
journal("action", action.pk, "created", {
    "recommendation": rec.pk, "number": 1, "text": action.text, "owner_posts": sorted([head.pk, comms.pk]),
    "baseline_on": "2021-05-31", "due": {"on": "2021-05-31", "condition": ""}, "lifecycle": "not_started",
    "lifecycle_reason": "", "completed_on": None}, date(2021, 2, 1))
journal("action", action.pk, "lifecycle", "in_progress", date(2021, 3, 1), old="not_started")
journal("action", action.pk, "due", {"on": "2021-12-31", "condition": "On Approval"}, date(2021, 6, 1),
        old={"on": "2021-05-31", "condition": ""}, reason="Waiting for the communications strategy")


# Where each model lived at the first release, and where it lives now (roles moved to plans, the journal to
# core, each keeping its table).
FIRST = (("auth", "User"), ("people", "Post"), ("people", "PostHolding"), ("people", "PlanRole"), ("plans", "Plan"),
         ("plans", "Recommendation"), ("plans", "Action"), ("plans", "JournalEvent"))
NOW = {"PlanRole": "plans", "JournalEvent": "core"}


def rows(apps, now=False):
    found = {}
    for label, name in FIRST:
        label = NOW.get(name, label) if now else label
        model = apps.get_model(label, name)
        found[name] = list(model.objects.order_by("pk").values())
    through = apps.get_model("plans", "Action").owner_posts.through
    found["Action.owner_posts"] = list(through.objects.order_by("pk").values("action_id", "post_id"))
    return found


# A recommendation's number became its reference, as text (plans 0010-0012): recommendation 1 is "1".
BECAME = {("Recommendation", "number"): ("ref", str)}


def as_before(name, row, keys):
    return {key: BECAME[(name, key)][1](row[key]) if (name, key) in BECAME else row[key] for key in keys}


def now_as_before(name, row, keys):
    return {key: row[BECAME[(name, key)][0]] if (name, key) in BECAME else row[key] for key in keys}


before = rows(old)
call_command("migrate", interactive=False, verbosity=0)
after = rows(current, now=True)
intact = {name: [now_as_before(name, row, old_rows[0]) for row in after[name]]
          == [as_before(name, row, old_rows[0]) for row in old_rows] if old_rows else False
          for name, old_rows in before.items()}
unapplied = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())

from actiontrack.plans.models import Plan as CurrentPlan
from actiontrack.plans.selectors import plan_as_at, replay_as_at


def view(plan_view):
    return [{"ref": a.ref, "text": a.text, "owners": a.owners_text, "due": a.due_text, "baseline": str(a.baseline_on),
             "lifecycle": str(a.lifecycle.value), "rating": a.rating.band.label, "revisions": a.revisions}
            for a in plan_view.actions]


current_plan = CurrentPlan.objects.get(reference="PIP-PR")
result = {"targets": [list(target) for target in targets], "intact": intact,
          "counts": {name: len(found) for name, found in after.items()}, "unapplied": len(unapplied),
          "today": view(plan_as_at(current_plan, timezone.localdate())),
          "addresses": [[a["ref"], a["slug"]] for a in after["Action"]]
          + [[r["ref"], r["slug"]] for r in after["Recommendation"]]}
try:
    history = {"june_2021": view(replay_as_at(current_plan, date(2021, 5, 31))),
               "july_2021": view(replay_as_at(current_plan, date(2021, 7, 1)))}
    from actiontrack.plans import services
    from actiontrack.core.journal import Actor
    from actiontrack.plans.models import Action as CurrentAction

    manager = Actor.of(current.get_model("auth", "User").objects.get(username="pmo"))
    services.action_change_text(actor=manager, action=CurrentAction.objects.get(pk=action.pk),
                                text="Develop and agree a communications plan.", reason="Agreed wording",
                                effective_on=timezone.localdate())
    history["after_an_edit"] = view(plan_as_at(current_plan, timezone.localdate()))
    result["history"] = history
except Exception as exc:
    result["history"] = {"error": f"{type(exc).__name__}: {exc}"}
print(json.dumps(result, default=str))
"""


@pytest.fixture(scope="module", params=ENGINES)
def upgraded(request, tmp_path_factory):
    with databases(request.param, "bk_upgrade") as (url,):
        site = Site(tmp_path_factory.mktemp(f"upgrade-{request.param}"), url)
        yield json.loads(site.script(UPGRADE))


def test_the_first_release_is_the_initial_migrations_of_people_and_plans(upgraded):
    assert ["people", "0002_initial"] in upgraded["targets"] and ["plans", "0001_initial"] in upgraded["targets"]


def test_a_first_release_database_migrates_to_the_current_code_with_every_row_intact(upgraded):
    assert upgraded["unapplied"] == 0
    assert upgraded["intact"] == dict.fromkeys(upgraded["intact"], True)
    assert upgraded["counts"] == {"User": 2, "Post": 2, "PostHolding": 2, "PlanRole": 1, "Plan": 1,
                                  "Recommendation": 1, "Action": 1, "JournalEvent": 7, "Action.owner_posts": 2}


def test_the_current_code_reads_the_upgraded_plan(upgraded):
    [action] = upgraded["today"]
    assert (action["ref"], action["due"], action["baseline"], action["lifecycle"]) == (
        "1.1", "31/12/2021 (On Approval)", "2021-05-31", "in_progress")
    assert action["revisions"] == 1  # counted from the journal by the migration that keeps it with the row
    # Numbers became references and addresses that read as before: /plans/PIP-PR/actions/1.1/.
    assert upgraded["addresses"] == [["1.1", "1.1"], ["1", "1"]]
    assert set(action["owners"].split(" / ")) == {"Corporate Communications", "Head of Protection (GM Shah)"}


def test_the_upgraded_plan_replays_as_at_past_dates_and_can_still_be_edited(upgraded):
    history = upgraded["history"]
    assert "error" not in history, history["error"]
    assert history["june_2021"][0]["due"] == "31/05/2021"
    assert history["july_2021"][0]["due"] == "31/12/2021 (On Approval)"
    assert history["after_an_edit"][0]["text"] == "Develop and agree a communications plan."

"""The benchmarks build their data through the services: a change to a service's signature must not leave
`bench/` broken until someone runs it. Each build runs here at a tiny size (the benchmarks themselves are run
by hand, never timed in tests)."""

import random

import pytest

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor

pytestmark = pytest.mark.django_db


def test_the_load_benchmark_builds_its_plans():
    from actiontrack.plans.models import Action, Plan
    from bench.load import build, owner_writes

    build(plans=2, actions_per_plan=10)
    assert Plan.objects.count() == 2 and Action.objects.count() == 20
    writes = owner_writes()  # the --mixed run's writers: open actions, each with an owner's token
    assert writes and all(plan.startswith("LOAD-") and token for plan, _, token in writes)


def test_the_plan_page_benchmark_builds_its_plan_and_history():
    from bench.plan_page import build_plan, build_posts

    rng = random.Random(1)
    actor = Actor.system("Bench test", ChangeSource.IMPORT)
    plan = build_plan(actor, build_posts(actor, rng), n_actions=20, n_events=60, rng=rng)
    assert plan.actions.count() == 20


def test_the_report_benchmark_builds_its_plans():
    from bench.report_generation import build_bounded, build_plan

    assert build_plan(20, random.Random(1)).actions.count() == 20
    assert build_bounded(random.Random(1)) is not None


def test_the_import_benchmark_builds_a_tracker_that_applies(tmp_path):
    from datetime import date

    from actiontrack.people import services as people
    from actiontrack.plans.models import Plan
    from bench.import_tracker import POSTS, apply, build_tracker

    actor = Actor.system("Bench test", ChangeSource.IMPORT)
    for n in range(POSTS):
        people.post_create(actor=actor, name=f"Head of Bench Function {n + 1}", effective_on=date(2020, 1, 1))
    build_tracker(tmp_path / "tracker.xlsx", 30, random.Random(1))
    assert apply(tmp_path / "tracker.xlsx", "BENCH-IMPORT").applied
    assert Plan.objects.get(reference="BENCH-IMPORT").actions.count() == 30


def test_the_scale_benchmark_builds_its_plans_and_monthly_updates():
    from actiontrack.core.models import JournalEvent
    from actiontrack.plans.models import Plan, ProgressUpdate
    from bench.scale import build

    build(plans=2, actions_per_plan=20, events=400)
    assert Plan.objects.filter(reference__startswith="SCALE-").count() == 3  # and the ten-action plan
    assert JournalEvent.objects.count() >= 400 and ProgressUpdate.objects.exists()


def test_the_dashboard_benchmark_renames_a_post_for_each_view_and_puts_its_name_back(monkeypatch, capsys):
    import bench.dashboard
    from actiontrack.people.models import Post
    from bench.load import build

    build(plans=2, actions_per_plan=10)
    names = set(Post.objects.values_list("name", flat=True))
    monkeypatch.setattr(bench.dashboard, "fill_read_cache", lambda: 0)  # 2,000 files are the benchmark's, not ours
    bench.dashboard.run(runs=1)
    printed = capsys.readouterr().out
    assert "dashboard after every plan changed" in printed and "(constant)" in printed
    assert set(Post.objects.values_list("name", flat=True)) == names

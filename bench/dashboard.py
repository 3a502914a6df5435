"""Benchmark of the dashboard built afresh after every plan changed: the load benchmark's plans (bench.load.build,
20 plans x 500 actions by default) on PostgreSQL, one client, in process. Before each timed view a post every
plan's page names is renamed (through people.services, as an administrator would), which moves every plan's
version: the dashboard is then built afresh for all of them, as the first view after such a change is. Timed beside
the same dashboard again while nothing changed (kept by the read cache) and a signed-in page that shows nothing of
its own (the floor), with the SQL queries of the dashboard built afresh showing one plan and all of them. Prints
figures; asserts nothing.

    .venv/bin/python -m bench.dashboard [--plans 20] [--actions 500] [--runs 15] [--keep NAME]

Needs PostgreSQL: DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); the
benchmark creates its own database there and drops it at the end (with --keep, builds into that database, or reuses
it: the load benchmark's own, bench_hist in bench/LOAD.md, serves both).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.database import bench_database, out
from bench.load import build, fill_read_cache
from bench.plan_page import percentile


def run(runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.people import services as people
    from actiontrack.people.models import Post
    from actiontrack.plans.models import Action, Plan

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"),
                       backend="django.contrib.auth.backends.ModelBackend")
    # The post owning the most actions: its name is on every plan's page, so renaming it changes them all.
    most = Action.owner_posts.through.objects.values("post_id").annotate(n=Count("pk")).order_by("-n")[0]
    post = Post.objects.get(pk=most["post_id"])
    name, actor = post.name, Actor.system("Dashboard benchmark", ChangeSource.CLI)
    plans = Plan.objects.count()
    renamed = [0]

    def change_every_plan():
        renamed[0] += 1
        people.post_update(actor=actor, post=post, name=f"{name} (renamed {renamed[0]})", aliases=[],
                           today=timezone.localdate())

    def get(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url, secure=True)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
        return elapsed

    def timed(url: str, before=None) -> list[float]:
        samples = []
        for n in range(runs + 2):  # two warm-up calls first
            if before:
                before()
            elapsed = get(url)
            if n >= 2:
                samples.append(elapsed)
        return samples

    held = fill_read_cache()
    try:
        with override_settings(ROOT_URLCONF="bench.urls"):
            rows = [("signed-in empty page (floor)", timed("/bench-signed-in/")),
                    ("dashboard after every plan changed", timed("/", change_every_plan)),
                    ("dashboard again, nothing changed", timed("/"))]
            queries = {}
            for shown, url in ((1, f"/?plan={Plan.objects.order_by('reference')[0].reference}"), (plans, "/")):
                change_every_plan()
                with CaptureQueriesContext(connection) as captured:
                    get(url)
                queries[shown] = len(captured.captured_queries)
    finally:  # the post's own name back, so a kept database reads as it did
        people.post_update(actor=actor, post=post, name=name, aliases=[], today=timezone.localdate())

    floor = statistics.median(rows[0][1])
    out(f"\n{plans} plans, {Action.objects.count()} actions; {runs} timed views each after 2 warm-up views; one "
        f"client, in process; before each view after a change, post {name!r} renamed (every plan names it); the "
        f"read cache held {held} values at the start, as a server's does once it has been up a while")
    out(f"{'measurement':<38} {'median ms':>10} {'p95 ms':>9} {'x floor':>8}")
    for label, samples in rows:
        median = statistics.median(samples)
        out(f"{label:<38} {median:>10.1f} {percentile(samples, 95):>9.1f} {median / floor:>8.1f}")
    out("SQL queries of the dashboard built afresh: " + ", ".join(f"{n} plan(s) shown: {q}" for n, q in queries.items())
        + ("  (constant)" if len(set(queries.values())) == 1 else "  (NOT constant)"))
    out("target (issue 17): the dashboard of 20 plans x 500 actions after every plan changed <= 200 ms")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--actions", type=int, default=500, help="actions per plan")
    parser.add_argument("--runs", type=int, default=15, help="timed views per measurement (default 15)")
    parser.add_argument("--keep", metavar="NAME", help="build into database NAME and keep it; reuse it if it exists")
    args = parser.parse_args()

    def build_plans() -> str:
        build(args.plans, args.actions)
        return f"{args.plans} plans x {args.actions} actions through the services"

    with bench_database(args.keep, "bench_dashboard", build_plans):
        run(args.runs)


if __name__ == "__main__":
    main()

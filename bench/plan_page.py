"""Benchmark of the plan page: a plan of ~1,000 actions and ~20,000 journal events, built through the services,
then the page (GET /plans/<ref>/?as_at=...) timed against an empty view, its SQL queries counted at three plan
sizes, and the as-at replay timed on its own. Prints figures; asserts no times. Uses a fresh temporary data
folder and SQLite file, or, with DATABASE_URL, a throwaway PostgreSQL database dropped at the end. See README.md.

    .venv/bin/python -m bench.plan_page [--actions 1000] [--events 20000] [--runs 15]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

AGREED = date(2021, 1, 4)  # every plan is agreed here; changes take effect from the next day to END
END = date(2023, 12, 31)
MID = date(2022, 7, 1)  # the "mid-history" as-at date
SIZES = (10, 100, 1000)  # plan sizes for the query count
EVENTS_PER_ACTION = 20  # for the extra plans built only to count queries
POSTS = 24


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def prepare_environment() -> str:
    """A throwaway data folder and safe settings, set before Django reads its settings."""
    data_dir = tempfile.mkdtemp(prefix="actiontrack-bench-")
    os.environ["ACTIONTRACK_DATA_DIR"] = data_dir
    os.environ["SECRET_KEY"] = "bench-only-not-a-secret-" + "x" * 40
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "actiontrack.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # keep django-axes' sign-in messages out of the figures
    return data_dir


def open_database():
    """SQLite: migrate the temporary file. PostgreSQL: create (and later drop) a database of our own."""
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases

    if not os.environ.get("DATABASE_URL", "").strip():
        call_command("migrate", verbosity=0, interactive=False)
        return None
    # Our own name, so a test run on the same server (test_<name>) is never dropped by us, nor we by it.
    connections["default"].settings_dict["TEST"]["NAME"] = f"bench_actiontrack_{os.getpid()}"
    return setup_databases(verbosity=0, interactive=False, serialized_aliases=[])


def close_database(old_config) -> None:
    from django.db import connections
    from django.test.utils import teardown_databases

    if old_config is not None:
        teardown_databases(old_config, verbosity=0)
    connections.close_all()


def build_posts(actor, rng: random.Random) -> list:
    """Owner posts, each with a holder from 2020 and one to three later holders during 2021-2023."""
    from actiontrack.people import services as people

    posts = []
    for i in range(POSTS):
        post = people.post_create(actor=actor, name=f"Head of Bench Function {i + 1}", effective_on=AGREED)
        people.post_holder_change(actor=actor, post=post, holder_name=f"GM Holder {i + 1}-0",
                                  starts_on=date(2020, 1, 1), reason="Holder when the plan was agreed.")
        starts = sorted(rng.sample(range(1, (END - AGREED).days), rng.randint(1, 3)))
        for n, offset in enumerate(starts, start=1):
            people.post_holder_change(actor=actor, post=post, holder_name=f"AM Holder {i + 1}-{n}",
                                      starts_on=AGREED + timedelta(days=offset), reason="New post holder.")
        posts.append(post)
    return posts


def history_ops(quota: int, rng: random.Random) -> list[tuple[str, str | None]]:
    """Changes making exactly `quota` journal events: due date, text, owner (1 event each); lifecycle
    Not started -> In progress (1), In progress -> Completed and reopening Completed -> In progress (2 each)."""
    ops, life = [], "not_started"
    following = {"not_started": "in_progress", "in_progress": "completed", "completed": "in_progress"}
    while quota > 0:
        kind = rng.choice(("due", "due", "due", "text", "owner", "life", "life"))
        cost = 2 if kind == "life" and life != "not_started" else 1
        if cost > quota:
            kind, cost = "text", 1
        life = following[life] if kind == "life" else life
        ops.append((kind, life if kind == "life" else None))
        quota -= cost
    return ops


def apply_history(actor, action, posts: list, quota: int, rng: random.Random) -> None:
    from actiontrack.domain.lifecycle import Lifecycle
    from actiontrack.plans import services

    ops = history_ops(quota, rng)
    days = sorted(AGREED + timedelta(days=rng.randint(1, (END - AGREED).days)) for _ in ops)
    due, owners = action.due_on, {p.pk for p in action.owner_posts.all()}
    for n, ((kind, value), day) in enumerate(zip(ops, days, strict=True), start=1):
        if kind == "due":
            due += timedelta(days=rng.choice((-28, -14, 14, 30, 61, 92)))
            services.action_change_due_date(actor=actor, action=action, due_on=due, effective_on=day,
                                            reason=f"More time agreed (revision {n}).")
        elif kind == "text":
            services.action_change_text(actor=actor, action=action, text=f"{action.text.split(' [')[0]} [v{n}]",
                                        effective_on=day, reason=f"Wording clarified (change {n}).")
        elif kind == "owner":
            new = owners
            while new == owners:
                new = {p.pk for p in rng.sample(posts, rng.choice((1, 1, 2)))}
            owners = new
            services.action_change_owners(actor=actor, action=action, effective_on=day, reason="Work reassigned.",
                                          owner_posts=[p for p in posts if p.pk in owners])
        else:
            services.action_change_lifecycle(actor=actor, action=action, lifecycle=Lifecycle(value),
                                             effective_on=day, reason=f"Owner's update of {day:%d/%m/%Y}.")


def build_plan(actor, posts: list, n_actions: int, n_events: int, rng: random.Random):
    """A plan of `n_actions` actions under ~n_actions/20 recommendations, with `n_events` journal events in all."""
    from actiontrack.plans import services
    from actiontrack.plans.choices import SourceKind

    plan = services.plan_create(actor=actor, reference=f"BENCH-{n_actions}", title=f"Benchmark plan, {n_actions} "
                                f"actions", agreed_on=AGREED, source_kind=SourceKind.HMICFRS, board="Bench Board")
    recs = [services.recommendation_create(actor=actor, plan=plan, ref=str(i + 1),
                                           text=f"Recommendation {i + 1}. The service should improve.")
            for i in range(max(1, round(n_actions / 20)))]
    budget = max(0, n_events - 1 - len(recs) - n_actions)  # events left after the creations
    for i in range(n_actions):
        action = services.action_create(
            actor=actor, recommendation=recs[i % len(recs)], number=i // len(recs) + 1,
            text=f"Deliver improvement {i + 1} and evidence it to the board.", reason="Agreed in the action plan.",
            owner_posts=rng.sample(posts, rng.choice((1, 1, 2))), due_on=AGREED + timedelta(days=rng.randint(60, 700)))
        quota = budget // n_actions + (1 if i < budget % n_actions else 0)
        apply_history(actor, action, posts, quota, rng)
    return plan


def percentile(samples: list[float], pct: float) -> float:  # nearest rank: with 15 runs, p95 is the slowest
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def timed(fn, runs: int) -> list[float]:
    """Milliseconds for each of `runs` calls, after two warm-up calls."""
    for _ in range(2):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def get(client, url: str):
    response = client.get(url, secure=True)  # over HTTPS, as in production (no SSL redirect)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
    return response


def build_all(args) -> dict:
    """The main plan and the plans for the query count, keyed by size, each built in one transaction."""
    from django.db import transaction

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.core.models import JournalEvent

    actor, rng = Actor.system("Benchmark loader", ChangeSource.CLI), random.Random(2021)
    start = time.perf_counter()
    with transaction.atomic():
        posts = build_posts(actor, rng)
        main = build_plan(actor, posts, args.actions, args.events, rng)
    elapsed = time.perf_counter() - start
    out(f"build: {args.actions} actions, {main.recommendations.count()} recommendations, "
        f"{JournalEvent.objects.filter(plan=main).count()} journal events, {POSTS} posts with holders, "
        f"through the services in {elapsed:.1f} s")
    plans = {args.actions: main}
    for size in SIZES:
        if size not in plans:
            start = time.perf_counter()
            with transaction.atomic():
                plans[size] = build_plan(actor, posts, size, size * EVENTS_PER_ACTION, rng)
            out(f"build: {size}-action plan ({size * EVENTS_PER_ACTION} events) in {time.perf_counter() - start:.1f} s")
    return plans


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from actiontrack.plans import readcache, selectors

    def cold(fn):
        def call():
            readcache.clear()
            return fn()
        return call

    if connection.vendor == "sqlite":
        out(f"database: SQLite {connection.Database.sqlite_version} (temporary file)")
    else:
        out(f"database: PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000} "
            f"(throwaway database {connection.settings_dict['NAME']})")
    plans = build_all(args)
    main, today = plans[args.actions], timezone.localdate()
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = f"/plans/{main.reference}/?as_at="
    rows, queries = [], {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        rows.append(("empty view (floor)", timed(lambda: get(client, "/bench-empty/"), args.runs)))
        # Built afresh: the read cache emptied before each call, as for the first view after a change.
        rows.append((f"plan page, as at {MID:%d/%m/%Y}", timed(cold(lambda: get(client, f"{page}{MID}")), args.runs)))
        rows.append((f"plan page, as at today {today:%d/%m/%Y}",
                     timed(cold(lambda: get(client, f"{page}{today}")), args.runs)))
        rows.append((f"plan_as_at replay, {MID:%d/%m/%Y}", timed(lambda: selectors.build_as_at(main, MID), args.runs)))
        rows.append(("plan_as_at rows, today", timed(lambda: selectors.build_as_at(main, today), args.runs)))
        # As served again while the plan is unchanged: kept in the read cache.
        rows.append((f"plan page again, as at {MID:%d/%m/%Y}", timed(lambda: get(client, f"{page}{MID}"), args.runs)))
        rows.append((f"plan page again, today {today:%d/%m/%Y}",
                     timed(lambda: get(client, f"{page}{today}"), args.runs)))
        size_kb = len(get(client, f"{page}{MID}").content) / 1024
        for size in SIZES:
            url = f"/plans/{plans[size].reference}/?as_at={MID}"
            get(client, url)  # warm-up
            readcache.clear()  # count the queries of a page built afresh
            with CaptureQueriesContext(connection) as captured:
                get(client, url)
            queries[size] = len(captured.captured_queries)

    shown = len(selectors.plan_as_at(main, today).actions)
    floor = statistics.median(rows[0][1])
    out()
    out(f"{args.runs} timed runs each after 2 warm-up runs; plan page HTML {size_kb:.0f} KB, {shown} actions today")
    out(f"{'measurement':<36} {'median ms':>10} {'p95 ms':>9} {'x empty':>8}")
    for name, samples in rows:
        median = statistics.median(samples)
        out(f"{name:<36} {median:>10.2f} {percentile(samples, 95):>9.2f} {median / floor:>8.1f}")
    out()
    out("SQL queries per plan page: " + ", ".join(f"{size} actions: {n}" for size, n in queries.items())
        + ("  (constant)" if len(set(queries.values())) == 1 else "  (NOT constant)"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.plan_page", description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=1000, help="actions in the main plan (default 1000)")
    parser.add_argument("--events", type=int, default=20000, help="journal events in the main plan (default 20000)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per measurement (default 15)")
    args = parser.parse_args()
    data_dir = prepare_environment()
    import django

    django.setup()
    old_config = None
    try:
        old_config = open_database()
        run(args)
    finally:
        close_database(old_config)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

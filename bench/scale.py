"""Scale benchmark: 100,000 actions and 2,000,000 journal events on PostgreSQL, built in bulk through the same
services and journal rules as everything else (plans.services.actions_add for the actions with their revised
dates and completions, services.many_updates.updates_save for monthly progress updates), then the
pages timed one request at a time, built afresh (the read cache emptied before each call) and again while
unchanged, beside an empty view in the same run, and each page's SQL queries counted here and on a plan of ten
actions. Prints figures; asserts nothing.

    .venv/bin/python -m bench.scale [--plans 100] [--actions 1000] [--events 2000000] [--runs 9] [--keep NAME]

Needs PostgreSQL: DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres). The
build takes about 15 minutes on two cores; --keep NAME keeps the database for the next run. See SCALE.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta

from bench.database import bench_database, out
from bench.plan_page import get, percentile, timed

AGREED = date(2023, 12, 4)  # three years of history before the benchmark's today
POSTS = 30


def build(plans: int, actions_per_plan: int, events: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from actiontrack.core import journal
    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.core.models import JournalEvent
    from actiontrack.domain.lifecycle import Lifecycle
    from actiontrack.people import services as people
    from actiontrack.plans import services
    from actiontrack.plans.models import Action, Plan
    from actiontrack.plans.services.many_updates import updates_save

    rng, today = random.Random(11), date.today()
    actor = Actor.system("Scale benchmark", ChangeSource.IMPORT)
    user = get_user_model().objects.create_user("bench", password="bench-password-not-secret", is_staff=True)
    posts = [people.post_create(actor=actor, name=f"Head of Function {n}", effective_on=AGREED) for n in range(POSTS)]
    for n, post in enumerate(posts):
        holder = get_user_model().objects.create_user(f"owner-{n}", password="bench-password-not-secret")
        people.post_holder_change(actor=actor, post=post, holder_name=f"Officer {post.pk}", starts_on=AGREED,
                                  user=holder)
    started = time.perf_counter()
    for p in range(plans):
        with journal.one_version_move():
            plan = services.plan_create(actor=actor, reference=f"SCALE-{p + 1:03d}", title=f"Improvement plan {p + 1}",
                                        agreed_on=AGREED, board="Performance and Resources Board")
            services.role_grant(actor=actor, user=user, plan=plan, role="manager", today=AGREED)
            new = []
            for r in range(actions_per_plan // 10):
                rec = services.recommendation_create(actor=actor, plan=plan, ref=str(r + 1),
                                                     text=f"Recommendation {r + 1} of plan {p + 1}.")
                for _ in range(10):
                    due = AGREED + timedelta(days=rng.randint(30, 1000))
                    # Revised dates vary, as real plans' do: later by 2 weeks to a year, one in twenty brought forward.
                    revised = None
                    if rng.random() < 0.3:
                        later = rng.randint(14, 365) if rng.random() < 0.95 else -rng.randint(7, 28)
                        revised = max(due + timedelta(days=later), AGREED + timedelta(days=21))
                    done = min(revised or due, today)
                    status = (services.StartingStatus(Lifecycle.COMPLETED, done, completed_on=done)
                              if (revised or due) < today and rng.random() < 0.6 else None)
                    new.append(services.NewAction(
                        recommendation=rec, text="Do the work " * 8, owner_posts=rng.sample(posts, rng.choice((1, 2))),
                        due_on=due, effective_on=AGREED, status=status,
                        revision=revised and services.Revision(revised, "", "More time", AGREED + timedelta(days=20))))
            for start in range(0, len(new), services.MANY_AT_ONCE):
                services.actions_add(actor=actor, plan=plan, new=new[start:start + services.MANY_AT_ONCE])
        if (p + 1) % 10 == 0:
            out(f"  {p + 1} plans, {Action.objects.count():,} actions, {JournalEvent.objects.count():,} events, "
                f"{time.perf_counter() - started:.0f} s")
    # Monthly progress updates on every open action, from the first month on, until the journal holds `events`:
    # written on the 5th, and edited on the 20th in the months where one a month would not get there in time.
    month = AGREED.replace(day=5)
    open_ = [life.value for life in Lifecycle if life.is_open]
    while (count := JournalEvent.objects.count()) < events and month <= today:
        months_left = (today.year - month.year) * 12 + today.month - month.month + 1
        opened = Action.objects.filter(lifecycle__in=open_).count()
        days = (5, 20) if count + opened * months_left < events else (5,)
        for day in days:
            on = month.replace(day=day)
            if on > today:
                continue
            for plan in Plan.objects.order_by("pk"):
                actions = list(plan.actions.filter(lifecycle__in=open_).only("pk", "ref", "lifecycle"))
                with transaction.atomic():
                    for start in range(0, len(actions), services.MANY_AT_ONCE):
                        updates_save(actor=actor, plan=plan, today=on, texts=[
                            (a, f"{on:%d %B %Y}: work on {a.ref} continues as planned.")
                            for a in actions[start:start + services.MANY_AT_ONCE]])
        out(f"  updates for {month:%B %Y} ({len(days)} a month): {JournalEvent.objects.count():,} events, "
            f"{time.perf_counter() - started:.0f} s")
        month = (month + timedelta(days=31)).replace(day=5)
    # A plan of ten actions, to count the queries of the same pages at the other end of the scale.
    plan = services.plan_create(actor=actor, reference="SCALE-SMALL", title="Small plan", agreed_on=AGREED)
    services.role_grant(actor=actor, user=user, plan=plan, role="manager", today=AGREED)
    rec = services.recommendation_create(actor=actor, plan=plan, ref="1", text="The only recommendation.")
    services.actions_add(actor=actor, plan=plan, new=[services.NewAction(
        recommendation=rec, text="Small work.", owner_posts=[posts[n]], due_on=AGREED + timedelta(days=300))
        for n in range(10)])


def measure(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from actiontrack.api.tokens import token_create
    from actiontrack.core.models import JournalEvent
    from actiontrack.plans import readcache
    from actiontrack.plans.models import Action, Plan

    user = get_user_model().objects.get(username="bench")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    _, token = token_create(user=user, name=f"scale benchmark {os.getpid()} {time.time():.0f}")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    big = Plan.objects.filter(reference__startswith="SCALE-").exclude(reference="SCALE-SMALL").order_by("pk").first()
    action = big.actions.order_by("pk")[big.actions.count() // 2]
    past = (AGREED + timedelta(days=365)).isoformat()
    pages = [  # (label, path for the big plan, path for the small one, headers)
        ("dashboard (every plan)", "/", "/", {}),
        (f"plan page ({big.actions.count():,} actions), today", f"/plans/{big.reference}/",
         "/plans/SCALE-SMALL/", {}),
        (f"plan page, as at {past}", f"/plans/{big.reference}/?as_at={past}", f"/plans/SCALE-SMALL/?as_at={past}", {}),
        ("action page", f"/plans/{big.reference}/actions/{action.slug}/",
         f"/plans/SCALE-SMALL/actions/{Plan.objects.get(reference='SCALE-SMALL').actions.first().slug}/", {}),
        ("API: a plan's actions, page of 50", f"/api/plans/{big.reference}/actions?limit=50",
         "/api/plans/SCALE-SMALL/actions?limit=50", bearer),
        ("API: every plan's actions, page of 50", "/api/actions?limit=50", None, bearer),
    ]

    def fetch(path, headers):
        return get_with(client, path, headers)

    def cold(path, headers):
        def call():
            readcache.clear()
            return fetch(path, headers)
        return call

    out(f"\ndata: {Plan.objects.count()} plans, {Action.objects.count():,} actions, "
        f"{JournalEvent.objects.count():,} journal events; {args.runs} timed runs each after 2 warm-up runs, "
        "one client, in-process (Django's test client)")
    rows, queries = [], []
    with override_settings(ROOT_URLCONF="bench.urls"):
        rows.append(("empty view (floor)", timed(lambda: fetch("/bench-empty/", {}), args.runs), None))
        for label, path, small, headers in pages:
            afresh = timed(cold(path, headers), args.runs)
            warm = timed(lambda p=path, h=headers: fetch(p, h), args.runs)
            rows.append((label, afresh, warm))
            counts = []
            for each in (path, small):
                if each is None:
                    counts.append(None)
                    continue
                fetch(each, headers)
                readcache.clear()
                with CaptureQueriesContext(connection) as captured:
                    fetch(each, headers)
                counts.append(len(captured.captured_queries))
            queries.append((label, counts))
    floor = statistics.median(rows[0][1])
    out(f"\n{'page':<44}{'afresh p50':>11}{'afresh p95':>11}{'warm p50':>9}{'x floor':>8}")
    for label, afresh, warm in rows:
        out(f"{label:<44}{statistics.median(afresh):>11.1f}{percentile(afresh, 95):>11.1f}"
            f"{statistics.median(warm) if warm else 0:>9.1f}{statistics.median(afresh) / floor:>8.1f}")
    out(f"\n{'SQL queries per page, built afresh':<44}{'here':>8}{'10 actions':>12}")
    for label, (here, small) in queries:
        out(f"{label:<44}{here:>8}{'' if small is None else small:>12}")
    out("\ntargets (issue 17): a 1,000-action plan page built afresh <= 100 ms; the dashboard after every plan changed "
        "<= 200 ms; SQL queries per page constant in the number of actions and plans")


def get_with(client, path: str, headers: dict):
    if not headers:
        return get(client, path)
    response = client.get(path, secure=True, **headers)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}, not 200")
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--actions", type=int, default=1000, help="actions per plan")
    parser.add_argument("--events", type=int, default=2_000_000, help="journal events to build at least")
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each page (default 9)")
    parser.add_argument("--keep", metavar="NAME", help="build into database NAME and keep it; reuse it if it exists")
    args = parser.parse_args()

    def build_plans() -> str:
        out(f"build: {args.plans} plans x {args.actions} actions, then monthly updates to {args.events:,} events")
        build(args.plans, args.actions, args.events)
        return "done"

    with bench_database(args.keep, "bench_scale", build_plans):
        measure(args)


if __name__ == "__main__":
    main()

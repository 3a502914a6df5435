"""Load benchmark: 20 plans and 10,000 actions on PostgreSQL, served by gunicorn, driven from a separate
process on loopback by 16 concurrent clients. Prints requests per second and p50/p95 latency for the
dashboard, a plan page and the API action list (a page of 50), beside an empty Django view served the same
way in the same run: first as served (plans kept in the read cache until they change), then with
the read cache off, so every page is built afresh. With --mixed, each run also prints what its requests cost
in CPU (the workers', PostgreSQL's and the whole machine's, in ms per request), a figure of the work itself.
Bounded in requests and time; prints figures, asserts nothing.

    .venv/bin/python -m bench.load [--plans 20] [--actions 500] [--clients 16] [--requests 2000] [--seconds 30]
                                   [--no-cold] [--keep NAME] [--mixed [--shared-cache]]

Needs PostgreSQL: DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); the
benchmark creates its own database there and drops it at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from bench.database import bench_database, out
from bench.processes import cpu_per_request, wait_until_booted, workers_rss_mb

AGREED = date(2024, 1, 8)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(plans: int, actions_per_plan: int) -> None:
    """Plans, recommendations, actions with owners, a few revisions and completions, through the services."""
    from django.contrib.auth import get_user_model

    from actiontrack.core import journal
    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.domain.lifecycle import Lifecycle
    from actiontrack.people import services as people
    from actiontrack.plans import services

    rng = random.Random(7)
    actor = Actor.system("Load benchmark", ChangeSource.IMPORT)
    user = get_user_model().objects.create_user("bench", password="bench-password-not-secret", is_staff=True)
    posts = [people.post_create(actor=actor, name=f"Head of Function {n}", effective_on=AGREED) for n in range(30)]
    for n, post in enumerate(posts):  # each post held by an account, so owners can write (--mixed)
        owner = get_user_model().objects.create_user(f"owner-{n}", password="bench-password-not-secret")
        people.post_holder_change(actor=actor, post=post, holder_name=f"Officer {post.pk}", starts_on=AGREED,
                                  user=owner)
    today = date.today()
    for p in range(plans):
        with journal.one_version_move():  # one transaction per plan, as an import is
            plan = services.plan_create(actor=actor, reference=f"LOAD-{p + 1:02d}", title=f"Improvement plan {p + 1}",
                                        agreed_on=AGREED, board="Performance and Resources Board")
            services.role_grant(actor=actor, user=user, plan=plan, role="manager", today=AGREED)
            for r in range(actions_per_plan // 5):
                rec = services.recommendation_create(actor=actor, plan=plan, ref=str(r + 1),
                                                     text=f"Recommendation {r + 1} of plan {p + 1}.")
                for _ in range(5):
                    due = AGREED + timedelta(days=rng.randint(30, 1400))
                    action = services.action_create(actor=actor, recommendation=rec, text="Do the work " * 8,
                                                    owner_posts=rng.sample(posts, rng.choice((1, 1, 2))), due_on=due)
                    if rng.random() < 0.3:
                        services.action_change_due_date(actor=actor, action=action, due_on=due + timedelta(days=90),
                                                        reason="More time", effective_on=AGREED + timedelta(days=20))
                    if due < today and rng.random() < 0.6:
                        services.action_change_lifecycle(actor=actor, action=action, lifecycle=Lifecycle.COMPLETED,
                                                         effective_on=due, completed_on=due)
            progress_history(plan, actor, today)


HISTORY_MONTHS = 12


def progress_history(plan, actor, today: date) -> None:
    """A year of monthly progress updates on every open action, as owners write them: what a real plan's Progress
    column is read from. In bulk (one insert, one journal write), with the events the services write."""
    from actiontrack.core.choices import EntityType
    from actiontrack.core.journal import Entry, record_many
    from actiontrack.domain.lifecycle import Lifecycle
    from actiontrack.domain.periods import period_of
    from actiontrack.plans.models import ProgressUpdate

    months, start = [], today.replace(day=1)
    for _ in range(HISTORY_MONTHS):
        start = (start - timedelta(days=1)).replace(day=1)
        months.append(period_of(start, plan.reporting_period))
    updates = ProgressUpdate.objects.bulk_create(
        [ProgressUpdate(action=action, period_start=period.start, author_name=f"Officer {action.pk % 30}",
                        text=f"{period.label}: " + "work on the action continued as planned. " * 5)
         for action in plan.actions.filter(lifecycle__in=[life for life in Lifecycle if life.is_open])
         for period in months
         if period.start >= AGREED], batch_size=2000)
    record_many(actor=actor, plan=plan, entries=[
        Entry(EntityType.UPDATE, update.pk, "text", None, {"action": update.action_id,
                                                            "period": update.period_start.isoformat(),
                                                            "text": update.text},
              effective_on=min(today, update.period_start + timedelta(days=35)), reason="Progress update")
        for update in updates])


def credentials() -> tuple[str, str]:
    """A signed-in session and an API token for the benchmark's plan manager."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from actiontrack.api.tokens import token_create

    user = get_user_model().objects.get(username="bench")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"  # as signing in stores
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    _, token = token_create(user=user, name=f"load benchmark {session.session_key[:8]}")
    return session.session_key, token


def owner_writes(limit: int = 4000) -> list[tuple[str, str, str]]:
    """(plan reference, action slug, an owner's API token) for open actions, for the --mixed run's writes."""
    from actiontrack.api.tokens import token_create
    from actiontrack.domain.lifecycle import Lifecycle
    from actiontrack.people.models import PostHolding
    from actiontrack.plans.models import Action

    holders = {h.post_id: h.user for h in PostHolding.objects.filter(ends_on=None, user__isnull=False)
               .select_related("user")}
    run = f"{os.getpid()}-{time.time():.0f}"  # a token name of its own each run (names are unique per person)
    tokens = {user.pk: token_create(user=user, name=f"load benchmark owner {run}")[1] for user in
              {u.pk: u for u in holders.values()}.values()}
    found = []
    open_ = [life.value for life in Lifecycle if life.is_open]
    for action in (Action.objects.filter(lifecycle__in=open_).select_related("plan")
                   .prefetch_related("owner_posts").order_by("?")[:limit]):
        owner = next((holders[p.pk] for p in action.owner_posts.all() if p.pk in holders), None)
        if owner is not None:
            found.append((action.plan.reference, action.slug, tokens[owner.pk]))
    return found


def drive_mix(port: int, reads: list[tuple[str, str, dict]], writes: list[tuple[str, str, str]],
              write_share: float, clients: int, requests: int, seconds: float) -> dict:
    """Like `drive`, over a mix: each request a read of a random kind (`reads`: kind, path, headers), or with
    probability `write_share` an owner's write through the API (a progress update or a date proposal on a
    random open action). Returns per kind: latencies' p95 and counts; and the run's throughput."""
    import json

    lock = threading.Lock()
    versions: dict[tuple[str, str], int] = {}
    kinds = sorted({kind for kind, _, _ in reads})
    choices = {kind: [(path, headers) for k, path, headers in reads if k == kind] for kind in kinds}

    def one(conn, rng):
        if writes and rng.random() < write_share:
            plan, slug, token = rng.choice(writes)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            if rng.random() < 0.5:
                kind, path = "write: progress update", f"/api/plans/{plan}/actions/{slug}/updates"
                with lock:
                    version = versions.get((plan, slug))
                body = {"text": f"Progress noted at {time.time():.6f}.", "expected_version": version}
            else:
                kind, path = "write: date proposal", f"/api/plans/{plan}/actions/{slug}/proposals"
                body = {"due_on": (date.today() + timedelta(days=rng.randint(60, 400))).isoformat(),
                        "reason": "More time is needed for the consultation."}
            conn.request("POST", path, body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            content = response.read()
            if kind == "write: progress update" and response.status in (200, 409):
                try:
                    stored = json.loads(content)
                    with lock:
                        versions[(plan, slug)] = stored.get("version") or stored.get("current_version")
                except ValueError:
                    pass
            # 409 (someone saved first) and 400 (a proposal already pending) are real answers, not failures.
            return kind, response.status < 500
        kind = rng.choice(kinds)
        path, headers = rng.choice(choices[kind])
        return kind, get_ok(conn, path, headers)

    by_kind, errors, wall = run_clients(port, clients, requests, seconds, one)
    total = sum(len(v) for v in by_kind.values())
    return {"rps": total / wall if wall else 0, "n": total, "errors": errors,
            "kinds": {kind: (len(v), p95_ms(v)) for kind, v in sorted(by_kind.items())}}


def print_mix(title: str, result: dict) -> None:
    out(f"\n{title}: {result['n']} requests, {result['rps']:.1f} req/s, {result['errors']} errors\n")
    out(f"{'request kind':<34}{'requests':>9}{'p95 ms':>9}")
    for kind, (n, p95) in result["kinds"].items():
        out(f"{kind:<34}{n:>9}{p95:>9.1f}")


def run_clients(port: int, clients: int, requests: int, seconds: float, one) -> tuple[dict[str, list[float]],
                                                                                        int, float]:
    """`clients` threads, each with its own connection (gunicorn's sync workers close it after each response and
    http.client connects again), until `requests` are done or time is up. `one(conn, rng)` makes one request
    and returns (its kind, whether it succeeded). Returns the latencies by kind, the errors and the wall time."""
    by_kind: dict[str, list[float]] = {}
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    remaining = [requests]

    def client(n):
        rng = random.Random(11 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                kind, ok = one(conn, rng)
            except (OSError, http.client.HTTPException):
                kind, ok = "connection", False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                by_kind.setdefault(kind, []).append(elapsed)
                errors[0] += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return by_kind, errors[0], time.perf_counter() - started


def get_ok(conn, path: str, headers: dict) -> bool:
    """GET `path` on the client's connection, reading the whole answer; whether it was a 200."""
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status == 200


def p95_ms(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)] * 1000 if values else 0


def drive(port: int, path: str, headers: dict, clients: int, requests: int, seconds: float) -> dict:
    """One page, again and again, by `clients` at once."""
    def one(conn, _rng):
        return "page", get_ok(conn, path, headers)

    by_kind, errors, wall = run_clients(port, clients, requests, seconds, one)
    latencies = [v for values in by_kind.values() for v in values]
    return {"n": len(latencies), "rps": len(latencies) / wall if wall else 0, "errors": errors,
            "p50": statistics.median(latencies) * 1000 if latencies else 0, "p95": p95_ms(latencies)}


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"], env=env, cwd=os.getcwd())
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return server, port


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--actions", type=int, default=500, help="actions per plan")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000, help="requests per page, at most")
    parser.add_argument("--seconds", type=float, default=30, help="time per page, at most")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="gunicorn sync workers (default: one per core, as docs/deploy.md advises; on two "
                             "cores the default of `actiontrack serve`)")
    parser.add_argument("--keep", metavar="NAME", help="build into database NAME and keep it; reuse it if it "
                                                       "exists (for repeated runs while tuning)")
    parser.add_argument("--no-cold", action="store_true", help="skip the second run with the read cache off")
    parser.add_argument("--shared-cache", action="store_true",
                        help="keep the read cache in a redis-server started for the run (READ_CACHE_URL, as several "
                             "app servers would), emptied before each run, instead of in the data folder")
    parser.add_argument("--from-empty", action="store_true",
                        help="with --mixed: start each run with the read cache empty and count its filling, as "
                             "until session 31, instead of filling its folder with old values and building every "
                             "kept page first")
    parser.add_argument("--mixed", action="store_true",
                        help="reads spread over the dashboard, plan pages today and at a past date, API pages and "
                             "action pages, first alone, then with 10%% writes by owners (progress updates and date "
                             "proposals), then with writes and the read cache off")
    args = parser.parse_args()

    def build_plans() -> str:
        build(args.plans, args.actions)
        return f"{args.plans} plans x {args.actions} actions through the services"

    with bench_database(args.keep, "bench_load", build_plans, ALLOWED_HOSTS="127.0.0.1,localhost",
                        SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false",
                        CSRF_COOKIE_SECURE="false") as env:
        session_key, token = credentials()
        if args.mixed:
            writes = owner_writes()
            reads = mixed_reads(session_key, token, args.plans)
        from django.db import connections

        connections.close_all()
        if not args.mixed:
            run_pages(args, env, session_key, token)
        elif args.shared_cache:
            with shared_cache() as url:
                run_mixed(args, {**env, "READ_CACHE_URL": url}, reads, writes)
        else:
            run_mixed(args, env, reads, writes)


def run_pages(args, env: dict, session_key: str, token: str) -> None:
    """Each page on its own under the clients: as served, then with the read cache off."""
    cookie, bearer, plan_ref = {"Cookie": f"sessionid={session_key}"}, {"Authorization": f"Bearer {token}"}, "LOAD-01"
    pages = [
        ("empty Django view (floor)", "/bench-empty/", {}),
        ("dashboard (home page)", "/", cookie),
        (f"plan page ({args.actions} actions)", f"/plans/{plan_ref}/", cookie),
        ("API action list (page of 50)", f"/api/plans/{plan_ref}/actions?limit=50", bearer),
        # Across every plan the reader can see (what a Power BI feed reads): all of them, and the overdue by date.
        ("API across plans (page of 50)", "/api/actions?limit=50", bearer),
        ("API across plans, overdue by date", "/api/actions?limit=50&overdue=true&sort=due", bearer),
    ]
    out(f"\ngunicorn: {args.workers} sync workers; load: {args.clients} concurrent clients, at most "
        f"{args.requests} requests or {args.seconds:.0f} s per page, loopback")
    runs = [("read cache on (the default)", env, args.requests)]
    if not args.no_cold:
        runs.append(("read cache off (ACTIONTRACK_READ_CACHE_ENTRIES=0): every page built afresh",
                     {**env, "ACTIONTRACK_READ_CACHE_ENTRIES": "0"}, min(args.requests, 100)))
    for title, run_env, requests in runs:
        server, port = start_server(run_env, args.workers)
        try:
            for _, path, headers in pages:  # warm up every worker
                drive(port, path, headers, args.workers, args.workers * 2, 30)
            out(f"\n{title}\n")
            out(f"{'page':<36}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'% of floor':>12}")
            floor = None
            for label, path, headers in pages:
                result = drive(port, path, headers, args.clients, requests, args.seconds)
                floor = floor or result["rps"]
                out(f"{label:<36}{result['n']:>9}{result['errors']:>8}{result['rps']:>9.1f}{result['p50']:>9.1f}"
                    f"{result['p95']:>9.1f}{100 * result['rps'] / floor:>11.0f}%")
        finally:
            stop_server(server)
    out("\ntarget (issue 17): p95 under 150 ms for every page as served, under 500 ms with the read cache off (the "
        "mixed run's targets); the API's throughput as a share of the floor is shown for comparison only")


def mixed_reads(session_key: str, token: str, plans: int) -> list[tuple[str, str, dict]]:
    """(kind, path, headers) for every read the mixed run makes, across all the plans."""
    from actiontrack.plans.models import Action

    cookie = {"Cookie": f"sessionid={session_key}"}
    bearer = {"Authorization": f"Bearer {token}"}
    past = (AGREED + timedelta(days=200)).strftime("%d/%m/%Y")
    reads = [("dashboard", "/", cookie)]
    for p in range(plans):
        ref = f"LOAD-{p + 1:02d}"
        reads += [("plan page today", f"/plans/{ref}/", cookie),
                  ("plan page at a past date", f"/plans/{ref}/?as_at={past}", cookie),
                  *[("API page of 50", f"/api/plans/{ref}/actions?limit=50&offset={o}", bearer) for o in (0, 100)]]
    for plan_ref, slug in Action.objects.order_by("?").values_list("plan__reference", "slug")[:500]:
        reads.append(("action page", f"/plans/{plan_ref}/actions/{slug}/", cookie))
    return reads


@contextmanager
def shared_cache():
    """A redis-server of the run's own on a free port, yielding its URL; stopped at the end."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def empty_shared_cache(env: dict, fill: bool) -> None:
    """Each run starts with none of its pages in the cache, as each would start with new workers if the cache were
    theirs. With `fill`, a folder then holds old values (fill_read_cache), as a server's does once it has been up."""
    if env.get("READ_CACHE_URL"):
        import redis

        redis.Redis.from_url(env["READ_CACHE_URL"]).flushdb()
    else:
        shutil.rmtree(Path(env["ACTIONTRACK_DATA_DIR"]) / "read-cache", ignore_errors=True)
        if fill and env.get("ACTIONTRACK_READ_CACHE_ENTRIES") != "0":
            fill_read_cache()


def fill_read_cache() -> int:
    """The read cache's folder as a server in use holds it: full (settings.READ_CACHE_ENTRIES), of old versions'
    values, which are never deleted, only culled; storing a value costs more in a full folder than in an empty one
    (core.folder_cache). Returns how many values it holds: 0 for a cache in Redis or off."""
    from django.conf import settings
    from django.core.cache import caches

    if settings.READ_CACHE_URL or not settings.READ_CACHE_ENTRIES:
        return 0
    for n in range(settings.READ_CACHE_ENTRIES - 1):
        caches["readcache"].set(f"old-version-{n}", b"a value no page will ask for again " * 30)
    return settings.READ_CACHE_ENTRIES - 1


def build_every_kept_page(port: int, reads: list[tuple[str, str, dict]], clients: int) -> dict:
    """Each read the mix makes of a page the read cache keeps (all but the action pages), once, by `clients` at
    once: the pages built afresh that a server starting with an empty cache serves first. Returns the count, the
    p95 and the slowest, in ms, and the errors (a page not built is still counted, and said)."""
    kept = [(path, headers) for kind, path, headers in reads if kind != "action page"]
    lock = threading.Lock()

    def one(conn, _rng):
        with lock:
            path, headers = kept.pop()
        return "page", get_ok(conn, path, headers)

    by_kind, errors, _ = run_clients(port, clients, len(kept), 600, one)
    latencies = [v for values in by_kind.values() for v in values]
    return {"n": len(latencies), "p95": p95_ms(latencies), "slowest": max(latencies, default=0) * 1000,
            "errors": errors}


def run_mixed(args, env: dict, reads, writes) -> None:
    """Reads alone; reads with 10% writes; the same with the read cache off. The last line is issue 17's."""
    out(f"\ngunicorn: {args.workers} sync workers; load: {args.clients} concurrent clients, at most "
        f"{args.requests} requests or {args.seconds:.0f} s per run, loopback; {len(writes)} open actions to write to; "
        f"read cache: {'shared, in Redis' if env.get('READ_CACHE_URL') else 'shared, in the data folder'}"
        f"{'' if args.from_empty or env.get('READ_CACHE_URL') else ', at each run start full of old values'}")
    results = {}
    signed_in_cookie = next(headers for _, _, headers in reads if "Cookie" in headers)
    for key, title, run_env, share, requests in (
            ("reads", "reads only, read cache on", env, 0.0, args.requests),
            ("mixed", "10% writes, read cache on", env, 0.1, args.requests),
            ("cold", "10% writes, read cache off (ACTIONTRACK_READ_CACHE_ENTRIES=0)",
             {**env, "ACTIONTRACK_READ_CACHE_ENTRIES": "0"}, 0.1, min(args.requests, 400))):
        empty_shared_cache(run_env, fill=not args.from_empty)
        server, port = start_server(run_env, args.workers)
        try:
            if not wait_until_booted(server.pid, args.workers):
                out("(could not tell from /proc that every worker had loaded the app: the first requests may "
                    "include their loading)")
            # The runs measure a server in use: every page the read cache keeps is built once first, from the
            # empty cache, and what that costs is printed beside the run (the cache-off run builds every page
            # afresh throughout); with --from-empty, as until session 31, each run counts that filling itself.
            # Then the mix a few times per worker, so that each has run its code once.
            warmed = None if args.from_empty else build_every_kept_page(port, reads, args.clients)
            drive_mix(port, reads, [], 0.0, args.workers, args.workers * 4, 30)
            floor = drive(port, "/bench-empty/", {}, args.clients, args.requests, args.seconds)
            signed_in = {}  # the second floor: what a signed-in page costs before its own work (bench/urls.py)
            with cpu_per_request(server.pid, signed_in):
                signed_in.update(drive(port, "/bench-signed-in/", signed_in_cookie, args.clients, args.requests,
                                       args.seconds))
            results[key] = {}
            with cpu_per_request(server.pid, results[key]):
                results[key].update(drive_mix(port, reads, writes, share, args.clients, requests, args.seconds))
            memory = workers_rss_mb(server.pid)
        finally:
            stop_server(server)
        print_mix(title, results[key])
        if warmed:
            out(f"{'before it: every kept page once':<34}{warmed['n']:>9}{warmed['p95']:>9.1f}   (built afresh from "
                f"an empty cache by {args.clients} clients; slowest {warmed['slowest']:.0f} ms; "
                f"{warmed['errors']} errors)")
        out(f"{'floor: empty Django view':<34}{floor['n']:>9}{floor['p95']:>9.1f}   ({floor['rps']:.0f} req/s)")
        cost = (f"; workers {signed_in['cpu'][0]:.1f} ms, whole machine {signed_in['cpu'][2]:.1f} ms a request"
                if "cpu" in signed_in else "")
        out(f"{'floor: signed-in empty page':<34}{signed_in['n']:>9}{signed_in['p95']:>9.1f}   "
            f"({signed_in['rps']:.0f} req/s{cost})")
        if "cpu" in results[key]:
            workers, postgres, machine, cores = results[key]["cpu"]
            out(f"CPU per request: workers {workers:.1f} ms, PostgreSQL {postgres:.1f} ms, whole machine "
                f"{machine:.1f} ms ({cores:.2f} of {os.cpu_count()} cores busy)")
        if memory:
            out(f"memory after the run: largest worker {max(memory):.0f} MB resident (of {len(memory)} workers; "
                f"target 200 MB)")

    def worst(result):
        return max(p95 for _, p95 in result["kinds"].values())

    share = 100 * results["mixed"]["rps"] / results["reads"]["rps"] if results["reads"]["rps"] else 0
    out("\ntarget (issue 17): p95 under 150 ms for every kind and at least 60% of the reads-only throughput with "
        "writes; under 500 ms with the read cache off")
    out(f"mixed: worst p95 {worst(results['mixed']):.0f} ms; throughput {share:.0f}% of reads-only; cache off: "
        f"worst p95 {worst(results['cold']):.0f} ms")


if __name__ == "__main__":
    main()

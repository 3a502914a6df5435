"""Benchmark of importing an Excel tracker: trackers of 2,500, 5,000 and 10,000 actions built here with
openpyxl, then for each, in the same run, the time and peak memory (tracemalloc) of
  - the floor: openpyxl reading every row of the same file in read-only mode, doing nothing with them;
  - parse: the importer reading and checking it (registry.parse_file: safety checks, header recognition,
    every cell read, problems found), which is everything before the database;
  - apply: import_apply(apply=True) writing it through the services into a new plan, one transaction,
    every change journalled (this reads the file a second time, row by row);
  - preview: the web preview of a CSV tracker (9,000 actions by default) into a new plan, alone and while
    another process saves every 0.2 s: how long the preview takes, and how those saves fared.
Prints figures; asserts nothing. Uses a fresh temporary data folder and SQLite file, or, with DATABASE_URL, a
throwaway PostgreSQL database dropped at the end. See IMPORT.md.

    .venv/bin/python -m bench.import_tracker [--sizes 2500,5000,10000] [--runs 3] [--apply-memory-max 5000] [--no-apply]
                                             [--preview 9000]
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import queue
import random
import shutil
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from bench.plan_page import close_database, open_database, out, prepare_environment

POSTS = 24
ACTIONS_PER_RECOMMENDATION = 20
STATUSES = ["Not started", "In progress", "Amber", "Red", "Complete", "Green", "On track", "Closed"]
HEADER = ["Ref", "Recommendation", "Action", "Action owner", "Target date", "Revised date", "RAG", "Commentary"]


def build_tracker(path: Path, rows: int, rng: random.Random) -> None:
    """A tracker as organisations keep them: a title row, a header, one row per action (recommendation text
    on the first row of each, blank below), real dates, RAG words, commentary, notes below the table."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tracker")
    sheet.append([f"Improvement tracker, {rows:,} actions"])
    # The date the tracker is as at, as trackers say it: the completion date of closed rows that give none.
    sheet.append(["As at 30 September 2023"])
    sheet.append(HEADER)
    for n in range(rows):
        rec, action = divmod(n, ACTIONS_PER_RECOMMENDATION)
        due = date(2021, 1, 4) + timedelta(days=rng.randint(60, 900))
        revised = due + timedelta(days=rng.choice((30, 61, 92))) if rng.random() < 0.2 else None
        owner = f"Head of Bench Function {rng.randint(1, POSTS)}"
        if rng.random() < 0.1:
            owner += f" / Head of Bench Function {rng.randint(1, POSTS)}"
        sheet.append([f"{rec + 1}.{action + 1}",
                      f"Recommendation {rec + 1}: the service should improve area {rec + 1}." if action == 0 else "",
                      f"Deliver improvement {n + 1} and evidence it to the board (item {rng.randint(1, 10**6)}).",
                      owner, due, revised, rng.choice(STATUSES),
                      f"Update on item {n + 1}: work continues." if rng.random() < 0.5 else ""])
    sheet.append([])
    sheet.append(["Notes: dates as agreed at the board."])
    workbook.save(path)


def build_csv(path: Path, rows: int, rng: random.Random) -> None:
    """The same tracker as CSV, dates written dd/mm/yyyy, as a spreadsheet saves it."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for n in range(rows):
            rec, action = divmod(n, ACTIONS_PER_RECOMMENDATION)
            due = date(2021, 1, 4) + timedelta(days=rng.randint(60, 900))
            revised = due + timedelta(days=rng.choice((30, 61, 92))) if rng.random() < 0.2 else None
            owner = f"Head of Bench Function {rng.randint(1, POSTS)}"
            writer.writerow([f"{rec + 1}.{action + 1}",
                             f"Recommendation {rec + 1}: improve area {rec + 1}." if action == 0 else "",
                             f"Deliver improvement {n + 1} and evidence it to the board.", owner,
                             f"{due:%d/%m/%Y}", f"{revised:%d/%m/%Y}" if revised else "", rng.choice(STATUSES),
                             f"Update on item {n + 1}: work continues." if rng.random() < 0.5 else ""])


def other_user(reference: str, stop, results) -> None:
    """Someone else, in another process as in another app server worker: saves a post every 0.2 s until
    told to stop, putting ("saved", seconds) or ("failed", message) for each save."""
    from django.db import OperationalError, connections

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.people import services as people

    someone = Actor.system("Someone else", ChangeSource.CLI)
    try:
        n = 0
        while not stop.is_set():
            n += 1
            start = time.perf_counter()
            try:
                people.post_create(actor=someone, name=f"Concurrent post {reference} {n}",
                                   effective_on=date(2021, 1, 4))
                results.put(("saved", time.perf_counter() - start))
            except OperationalError as exc:
                results.put(("failed", str(exc)))
            stop.wait(0.2)
    finally:
        connections.close_all()


def preview_under_writes(path: Path, reference: str, writer: bool = True) -> dict:
    """The import preview (a dry run, as the web page runs it), with another process saving every 0.2 s as
    other people's work would (unless writer=False): the preview's time, and how many of those saves
    succeeded, failed ("database is locked" on SQLite) and the slowest of them."""
    from django.db import connections
    from django.utils import timezone

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.interchange.importing.service import import_apply
    from actiontrack.interchange.registry import parse_file

    forked = multiprocessing.get_context("fork")
    stop, results = forked.Event(), forked.Queue()
    connections.close_all()  # the other process opens its own connection, never this one's
    other = forked.Process(target=other_user, args=(reference, stop, results)) if writer else None
    if other is not None:
        other.start()
    try:
        start = time.perf_counter()
        with path.open("rb") as stream:
            parsed = parse_file(stream, path.name)
            report = import_apply(actor=Actor.system("Bench preview", ChangeSource.IMPORT), plan_ref=reference,
                                  parsed=parsed, apply=False, filename=path.name, today=timezone.localdate(),
                                  agreed_on=date(2021, 1, 4))
        elapsed = time.perf_counter() - start
    finally:
        stop.set()
        outcomes = []
        if other is not None:
            while other.is_alive() or not results.empty():
                try:
                    outcomes.append(results.get(timeout=1))
                except queue.Empty:
                    continue
            other.join()
    if report.errors:
        raise SystemExit(f"the preview of {path.name} found errors: {report.errors[:3]}")
    saves = [value for outcome, value in outcomes if outcome == "saved"]
    failures = [value for outcome, value in outcomes if outcome == "failed"]
    return {"seconds": elapsed, "saved": len(saves), "failed": len(failures), "slowest": max(saves, default=0.0),
            "failure": failures[0] if failures else "", "summary": report.summary}


def floor(path: Path) -> int:
    """openpyxl reading every row in read-only mode: what any importer must at least pay."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for sheet in workbook.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return count


def parse(path: Path):
    from actiontrack.interchange.registry import parse_file

    with path.open("rb") as stream:
        result = parse_file(stream, path.name)
        len(result.rows)
        return result


def apply(path: Path, reference: str):
    from django.utils import timezone

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.interchange.importing.service import import_apply
    from actiontrack.interchange.registry import parse_file

    actor = Actor.system(f"Import of {path.name}", ChangeSource.IMPORT)
    with path.open("rb") as stream:
        parsed = parse_file(stream, path.name)
        report = import_apply(actor=actor, plan_ref=reference, parsed=parsed, apply=True, filename=path.name,
                              today=timezone.localdate(), agreed_on=date(2021, 1, 4))
    if not report.applied:
        raise SystemExit(f"the import of {path.name} was not applied: {report.errors[:3]}")
    return report


def timed(fn, runs: int) -> float:
    """Median seconds of `runs` calls (after one warm-up call), without tracemalloc."""
    fn()
    samples = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def peak(fn) -> tuple[float, object]:
    """Peak traced memory in MB of one call, and what it returned."""
    gc.collect()
    tracemalloc.start()
    try:
        value = fn()
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024), value
    finally:
        tracemalloc.stop()


def run(args, folder: Path) -> None:
    from django.db import connection

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.people import services as people

    if connection.vendor == "sqlite":
        out(f"database: SQLite {connection.Database.sqlite_version} (temporary file)")
    else:
        out(f"database: PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000} "
            f"(throwaway database {connection.settings_dict['NAME']})")
    loader = Actor.system("Benchmark loader", ChangeSource.CLI)
    for i in range(POSTS):
        people.post_create(actor=loader, name=f"Head of Bench Function {i + 1}", effective_on=date(2021, 1, 4))
    rng = random.Random(2021)
    if args.preview:
        path = folder / f"tracker-{args.preview}.csv"
        build_csv(path, args.preview, random.Random(2021))
        out(f"built {path.name}: {args.preview:,} actions, {path.stat().st_size / 1024:,.0f} KB")
        alone = preview_under_writes(path, f"PREVIEW-{args.preview}", writer=False)
        out(f"preview of {args.preview:,} CSV rows, alone: {alone['seconds']:.1f} s ({alone['summary']})")
        seen = preview_under_writes(path, f"PREVIEW-{args.preview}")
        out(f"preview of {args.preview:,} CSV rows while another process saves every 0.2 s: {seen['seconds']:.1f} s; "
            f"its saves during the preview: {seen['saved']} succeeded (slowest {seen['slowest'] * 1000:,.0f} ms), "
            f"{seen['failed']} failed" + (f" ({seen['failure']})" if seen["failure"] else ""))
    rows = []
    for size in args.sizes:
        path = folder / f"tracker-{size}.xlsx"
        start = time.perf_counter()
        build_tracker(path, size, rng)
        out(f"built {path.name}: {size:,} actions, {path.stat().st_size / 1024:,.0f} KB, in "
            f"{time.perf_counter() - start:.1f} s")
        floor_s = timed(lambda p=path: floor(p), args.runs)
        parse_s = timed(lambda p=path: parse(p), args.runs)
        floor_mb, _ = peak(lambda p=path: floor(p))
        parse_mb, result = peak(lambda p=path: parse(p))
        if result.errors or len(result.rows) != size:
            raise SystemExit(f"parse of {path.name}: {len(result.rows)} rows, errors {result.errors[:3]}")
        row = {"size": size, "floor_s": floor_s, "parse_s": parse_s, "floor_mb": floor_mb, "parse_mb": parse_mb,
               "warnings": len(result.warnings)}
        out(f"  floor {floor_s:.2f} s, parse {parse_s:.2f} s; applying…")
        if args.apply:
            start = time.perf_counter()
            report = apply(path, f"BENCH-{size}")
            row["apply_s"] = time.perf_counter() - start
            row["summary"] = report.summary
            traced = size <= args.apply_memory_max
            out(f"  applied in {row['apply_s']:.1f} s" + ("; again under tracemalloc…" if traced else ""))
            row["apply_mb"] = peak(lambda p=path, s=size: apply(p, f"BENCH-MEM-{s}"))[0] if traced else None
        rows.append(row)
    if rows:
        table(args, rows)


def table(args, rows: list[dict]) -> None:
    out()
    out(f"median of {args.runs} runs after a warm-up (times); one run under tracemalloc (peak memory)")
    out(f"{'actions':>8} {'floor s':>8} {'parse s':>8} {'x floor':>8} {'floor MB':>9} {'parse MB':>9} "
        f"{'parse-floor MB':>15}" + (f" {'apply s':>8} {'ms/action':>10}" if args.apply else "")
        + (f" {'apply MB':>9}" if args.apply else ""))
    for r in rows:
        line = (f"{r['size']:>8,} {r['floor_s']:>8.2f} {r['parse_s']:>8.2f} {r['parse_s'] / r['floor_s']:>8.2f} "
                f"{r['floor_mb']:>9.1f} {r['parse_mb']:>9.1f} {r['parse_mb'] - r['floor_mb']:>15.1f}")
        if args.apply:
            line += f" {r['apply_s']:>8.1f} {r['apply_s'] * 1000 / r['size']:>10.2f}"
            line += f" {r['apply_mb']:>9.1f}" if r["apply_mb"] is not None else f" {'—':>9}"
        out(line)
    out()
    out("targets: parse within 3x of the floor; parse memory flat in the number of rows (beyond what openpyxl "
        "itself holds)")
    if args.apply and any(r["apply_mb"] is None for r in rows):
        out("apply MB '—': not measured at this size (raise --apply-memory-max; tracemalloc slows the ORM 4x)")
    for r in rows:
        if args.apply:
            out(f"{r['size']:,} actions applied: {r['summary']}; {r['warnings']:,} warnings")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_tracker", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2500,5000,10000", help="tracker sizes, in actions (default 2500,5000,"
                                                                   "10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the floor and the parse (default 3)")
    parser.add_argument("--no-apply", dest="apply", action="store_false", help="measure reading only")
    parser.add_argument("--apply-memory-max", type=int, default=5000, metavar="N",
                        help="apply once more under tracemalloc, for the apply's peak memory, for sizes up to N "
                             "(default 5000; tracemalloc makes the ORM about 4 times slower, so at 10,000 this is "
                             "most of the run; 0 for none)")
    parser.add_argument("--preview", type=int, default=9000, metavar="N",
                        help="first, the web preview of a CSV tracker of N actions while another connection saves "
                             "(default 9000; 0 for none)")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    data_dir = prepare_environment()
    import django

    django.setup()
    from django.test.utils import override_settings

    old_config = None
    try:
        old_config = open_database()
        with override_settings(IMPORT_MAX_ROWS=max([*args.sizes, args.preview])):
            run(args, Path(data_dir))
    finally:
        close_database(old_config)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

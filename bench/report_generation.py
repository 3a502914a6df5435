"""Benchmark of board report generation: a plan of 1,000 actions, built through the services; its report data
built from the database, then rendered as DOCX and PDF, each timed beside a floor measured in the same run on
the same rows: python-docx writing the same table raw, and WeasyPrint rendering the same table's HTML raw.
Prints figures; asserts no times. Uses a fresh temporary data folder and SQLite file, or, with DATABASE_URL,
a throwaway PostgreSQL database dropped at the end. See REPORTS.md.

    .venv/bin/python -m bench.report_generation [--actions 1000] [--runs 3]

Last month's report is issued first (through the services, timed), so this month's report lists one month's
changes, as a monthly paper does. DOCX and PDF are each timed in turns with their floor, run by run.

A second case, "bounded", is a plan and report whose every text is as long as the limits allow
(domain/text.py Limit), half of them one unbroken word of that length: what the renderers must stay fast on.

    .venv/bin/python -m bench.report_generation --case bounded
"""

from __future__ import annotations

import argparse
import html
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

AGREED = date(2021, 1, 4)
AS_AT = date(2022, 6, 30)  # this month's report
PREVIOUS = date(2022, 5, 31)  # last month's, issued
POSTS = 24
HEADERS = ["Ref", "Recommendation", "Action", "Owner", "Delivery date", "Status"]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def prepare_environment() -> str:
    """A throwaway data folder and safe settings, set before Django reads its settings (as bench/plan_page.py)."""
    data_dir = tempfile.mkdtemp(prefix="actiontrack-bench-reports-")
    os.environ["ACTIONTRACK_DATA_DIR"] = data_dir
    os.environ["SECRET_KEY"] = "bench-only-not-a-secret-" + "x" * 40
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "actiontrack.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    return data_dir


def open_database():
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases

    if not os.environ.get("DATABASE_URL", "").strip():
        call_command("migrate", verbosity=0, interactive=False)
        return None
    connections["default"].settings_dict["TEST"]["NAME"] = f"bench_reports_{os.getpid()}"
    return setup_databases(verbosity=0, interactive=False, serialized_aliases=[])


def close_database(old_config) -> None:
    from django.db import connections
    from django.test.utils import teardown_databases

    if old_config is not None:
        teardown_databases(old_config, verbosity=0)
    connections.close_all()


def build_plan(n_actions: int, rng: random.Random):
    """A plan of `n_actions` actions under n/20 recommendations, with completions and date revisions."""
    from django.db import transaction

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.domain.lifecycle import Lifecycle
    from actiontrack.people import services as people
    from actiontrack.plans import services
    from actiontrack.plans.choices import SourceKind

    actor = Actor.system("Benchmark loader", ChangeSource.CLI)
    with transaction.atomic():
        posts = [people.post_create(actor=actor, name=f"Head of Bench Function {i + 1}", effective_on=AGREED)
                 for i in range(POSTS)]
        plan = services.plan_create(actor=actor, reference=f"BENCH-{n_actions}", agreed_on=AGREED,
                                    title=f"Benchmark plan, {n_actions} actions", source_kind=SourceKind.HMICFRS,
                                    board="Bench Board", organisation="Bench Fire and Rescue Service")
        recs = [services.recommendation_create(
            actor=actor, plan=plan, ref=str(i + 1),
            text=f"Recommendation {i + 1}. The service should improve how it plans and evidences its work.")
            for i in range(max(1, n_actions // 20))]
        for i in range(n_actions):
            action = services.action_create(
                actor=actor, recommendation=recs[i % len(recs)], number=i // len(recs) + 1,
                text=f"Deliver improvement {i + 1} and evidence it to the board with a short written summary.",
                owner_posts=rng.sample(posts, rng.choice((1, 1, 2))), reason="Agreed in the action plan.",
                due_on=AGREED + timedelta(days=rng.randint(60, 700)))
            roll = rng.random()
            if roll < 0.3:
                services.action_change_due_date(actor=actor, action=action, reason="More time agreed.",
                                                due_on=action.due_on + timedelta(days=rng.choice((30, 61, 92))),
                                                effective_on=AGREED + timedelta(days=rng.randint(1, 400)))
            if roll > 0.4:
                day = AGREED + timedelta(days=rng.randint(1, 500))
                services.action_change_lifecycle(actor=actor, action=action, lifecycle=Lifecycle.COMPLETED,
                                                 completed_on=day, effective_on=day, reason="Done.")
    return plan


def paired(floor, work, runs: int) -> tuple[list[float], list[float]]:
    """Seconds for `floor` and `work`, timed in turns (floor, work, floor, work, ...) after one warm-up of each,
    so both meet the same load on the machine; the ratio is taken run by run."""
    floor()
    work()
    floors, works = [], []
    for _ in range(runs):
        for fn, samples in ((floor, floors), (work, works)):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return floors, works


def timed(fn, runs: int) -> list[float]:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def rows_of(data) -> list[list[str]]:
    """The action table's cells as plain text, for the floors."""
    return [[row.ref, row.recommendation, row.text, row.owners, row.due, row.status.title]
            for table in data.blocks("action_table") for row in table.rows]


def docx_floor(rows: list[list[str]], paragraphs: tuple[str, ...] = ()) -> bytes:
    """python-docx writing the same table raw (after the same paragraphs, if given): no styles, shading, header
    marks, captions or other sections."""
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=len(HEADERS))
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def table_html(rows: list[list[str]], paragraphs: tuple[str, ...] = ()) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(text)}</td>" for text in row) + "</tr>" for row in rows)
    head = "".join(f"<th>{name}</th>" for name in HEADERS)
    body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    return (f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>Floor</title></head><body>"
            f"{body}<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table></body></html>")


def pdf_floor(rows: list[list[str]], variant: str | None = None, paragraphs: tuple[str, ...] = ()) -> bytes:
    """WeasyPrint rendering the same table's HTML raw (no stylesheet), untagged or with `variant`. An unbroken
    word runs off the page there (nothing wraps it), which costs WeasyPrint nothing."""
    from weasyprint import HTML

    return HTML(string=table_html(rows, paragraphs)).write_pdf(**({"pdf_variant": variant} if variant else {}))


def texts_of(data) -> tuple[str, ...]:
    """Every text of the report outside the action table, for the bounded case's floors."""
    texts = [field.value for field in data.header]
    for section in data.sections:
        for block in section.blocks:
            if block.kind in ("paragraph", "subheading"):
                texts.append(block.text)
            elif block.kind == "bullets":
                texts.extend(block.items)
            elif block.kind == "numbered":
                texts.extend(item.text for item in block.items)
            elif block.kind == "equality_table":
                texts.extend(row.note for row in block.rows)
    return tuple(texts)


# The bounded case: every text as long as the limits allow --------------------------------------------------

BOUNDED_ACTIONS = 20
SENTENCE = "The service will review how it plans, delivers and evidences this work, and report to the board. "


def prose(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length - 1].rstrip() + "."


def unbroken(length: int, letter: str = "x") -> str:
    return letter * length


def as_words(text: str) -> str:
    """An unbroken word as ordinary words of the same length; other text as it is."""
    return prose(len(text)) if len(text) > 30 and not any(ch.isspace() for ch in text) else text


def longest(model, field: str, limit: int) -> int:
    """The limit, or the column's own length where that is shorter."""
    return min(limit, model._meta.get_field(field).max_length or limit)


def build_bounded(rng: random.Random):
    """A plan of BOUNDED_ACTIONS actions and a draft report as at AS_AT, every text at its limit: plan
    background and report sections Limit.LONG, recommendation and action texts Limit.TEXT, progress updates
    Limit.UPDATE, equality notes Limit.REASON, titles and names Limit.LINE; half of each kind one unbroken word
    of that length. All through the services."""
    from django.db import transaction

    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.domain.text import Limit
    from actiontrack.people import services as people
    from actiontrack.people.models import Post
    from actiontrack.plans import services
    from actiontrack.plans.choices import SourceKind
    from actiontrack.plans.models import Plan
    from actiontrack.plans.services import workflow
    from actiontrack.reports import services as reports
    from actiontrack.reports.choices import PROTECTED_CHARACTERISTICS, SECTIONS
    from actiontrack.reports.models import BoardReport

    actor = Actor.system("Benchmark loader", ChangeSource.CLI)
    text = [unbroken, lambda length: prose(length)]
    with transaction.atomic():
        posts = [people.post_create(actor=actor, name=f"Head of Bench Function {i + 1} " + unbroken(
            longest(Post, "name", Limit.LINE) - 40, "p"), effective_on=AGREED) for i in range(4)]
        plan = services.plan_create(
            actor=actor, reference="BENCH-LIMITS", agreed_on=AGREED, source_kind=SourceKind.HMICFRS,
            title=unbroken(longest(Plan, "title", Limit.LINE), "t"),
            board=prose(longest(Plan, "board", Limit.LINE)),
            organisation=unbroken(longest(Plan, "organisation", Limit.LINE), "o"),
            background=unbroken(Limit.LONG, "b"), documents_reviewed=prose(Limit.LONG))
        recs = [services.recommendation_create(actor=actor, plan=plan, ref=str(i + 1),
                                               text=text[i % 2](Limit.TEXT)) for i in range(4)]
        for i in range(BOUNDED_ACTIONS):
            action = services.action_create(
                actor=actor, recommendation=recs[i % len(recs)], number=i // len(recs) + 1,
                text=text[i % 2](Limit.TEXT), owner_posts=rng.sample(posts, 2), reason="Agreed in the action plan.",
                due_on=AGREED + timedelta(days=rng.randint(60, 700)))
            workflow.update_save(actor=actor, action=action, text=text[(i + 1) % 2](Limit.UPDATE), today=AS_AT)
        report = reports.report_create(
            actor=actor, plan=plan, meeting_date=AS_AT, today=AS_AT,
            **{name: text[i % 2](longest(BoardReport, name, Limit.LINE))
               for i, name in enumerate(("meeting", "subject", "authors", "presented_by", "classification"))})
        sections = {spec.key: text[i % 2](Limit.LONG) for i, spec in enumerate(SECTIONS) if spec.authored}
        equality = {key: {"impact": "none", "note": text[i % 2](Limit.REASON)}
                    for i, (key, _) in enumerate(PROTECTED_CHARACTERISTICS)}
        report = reports.report_update(actor=actor, report=report, expected_version=report.version, today=AS_AT,
                                       changes={"sections": sections, "equality": equality})
    return plan, report


def print_pairs(pairs, runs: int) -> None:
    out(f"{runs} timed runs of each, after one warm-up, floor and report in turns; medians in seconds")
    out(f"{'format':<6} {'floor':<34} {'floor s':>8} {'report s':>9} {'ratio':>6} {'ratios, run by run'}")
    for fmt, floor_name, (floors, works) in pairs:
        ratios = [work / floor for floor, work in zip(floors, works, strict=True)]
        out(f"{fmt:<6} {floor_name:<34} {statistics.median(floors):>8.2f} {statistics.median(works):>9.2f} "
            f"{statistics.median(ratios):>6.2f} " + " ".join(f"{r:.2f}" for r in ratios))


def run_bounded(args) -> None:
    """The bounded case: the longest texts the limits allow, timed against floors on the same texts."""
    from actiontrack.reports import renderers
    from actiontrack.reports.build import build_report_data

    start = time.perf_counter()
    plan, report = build_bounded(random.Random(2021))
    data = build_report_data(report)
    # The floors lay out the same texts, each unbroken word as ordinary words of the same length: raw, an unbroken
    # word would run off the page in one line (no work), and wrapped by CSS alone it is quadratic (no floor).
    rows = [[as_words(text) for text in row] for row in rows_of(data)]
    paragraphs = tuple(as_words(text) for text in texts_of(data))
    characters = sum(len(text) for text in paragraphs) + sum(len(text) for row in rows for text in row)
    sizes = {fmt: renderers.render(fmt, data) for fmt in ("docx", "pdf")}
    out(f"bounded: {len(rows)} actions, every text at its limit (half one unbroken word), "
        f"{characters:,} characters in the report; built in {time.perf_counter() - start:.1f} s; "
        f"DOCX {len(sizes['docx']) / 1024:.0f} KB, PDF {len(sizes['pdf']) / 1024:.0f} KB")
    pairs = [
        ("DOCX", "python-docx, same lengths raw", paired(
            lambda: docx_floor(rows, paragraphs), lambda: renderers.render("docx", data), args.runs)),
        ("PDF", "WeasyPrint, same lengths HTML raw", paired(
            lambda: pdf_floor(rows, None, paragraphs), lambda: renderers.render("pdf", data), args.runs)),
        ("PDF", "same, tagged pdf/ua-1", paired(
            lambda: pdf_floor(rows, "pdf/ua-1", paragraphs), lambda: renderers.render("pdf", data), args.runs)),
    ]
    print_pairs(pairs, args.runs)
    out(f"HTML report (render_html), median of {args.runs}: "
        f"{statistics.median(timed(lambda: renderers.render('html', data), args.runs)):.3f} s")
    out(f"Excel tracker (export_xlsx, progress updates at their limit), median of {args.runs}: "
        f"{statistics.median(timed(lambda: export_xlsx(plan), args.runs)):.3f} s")
    out("Target (issue 13): the bounded report's DOCX and PDF each within 1.5x of its floor.")


def export_xlsx(plan) -> bytes:
    from actiontrack.interchange.exporting import export_xlsx as xlsx

    return xlsx.render(plan, AS_AT)


def run(args) -> None:
    import logging

    from django.db import connection

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if connection.vendor == "sqlite":
        out(f"database: SQLite {connection.Database.sqlite_version} (temporary file)")
    else:
        out(f"database: PostgreSQL {connection.pg_version // 10000} (throwaway database "
            f"{connection.settings_dict['NAME']})")
    if args.case in ("all", "actions"):
        run_actions(args)
    if args.case in ("all", "bounded"):
        if args.case == "all":
            out()
        run_bounded(args)


def run_actions(args) -> None:
    from actiontrack.core.choices import ChangeSource
    from actiontrack.core.journal import Actor
    from actiontrack.reports import renderers, services
    from actiontrack.reports.build import build_report_data

    start = time.perf_counter()
    plan = build_plan(args.actions, random.Random(2021))
    out(f"build: {args.actions} actions, {plan.recommendations.count()} recommendations, "
        f"{plan.journal.count()} journal events, through the services in {time.perf_counter() - start:.1f} s")

    # Last month's report, issued (so this month's lists one month's changes, as a monthly paper does).
    actor = Actor.system("Benchmark loader", ChangeSource.CLI)
    previous = services.report_create(actor=actor, plan=plan, meeting_date=PREVIOUS, today=PREVIOUS)
    start = time.perf_counter()
    services.report_issue(actor=actor, report=previous, today=PREVIOUS)
    issue_seconds = time.perf_counter() - start
    report = services.report_create(actor=actor, plan=plan, meeting_date=AS_AT, today=AS_AT)
    data = build_report_data(report)
    rows = rows_of(data)
    changes = sum(len(group.items) for block in data.blocks("changes") for group in block.groups)
    sizes = {"docx": len(renderers.render("docx", data)), "pdf": len(renderers.render("pdf", data)),
             "docx floor": len(docx_floor(rows)), "pdf floor": len(pdf_floor(rows))}
    out(f"report as at {AS_AT:%d/%m/%Y}: {len(rows)} action rows, {changes} changes since the report as at "
        f"{PREVIOUS:%d/%m/%Y}; DOCX {sizes['docx'] / 1024:.0f} KB (floor {sizes['docx floor'] / 1024:.0f} KB), "
        f"PDF {sizes['pdf'] / 1024:.0f} KB (floor {sizes['pdf floor'] / 1024:.0f} KB)")
    out(f"issuing last month's report (report data, PDF + DOCX + HTML, stored with SHA-256): {issue_seconds:.1f} s")

    pairs = [
        ("DOCX", "python-docx, same table raw", paired(
            lambda: docx_floor(rows), lambda: renderers.render("docx", data), args.runs)),
        ("PDF", "WeasyPrint, same table HTML raw", paired(
            lambda: pdf_floor(rows), lambda: renderers.render("pdf", data), args.runs)),
        ("PDF", "same, tagged pdf/ua-1", paired(
            lambda: pdf_floor(rows, "pdf/ua-1"), lambda: renderers.render("pdf", data), args.runs)),
    ]
    out()
    print_pairs(pairs, args.runs)
    out()
    out(f"report data (ORM -> data), median of {args.runs}: "
        f"{statistics.median(timed(lambda: build_report_data(report), args.runs)):.3f} s")
    out(f"HTML report (render_html), median of {args.runs}: "
        f"{statistics.median(timed(lambda: renderers.render('html', data), args.runs)):.3f} s")
    out("Target (issue 4): the DOCX and the PDF each within 1.5x of its floor.")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report_generation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=1000, help="actions in the plan (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement (default 3)")
    parser.add_argument("--case", choices=("all", "actions", "bounded"), default="all",
                        help="the 1,000-action report, the bounded one (every text at its limit), or both")
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

"""The demo plan for tests: built once per test process by the real loader, then copied into each test's
database as rows.

Building the demo through the services takes about 0.3 s, and some 650 tests start from it, so loading it
for every test was a third of the suite's time. The copy is exact — every row the loader wrote, with its ids,
times and password hashes — and is inserted with one statement per table. The loader itself is still run
(once per process here, and by its own tests and every browser test)."""

from dataclasses import dataclass, replace

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test.utils import override_settings

from actiontrack.plans.demo import DemoResult, load_demo
from actiontrack.plans.models import Plan

# The demo's rows get ids from here, so rows a test makes before it asks for the demo (an administrator, an
# outsider) never take an id the copy needs.
FIRST_ID = 100_000
TEST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class DemoRows:
    tables: list[tuple[type[models.Model], list[dict]]]
    result: DemoResult


def _tables() -> list[type[models.Model]]:
    return [model for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy]


def _start_ids_at(first_id: int) -> None:
    with connection.cursor() as cursor:
        for model in _tables():
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField):
                continue
            table = model._meta.db_table
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first_id])
            else:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, pk.column, first_id])


def capture() -> DemoRows:
    """Run the real loader in a transaction that is rolled back, and keep every row it wrote."""
    tables = _tables()
    with override_settings(PASSWORD_HASHERS=TEST_HASHERS), transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in tables}
        _start_ids_at(FIRST_ID)
        result = load_demo()
        written = []
        for model in tables:
            pk = model._meta.pk.attname
            rows = [row for row in model._base_manager.order_by("pk").values() if row[pk] not in before[model]]
            if rows:
                written.append((model, rows))
        transaction.set_rollback(True)
    return DemoRows(tables=written, result=result)


def restore(demo: DemoRows) -> DemoResult:
    """Insert the demo's rows into the current database, and move the id sequences past them."""
    with transaction.atomic():  # one transaction, so foreign keys are checked once every row is in
        for model, rows in demo.tables:
            model._base_manager.bulk_create([model(**row) for row in rows])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in demo.tables]):
                cursor.execute(statement)
    return replace(demo.result, plan=Plan.objects.get(pk=demo.result.plan.pk))


def new_updates():
    """Progress updates other than the demo's own (its owners' November 2021 updates): what a test wrote."""
    from actiontrack.plans.demo import UPDATES
    from actiontrack.plans.models import ProgressUpdate

    return ProgressUpdate.objects.exclude(text__in=[text for _, text in UPDATES])

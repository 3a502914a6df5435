"""Migration reports 0006: issued reports' files move from the database into the file store, and back when the
migration is reversed, byte for byte (the SHA-256 recorded at issue still matches both ways)."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from actiontrack.core import files
from actiontrack.core.journal import Actor
from actiontrack.reports.models import IssuedFile
from actiontrack.reports.services import report_issue

from .conftest import NOVEMBER

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = ("reports", "0005_exempt_sections"), ("reports", "0006_issued_files_in_the_file_store")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target], at_end=True).apps


def test_issued_files_go_into_the_database_and_back_into_the_store_unchanged(november_report, plan_manager):
    report_issue(actor=Actor.of(plan_manager), report=november_report, today=NOVEMBER)
    issued = {f.format: (f.sha256, files.read_bytes(f.store_name)) for f in IssuedFile.objects.all()}
    names = set(IssuedFile.objects.values_list("stored_name", flat=True))
    try:
        old = migrate(BEFORE)  # taken back into the database ...
        back = {f.format: bytes(f.content) for f in old.get_model("reports", "IssuedFile").objects.all()}
        assert back == {fmt: content for fmt, (_, content) in issued.items()}
    finally:
        migrate(AFTER)
    moved = {f.format: (f.sha256, files.read_bytes(f.store_name)) for f in IssuedFile.objects.all()}
    assert moved == issued and all(hashlib.sha256(content).hexdigest() == sha for sha, content in moved.values())
    assert not names & set(IssuedFile.objects.values_list("stored_name", flat=True))  # ... and out again, anew

"""The file store on an S3-compatible bucket (FILE_STORAGE=s3), against s3rver started by these tests, with the
settings' own options (bounded timeouts and retries): evidence is kept in the bucket and downloads byte for byte
to whoever may see its plan, an issued report's files are kept and served as issued, and nothing is kept in the
data folder."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actiontrack.core import files
from actiontrack.core.journal import Actor
from actiontrack.plans.models import Evidence
from actiontrack.reports import services as reports
from actiontrack.reports.models import IssuedFile
from tests.reports.conftest import NOVEMBER, november_report  # noqa: F401 (a fixture)
from tests.servers.s3rver import KEY, needs_s3rver, s3rver
from tests.web.owner.helpers import PDF, url

pytestmark = [pytest.mark.django_db, needs_s3rver]
BUCKET = "improvement-plans"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with s3rver(tmp_path_factory.mktemp("s3rver"), BUCKET) as address:
        yield address


@pytest.fixture
def bucket(endpoint, settings, tmp_path, monkeypatch):
    """The bucket as this test's file store, configured exactly as the settings do from the environment, under
    a prefix of its own."""
    prefix = f"t{tmp_path.name}"
    for name, value in {"FILE_STORAGE": "s3", "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": endpoint,
                        "S3_REGION": "eu-west-2", "FILE_STORAGE_PREFIX": prefix, "AWS_ACCESS_KEY_ID": KEY,
                        "AWS_SECRET_ACCESS_KEY": KEY}.items():
        monkeypatch.setenv(name, value)
    from actiontrack.settings import _file_store

    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {**settings.STORAGES, "default": _file_store("s3")}
    yield prefix
    assert not (tmp_path / "uploads").exists()


def test_evidence_is_kept_in_the_bucket_and_downloads_to_a_reader_not_an_outsider(
        bucket, signed_in, owner, board_member, outsider):
    response = signed_in(owner).post(url("evidence"), {
        "kind": "file", "file-file": SimpleUploadedFile("minutes.pdf", PDF), "file-title": "Board minutes"})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert files.listing() == [f"evidence/{item.stored_name}"] and files.describe() == f"the S3 bucket {BUCKET}"
    download = reverse("owner:evidence-download", args=[item.pk])
    reader = signed_in(board_member).get(download)
    assert reader.status_code == 200 and b"".join(reader.streaming_content) == PDF
    assert signed_in(outsider).get(download).status_code == 404


def test_an_issued_report_is_kept_in_the_bucket_and_served_as_issued(
        bucket, november_report, plan_manager, signed_in):  # noqa: F811 (the fixture)
    report = reports.report_issue(actor=Actor.of(plan_manager), report=november_report, today=NOVEMBER)
    stored = {f.format: f for f in IssuedFile.objects.filter(report=report)}
    assert files.listing("reports") == sorted(f.store_name for f in stored.values())
    response = signed_in(plan_manager).get(reverse("reports:download", args=["PIP-PR", report.pk, "docx"]))
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == stored["docx"].sha256


def test_s3_without_a_bucket_is_refused_at_start(tmp_path):
    env = {**os.environ, "FILE_STORAGE": "s3", "ACTIONTRACK_DATA_DIR": str(tmp_path)}
    env.pop("S3_BUCKET", None)
    result = subprocess.run([sys.executable, "-m", "actiontrack.cli", "check"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "FILE_STORAGE=s3 needs S3_BUCKET" in result.stderr

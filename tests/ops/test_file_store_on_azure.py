"""The file store on Azure Blob Storage (FILE_STORAGE=azure), against Microsoft's Azurite emulator started by
these tests: evidence, issued reports and imports waiting for confirmation are kept in the container, not the
data folder; each downloads, byte for byte, to whoever may see it and to nobody else; an issued report's file
altered in the container is never served; the health check says when the store cannot be reached."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.plans.models import Evidence
from actiontrack.reports import services as reports
from actiontrack.reports.models import IssuedFile
from actiontrack.reports.selectors import IssuedFileAltered
from tests.interchange.test_pages import UPDATED, XLSX
from tests.reports.conftest import NOVEMBER, november_report  # noqa: F401 (a fixture)
from tests.servers.azurite import azurite, blobs, needs_azurite, new_container, overwrite
from tests.web.owner.helpers import PDF, url

pytestmark = [pytest.mark.django_db, needs_azurite]


@pytest.fixture(scope="module")
def azure(tmp_path_factory):
    with azurite(tmp_path_factory.mktemp("azurite")) as connection:
        yield connection


def azure_store(connection: str, container: str) -> dict:
    return {"BACKEND": "actiontrack.core.azure_store.AzureFileStore", "OPTIONS": {
        "connection_string": connection, "azure_container": container, "overwrite_files": True}}


@pytest.fixture
def container(azure, settings, tmp_path):
    """A new private container as this test's file store; the data folder's uploads must stay empty."""
    name = new_container(azure)
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {**settings.STORAGES, "default": azure_store(azure, name)}
    yield name
    assert not (tmp_path / "uploads").exists()  # nothing was kept on this server


def test_evidence_is_kept_in_the_container_and_downloads_only_to_those_who_may_see_the_plan(
        azure, container, signed_in, owner, board_member, outsider):
    client = signed_in(owner)
    response = client.post(url("evidence"), {"kind": "file", "file-file": SimpleUploadedFile("minutes.pdf", PDF),
                                             "file-title": "Board minutes"})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert blobs(azure, container) == {f"evidence/{item.stored_name}": PDF}
    download = reverse("owner:evidence-download", args=[item.pk])

    reader = signed_in(board_member).get(download)
    assert reader.status_code == 200 and b"".join(reader.streaming_content) == PDF
    assert reader["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert signed_in(outsider).get(download).status_code == 404


def test_an_issued_report_is_kept_in_the_container_and_an_altered_copy_is_never_served(
        azure, container, november_report, plan_manager, signed_in):  # noqa: F811 (the fixture)
    report = reports.report_issue(actor=Actor.of(plan_manager), report=november_report, today=NOVEMBER)
    kept = blobs(azure, container)
    stored = {f.format: f for f in IssuedFile.objects.filter(report=report)}
    assert set(kept) == {f.store_name for f in stored.values()} and set(stored) == {"pdf", "docx", "html"}
    for file in stored.values():
        assert hashlib.sha256(kept[file.store_name]).hexdigest() == file.sha256 and file.size == len(
            kept[file.store_name])
    download = reverse("reports:download", args=["PIP-PR", report.pk, "pdf"])
    client = signed_in(plan_manager)
    response = client.get(download)
    assert response.status_code == 200 and response.content == kept[stored["pdf"].store_name]

    overwrite(azure, container, stored["pdf"].store_name, kept[stored["pdf"].store_name] + b"% altered\n")
    with pytest.raises(IssuedFileAltered, match="no longer matches the SHA-256 recorded when it was issued"):
        client.get(download)


def test_an_import_waits_in_the_container_until_it_is_applied(azure, container, signed_in, plan_manager):
    client = signed_in(plan_manager)
    response = client.post(reverse("interchange:plan_import", args=["PIP-PR"]),
                           {"file": SimpleUploadedFile("tracker.xlsx", UPDATED, content_type=XLSX)})
    assert response.status_code == 302
    preview = response["Location"]
    token = preview.rstrip("/").rsplit("/", 1)[-1]
    kept = blobs(azure, container)
    assert kept[f"imports/{token}"] == UPDATED and set(kept) == {f"imports/{token}", f"imports/{token}.state"}
    page = client.get(preview).text
    assert "Succession planning, reviewed yearly." in page
    assert set(blobs(azure, container)) == {f"imports/{token}", f"imports/{token}.state",
                                            f"imports/{token}.preview"}  # kept for a reload
    version = re.search(r'name="version" value="([0-9a-f]+)"', client.get(preview).text)[1]
    response = client.post(preview, {"action": "apply", "version": version})
    assert response.status_code == 302 and response["Location"] == reverse("plan", args=["PIP-PR"])
    assert blobs(azure, container) == {}  # applied: the upload, its state and its preview are gone


def test_the_health_check_says_when_the_store_cannot_be_reached(settings, client, tmp_path, db):
    with azurite(tmp_path / "azurite") as connection:
        name = new_container(connection)
        settings.STORAGES = {**settings.STORAGES, "default": azure_store(connection, name)}
        assert client.get("/healthz").json()["storage"] == "ok"
    started = time.monotonic()
    answer = client.get("/healthz")  # the emulator has stopped
    assert answer.status_code == 503 and answer.json()["storage"].startswith("not reachable")
    assert time.monotonic() - started < 20  # said within seconds, before a load balancer's check gives up


def test_a_store_that_is_not_configured_fully_is_refused_at_start(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FILE_STORAGE": "azure", "AZURE_STORAGE_CONTAINER": "plans",
           "ACTIONTRACK_DATA_DIR": str(tmp_path)}
    env.pop("AZURE_STORAGE_CONNECTION_STRING", None)
    result = subprocess.run([sys.executable, "-m", "actiontrack.cli", "check"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "FILE_STORAGE=azure needs AZURE_STORAGE_CONNECTION_STRING" in result.stderr
    assert not Path(tmp_path, "uploads").exists()

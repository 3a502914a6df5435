"""Backups when the file store is an Azure container (FILE_STORAGE=azure, against Azurite started here): the
archive holds the database and every blob of the container, evidence and issued reports alike; restored into a
new installation with an empty container of its own, every blob is back byte for byte and the app works on it
(evidence matches its SHA-256, the issued report downloads as issued). A container that already holds files
is not written over unless forced."""

from __future__ import annotations

import json
import tarfile

from tests.ops.installations import Site, no_process_left_behind  # noqa: F401 (a fixture)
from tests.ops.test_backup import CHECK_RESTORED, SETUP
from tests.servers.azurite import azurite, blobs, needs_azurite, new_container, overwrite

pytestmark = needs_azurite


def on_azure(site_dir, connection: str, container: str) -> Site:
    return Site(site_dir, None, {"FILE_STORAGE": "azure", "AZURE_STORAGE_CONNECTION_STRING": connection,
                                 "AZURE_STORAGE_CONTAINER": container})


def test_a_backup_holds_every_blob_and_restores_them_into_a_new_container(tmp_path):
    with azurite(tmp_path / "azurite") as connection:
        source = on_azure(tmp_path / "source", connection, new_container(connection))
        source.run("migrate")
        issued = json.loads(source.script(SETUP))
        kept = blobs(connection, source.environment["AZURE_STORAGE_CONTAINER"])
        assert {name.split("/")[0] for name in kept} == {"evidence", "reports"} and len(kept) == 5
        assert not source.uploads.exists()  # nothing in the data folder

        archive = tmp_path / "backup.tar.gz"
        assert "5 stored file(s)" in source.run("backup", str(archive)).stdout
        with tarfile.open(archive) as tar:
            members = {m.name[len("files/"):]: tar.extractfile(m).read() for m in tar if m.name.startswith("files/")}
        assert members == kept

        target = on_azure(tmp_path / "target", connection, new_container(connection))
        target.run("migrate")
        assert "Restored the SQLite database and 5 stored file(s)" in target.run("restore", str(archive)).stdout
        assert blobs(connection, target.environment["AZURE_STORAGE_CONTAINER"]) == kept
        assert json.loads(target.script(CHECK_RESTORED, json.dumps(issued))) == {
            "evidence": {"rows": 3, "journalled": 3, "files_match": True}, "downloads": issued["sha256"]}

        # A third installation whose container already holds a file is refused, naming the container.
        crowded = new_container(connection)
        overwrite(connection, crowded, "evidence/someone-elses", b"kept")
        third = on_azure(tmp_path / "third", connection, crowded)
        third.run("migrate")
        refused = third.run("restore", str(archive), check=False)
        assert refused.returncode != 0
        assert f"the Azure container {crowded} already holds 1 file" in refused.stderr
        assert blobs(connection, crowded) == {"evidence/someone-elses": b"kept"}

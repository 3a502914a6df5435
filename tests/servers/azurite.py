"""Microsoft's Azurite, the Azure Blob Storage emulator (npm, installed by scripts/test into tests/servers), started
by the tests that keep files in Azure: a real server speaking the Blob service's protocol, never a mock.

`azurite(folder)` starts one on a free port, keeping its blobs under `folder`, and gives its connection string;
`new_container(connection)` makes a private container of a new name."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import pytest

from . import free_port, running

AZURITE = Path(__file__).parent / "node_modules" / ".bin" / "azurite-blob"
# Azurite's one well-known development account (published in Microsoft's documentation; not a secret).
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

needs_azurite = pytest.mark.skipif(not AZURITE.exists(), reason="needs Azurite: scripts/test installs it "
                                                                "(npm ci --prefix tests/servers)")


def connection_string(port: int) -> str:
    return (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
            f"BlobEndpoint=http://127.0.0.1:{port}/{ACCOUNT};")


@contextlib.contextmanager
def azurite(folder: Path):
    """A running Azurite blob service; yields its connection string. Stopped when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with running([str(AZURITE), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", str(folder),
                  "--silent", "--skipApiVersionCheck"], port, "Azurite"):
        yield connection_string(port)


def new_container(connection: str) -> str:
    from azure.storage.blob import BlobServiceClient

    name = f"actiontrack-{uuid.uuid4().hex[:12]}"
    with BlobServiceClient.from_connection_string(connection) as service:
        service.create_container(name)
    return name


def blobs(connection: str, container: str) -> dict[str, bytes]:
    """Every blob in the container, by name, with its bytes."""
    from azure.storage.blob import BlobServiceClient

    with BlobServiceClient.from_connection_string(connection) as service:
        client = service.get_container_client(container)
        return {blob.name: client.download_blob(blob.name).readall() for blob in client.list_blobs()}


def overwrite(connection: str, container: str, name: str, data: bytes) -> None:
    from azure.storage.blob import BlobServiceClient

    with BlobServiceClient.from_connection_string(connection) as service:
        service.get_container_client(container).upload_blob(name, data, overwrite=True)

"""s3rver, an S3-compatible server (npm, installed by scripts/test into tests/servers), started by the tests that
keep files in an S3 bucket (FILE_STORAGE=s3): a real server speaking S3's protocol, never a mock.

`s3rver(folder, bucket)` starts one on a free port with the bucket made, and gives the settings' options."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from . import free_port, running

S3RVER = Path(__file__).parent / "node_modules" / ".bin" / "s3rver"
KEY = "S3RVER"  # s3rver's own fixed key and secret (not a secret)

needs_s3rver = pytest.mark.skipif(not S3RVER.exists(), reason="needs s3rver: scripts/test installs it "
                                                              "(npm ci --prefix tests/servers)")


@contextlib.contextmanager
def s3rver(folder: Path, bucket: str):
    """A running s3rver holding `bucket`; yields its address."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with running([str(S3RVER), "--directory", str(folder), "--port", str(port), "--address", "127.0.0.1",
                  "--configure-bucket", bucket, "--silent"], port, "s3rver"):
        yield f"http://127.0.0.1:{port}"

"""sync_to_disk (actiontrack/ops/durable.py): a folder on a file system that cannot sync folders is left to it;
every other failure, and any failure on a file, is an error the caller must see. store_upload: the one way an
upload is streamed to disk, with a size limit, whole or not at all."""

import errno
import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actiontrack.core import durable
from actiontrack.core.durable import store_upload, sync_to_disk


def failing_fsync(code):
    def fsync(fd):
        raise OSError(code, os.strerror(code))
    return fsync


def test_a_folder_and_a_file_are_synced(tmp_path):
    (tmp_path / "a.txt").write_text("kept")
    sync_to_disk(tmp_path)
    sync_to_disk(tmp_path / "a.txt")


def test_a_folder_that_cannot_be_synced_on_its_file_system_is_left_to_it(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", failing_fsync(errno.EINVAL))
    sync_to_disk(tmp_path)


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC])
def test_a_real_failure_on_a_folder_is_raised(tmp_path, monkeypatch, code):
    monkeypatch.setattr(os, "fsync", failing_fsync(code))
    with pytest.raises(OSError) as raised:
        sync_to_disk(tmp_path)
    assert raised.value.errno == code


def test_a_file_that_cannot_be_synced_is_an_error_whatever_the_reason(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("kept")
    monkeypatch.setattr(os, "fsync", failing_fsync(errno.EINVAL))
    with pytest.raises(OSError):
        sync_to_disk(tmp_path / "a.txt")


# store_upload ------------------------------------------------------------------------------------------------

class TooLarge(Exception):
    pass


def big_upload(size: int) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("minutes.pdf", b"x" * size)
    upload.DEFAULT_CHUNK_SIZE = 1024  # several chunks, as a real upload streams
    return upload


def test_an_upload_is_stored_under_its_name_with_its_sha256_and_size_and_nothing_else(tmp_path):
    sha256, size = store_upload(big_upload(5000), tmp_path, "kept", max_bytes=5000, too_large=TooLarge())
    assert (tmp_path / "kept").read_bytes() == b"x" * 5000
    assert (sha256, size) == (hashlib.sha256(b"x" * 5000).hexdigest(), 5000)
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]


@pytest.mark.parametrize("durable_write", [True, False])
def test_an_upload_over_the_limit_raises_the_callers_refusal_and_leaves_nothing(tmp_path, durable_write):
    refusal = TooLarge("The file is larger than the limit.")
    with pytest.raises(TooLarge) as raised:
        store_upload(big_upload(5001), tmp_path, "kept", max_bytes=5000, too_large=refusal, durable=durable_write)
    assert raised.value is refusal
    assert list(tmp_path.iterdir()) == []


def test_a_durable_upload_syncs_its_data_then_its_name_and_an_import_upload_syncs_neither(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append("data"), real_fsync(fd)))
    monkeypatch.setattr(durable, "sync_to_disk", lambda path: synced.append(("name", sorted(os.listdir(path)))))
    store_upload(big_upload(10), tmp_path, "evidence", max_bytes=100, too_large=TooLarge())
    assert synced == ["data", ("name", ["evidence"])]
    synced.clear()
    store_upload(big_upload(10), tmp_path, "import", max_bytes=100, too_large=TooLarge(), durable=False)
    assert synced == []


def test_if_the_name_cannot_be_synced_the_stored_file_is_removed(tmp_path, monkeypatch):
    def broken_disk(path):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(durable, "sync_to_disk", broken_disk)
    with pytest.raises(OSError):
        store_upload(big_upload(10), tmp_path, "evidence", max_bytes=100, too_large=TooLarge())
    assert list(tmp_path.iterdir()) == []

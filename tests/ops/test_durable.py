"""sync_to_disk (actiontrack/ops/durable.py): a folder on a file system that cannot sync folders is left to it;
every other failure, and any failure on a file, is an error the caller must see. The local file store
(actiontrack.core.files): an upload is stored with a size limit, whole or not at all, and synced before its
name is relied on."""

import errno
import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actiontrack.core import durable, files
from actiontrack.core.durable import sync_to_disk


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


# The local file store ------------------------------------------------------------------------------------------

class TooLarge(Exception):
    pass


def big_upload(size: int) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("minutes.pdf", b"x" * size)
    upload.DEFAULT_CHUNK_SIZE = 1024  # several chunks, as a real upload streams
    return upload


@pytest.fixture
def store(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "actiontrack.core.files.DurableFileSystemStorage",
        "OPTIONS": {"location": tmp_path, "allow_overwrite": True}}}
    return tmp_path


def test_an_upload_is_stored_under_its_name_with_its_sha256_and_size_and_nothing_else(store):
    sha256, size = files.save_upload("evidence/kept", big_upload(5000), max_bytes=5000, too_large=TooLarge())
    assert (store / "evidence" / "kept").read_bytes() == b"x" * 5000
    assert (sha256, size) == (hashlib.sha256(b"x" * 5000).hexdigest(), 5000)
    assert [p.name for p in (store / "evidence").iterdir()] == ["kept"] and files.listing() == ["evidence/kept"]


def test_an_upload_over_the_limit_raises_the_callers_refusal_and_leaves_nothing(store):
    refusal = TooLarge("The file is larger than the limit.")
    with pytest.raises(TooLarge) as raised:
        files.save_upload("evidence/kept", big_upload(5001), max_bytes=5000, too_large=refusal)
    assert raised.value is refusal
    assert list(store.iterdir()) == []


def test_a_stored_file_syncs_its_data_then_its_name(store, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append("data"), real_fsync(fd)))
    monkeypatch.setattr(durable, "sync_to_disk", lambda path: synced.append(("name", sorted(os.listdir(path)))))
    files.save_upload("evidence/a", big_upload(10), max_bytes=100, too_large=TooLarge())
    assert synced == ["data", ("name", ["a"])]


def test_if_the_name_cannot_be_synced_the_stored_file_is_removed(store, monkeypatch):
    def broken_disk(path):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(durable, "sync_to_disk", broken_disk)
    with pytest.raises(OSError):
        files.save_upload("evidence/a", big_upload(10), max_bytes=100, too_large=TooLarge())
    assert files.listing() == [] and list((store / "evidence").iterdir()) == []


def test_storing_again_under_a_name_replaces_the_file_rather_than_inventing_another_name(store):
    files.save_bytes("imports/abc.preview", b"first")
    files.save_bytes("imports/abc.preview", b"second")
    assert files.read_bytes("imports/abc.preview") == b"second" and files.listing() == ["imports/abc.preview"]

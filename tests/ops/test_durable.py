"""sync_to_disk (actiontrack/ops/durable.py): a folder on a file system that cannot sync folders is left to it;
every other failure, and any failure on a file, is an error the caller must see."""

import errno
import os

import pytest

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

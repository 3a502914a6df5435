"""The read cache's folder on one machine (settings.CACHES["readcache"] without READ_CACHE_URL): Django's
file-based cache, deciding less often and more cheaply whether it is full.

Django's FileBasedCache decides on every write whether to cull by listing the folder, matching and joining the
path of every file: 3.4 ms a write at 2,000 files on the benchmarks' two-core machine (bench/LOAD.md, session 32).
Every first view after a change pays it once for each value it keeps (41 for a dashboard of twenty plans), and a
folder in use stays full: old versions' values are never deleted, only culled. Here each process counts the
folder's names (0.7 ms at 2,000) on one write in COUNT_EVERY, and Django's own cull runs only when it is full. It
then removes a tenth of the values at random (settings: CULL_FREQUENCY), so the writes after it find room. Between
counts each process may add COUNT_EVERY - 1 values more than MAX_ENTRIES at most (so a folder written to by several
processes may hold a few dozen more; at 2,000 values that is a percent or two).

Values are compressed at zlib's fastest level rather than Django's default (6): the biggest values (a plan's table,
kept in parts of 250 actions, and the plan as at a date) are written on the first view after a change, and
compressing them took 2.5 to 3.4 ms each at level 6 against 1.0 at level 1, for files still a tenth to a twentieth
of their size (bench/LOAD.md, session 34). Reading is the same either way (zlib needs no level to decompress), so a
folder written by either reads the same.

It overrides Django's `_cull` and `_write_content`, private methods: tests/plans/test_readcache_folder.py fails if
Django stops calling them.
"""

from __future__ import annotations

import os
import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache

COUNT_EVERY = 10
LEVEL = 1  # zlib's fastest


class FolderCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0  # each worker process (thread) has its own cache object, kept between requests
        # A cull must make room for the writes until the next count, or a full folder would grow: a small one
        # (under COUNT_EVERY x CULL_FREQUENCY values, as in tests) is counted on every write.
        self._count_every = COUNT_EVERY if self._max_entries >= COUNT_EVERY * max(1, self._cull_frequency) else 1

    def _cull(self):
        self._writes += 1
        if (self._writes - 1) % self._count_every:  # the first write counts, then one in _count_every
            return
        try:
            # The values' files only: one being written (renamed into place when done), or left by a write that was
            # killed, is not a value.
            count = sum(name.endswith(self.cache_suffix) for name in os.listdir(self._dir))
        except FileNotFoundError:
            return
        if count >= self._max_entries:
            super()._cull()

    def _write_content(self, file, timeout, value):
        # Django's own, at LEVEL: the same format, which FileBasedCache.get reads.
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), LEVEL))

"""Writing an import or a restore: all of it or none of it. The apply (apply.py) and the restore (restore.py)
each write through this, so neither needs the other."""

from __future__ import annotations

from collections.abc import Callable

from actiontrack.core.journal import one_version_move

from .report import ImportReport


class _Rollback(Exception):
    """Raised inside the transaction to undo it when the report holds an error."""


def write_all_or_nothing(report: ImportReport, write: Callable[[], None]) -> ImportReport:
    """Run `write` in one transaction (each plan's read version moved once, at the end) and keep what it wrote
    only if the report then holds no error; `report.applied` says which."""
    try:
        with one_version_move():
            write()
            if report.errors:
                raise _Rollback
            report.applied = True
    except _Rollback:
        pass
    return report

from django.core.management.base import CommandError

from actiontrack.core import files
from actiontrack.core.jobs import JobCommand, Refused, logged_job
from actiontrack.ops.backup import ENGINE_NAMES, BackupError, BackupRefused, create_backup


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class Command(JobCommand):
    help = ("Write one archive with a consistent copy of the database and every uploaded file, and a manifest of "
            "their SHA-256. Safe while the app is serving. FILE ending .gz or .tgz is compressed.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. /var/backups/actiontrack/2026-11-25.tar.gz")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    @logged_job("backup")
    def handle(self, *args, file, force=False, **options):
        self.job.record(file=file)
        try:
            result = create_backup(file, overwrite=force)
        except BackupRefused as exc:
            raise Refused(str(exc)) from None
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        self.job.record(file=result.path, bytes=result.size, files=manifest["files"])
        self.stdout.write(f"Backed up the {ENGINE_NAMES[manifest['database']['engine']]} database and "
                          f"{manifest['files']} stored file(s) to {result.path} ({_size(result.size)}).")
        for missing in result.missing:
            self.stderr.write(self.style.WARNING(
                f"Warning: the database refers to {missing}, which is not in {files.describe()}; it was missing "
                "before this backup, not lost by it."))

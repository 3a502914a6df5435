from django.core.management.base import CommandError

from actiontrack.core.jobs import JobCommand, Refused, logged_job
from actiontrack.ops.backup import ENGINE_NAMES, BackupError, BackupRefused
from actiontrack.ops.backup_restore import restore_backup


class Command(JobCommand):
    help = ("Restore a backup made by `actiontrack backup` into an empty installation. Every file is checked "
            "against the backup's manifest first. Stop the app while restoring.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup archive")
        parser.add_argument("--force", action="store_true",
                            help="restore even though this installation already holds plans, users or files")

    @logged_job("restore")
    def handle(self, *args, file, force=False, **options):
        self.job.record(file=file)
        try:
            result = restore_backup(file, force=force)
        except BackupRefused as exc:
            raise Refused(str(exc)) from None
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        self.job.record(files=result.files)
        self.stdout.write(f"Restored the {ENGINE_NAMES[manifest['database']['engine']]} database and "
                          f"{result.files} stored file(s) from {file}, a backup made {manifest['created_at']} "
                          f"by actiontrack {manifest['app_version']}.")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coproduce.core import backup


class Command(BaseCommand):
    help = (
        "Restore a file written by `coproduce backup`: every checksum is checked first, then the database and "
        "the uploads are replaced, then the row counts are compared with the backup's. Exit codes: 2 the file "
        "is not a backup or is damaged, 3 the database holds data and --force was not given (in both cases "
        "nothing was changed), 1 anything else. Stop the site while restoring."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by `coproduce backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data the database already holds."
        )

    def handle(self, *args, file, force, **options):
        try:
            manifest = backup.restore_backup(Path(file), force=force)
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=error.code) from None
        uploads = sum(1 for name in manifest["members"] if name.startswith(backup.MEDIA_PREFIX))
        self.stdout.write(
            f"Restored {manifest['rows']:,} rows in {len(manifest['tables']):,} tables and {uploads:,} uploads "
            f"from {file} (taken {manifest['created_at']}); row counts checked."
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coproduce.core import backup


class Command(BaseCommand):
    help = (
        "Write the database and the uploads to one checksummed file (a tar with a manifest), consistent even "
        "while the site is running. SQLite: the online backup API; PostgreSQL: pg_dump, or a JSON dump when "
        "pg_dump is missing or older than the server. --method json writes a dump that restores into either."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. coproduce-2026-12-04.tar")
        parser.add_argument(
            "--method",
            choices=["auto", "native", "json"],
            default="auto",
            help="native: the SQLite backup API or pg_dump; json: portable between SQLite and PostgreSQL.",
        )
        parser.add_argument("--force", action="store_true", help="Replace FILE if it exists.")

    def handle(self, *args, file, method, force, **options):
        try:
            manifest = backup.create_backup(Path(file), method=method, overwrite=force)
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=error.code) from None
        uploads = sum(1 for name in manifest["members"] if name.startswith(backup.MEDIA_PREFIX))
        size = Path(file).stat().st_size
        self.stdout.write(
            f"Backed up {manifest['rows']:,} rows in {len(manifest['tables']):,} tables and {uploads:,} uploads "
            f"to {file} ({size / 1e6:.1f} MB, method {manifest['database']['method']})."
        )

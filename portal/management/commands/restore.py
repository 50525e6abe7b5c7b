from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an EMPTY database and a media folder, then "
        "check every table's row count and checksum against the manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--database-url",
            required=True,
            help="The empty database to restore into (never the running one).",
        )
        parser.add_argument("--media-root", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                folder=options["folder"],
                database_url=options["database_url"],
                media_root=options["media_root"] or Path(settings.MEDIA_ROOT),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            for problem in report.mismatches:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(report.mismatches)} tables differ from the backup"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified {report.tables} tables, {report.rows} rows."
            )
        )

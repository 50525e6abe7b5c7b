from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal.backup import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into a new folder, with a "
        "manifest of checksums and per-table row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=Path("var/backups"))

    def handle(self, *args: Any, **options: Any) -> None:
        folder = backup_create(output=options["output"])
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))

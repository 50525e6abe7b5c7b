from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from procedures.services import (
    ANYWHERE_DEMO_CSV,
    CatalogueError,
    anywhere_in_province_import,
)


class Command(BaseCommand):
    help = (
        "Import a province's list of procedures received regardless of "
        "administrative boundary (CSV: province, procedure, valid_from, valid_to, "
        "source, verified, note). All or nothing; safe to run again. --demo loads "
        "the demo list of Ninh Bình (not the province's published list)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Path of the CSV file to read.")
        parser.add_argument(
            "--demo", action="store_true", help="Load the demo list of Ninh Bình."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"]:
            path = ANYWHERE_DEMO_CSV
        elif options["file"]:
            path = Path(options["file"])
        else:
            raise CommandError("Cho biết tệp CSV hoặc --demo (give a file or --demo).")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                f"Không đọc được tệp {path} (cannot read the file): {error}"
            ) from error
        try:
            count = anywhere_in_province_import(text=text)
        except CatalogueError as error:
            raise CommandError(
                "Tệp có lỗi, chưa lưu gì (the file has errors; nothing was saved):\n- "
                + "\n- ".join(error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Anywhere-in-province list: {count} rows.")
        )

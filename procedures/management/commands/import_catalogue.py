import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from procedures.services import CatalogueError, catalogue_import


class Command(BaseCommand):
    help = (
        "Create or update the catalogue from a JSON file written by export_catalogue, "
        "by code or key. All or nothing; importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the JSON file to read.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(
                f"Không đọc được tệp {path} (cannot read the file): {error}"
            ) from error
        try:
            report = catalogue_import(data=data)
        except CatalogueError as error:
            raise CommandError(
                "Tệp có lỗi, chưa lưu gì (the file has errors; nothing was saved):\n- "
                + "\n- ".join(error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue: {len(report.created)} created, {len(report.updated)} "
                f"updated, {len(report.unchanged)} unchanged."
            )
        )

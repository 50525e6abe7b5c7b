from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from procedures.services import CatalogueError, procedure_list_import


class Command(BaseCommand):
    help = (
        "Import the province's published list of procedures (CSV or JSON: code, "
        "name, field, level, agency_type, processing_days, fees, papers, channels, "
        "listed_from, listed_until; docs/catalogue.md). All or nothing; importing "
        "the same file again changes nothing; errors name the file's line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV or JSON file to read.")
        parser.add_argument(
            "--format",
            choices=["csv", "json"],
            help="The file's format (default: from its extension).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = options["format"] or ("json" if path.suffix == ".json" else "csv")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                f"Không đọc được tệp {path} (cannot read the file): {error}"
            ) from error
        try:
            report = procedure_list_import(text=text, fmt=fmt)
        except CatalogueError as error:
            raise CommandError(
                "Tệp có lỗi, chưa lưu gì (the file has errors; nothing was saved):\n- "
                + "\n- ".join(error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Procedures: {len(report.created)} created, {len(report.updated)} "
                f"updated, {len(report.unchanged)} unchanged."
            )
        )

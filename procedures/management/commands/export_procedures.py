from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from procedures.services import procedure_list_export


class Command(BaseCommand):
    help = (
        "Write the catalogue in import_procedures' columns (CSV or JSON) to a file "
        "(- for standard output)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the file to write, or -.")
        parser.add_argument("--format", choices=["csv", "json"], default="")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        fmt = options["format"] or ("json" if path.endswith(".json") else "csv")
        text = procedure_list_export(fmt=fmt)
        if path == "-":
            self.stdout.write(text, ending="")
            return
        Path(path).write_text(text, encoding="utf-8")
        self.stderr.write(self.style.SUCCESS(f"Procedures written to {path}."))

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from procedures.catalogue_data import dump
from procedures.selectors import catalogue_export


class Command(BaseCommand):
    help = "Write the whole catalogue to a JSON file (- for standard output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the JSON file to write, or -.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = dump(catalogue_export())
        if options["file"] == "-":
            self.stdout.write(text, ending="")
            return
        Path(options["file"]).write_text(text, encoding="utf-8")
        self.stderr.write(
            self.style.SUCCESS(f"Catalogue written to {options['file']}.")
        )

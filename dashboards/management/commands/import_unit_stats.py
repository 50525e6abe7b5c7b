from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboards.importing import MAX_LISTED_ERRORS, ImportRefused, unit_stats_import


class Command(BaseCommand):
    help = (
        "Import units' e-ID figures from a UTF-8 CSV file with the columns "
        "unit_code, as_of, eid_activated, eid_population. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the bad ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = unit_stats_import(
                path=options["file"], skip_invalid=options["skip_invalid"]
            )
        except ImportRefused as refused:
            for error in refused.report.errors[:MAX_LISTED_ERRORS]:
                self.stderr.write(str(error))
            raise CommandError(refused.message) from None
        for error in report.errors[:MAX_LISTED_ERRORS]:
            self.stderr.write(str(error))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã ghi {report.created} dòng số liệu; {report.already_present} "
                f"không đổi. / Wrote {report.created} rows; "
                f"{report.already_present} unchanged."
            )
        )

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboards.importing import MAX_LISTED_ERRORS, ImportRefused, dossiers_import
from dashboards.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import historical dossiers from a UTF-8 CSV file (columns in "
        "docs/dashboards.md). Dossiers whose code exists are left as they are; a "
        "file with a bad row imports nothing unless --skip-invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the bad ones.",
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--rebuild-indexes",
            action="store_true",
            help=(
                "PostgreSQL, for a large file in a maintenance window: drop the "
                "dossiers' and facts' plain indexes and the foreign keys of the "
                "tables filled, build and check them once after the rows. Locks "
                "those tables and the users, units and procedures until the end."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bar = ProgressBar("import_dossiers") if self.stderr.isatty() else None
        try:
            report = dossiers_import(
                path=options["file"],
                skip_invalid=options["skip_invalid"],
                batch_size=options["batch_size"],
                progress=bar,
                rebuild_indexes=options["rebuild_indexes"],
            )
        except ImportRefused as refused:
            for error in refused.report.errors[:MAX_LISTED_ERRORS]:
                self.stderr.write(str(error))
            hidden = refused.report.error_count - MAX_LISTED_ERRORS
            if hidden > 0:
                self.stderr.write(f"… (+{hidden})")
            raise CommandError(refused.message) from None
        finally:
            if bar is not None:
                bar.close()
        for error in report.errors[:MAX_LISTED_ERRORS]:
            self.stderr.write(str(error))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {report.created} hồ sơ; {report.already_present} đã có từ "
                f"trước; {report.error_count} dòng lỗi bị bỏ qua. / Imported "
                f"{report.created} dossiers; {report.already_present} were already "
                f"there; {report.error_count} bad rows skipped."
            )
        )

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from procedures.services import CatalogueError, catalogue_load_reference


class Command(BaseCommand):
    help = (
        "Load the catalogue from procedures/data/ (the 53 essential services, the "
        "linked groups and their member procedures, guides). Safe to run again: "
        "entries edited in the portal are kept unless --overwrite."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace entries an administrator edited in the portal.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = catalogue_load_reference(overwrite=options["overwrite"])
        except CatalogueError as error:
            raise CommandError(
                "Dữ liệu danh mục có lỗi, chưa lưu gì (the catalogue data has "
                "errors; nothing was saved):\n- " + "\n- ".join(error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue: {len(report.created)} created, {len(report.updated)} "
                f"updated, {len(report.unchanged)} unchanged."
            )
        )
        if report.kept_local_edits:
            self.stdout.write(
                self.style.WARNING(
                    "Kept as edited in the portal (use --overwrite to replace): "
                    + ", ".join(report.kept_local_edits)
                )
            )

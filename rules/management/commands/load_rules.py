from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rules.services import rules_load


class Command(BaseCommand):
    help = (
        "Load the one-stop rule sets dated by the day of receipt (Decree 61/2018, "
        "Decree 118/2025 with the forms of Circular 01/2018, then 03/2025, then "
        "the dossier code of Circular 04/2025). Safe to run again: a rule set "
        "already there is kept as the admin left it, unless --update."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite the seeded rule sets with the seeds' values.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rules_load(update=options["update"])
        self.stdout.write(
            self.style.SUCCESS(
                "Rule sets: {added} added, {updated} updated, {total} in all.".format(
                    **counts
                )
            )
        )

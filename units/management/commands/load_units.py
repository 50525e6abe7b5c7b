from typing import Any

from django.core.management.base import BaseCommand

from units.services import units_load_reference


class Command(BaseCommand):
    help = (
        "Load administrative units (current national tree and the dated Vụ Bản "
        "units) and the Vụ Bản organisation units. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = units_load_reference()
        self.stdout.write(
            self.style.SUCCESS(
                "Units: {national_tree_added} added to the national tree, "
                "{dated_units} dated units, {org_units} organisation units.".format(
                    **counts
                )
            )
        )

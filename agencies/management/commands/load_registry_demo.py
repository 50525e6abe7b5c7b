from typing import Any

from django.core.management.base import BaseCommand

from agencies.services import registry_demo_load


class Command(BaseCommand):
    help = (
        "Load the demo people of the development population registry "
        "(agencies/data/population_demo.json); safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = registry_demo_load()
        self.stdout.write(
            self.style.SUCCESS(f"Development population registry: {count} people.")
        )

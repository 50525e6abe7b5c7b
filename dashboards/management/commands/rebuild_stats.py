import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dashboards.services import stats_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the dashboards' pre-aggregated counts from the dossier tables. "
        "Safe to run again: the result depends only on the dossiers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        verbose = self.stderr.isatty()

        def progress(done: int) -> None:
            if verbose:
                self.stderr.write(f"\r{done:,} dossiers", ending="")

        counts = stats_rebuild(chunk_size=options["chunk_size"], progress=progress)
        if verbose:
            self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['dossiers']} hồ sơ, {counts['buckets']} ô số liệu "
                f"({time.monotonic() - started:.1f} s). / {counts['dossiers']} "
                f"dossiers, {counts['buckets']} buckets."
            )
        )

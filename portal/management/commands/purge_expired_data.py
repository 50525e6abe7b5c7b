"""Remove what is past its keeping period now (the daily beat task does the same)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal.models import RetentionRun
from portal.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Remove data past its keeping period (settings *_RETENTION_DAYS) and "
        "record what was removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be removed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention_purge(
            trigger=RetentionRun.Trigger.COMMAND, dry_run=options["dry_run"]
        )
        verb = "would remove" if run.dry_run else "removed"
        for name, count in run.counts.items():
            cutoff = run.cutoffs.get(name) or "-"
            self.stdout.write(f"{name}: {verb} {count} (before {cutoff})")
        for name, cutoff in run.cutoffs.items():
            if cutoff is None:
                self.stdout.write(f"{name}: kept (no retention period set)")

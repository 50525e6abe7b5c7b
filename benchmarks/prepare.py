"""Steps run inside one bench database (DATABASE_URL): `python -m
benchmarks.prepare base|grow TARGET|stamp LEVEL|stamp-get|version`."""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from benchmarks import data  # noqa: E402

BASE_DOSSIERS = 50_000


def log(message: str) -> None:
    print(message, flush=True)


def analyze() -> None:
    """Statistics for the planner before any measure. Without them the 50k
    database ran on whatever autovacuum had reached: its tracking lookup was
    planned as a scan of every procedure (6 ms instead of 0.1), and its
    dashboard summary took 3x its time of an earlier run."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("dossiers_dossier", "dossiers_event", "dashboards_dossierfacts"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")


def base() -> None:
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    for command in ("load_units", "load_catalogue"):
        call_command(command, verbosity=0)
    call_command("seed_demo", force=True, verbosity=0)
    log(
        "  migrated, reference data and demo accounts: "
        f"{time.monotonic() - started:.0f} s"
    )
    from portal.demo_dossiers import demo_dossiers_seed

    started = time.monotonic()
    demo_dossiers_seed(count=BASE_DOSSIERS, seed=2024, days=730)
    data.base_phones()
    log(f"  {BASE_DOSSIERS:,} demo dossiers: {time.monotonic() - started:.0f} s")
    differ = data.buckets_check()
    if differ:
        raise SystemExit(f"the SQL rebuild of the counts differs on {differ} rows")
    log("  the SQL rebuild of the counts agrees with the Python path")
    analyze()


def grow(target: int) -> None:
    """Add copies of the base's closed dossiers until `target` dossiers."""
    started = time.monotonic()
    first, last = data.copies_needed(target)
    data.copies_insert(first, last, log=log)
    step = time.monotonic()
    data.buckets_rebuild("dashboards_statbucket", "dashboards_unitbucket")
    log(f"  counts rebuilt from the facts: {time.monotonic() - step:.0f} s")
    analyze()
    log(f"  grown with copies {first}..{last}: {time.monotonic() - started:.0f} s")


def main(argv: list[str]) -> None:
    command = argv[0]
    if command == "base":
        base()
    elif command == "grow":
        grow(int(argv[1]))
    elif command == "stamp":
        data.stamp_set(f"{data.schema_version()}|{argv[1]}")
    elif command == "stamp-get":
        print(data.stamp_get())
    elif command == "version":
        print(data.schema_version())
    else:
        raise SystemExit(f"unknown step {command}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmark the dashboards: the historical import and the summary API.

Use a scratch PostgreSQL database (it is migrated and filled; drop it after):

    createdb -h 127.0.0.1 -U postgres portal_bench_dash
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_dash
    .venv/bin/python scripts/bench_dashboards.py setup
    .venv/bin/python scripts/bench_dashboards.py csv /tmp/dossiers-1m.csv 1000000
    time .venv/bin/python manage.py import_dossiers /tmp/dossiers-1m.csv
    .venv/bin/python scripts/bench_dashboards.py grow 50000    # total dossiers
    .venv/bin/python scripts/bench_dashboards.py summary
    .venv/bin/python scripts/bench_dashboards.py grow 5000000
    .venv/bin/python scripts/bench_dashboards.py summary
    dropdb -h 127.0.0.1 -U postgres portal_bench_dash

`summary` prints the median of repeated requests (ms) and the query count of
GET /api/v1/stats/summary/ and the other endpoints through the test client, for
the district and for one commune. Results are recorded in docs/benchmarks.md;
they are benchmarks, not tests.
"""

import csv
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import User  # noqa: E402
from dashboards.importing import DOSSIER_COLUMNS  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from portal.demo_dossiers import demo_dossiers_seed  # noqa: E402
from procedures.models import Procedure  # noqa: E402
from units.models import OrgUnit  # noqa: E402

RUNS = 25


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_units")
    call_command("load_catalogue")
    call_command("seed_demo", force=True)


def write_csv(path: str, count: int) -> None:
    """`count` historical dossiers of 2019-2023 over the Vụ Bản agencies."""
    rng = random.Random(count)  # noqa: S311 - benchmark data
    units = list(
        OrgUnit.objects.filter(agency_code__endswith=".59.H00").values_list(
            "agency_code", flat=True
        )
    )
    procedures = [p.code or p.key for p in Procedure.objects.filter(submittable=True)]
    start = datetime.datetime(2019, 1, 1, 7, 30)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DOSSIER_COLUMNS)
        for n in range(count):
            received = start + datetime.timedelta(
                days=rng.randrange(1825), minutes=rng.randrange(9 * 60)
            )
            due = received + datetime.timedelta(days=rng.randint(0, 15))
            done = received + datetime.timedelta(
                days=rng.randint(0, 17), hours=rng.randint(0, 8)
            )
            digitized = rng.choice(["true", "true", "true", "false", ""])
            fee = rng.choice(["", "", "0", "8000", "25000"])
            paid = rng.choice(["true", "false"]) if fee not in {"", "0"} else ""
            writer.writerow(
                [
                    f"{rng.choice(units)}-{received:%y%m%d}-H{n:07d}",
                    rng.choice(procedures),
                    rng.choice(units),
                    rng.choice(["online", "online", "online", "counter", "post"]),
                    received.isoformat(timespec="minutes"),
                    received.isoformat(timespec="minutes"),
                    due.replace(hour=17, minute=0).isoformat(timespec="minutes"),
                    done.isoformat(timespec="minutes"),
                    (done + datetime.timedelta(hours=2)).isoformat(timespec="minutes"),
                    "returned",
                    digitized,
                    fee,
                    paid,
                    rng.choice(["", "", "", "", "satisfied", "very_satisfied"]),
                ]
            )


def grow(total: int) -> None:
    missing = total - Dossier.objects.count()
    batch = 500_000
    while missing > 0:
        step = min(batch, missing)
        started = time.monotonic()
        demo_dossiers_seed(count=step, seed=missing, days=5 * 365)
        missing -= step
        print(
            f"+{step} dossiers in {time.monotonic() - started:.0f} s; {missing} to go"
        )


def summary() -> None:
    client = APIClient()
    client.force_authenticate(User.objects.get(username="thongke.vuban"))
    print(f"dossiers: {Dossier.objects.count():,}")
    cases = [
        ("summary, district, 2024", "/api/v1/stats/summary/", "359", "2024"),
        ("summary, one commune, 2024", "/api/v1/stats/summary/", "13780", "2024"),
        ("summary, district, H1 2023", "/api/v1/stats/summary/", "359", "H1"),
        ("by-unit, district, 2024", "/api/v1/stats/by-unit/", "359", "2024"),
        ("by-procedure, district, 2024", "/api/v1/stats/by-procedure/", "359", "2024"),
        ("by-month, district, 2024", "/api/v1/stats/by-month/", "359", "2024"),
    ]
    for label, url, unit, period in cases:
        params = {"unit": unit, "from": "2024-01-01", "to": "2024-12-31"}
        if period == "H1":
            params |= {"from": "2023-01-01", "to": "2023-06-30"}
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content  # noqa: S101
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        print(
            f"{label:<32} median {statistics.median(timings):7.1f} ms  "
            f"p90 {sorted(timings)[int(RUNS * 0.9)]:7.1f} ms  "
            f"{len(queries)} queries"
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "setup":
        setup()
    elif command == "csv":
        write_csv(sys.argv[2], int(sys.argv[3]))
    elif command == "grow":
        grow(int(sys.argv[2]))
    elif command == "summary":
        summary()
    else:
        print(__doc__)
        sys.exit(2)

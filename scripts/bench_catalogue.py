"""Benchmark catalogue search and the list API at 1,000+ procedures.

    DATABASE_URL=sqlite:////tmp/b.sqlite3 .venv/bin/python scripts/bench_catalogue.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python scripts/bench_catalogue.py

Use a scratch database: the script migrates it, loads the reviewed catalogue and
adds synthetic procedures. Prints the median of repeated runs, in milliseconds.
Results are recorded in docs/catalogue.md; they are benchmarks, not tests.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from procedures.models import Field, Procedure  # noqa: E402
from procedures.selectors import procedure_search  # noqa: E402
from procedures.services import (  # noqa: E402
    catalogue_load_reference,
    procedure_set_search_columns,
)

SYNTHETIC = 1000
RUNS = 30


def median_ms(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def prepare() -> None:
    call_command("migrate", verbosity=0)
    catalogue_load_reference(overwrite=True)
    field = Field.objects.first()
    assert field is not None  # noqa: S101 - the reference data has sectors
    Procedure.objects.filter(key__startswith="bench-").delete()
    rows = []
    for n in range(SYNTHETIC):
        row = Procedure(
            key=f"bench-{n}",
            code=f"8.{n:06d}",
            name=f"Thủ tục thử nghiệm số {n} về đăng ký hộ tịch",
            name_en=f"Benchmark procedure {n}",
            field=field,
            agency_type="other",
            verified="candidate",
            source="benchmark",
        )
        procedure_set_search_columns(row)
        rows.append(row)
    Procedure.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE procedures_procedure")


def main() -> None:
    prepare()
    total = Procedure.objects.count()
    client = Client()
    cases: dict[str, Callable[[], object]] = {
        "search 'dang ky khai sinh' (first page)": lambda: list(
            procedure_search(q="dang ky khai sinh")[:20]
        ),
        "search 'ĐĂNG KÝ' (first page)": lambda: list(
            procedure_search(q="ĐĂNG KÝ")[:20]
        ),
        "search by code '1.001193'": lambda: list(procedure_search(q="1.001193")[:20]),
        "no query, first page": lambda: list(procedure_search()[:20]),
        "API list ?q=ho+tich&page=2": lambda: client.get(
            "/api/v1/procedures/", {"q": "ho tich", "page": "2"}
        ),
        "API detail 2.002913": lambda: client.get("/api/v1/procedures/2.002913/"),
        "page /procedures/search/?q=khai+sinh": lambda: client.get(
            "/procedures/search/", {"q": "khai sinh"}
        ),
    }
    print(f"{connection.vendor}, {total} procedures, median of {RUNS} runs")
    for name, action in cases.items():
        print(f"  {name}: {median_ms(action):.1f} ms")


if __name__ == "__main__":
    main()

"""The historical import of N rows against PostgreSQL COPY of the same file,
in a scratch copy of the 50k database (dropped after)."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.report import Row

# Empty values are written as NULL: COPY then writes an empty unquoted field,
# which the import reads as empty and COPY FROM as NULL.
# The same spread as scripts/bench_dashboards.py's CSV: dossiers of 2019-2023 at
# random over every Vụ Bản agency x every procedure x 3 channels (the worst case
# for the counts), all returned, a few rated.
CSV_SQL = """
COPY (
WITH u AS (SELECT array_agg(agency_code ORDER BY agency_code) AS a FROM units_orgunit
           WHERE agency_code LIKE '%%.59.H00'),
p AS (SELECT array_agg(coalesce(nullif(code, ''), key) ORDER BY id) AS a
      FROM procedures_procedure WHERE submittable),
g AS (SELECT n, (random() * 1e12)::bigint AS r,
        timestamp '2019-01-01 07:30'
        + make_interval(days => (random() * 1824)::int, mins => (random() * 539)::int)
        AS received
      FROM generate_series(0, {rows} - 1) AS n),
h AS (SELECT g.*, u.a AS units, p.a AS procs,
        g.received + make_interval(days => (g.r / 7 % 18)::int,
                                   hours => (g.r / 11 % 9)::int) AS done,
        (ARRAY['', '', '0', '8000', '25000'])[1 + (g.r / 13 % 5)::int] AS fee
      FROM g, u, p)
SELECT units[1 + (r % array_length(units, 1))::int] || '-'
         || to_char(received, 'YYMMDD')
         || '-H' || lpad(n::text, 7, '0') AS code,
       procs[1 + (r / 17 % array_length(procs, 1))::int] AS procedure_code,
       units[1 + (r % array_length(units, 1))::int] AS unit_code,
       (ARRAY['online', 'online', 'online', 'counter', 'post'])[1 + (r / 19 % 5)::int]
         AS channel,
       to_char(received, 'YYYY-MM-DD"T"HH24:MI') AS submitted_at,
       to_char(received, 'YYYY-MM-DD"T"HH24:MI') AS received_at,
       to_char(date_trunc('day', received)
                + make_interval(days => (r / 23 % 16)::int, hours => 17),
                'YYYY-MM-DD"T"HH24:MI') AS due_at,
       to_char(done, 'YYYY-MM-DD"T"HH24:MI') AS completed_at,
       to_char(done + interval '2 hours', 'YYYY-MM-DD"T"HH24:MI') AS returned_at,
       'returned' AS status,
       nullif((ARRAY['true', 'true', 'true', 'false', ''])[1 + (r / 29 % 5)::int], '')
         AS result_digitized,
       nullif(fee, '') AS fee_vnd,
       CASE WHEN fee IN ('', '0') THEN NULL
            ELSE (ARRAY['true', 'false'])[1 + (r / 31 % 2)::int] END AS paid_online,
       nullif((ARRAY['', '', '', '', 'satisfied', 'very_satisfied'])
              [1 + (r / 37 % 6)::int], '') AS rating
FROM h) TO STDOUT WITH (FORMAT csv, HEADER)
"""

COPY_TABLE = """
CREATE TABLE bench_copy (
  code text, procedure_code text, unit_code text, channel text,
  submitted_at timestamptz, received_at timestamptz, due_at timestamptz,
  completed_at timestamptz, returned_at timestamptz, status text,
  result_digitized boolean, fee_vnd bigint, paid_online boolean, rating text
)
"""


def write_csv(dsn: str, path: Path, rows: int) -> None:
    import psycopg2

    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2024)")
        with path.open("w", encoding="utf-8") as out:
            cursor.copy_expert(CSV_SQL.replace("%%", "%").format(rows=rows), out)


def copy_seconds(dsn: str, path: Path) -> float:
    """COPY of the file into a table of its columns, through the same client
    path as the import's COPY (psycopg2's copy_expert)."""
    import psycopg2

    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(COPY_TABLE)
        conn.commit()
        started = time.monotonic()
        with path.open(encoding="utf-8") as data:
            cursor.copy_expert(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER)", data
            )
        conn.commit()
        return time.monotonic() - started


def bench(
    *,
    dsn_for: Callable[[str], str],
    db_create: Callable[..., None],
    manage: Callable[..., str],
    template: str,
    scratch: str,
    rows: int,
    var: Path,
    psql: Callable[..., Any],
) -> Row:
    var.mkdir(parents=True, exist_ok=True)
    path = var / f"import-{rows}.csv"
    db_create(scratch, template)
    try:
        if not path.exists():
            started = time.monotonic()
            write_csv(dsn_for(scratch), path, rows)
            print(f"  CSV of {rows:,} rows: {time.monotonic() - started:.0f} s")
        copy = copy_seconds(dsn_for(scratch), path)
        started = time.monotonic()
        # A historical load of this size is a maintenance-window job: the
        # option an operator would use (docs/operations.md), named in the row.
        manage(scratch, "manage.py", "import_dossiers", str(path), "--rebuild-indexes")
        seconds = time.monotonic() - started
    finally:
        psql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    return Row.rate(
        f"historical import of {rows:,} rows (import_dossiers --rebuild-indexes)",
        "rows",
        rows,
        seconds,
        copy,
        0.1,
        "COPY of the same file",
    )

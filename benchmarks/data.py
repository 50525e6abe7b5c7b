"""The bench databases: seeded once, grown in SQL, reused while they match.

- base (50,000 dossiers): migrate, reference data, `seed_demo`, and 50,000
  realistic dossiers from `seed_demo`'s generator (Python, with the facts and
  counts of the dashboards).
- 1M and 5M: a copy of the base (CREATE DATABASE ... TEMPLATE), grown with
  copies of the base's closed dossiers, each copy shifted back by whole weeks
  (INSERT ... SELECT over generate_series: no row goes through Python), with
  their events, ratings and facts; the dashboards' counts are then recomputed
  from the facts in one GROUP BY (`buckets_rebuild`), which is checked against
  the Python path on the base.

A database is reused (and migrated forward) when its stamp (DATA_VERSION and
its level) matches; otherwise it is dropped and built again.
"""

import time
from collections.abc import Callable
from typing import Any

from django.db import connection

from dashboards.models import COUNT_COLUMNS

# Bump when the data a level holds changes.
DATA_VERSION = "2"
# Copy n of a base dossier gets the id (and events, ratings) + n * OFFSET.
OFFSET = 10_000_000
SHIFT_DAYS = 7
FINAL = ("returned", "refused", "withdrawn", "stopped")
STAMP_TABLE = "bench_stamp"

DOSSIER_TIMES = {
    "submitted_at",
    "received_at",
    "due_at",
    "clock_started_at",
    "supplement_requested_at",
    "completed_at",
    "returned_at",
    "created_at",
    "updated_at",
}
FACT_DAYS = {"received_on", "completed_on", "open_to", "overdue_from", "overdue_to"}


def schema_version() -> str:
    """What a level's data depends on: DATA_VERSION. A database whose stamp
    matches is migrated forward and reused; bump DATA_VERSION when a migration
    changes data the bench reads (a backfilled column) to build it again."""
    return f"data-{DATA_VERSION}"


def stamp_get() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [STAMP_TABLE])
        if cursor.fetchone()[0] is None:
            return ""
        cursor.execute(f"SELECT value FROM {STAMP_TABLE}")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def stamp_set(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (value text)")
        cursor.execute(f"DELETE FROM {STAMP_TABLE}")
        cursor.execute(f"INSERT INTO {STAMP_TABLE} VALUES (%s)", [value])


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def _fast_session(cursor: Any) -> None:
    # Copies of checked rows: skip the foreign-key triggers; nothing is lost at a
    # crash that a rerun would not redo (the stamp is written last).
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET work_mem = '256MB'")
    cursor.execute("SET maintenance_work_mem = '512MB'")


def base_phones() -> None:
    """Tracking needs the last 4 digits of a phone: give the seeded dossiers
    some (the generator leaves them empty)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossier SET phone_last4 = lpad((id % 10000)::text, 4, "
            "'0') WHERE phone_last4 = ''"
        )


def _plain_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [table],
    )
    return [(str(n), str(d)) for n, d in cursor.fetchall()]


def copies_needed(target: int) -> tuple[int, int]:
    """The copies (first, last) that bring the dossiers to at least `target`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(max(id), 0) / %s FROM dossiers_dossier",
            [OFFSET],
        )
        total, copies = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM dossiers_dossier WHERE id < %s AND status = ANY(%s)",
            [OFFSET, list(FINAL)],
        )
        per_copy = max(int(cursor.fetchone()[0]), 1)
    missing = max(target - int(total), 0)
    return int(copies) + 1, int(copies) + -(-missing // per_copy)


def copies_insert(first: int, last: int, log: Callable[[str], None] = print) -> int:
    """Copies first..last of the base's closed dossiers, with their events,
    ratings and facts; copy n is received n weeks earlier. Returns the rows."""
    dossier_cols = _columns("dossiers_dossier")
    event_cols = _columns("dossiers_event")
    rating_cols = _columns("dossiers_rating")
    fact_cols = _columns("dashboards_dossierfacts")
    shift = f"make_interval(days => {SHIFT_DAYS} * j)"

    def dossier_expr(col: str) -> str:
        if col == "id":
            return f"d.id + j * {OFFSET}"
        if col == "part_of_id":
            # Only closed dossiers are copied: a part's linked dossier may not be
            # (as before the field, a copy is a dossier of its own).
            return "NULL"
        if col == "code":
            return "d.code || '.' || j"
        if col == "phone_last4":
            return f"lpad(((d.id + j * {OFFSET}) % 10000)::text, 4, '0')"
        if col in DOSSIER_TIMES:
            return f"d.{col} - {shift}"
        return f"d.{col}"

    def fact_expr(col: str) -> str:
        if col == "dossier_id":
            return f"f.dossier_id + j * {OFFSET}"
        if col in FACT_DAYS:
            return f"f.{col} - {SHIFT_DAYS} * j"
        return f"f.{col}"

    def simple(alias: str, col: str, times: set[str]) -> str:
        if col in {"id", "dossier_id"}:
            return f"{alias}.{col} + j * {OFFSET}"
        if col in times:
            return f"{alias}.{col} - {shift}"
        return f"{alias}.{col}"

    series = f"generate_series({int(first)}, {int(last)}) AS j"
    statements = [
        (
            "dossiers",
            f"INSERT INTO dossiers_dossier ({', '.join(dossier_cols)}) "
            f"SELECT {', '.join(dossier_expr(c) for c in dossier_cols)} "
            f"FROM bench_base b JOIN dossiers_dossier d ON d.id = b.id "
            f"CROSS JOIN {series} ORDER BY j, d.id",
        ),
        (
            "events",
            f"INSERT INTO dossiers_event ({', '.join(event_cols)}) "
            f"SELECT {', '.join(simple('e', c, {'at'}) for c in event_cols)} "
            f"FROM bench_base b JOIN dossiers_event e ON e.dossier_id = b.id "
            f"CROSS JOIN {series}",
        ),
        (
            "ratings",
            f"INSERT INTO dossiers_rating ({', '.join(rating_cols)}) "
            f"SELECT {', '.join(simple('r', c, {'rated_at'}) for c in rating_cols)} "
            f"FROM bench_base b JOIN dossiers_rating r ON r.dossier_id = b.id "
            f"CROSS JOIN {series}",
        ),
        (
            "facts",
            f"INSERT INTO dashboards_dossierfacts ({', '.join(fact_cols)}) "
            f"SELECT {', '.join(fact_expr(c) for c in fact_cols)} "
            f"FROM bench_base b JOIN dashboards_dossierfacts f "
            f"ON f.dossier_id = b.id CROSS JOIN {series}",
        ),
    ]
    total = 0
    with connection.cursor() as cursor:
        _fast_session(cursor)
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_base AS SELECT id FROM "
            "dossiers_dossier WHERE id < %s AND status = ANY(%s)",
            [OFFSET, list(FINAL)],
        )
        # Growing a table several times over: building its indexes once after
        # the rows is faster than keeping them up to date row by row.
        tables = ("dossiers_dossier", "dossiers_event", "dashboards_dossierfacts")
        dropped = [i for t in tables for i in _plain_indexes(cursor, t)]
        for name, _definition in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
        for label, sql in statements:
            started = time.monotonic()
            cursor.execute(sql)
            if label == "dossiers":
                total = cursor.rowcount
            log(
                f"  {label}: {cursor.rowcount:,} rows, "
                f"{time.monotonic() - started:.0f} s"
            )
        started = time.monotonic()
        for _name, definition in dropped:
            cursor.execute(definition)
        log(f"  {len(dropped)} indexes rebuilt: {time.monotonic() - started:.0f} s")
        for table in ("dossiers_dossier", "dossiers_event", "dossiers_rating"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    return total


# The contributions of one fact row (dashboards.metrics.contributions), as
# (day, column values...) rows; keep in step with that function.
_ZERO = ", ".join(["0"] * len(COUNT_COLUMNS))


def _contribution(day: str, **values: str) -> str:
    row = [values.get(c, "0") for c in COUNT_COLUMNS]
    return f"({day}, {', '.join(row)})"


CONTRIBUTIONS_SQL = f"""
SELECT f.receiving_unit_id AS unit, f.procedure_id AS proc, f.channel, c.*
FROM dashboards_dossierfacts f
CROSS JOIN LATERAL (VALUES
  {
    _contribution(
        "f.received_on",
        received="1",
        assisted="f.assisted::int",
        fee="f.fee::int",
        paid_online="f.paid_online::int",
        open_delta="(f.open_to IS DISTINCT FROM f.received_on)::int",
    )
},
  {
    _contribution(
        "CASE WHEN f.open_to <> f.received_on THEN f.open_to END",
        open_delta="-1",
    )
},
  {_contribution("f.overdue_from", overdue_delta="1")},
  {
    _contribution(
        "CASE WHEN f.overdue_from IS NOT NULL THEN f.overdue_to END",
        overdue_delta="-1",
    )
},
  {
    _contribution(
        "f.completed_on",
        completed_early="(f.timeliness = 'early')::int",
        completed_on_time="(f.timeliness = 'on_time')::int",
        completed_late="(f.timeliness = 'late')::int",
        results_in_scope="f.result_in_scope::int",
        results_digitized="f.result_digitized::int",
        ratings="(f.rating <> '')::int",
        satisfied="(f.rating IN ('very_satisfied', 'satisfied'))::int",
    )
}
) AS c(day, {", ".join(COUNT_COLUMNS)})
WHERE f.received_on IS NOT NULL AND c.day IS NOT NULL
"""


def _sums() -> str:
    return ", ".join(f"sum({c}) AS {c}" for c in COUNT_COLUMNS)


def _nonzero(prefix: str = "") -> str:
    return " OR ".join(f"sum({prefix}{c}) <> 0" for c in COUNT_COLUMNS)


def buckets_rebuild(stat_table: str, unit_table: str) -> None:
    """Recompute the counts from the facts: one GROUP BY per table."""
    cols = ", ".join(COUNT_COLUMNS)
    with connection.cursor() as cursor:
        _fast_session(cursor)
        cursor.execute(f"TRUNCATE {stat_table}, {unit_table}")
        cursor.execute(
            f"INSERT INTO {stat_table} (grain, start, receiving_unit_id, "
            f"procedure_id, channel, {cols}) "
            f"SELECT g.grain, g.start, unit, proc, channel, {_sums()} FROM ("
            f"  SELECT day, unit, proc, channel, {_sums()} "
            f"  FROM ({CONTRIBUTIONS_SQL}) AS x GROUP BY day, unit, proc, channel"
            f") AS d CROSS JOIN LATERAL (VALUES ('D', d.day), "
            f"('M', date_trunc('month', d.day)::date), "
            f"('Y', date_trunc('year', d.day)::date)) AS g(grain, start) "
            f"GROUP BY g.grain, g.start, unit, proc, channel HAVING {_nonzero()}"
        )
        cursor.execute(
            f"INSERT INTO {unit_table} (grain, start, receiving_unit_id, "
            f"channel, {cols}) SELECT grain, start, receiving_unit_id, channel, "
            f"{_sums()} FROM {stat_table} "
            f"GROUP BY grain, start, receiving_unit_id, channel HAVING {_nonzero()}"
        )
        cursor.execute(f"ANALYZE {stat_table}")
        cursor.execute(f"ANALYZE {unit_table}")


def buckets_check() -> int:
    """Rows that differ between the stored counts (written by the Python path)
    and a SQL rebuild into scratch tables; 0 when the SQL path agrees."""
    key = "grain, start, receiving_unit_id, procedure_id, channel"
    cols = ", ".join(COUNT_COLUMNS)
    nonzero = " OR ".join(f"{c} <> 0" for c in COUNT_COLUMNS)
    with connection.cursor() as cursor:
        for table in ("statbucket", "unitbucket"):
            cursor.execute(
                f"CREATE TEMP TABLE bench_{table} "
                f"(LIKE dashboards_{table} INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )
        buckets_rebuild("bench_statbucket", "bench_unitbucket")
        differ = 0
        for table, keys in (
            ("statbucket", key),
            ("unitbucket", key.replace("procedure_id, ", "")),
        ):
            for a, b in (
                (f"dashboards_{table}", f"bench_{table}"),
                (f"bench_{table}", f"dashboards_{table}"),
            ):
                # Rows of zeros (left by the listener when a change is undone)
                # count nothing; the rebuild does not write them.
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT {keys}, {cols} FROM {a} "
                    f"WHERE {nonzero} EXCEPT SELECT {keys}, {cols} FROM {b}) AS x"
                )
                differ += int(cursor.fetchone()[0])
            cursor.execute(f"DROP TABLE bench_{table}")
    return differ

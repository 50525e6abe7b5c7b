"""The SQL of the staged import (staged.py): the checks a raw row must pass to be
typed in SQL, and the statements that derive the new dossiers' facts and add
their contributions to the count tables. Only fixed names, patterns and choice
values are interpolated."""

from __future__ import annotations

from typing import Any

from django.db import connection

from dossiers.models import COMPLETED_STATUSES, Channel, Rating, Status
from units.models import AGENCY_CODE_PATTERN

from ..metrics import RESULT_STATUSES, SATISFIED
from ..models import COUNT_COLUMNS
from .rows import (
    CODE_MAX_LENGTH,
    DOSSIER_COLUMNS,
    IMPORT_STATUSES,
    OPEN,
)

# One common shape of ISO 8601 that Python's fromisoformat and PostgreSQL read
# alike: a date of years 1000-2999, optionally a time to the minute or second,
# and with a time optionally an offset (PostgreSQL's limit: under 16 hours).
# Anything else goes to the Python checks.
_TIME_SHAPE = (
    r"^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
    r"(Z|[+-](0[0-9]|1[0-5]):[0-5][0-9])?)?$"
)


def sql_name(name: str) -> str:
    """A table or column name, quoted for the database."""
    return str(connection.ops.quote_name(name))


def _time_ok(column: str) -> str:
    """SQL: the raw value is empty or a time of the common shape on a real day
    (CASE: the day is read only once the shape is known)."""
    v = f"r.{sql_name(column)}"
    return (
        f"(coalesce({v}, '') = '' OR CASE WHEN {v} ~ '{_TIME_SHAPE}' THEN "
        f"substr({v}, 9, 2) <= '28' OR substr({v}, 9, 2)::int <= extract(day FROM "
        f"make_date(substr({v}, 1, 4)::int, substr({v}, 6, 2)::int, 1) "
        f"+ interval '1 month - 1 day') ELSE false END)"
    )


def _time(column: str) -> str:
    """SQL: a value that passed `_time_ok` as timestamptz (naive: Vietnam time).
    Only in the select list of the query whose WHERE has the check."""
    v = f"r.{sql_name(column)}"
    return (
        f"CASE WHEN coalesce({v}, '') = '' THEN NULL "
        f"WHEN length({v}) > 16 AND (right({v}, 1) = 'Z' "
        f"OR substr({v}, length({v}) - 5, 1) IN ('+', '-')) THEN {v}::timestamptz "
        f"ELSE {v}::timestamp AT TIME ZONE %(zone)s END"
    )


def _in(values: Any) -> str:
    return "(" + ", ".join(f"'{v!s}'" for v in sorted(values)) + ")"


def _local_day(expression: str) -> str:
    return f"(({expression}) AT TIME ZONE %(zone)s)::date"


# --- The typed rows ---------------------------------------------------------------

TYPED = """
CREATE TEMP TABLE import_typed (
  line bigint NOT NULL, code text NOT NULL, procedure_id bigint NOT NULL,
  receiving_unit_id bigint NOT NULL, admin_unit_id bigint NOT NULL,
  channel text NOT NULL, status text NOT NULL, submitted_at timestamptz NOT NULL,
  received_at timestamptz, due_at timestamptz, completed_at timestamptz,
  returned_at timestamptz, result_digitized boolean, fee_vnd bigint,
  paid_online boolean, rating text NOT NULL
) ON COMMIT DROP
"""


def typed_sql() -> str:
    """Rows that pass every check, typed; the others are left out."""
    t = {name: _time(name) for name in DOSSIER_COLUMNS if name.endswith("_at")}
    times_ok = " AND ".join(_time_ok(n) for n in t)
    status = {s: f"'{s.value}'" for s in Status}
    statuses = _in(s.value for s in IMPORT_STATUSES)

    def need(*names: str) -> str:
        return " AND ".join(f"{n} IS NOT NULL" for n in names)

    def empty(*names: str) -> str:
        return " AND ".join(f"{n} IS NULL" for n in names)

    order = ["submitted_at", "received_at", "completed_at", "returned_at"]
    pairs = [
        f"({a} IS NULL OR {b} IS NULL OR {b} >= {a})"
        for i, a in enumerate(order)
        for b in order[i + 1 :]
    ]
    # Units are those in force on the submission day: an administrative unit's
    # version, and an agency's dates (else the Python checks say why).
    submitted_day = _local_day("s.submitted_at")
    # The administrative unit of a code on the submission day, when only one
    # version matches (else the row goes to the Python checks).
    version = (
        "(SELECT CASE WHEN count(*) = 1 THEN min(v.id) END FROM import_version v "  # noqa: S608
        f"WHERE v.code = s.unit_code "
        f"AND (v.valid_from IS NULL OR v.valid_from <= {submitted_day}) "
        f"AND (v.valid_to IS NULL OR v.valid_to >= {submitted_day}))"
    )
    in_force = (
        f"(a.valid_from IS NULL OR a.valid_from <= {submitted_day}) "
        f"AND (a.valid_to IS NULL OR a.valid_to >= {submitted_day})"
    )
    # Only fixed names, patterns and choice values are interpolated. The lookups
    # are joined outside the fenced subquery, by hash (staged.py turns nested
    # loops off for this statement): the planner, which cannot estimate the
    # checks, took a nested loop over the procedures for every row (15 s per
    # 100,000 rows). A regular expression with a bounded repetition costs ~10 µs
    # a value here, so the code is checked by its length and one character
    # class, and the agency pattern is matched once per known agency
    # (import_agency.shaped), per row only for a code that is none of them.
    return f"""
INSERT INTO import_typed
SELECT line, code, procedure_id, receiving_unit_id, admin_unit_id, channel, status,
       submitted_at, received_at, due_at, completed_at, returned_at,
       result_digitized, fee_vnd, paid_online, rating
FROM (
  SELECT s.*, p.id AS procedure_id,
    CASE WHEN s.agency THEN CASE WHEN {in_force} THEN a.id END ELSE (
      SELECT c.id FROM import_committee c WHERE c.admin = {version}) END
      AS receiving_unit_id,
    CASE WHEN s.agency THEN a.admin ELSE {version} END AS admin_unit_id
  FROM (
    SELECT s.*,
      coalesce(a.shaped, s.unit_code ~ '{AGENCY_CODE_PATTERN}') AS agency
    FROM (
      SELECT r.line + 1 AS line, r.code, r.procedure_code, r.unit_code,
        r.channel, r.status,
        {t["submitted_at"]} AS submitted_at, {t["received_at"]} AS received_at,
        {t["due_at"]} AS due_at, {t["completed_at"]} AS completed_at,
        {t["returned_at"]} AS returned_at,
        CASE r.result_digitized WHEN 'true' THEN true WHEN 'false' THEN false END
          AS result_digitized,
        CASE WHEN r.fee_vnd <> '' THEN r.fee_vnd::bigint END AS fee_vnd,
        CASE r.paid_online WHEN 'true' THEN true WHEN 'false' THEN false END
          AS paid_online,
        coalesce(r.rating, '') AS rating
      FROM import_raw r
      WHERE length(r.code) BETWEEN 1 AND {CODE_MAX_LENGTH} AND r.code !~ '[^!-~]'
        AND r.channel IN {_in(Channel.values)}
        AND r.status IN {statuses}
        AND coalesce(r.submitted_at, '') <> ''
        AND {times_ok}
        AND coalesce(r.result_digitized, '') IN ('', 'true', 'false')
        AND (coalesce(r.fee_vnd, '') = ''
             OR length(r.fee_vnd) <= 15 AND r.fee_vnd !~ '[^0-9]')
        AND coalesce(r.paid_online, '') IN ('', 'true', 'false')
        AND coalesce(r.rating, '') IN {_in(["", *Rating.Overall.values])}
      OFFSET 0  -- a fence: the casts above only see rows that passed
    ) s
    LEFT JOIN import_agency a ON a.code = s.unit_code
  ) s
  JOIN import_procedure p ON p.code = s.procedure_code
  LEFT JOIN import_agency a ON a.code = s.unit_code AND s.agency
) k
WHERE receiving_unit_id IS NOT NULL
  AND {" AND ".join(pairs)}
  AND (due_at IS NULL OR received_at IS NULL OR due_at >= received_at)
  AND (received_at IS NULL OR due_at IS NOT NULL)
  AND CASE
    WHEN status = {status[Status.SUBMITTED]}
      THEN {empty("received_at", "completed_at", "returned_at")}
    WHEN status = {status[Status.RESULT_READY]}
      THEN {need("received_at", "completed_at")} AND {empty("returned_at")}
    WHEN status = {status[Status.RETURNED]}
      THEN {need("received_at", "completed_at", "returned_at")}
    WHEN status = {status[Status.STOPPED]} THEN {need("received_at", "completed_at")}
    WHEN status = {status[Status.REFUSED]} THEN {need("completed_at")}
    WHEN status = {status[Status.WITHDRAWN]} THEN {empty("completed_at", "returned_at")}
    WHEN status IN {_in(s.value for s in OPEN)}
      THEN {need("received_at")} AND {empty("completed_at", "returned_at")}
    ELSE false END
  AND (result_digitized IS NOT true
       OR status IN {_in(s.value for s in RESULT_STATUSES)})
  AND (paid_online IS NOT true OR fee_vnd > 0)
  AND (rating = '' OR status = {status[Status.RETURNED]})
"""  # noqa: S608


def new_sql(table: str) -> str:
    """The rows to insert (codes not yet stored), with their dossier ids and
    facts (dashboards.metrics.facts_compute, for an imported dossier: never
    assisted, no withdrawal or supplement request time)."""
    completed = _in(COMPLETED_STATUSES)
    results = _in(RESULT_STATUSES)
    received_on = _local_day("received_at")
    return f"""
CREATE TEMP TABLE import_new ON COMMIT DROP AS
SELECT o.*,
  CASE WHEN overdue_start IS NOT NULL
        AND (open_to IS NULL OR overdue_start < open_to) THEN overdue_start END
    AS overdue_from,
  CASE WHEN overdue_start IS NOT NULL
        AND (open_to IS NULL OR overdue_start < open_to) THEN open_to END
    AS overdue_to
FROM (
  SELECT w.*,
    CASE WHEN with_result AND rating <> '' THEN rating ELSE '' END AS rating_fact,
    with_result AND result_digitized IS NOT NULL AS in_scope,
    with_result AND result_digitized IS NOT NULL AND result_digitized IS true
      AS digitized,
    CASE WHEN received_on IS NULL THEN NULL
         WHEN status IN {completed} THEN coalesce(completed_on, received_on)
         WHEN status = '{Status.WITHDRAWN.value}' THEN received_on END AS open_to,
    CASE WHEN received_on IS NOT NULL AND due_at IS NOT NULL
      THEN greatest(received_on, {_local_day("due_at")} + 1) END AS overdue_start
  FROM (
    SELECT c.*,
      completed_on IS NOT NULL AND status IN {results} AS with_result,
      CASE WHEN completed_on IS NULL THEN ''
           WHEN completed_on < {_local_day("due_at")} THEN 'early'
           WHEN completed_on = {_local_day("due_at")} THEN 'on_time'
           ELSE 'late' END AS timeliness
    FROM (
      SELECT n.*, nextval(pg_get_serial_sequence('{table}', 'id')) AS id,
        {received_on} AS received_on,
        received_at IS NOT NULL AND coalesce(fee_vnd, 0) > 0 AS fee,
        CASE WHEN received_at IS NOT NULL AND status IN {completed}
              AND completed_at IS NOT NULL AND due_at IS NOT NULL
          THEN {_local_day("completed_at")} END AS completed_on
      FROM (
        SELECT t.* FROM import_typed t
        WHERE NOT EXISTS (SELECT FROM {table} d WHERE d.code = t.code)
        ORDER BY t.line
      ) n
    ) c
  ) w
) o
"""  # noqa: S608


def buckets_sql() -> str:
    """Each new dossier's contributions (dashboards.metrics.contributions) on
    its days, summed per bucket key at the three grains."""
    zero = ["0"] * len(COUNT_COLUMNS)

    def row(day: str, **values: str) -> str:
        cells = list(zero)
        for name, value in values.items():
            cells[COUNT_COLUMNS.index(name)] = value
        return f"({day}, {', '.join(cells)})"

    opened = "(open_to IS DISTINCT FROM received_on)::int"
    rows = [
        row(
            "received_on",
            received="1",
            fee="fee::int",
            paid_online="(fee AND paid_online IS true)::int",
            open_delta=opened,
        ),
        row("CASE WHEN open_to <> received_on THEN open_to END", open_delta="-1"),
        row("overdue_from", overdue_delta="1"),
        row("overdue_to", overdue_delta="-1"),
        row(
            "completed_on",
            completed_early="(timeliness = 'early')::int",
            completed_on_time="(timeliness = 'on_time')::int",
            completed_late="(timeliness = 'late')::int",
            results_in_scope="in_scope::int",
            results_digitized="digitized::int",
            ratings="(rating_fact <> '')::int",
            satisfied=f"(rating_fact IN {_in(SATISFIED)})::int",
        ),
    ]
    sums = ", ".join(f"sum(x.{c})::int AS {c}" for c in COUNT_COLUMNS)
    columns = ", ".join(COUNT_COLUMNS)
    keys = "x.receiving_unit_id, x.procedure_id, x.channel"

    def period(grain: str, unit: str) -> str:
        return (
            f"SELECT '{grain}'::text, date_trunc('{unit}', x.day)::date, {keys}, "  # noqa: S608
            f"{sums} FROM import_day x GROUP BY 2, 3, 4, 5"
        )

    # Summed once by day; a month's or year's sums are its days' (was: every
    # day's sums three times over, grouped again; 6.1 -> 4.1 s per 100,000 rows).
    return f"""
CREATE TEMP TABLE import_day ON COMMIT DROP AS
SELECT x.day, n.receiving_unit_id, n.procedure_id, n.channel, {sums}
FROM import_new n
CROSS JOIN LATERAL (VALUES {", ".join(rows)}) AS x(day, {columns})
WHERE n.received_on IS NOT NULL AND x.day IS NOT NULL
GROUP BY 1, 2, 3, 4;
CREATE TEMP TABLE import_delta ON COMMIT DROP AS
SELECT 'D'::text AS grain, x.day AS start, {keys}, {columns} FROM import_day x
UNION ALL {period("M", "month")}
UNION ALL {period("Y", "year")}
"""  # noqa: S608


TEXT_KEYS = ("grain", "channel")


def upsert_sql(table: str, keys: list[str], source: str, *, grouped: bool) -> str:
    """Add the non-zero sums of `source` to `table`; `grouped`: `source` has
    one row per key already."""
    counts = ", ".join(COUNT_COLUMNS)
    key_list = ", ".join(keys)
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in COUNT_COLUMNS)
    if grouped:
        values = counts
        rest = "WHERE " + " OR ".join(f"{c} <> 0" for c in COUNT_COLUMNS)
    else:
        values = ", ".join(f"sum({c})" for c in COUNT_COLUMNS)
        rest = f"GROUP BY {key_list} HAVING " + " OR ".join(
            f"sum({c}) <> 0" for c in COUNT_COLUMNS
        )
    # Key order, as buckets_apply: two transactions lock shared rows in the same
    # order.
    # The text keys (grain, channel) sorted bytewise: the order of Python's
    # sorted() in buckets_apply, and a faster sort than the database's locale.
    order = ", ".join(f'{k} COLLATE "C"' if k in TEXT_KEYS else k for k in keys)
    return (
        f"INSERT INTO {table} ({key_list}, {counts}) "  # noqa: S608
        f"SELECT {key_list}, {values} FROM {source} {rest} ORDER BY {order} "
        f"ON CONFLICT ({key_list}) DO UPDATE SET {updates}"
    )

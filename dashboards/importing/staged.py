"""import_dossiers on PostgreSQL: COPY into a staging table, check and transform
in SQL (docs/dashboards.md, "Historical import on PostgreSQL").

The Python path (`dossiers.py`) stays the reference. Here SQL only decides
which rows are plainly valid, with checks that are stricter than the Python
ones (ISO times of one common shape, ASCII codes, exact lower-case values); every
other row is checked again by `parse_dossier_row`, which gives the same verdict
and message as the Python path (and, for a row that is valid after all, its
values). Then the dossiers, their events, ratings and facts are written with
`INSERT … SELECT`, and the counts with one `GROUP BY` upsert per bucket table.
The statements are built in `staged_sql.py`; this module runs them in order.

A file that COPY could read differently from Python's csv module (any double
quote, a blank line, a short or long row, a byte that is not UTF-8) is left to
the Python path: `staged_import` then returns None, having saved nothing.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext_lazy as _

from units.models import AGENCY_CODE_PATTERN

from .common import (
    BadValue,
    ImportRefused,
    ImportReport,
    RowError,
    UnitLookup,
    both_languages,
)
from .rows import (
    DOSSIER_COLUMNS,
    DossierRow,
    import_applicant,
    parse_dossier_row,
    procedure_codes,
)
from .staged_sql import TYPED, buckets_sql, new_sql, sql_name, typed_sql, upsert_sql

DUPLICATE = _("Mã hồ sơ “%(code)s” đã có ở dòng %(first)s.")
REFUSED = _(
    "Tệp có %(count)s dòng lỗi nên không nhập dòng nào "
    "(dùng --skip-invalid để bỏ qua các dòng lỗi)."
)


# The staging tables go at commit; dropped at the end too, for a caller's
# enclosing transaction (tests, or two imports in one transaction).
DROP = (
    "DROP TABLE IF EXISTS import_raw, import_typed, import_procedure, "
    "import_agency, import_version, import_committee, import_new, "
    "import_applicant, import_day, import_delta"
)


class _Fallback(Exception):
    """COPY read the file differently from Python: use the Python path."""


def _lookups(cursor: Any) -> None:
    """The procedure and unit codes, as the Python path reads them."""
    units = UnitLookup()
    cursor.execute(
        "CREATE TEMP TABLE import_procedure (code text PRIMARY KEY, id bigint) "
        "ON COMMIT DROP;"
        "CREATE TEMP TABLE import_agency (code text PRIMARY KEY, id bigint, "
        "admin bigint, valid_from date, valid_to date, shaped boolean) "
        "ON COMMIT DROP;"
        "CREATE TEMP TABLE import_version (code text, valid_from date, "
        "valid_to date, id bigint) ON COMMIT DROP;"
        "CREATE INDEX ON import_version (code);"
        "CREATE TEMP TABLE import_committee (admin bigint PRIMARY KEY, id bigint) "
        "ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO import_procedure VALUES (%s, %s)", procedure_codes().items()
    )
    cursor.executemany(
        "INSERT INTO import_agency VALUES (%s, %s, %s, %s, %s, %s)",
        [
            (
                code,
                pk,
                admin,
                *units.agency_dates[code],
                re.fullmatch(AGENCY_CODE_PATTERN, code) is not None,
            )
            for code, (pk, admin) in units.agencies.items()
        ],
    )
    cursor.executemany(
        "INSERT INTO import_version VALUES (%s, %s, %s, %s)",
        [
            (code, start, end, pk)
            for code, versions in units.versions.items()
            for start, end, pk in versions
        ],
    )
    cursor.executemany(
        "INSERT INTO import_committee VALUES (%s, %s)", units.committees.items()
    )
    cursor.execute("ANALYZE import_procedure, import_agency, import_version")


def _copy(cursor: Any, path: Path, header: list[str]) -> int:
    from psycopg2 import Error as DriverError

    cursor.execute(
        # `line` counts data rows from 1; the file line is line + 1 (header).
        "CREATE TEMP TABLE import_raw (line bigserial, "
        + ", ".join(f"{sql_name(c)} text" for c in DOSSIER_COLUMNS)
        + ") ON COMMIT DROP"
    )
    names = ", ".join(sql_name(c) for c in header)
    try:
        with transaction.atomic(), path.open("rb") as data:
            # Only quoted names are interpolated; the data is streamed.
            cursor.cursor.copy_expert(
                f"COPY import_raw ({names}) FROM STDIN "
                "WITH (FORMAT csv, HEADER, ENCODING 'UTF8')",
                data,
            )
    except (DatabaseError, DriverError):  # the raw cursor's errors are unwrapped
        raise _Fallback from None
    cursor.execute("SELECT count(*) FROM import_raw")
    rows = int(cursor.fetchone()[0])
    lines, quoted = _scan(path)
    if rows != lines - 1:
        raise _Fallback  # a quoted line break or a blank line: lines differ
    if quoted:
        # COPY opens a quoted part at a quote anywhere in a field, Python's
        # csv only at the field's start: "ab"c" reads differently.
        raise _Fallback
    return rows


def _scan(path: Path) -> tuple[int, bool]:
    """The file's physical lines, and whether it has a double quote."""
    lines, last, quoted = 0, b"", False
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
            quoted = quoted or b'"' in chunk
            last = chunk[-1:]
    return lines + (1 if last not in (b"", b"\n") else 0), quoted


def _recheck(cursor: Any, report: ImportReport) -> None:
    """The rows the SQL checks left out, through the Python checks."""
    units = UnitLookup()
    procedures = procedure_codes()
    columns = ", ".join(f"r.{sql_name(c)}" for c in DOSSIER_COLUMNS)
    cursor.execute(
        f"SELECT r.line + 1, {columns} FROM import_raw r "  # noqa: S608
        "WHERE NOT EXISTS (SELECT FROM import_typed t WHERE t.line = r.line + 1) "
        "ORDER BY r.line"
    )
    valid: list[DossierRow] = []
    for line, *raw in cursor.fetchall():
        values = {
            c: (v or "").strip() for c, v in zip(DOSSIER_COLUMNS, raw, strict=True)
        }
        try:
            valid.append(
                parse_dossier_row(line, values, units=units, procedures=procedures)
            )
        except BadValue as bad:
            report.errors.append(RowError(line, bad.message, bad.params))
    cursor.executemany(
        "INSERT INTO import_typed VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            (
                r.line,
                r.code,
                r.procedure_id,
                r.receiving_unit_id,
                r.admin_unit_id,
                r.channel,
                r.status,
                r.submitted_at,
                r.received_at,
                r.due_at,
                r.completed_at,
                r.returned_at,
                r.result_digitized,
                r.fee_vnd,
                r.paid_online,
                r.rating,
            )
            for r in valid
        ],
    )


def _duplicates(cursor: Any, report: ImportReport) -> None:
    """A code already on an earlier valid row: an error naming that row."""
    cursor.execute(
        "SELECT line, code, first FROM (SELECT line, code, "
        "min(line) OVER (PARTITION BY code) AS first FROM import_typed) d "
        "WHERE line > first"
    )
    duplicates = cursor.fetchall()
    if not duplicates:
        return
    report.errors.extend(
        RowError(line, DUPLICATE, {"code": code, "first": first})
        for line, code, first in duplicates
    )
    report.errors.sort(key=lambda error: error.line)
    cursor.execute(
        "DELETE FROM import_typed WHERE line = ANY(%s)",
        [[line for line, _code, _first in duplicates]],
    )


def _applicants(cursor: Any) -> None:
    """One placeholder applicant per receiving unit (created if missing), in
    the order the units first appear, as the Python path creates them."""
    cursor.execute(
        "SELECT receiving_unit_id FROM import_new GROUP BY receiving_unit_id "
        "ORDER BY min(line)"
    )
    units = [unit for (unit,) in cursor.fetchall()]
    pairs = [(unit, import_applicant(unit)) for unit in units]
    cursor.execute(
        "CREATE TEMP TABLE import_applicant (unit bigint PRIMARY KEY, "
        "applicant bigint) ON COMMIT DROP"
    )
    cursor.executemany("INSERT INTO import_applicant VALUES (%s, %s)", pairs)


def _write(cursor: Any, source: str, now: datetime.datetime) -> None:
    from dossiers.models import Dossier, Event
    from dossiers.models import Rating as RatingModel

    from ..models import DossierFacts, StatBucket, UnitBucket

    dossiers = sql_name(Dossier._meta.db_table)
    cursor.execute(
        f"""
INSERT INTO {dossiers} (
  id, code, procedure_id, applicant_id, assisted_by_id, channel, receiving_unit_id,
  processing_unit_id, competent_unit_id, admin_unit_id, part_of_id, awaits_officer,
  assignee_id, status, data, phone_last4,
  submitted_at, received_at, due_at, due_steps, clock_started_at, supplement_count,
  supplement_requested_at, apologized, completed_at, returned_at, return_method,
  fee_vnd, idempotency_key, idempotency_fingerprint, result_in_scope,
  result_digitized, paid_online, created_at, updated_at)
SELECT n.id, n.code, n.procedure_id, a.applicant, NULL, n.channel,
  n.receiving_unit_id, NULL, n.receiving_unit_id, n.admin_unit_id, NULL, true,
  NULL, n.status, '{{}}', '',
  n.submitted_at, n.received_at, n.due_at, '[]', n.received_at, 0,
  NULL, false, n.completed_at, n.returned_at, '',
  n.fee_vnd, '', '', n.result_digitized IS NOT NULL, n.result_digitized IS true,
  n.paid_online, %(now)s, %(now)s
FROM import_new n JOIN import_applicant a ON a.unit = n.receiving_unit_id
""",  # noqa: S608 - table names only
        {"now": now},
    )
    cursor.execute(
        f"""
INSERT INTO {sql_name(Event._meta.db_table)} (
  dossier_id, action, actor_id, actor_unit_id, origin, at, from_status, to_status,
  note, public, details)
SELECT id, 'import', NULL, NULL, 'import', %(now)s, '', status, '', false,
  jsonb_build_object('source', %(source)s::text, 'line', line)
FROM import_new
""",  # noqa: S608
        {"now": now, "source": source},
    )
    cursor.execute(
        f"""
INSERT INTO {sql_name(RatingModel._meta.db_table)} (
  dossier_id, scores, overall, comment, rated_at)
SELECT id, '{{}}', rating, '', %(now)s FROM import_new
WHERE rating <> ''
""",  # noqa: S608
        {"now": now},
    )
    cursor.execute(
        f"""
INSERT INTO {sql_name(DossierFacts._meta.db_table)} (
  dossier_id, receiving_unit_id, procedure_id, channel, received_on, assisted,
  fee, paid_online, completed_on, timeliness, result_in_scope, result_digitized,
  rating, open_to, overdue_from, overdue_to)
SELECT id, receiving_unit_id, procedure_id, channel, received_on, false,
  fee, fee AND paid_online IS true, completed_on, timeliness, in_scope, digitized,
  rating_fact, open_to, overdue_from, overdue_to
FROM import_new
"""  # noqa: S608
    )
    cursor.execute(buckets_sql())
    keys = ["grain", "start", "receiving_unit_id", "channel"]
    # The all-procedures rows first, as buckets_apply: a transaction that waits
    # for a unit's row holds none of its procedures' rows (no deadlock).
    cursor.execute(
        upsert_sql(
            sql_name(UnitBucket._meta.db_table), keys, "import_delta", grouped=False
        )
    )
    cursor.execute(
        upsert_sql(
            sql_name(StatBucket._meta.db_table),
            [*keys[:3], "procedure_id", "channel"],
            "import_delta",
            grouped=True,
        )
    )


def _filled_tables() -> list[str]:
    from dossiers.models import Dossier, Event
    from dossiers.models import Rating as RatingModel

    from ..models import DossierFacts, StatBucket, UnitBucket

    models = (Dossier, Event, RatingModel, DossierFacts, StatBucket, UnitBucket)
    return [m._meta.db_table for m in models]


# The tables whose plain indexes --rebuild-indexes builds again after the rows
# (random insertions into each of them; the others' new entries come in order).
REBUILT = ("dossiers_dossier", "dashboards_dossierfacts")


def set_aside(cursor: Any) -> list[str]:
    """--rebuild-indexes: drop the plain indexes (those behind no constraint) of
    REBUILT and the foreign keys of every table the import fills; return the
    statements that put each back, under the same name and definition.

    Dropping them takes an ACCESS EXCLUSIVE lock on those tables and on the
    tables their keys refer to (users, units, procedures) until the commit.
    Adding a key back checks every row once by a join, instead of once per new
    row and key at the commit; building an index from the sorted rows is
    cheaper than a million random insertions into it."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = ANY(%s::regclass[]) "
        "AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.oid) "
        "ORDER BY i.relname",
        [list(REBUILT)],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' "
        "AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
        [_filled_tables()],
    )
    keys = cursor.fetchall()
    # A table with checks still pending cannot be altered (the placeholder
    # applicants' keys, a caller's rows): run them now, then put every
    # deferrable constraint back in its initial mode.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        "SELECT format('%%I.%%I', n.nspname, c.conname) FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE c.condeferrable AND NOT c.condeferred"
    )
    immediate = [str(name) for (name,) in cursor.fetchall()]
    if immediate:
        cursor.execute(f"SET CONSTRAINTS {', '.join(immediate)} IMMEDIATE")
    for table, name, _definition in keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {sql_name(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {sql_name(name)}")
    # Index builds sort in memory (this transaction only).
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    return [str(definition) for _name, definition in indexes] + [
        f"ALTER TABLE {table} ADD CONSTRAINT {sql_name(name)} {definition}"
        for table, name, definition in keys
    ]


def staged_import(
    *,
    path: Path,
    header: list[str],
    skip_invalid: bool,
    now: datetime.datetime,
    rebuild_indexes: bool = False,
) -> ImportReport | None:
    """Import the file on PostgreSQL, or None (nothing saved) when COPY does not
    read it as Python's csv module does; same report and errors as the Python
    path. With `rebuild_indexes`, see `set_aside`."""
    from dossiers.models import Dossier

    report = ImportReport()
    zone = {"zone": settings.TIME_ZONE}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(DROP)  # left by an earlier run in the same transaction
            # Sorts and hashes of a million rows in memory (this transaction only).
            cursor.execute("SET LOCAL work_mem = '512MB'")
            report.rows = _copy(cursor, path, header)
            cursor.execute("ANALYZE import_raw")
            _lookups(cursor)
            cursor.execute(TYPED)
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute(typed_sql(), zone)
            cursor.execute("RESET enable_nestloop")
            _recheck(cursor, report)
            _duplicates(cursor, report)
            if report.errors and not skip_invalid:
                raise ImportRefused(
                    both_languages(REFUSED, count=report.error_count), report
                )
            cursor.execute(new_sql(sql_name(Dossier._meta.db_table)), zone)
            cursor.execute("SELECT count(*) FROM import_new")
            report.created = int(cursor.fetchone()[0])
            cursor.execute("SELECT count(*) FROM import_typed")
            report.already_present = int(cursor.fetchone()[0]) - report.created
            _applicants(cursor)
            put_back = set_aside(cursor) if rebuild_indexes and report.created else []
            _write(cursor, os.path.basename(path), now)
            for statement in put_back:
                cursor.execute(statement)
            cursor.execute(DROP)
    except _Fallback:
        return None
    return report

"""import_dossiers: historical dossiers in bulk (format in docs/dashboards.md).

A row is read and checked in rows.py; this module writes the valid ones in
batches, with their events, ratings, facts and counts, or hands the file to the
PostgreSQL path (staged.py)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, Event, Origin, Rating

from ..bulk import insert_rows, reserve_ids
from ..metrics import facts_compute
from ..services import buckets_apply, deltas_new, facts_bulk_insert
from .common import (
    BadValue,
    ImportRefused,
    ImportReport,
    RowError,
    UnitLookup,
    both_languages,
    count_lines,
    csv_rows,
    open_csv,
)
from .rows import (
    DOSSIER_COLUMNS,
    DossierRow,
    import_applicant,
    parse_dossier_row,
    procedure_codes,
)

# Every column of a dossier, in the order `_dossier_values` gives them.
DOSSIER_INSERT_COLUMNS = (
    "id",
    "code",
    "procedure_id",
    "applicant_id",
    "assisted_by_id",
    "channel",
    "receiving_unit_id",
    "processing_unit_id",
    "competent_unit_id",
    "admin_unit_id",
    "anywhere_in_province",
    "part_of_id",
    "awaits_officer",
    "assignee_id",
    "status",
    "data",
    "phone_last4",
    "submitted_at",
    "received_at",
    "due_at",
    "due_steps",
    "clock_started_at",
    "supplement_count",
    "supplement_requested_at",
    "apologized",
    "completed_at",
    "returned_at",
    "return_method",
    "fee_vnd",
    "idempotency_key",
    "idempotency_fingerprint",
    "result_in_scope",
    "result_digitized",
    "paid_online",
    "no_appointment_same_day",
    "writing_help",
    "send_back_count",
    "created_at",
    "updated_at",
)
EVENT_INSERT_COLUMNS = (
    "dossier_id",
    "action",
    "actor_id",
    "actor_unit_id",
    "origin",
    "at",
    "from_status",
    "to_status",
    "note",
    "public",
    "details",
)
RATING_INSERT_COLUMNS = ("dossier_id", "scores", "overall", "comment", "rated_at")


def _dossier_values(
    row: DossierRow, pk: int | None, applicant_id: int, now: datetime.datetime
) -> tuple[Any, ...]:
    return (
        pk,
        row.code,
        row.procedure_id,
        applicant_id,
        row.assisted_by_id,
        row.channel,
        row.receiving_unit_id,
        None,
        # The unit that received an imported dossier decided it (decision 196).
        row.receiving_unit_id,
        row.admin_unit_id,
        False,
        None,
        True,
        None,
        row.status,
        {},
        "",
        row.submitted_at,
        row.received_at,
        row.due_at,
        [],
        row.received_at,
        0,
        None,
        False,
        row.completed_at,
        row.returned_at,
        "",
        row.fee_vnd,
        "",
        "",
        row.result_digitized is not None,
        bool(row.result_digitized),
        row.paid_online,
        # The old systems knew no "no writing, no appointment" day (issue 22),
        # nor the leader's send-backs (issue 18).
        False,
        False,
        0,
        now,
        now,
    )


def _facts(row: DossierRow) -> Any:
    return facts_compute(
        receiving_unit_id=row.receiving_unit_id,
        procedure_id=row.procedure_id,
        channel=row.channel,
        status=row.status,
        received_at=row.received_at,
        due_at=row.due_at,
        completed_at=row.completed_at,
        assisted=row.assisted_by_id is not None,
        fee_vnd=row.fee_vnd,
        paid_online=row.paid_online,
        result_in_scope=row.result_digitized is not None,
        result_digitized=bool(row.result_digitized),
        rating=row.rating,
    )


def dossiers_insert(
    rows: list[DossierRow],
    *,
    deltas: Any,
    applicants: dict[int, int],
    source: str,
    now: datetime.datetime,
    applicant_for: Callable[[int], int] = import_applicant,
    action: str = "import",
) -> int:
    """Bulk-insert checked rows whose code is new, with one `import` event each,
    their ratings and their facts; their counts are added to `deltas`."""
    if not rows:
        return 0
    present = set(
        Dossier.objects.filter(code__in=[r.code for r in rows]).values_list(
            "code", flat=True
        )
    )
    rows = [r for r in rows if r.code not in present]
    for row in rows:
        if row.receiving_unit_id not in applicants:
            applicants[row.receiving_unit_id] = applicant_for(row.receiving_unit_id)
    ids = reserve_ids(Dossier, len(rows))
    columns = DOSSIER_INSERT_COLUMNS if ids else DOSSIER_INSERT_COLUMNS[1:]
    values = [
        _dossier_values(
            r, ids[i] if ids else None, applicants[r.receiving_unit_id], now
        )
        for i, r in enumerate(rows)
    ]
    if not ids:
        values = [v[1:] for v in values]
    pks = insert_rows(Dossier, columns, values)
    insert_rows(
        Event,
        EVENT_INSERT_COLUMNS,
        [
            (
                pk,
                action,
                None,
                None,
                Origin.IMPORT,
                now,
                "",
                r.status,
                "",
                False,
                {"source": source, "line": r.line},
            )
            for pk, r in zip(pks, rows, strict=True)
        ],
    )
    insert_rows(
        Rating,
        RATING_INSERT_COLUMNS,
        [
            (pk, {}, r.rating, "", now)
            for pk, r in zip(pks, rows, strict=True)
            if r.rating
        ],
    )
    facts_bulk_insert(
        ((pk, _facts(r)) for pk, r in zip(pks, rows, strict=True)),
        deltas=deltas,
    )
    return len(rows)


Progress = Callable[[int, int], None]


def _insert(
    batch: list[DossierRow],
    report: ImportReport,
    deltas: Any,
    applicants: dict[int, int],
    source: str,
    now: datetime.datetime,
) -> None:
    created = dossiers_insert(
        batch, deltas=deltas, applicants=applicants, source=source, now=now
    )
    report.created += created
    report.already_present += len(batch) - created


def dossiers_import(
    *,
    path: Path,
    skip_invalid: bool = False,
    batch_size: int = 2000,
    progress: Progress | None = None,
    staging: bool = True,
    rebuild_indexes: bool = False,
) -> ImportReport:
    """Import a CSV of historical dossiers (docs/dashboards.md).

    Idempotent by code: a dossier whose code exists is left as it is. Any bad
    row refuses the whole file (ImportRefused, nothing saved) unless
    `skip_invalid`, which imports the good rows and reports the bad ones.

    On PostgreSQL the file goes through a staging table (`staged.py`), with
    the same checks, messages and results; this Python path is the fallback
    there and the only path elsewhere (SQLite); `staging=False` forces it.
    `rebuild_indexes` (PostgreSQL's staging path only) locks the tables the
    import fills and those they refer to, and builds their indexes and checks
    their keys once after the rows (staged.set_aside).
    """
    handle, reader = open_csv(path, DOSSIER_COLUMNS)
    if staging and connection.vendor == "postgresql":
        from .staged import staged_import

        handle.close()
        staged = staged_import(
            path=path,
            header=list(reader.fieldnames or []),
            skip_invalid=skip_invalid,
            now=timezone.now(),
            rebuild_indexes=rebuild_indexes,
        )
        if staged is not None:
            if progress:
                progress(staged.rows, staged.rows)
            return staged
        handle, reader = open_csv(path, DOSSIER_COLUMNS)
    total = count_lines(path) if progress else 0
    report = ImportReport()
    units = UnitLookup()
    procedures = procedure_codes()
    seen: dict[str, int] = {}
    applicants: dict[int, int] = {}
    deltas = deltas_new()
    now = timezone.now()
    source = os.path.basename(path)
    batch: list[DossierRow] = []
    try:
        with transaction.atomic():
            for line, values in csv_rows(reader):
                report.rows += 1
                try:
                    row = parse_dossier_row(
                        line, values, units=units, procedures=procedures
                    )
                    if row.code in seen:
                        raise BadValue(
                            _("Mã hồ sơ “%(code)s” đã có ở dòng %(first)s."),
                            code=row.code,
                            first=seen[row.code],
                        )
                    seen[row.code] = line
                except BadValue as bad:
                    report.errors.append(RowError(line, bad.message, bad.params))
                    continue
                if report.errors and not skip_invalid:
                    continue  # keep checking, save nothing more
                batch.append(row)
                if len(batch) >= batch_size:
                    _insert(batch, report, deltas, applicants, source, now)
                    batch = []
                if progress and report.rows % 1000 == 0:
                    progress(report.rows, total)
            if report.errors and not skip_invalid:
                raise ImportRefused(
                    both_languages(
                        _(
                            "Tệp có %(count)s dòng lỗi nên không nhập dòng nào "
                            "(dùng --skip-invalid để bỏ qua các dòng lỗi)."
                        ),
                        count=report.error_count,
                    ),
                    report,
                )
            _insert(batch, report, deltas, applicants, source, now)
            buckets_apply(deltas)
    finally:
        handle.close()
    if progress:
        progress(report.rows, total)
    return report

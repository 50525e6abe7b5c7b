"""import_dossiers: historical dossiers in bulk (format in docs/dashboards.md)."""

from __future__ import annotations

import datetime
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.models import Channel, Dossier, Event, Rating, Status
from procedures.models import Procedure
from units.models import OrgUnit

from ..bulk import insert_rows, reserve_ids
from ..metrics import facts_compute
from ..services import buckets_apply, deltas_new, facts_bulk_insert
from .common import (
    IMPORT_USERNAME_PREFIX,
    ZONE,
    ImportRefused,
    ImportReport,
    RowError,
    UnitLookup,
    _Bad,
    _flag,
    _moment,
    _open_csv,
    _rows,
    _whole,
    both_languages,
    count_lines,
)

DOSSIER_COLUMNS = (
    "code",
    "procedure_code",
    "unit_code",
    "channel",
    "submitted_at",
    "received_at",
    "due_at",
    "completed_at",
    "returned_at",
    "status",
    "result_digitized",
    "fee_vnd",
    "paid_online",
    "rating",
)
IMPORT_STATUSES = (
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.SUPPLEMENT_REQUESTED,
    Status.AWAITING_PAYMENT,
    Status.PROCESSING,
    Status.RESULT_READY,
    Status.RETURNED,
    Status.REFUSED,
    Status.WITHDRAWN,
    Status.STOPPED,
)
OPEN = {
    Status.RECEIVED,
    Status.SUPPLEMENT_REQUESTED,
    Status.AWAITING_PAYMENT,
    Status.PROCESSING,
}

# --- Dossier rows -------------------------------------------------------------------


@dataclass(frozen=True)
class DossierRow:
    line: int
    code: str
    procedure_id: int
    receiving_unit_id: int
    admin_unit_id: int
    channel: str
    status: str
    submitted_at: datetime.datetime
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    result_digitized: bool | None
    fee_vnd: int | None
    paid_online: bool | None
    rating: str
    # Not in the import format; set by seed_demo for counter-assisted filings.
    assisted_by_id: int | None = None


def _check_order(row: dict[str, datetime.datetime | None]) -> None:
    order = ["submitted_at", "received_at", "completed_at", "returned_at"]
    present = [(name, row[name]) for name in order if row[name] is not None]
    for (first, a), (second, b) in itertools.pairwise(present):
        if a is not None and b is not None and b < a:
            raise _Bad(
                _("%(second)s không được trước %(first)s."), first=first, second=second
            )
    due, received = row["due_at"], row["received_at"]
    if due is not None and received is not None and due < received:
        raise _Bad(_("due_at không được trước received_at."))


def _check_status(status: str, t: dict[str, datetime.datetime | None]) -> None:
    def need(*names: str) -> None:
        for name in names:
            if t[name] is None:
                raise _Bad(
                    _("Hồ sơ trạng thái %(status)s phải có %(column)s."),
                    status=status,
                    column=name,
                )

    def empty(*names: str) -> None:
        for name in names:
            if t[name] is not None:
                raise _Bad(
                    _("Hồ sơ trạng thái %(status)s không được có %(column)s."),
                    status=status,
                    column=name,
                )

    if status == Status.SUBMITTED:
        empty("received_at", "completed_at", "returned_at")
    elif status in OPEN:
        need("received_at")
        empty("completed_at", "returned_at")
    elif status == Status.RESULT_READY:
        need("received_at", "completed_at")
        empty("returned_at")
    elif status == Status.RETURNED:
        need("received_at", "completed_at", "returned_at")
    elif status == Status.STOPPED:
        need("received_at", "completed_at")
    elif status == Status.REFUSED:
        need("completed_at")
    elif status == Status.WITHDRAWN:
        empty("completed_at", "returned_at")
    if t["received_at"] is not None:
        need("due_at")


def parse_dossier_row(
    line: int,
    values: dict[str, str],
    *,
    units: UnitLookup,
    procedures: dict[str, int],
) -> DossierRow:
    """A checked row, or _Bad with the first reason it is not valid."""
    if "__extra__" in values:
        raise _Bad(_("Dòng có nhiều giá trị hơn số cột."))
    code = values["code"]
    if not code or len(code) > 32 or re.search(r"\s", code):
        raise _Bad(_("code phải có từ 1 đến 32 ký tự, không có khoảng trắng."))
    procedure_id = procedures.get(values["procedure_code"])
    if procedure_id is None:
        raise _Bad(
            _("Không có thủ tục mang mã “%(code)s”."), code=values["procedure_code"]
        )
    channel = values["channel"]
    if channel not in Channel.values:
        raise _Bad(
            _("channel phải là online, counter hoặc post, không phải “%(value)s”."),
            value=channel,
        )
    status = values["status"]
    if status not in IMPORT_STATUSES:
        raise _Bad(
            _("status “%(value)s” không hợp lệ; dùng một trong: %(values)s."),
            value=status,
            values=", ".join(IMPORT_STATUSES),
        )
    times = {
        name: _moment(values[name], name)
        for name in ("submitted_at", "received_at", "due_at", "completed_at")
    }
    times["returned_at"] = _moment(values["returned_at"], "returned_at")
    submitted_at = times["submitted_at"]
    if submitted_at is None:
        raise _Bad(_("Thiếu submitted_at."))
    _check_order(times)
    _check_status(status, times)
    digitized = _flag(values["result_digitized"], "result_digitized")
    if digitized and status not in {Status.RESULT_READY, Status.RETURNED}:
        raise _Bad(
            _(
                "result_digitized = true chỉ dùng cho hồ sơ đã có kết quả "
                "(result_ready, returned)."
            )
        )
    fee_vnd = _whole(values["fee_vnd"], "fee_vnd")
    paid_online = _flag(values["paid_online"], "paid_online")
    if paid_online and not fee_vnd:
        raise _Bad(_("paid_online = true nhưng hồ sơ không có phí (fee_vnd)."))
    rating = values["rating"]
    if rating and rating not in Rating.Overall.values:
        raise _Bad(
            _(
                "rating phải là very_satisfied, satisfied, dissatisfied hoặc để "
                "trống, không phải “%(value)s”."
            ),
            value=rating,
        )
    if rating and status != Status.RETURNED:
        raise _Bad(_("Chỉ hồ sơ đã trả kết quả (returned) mới có rating."))
    day = timezone.localtime(submitted_at, ZONE).date()
    receiving_unit_id, admin_unit_id = units.receiving_unit(values["unit_code"], day)
    return DossierRow(
        line=line,
        code=code,
        procedure_id=procedure_id,
        receiving_unit_id=receiving_unit_id,
        admin_unit_id=admin_unit_id,
        channel=channel,
        status=status,
        submitted_at=submitted_at,
        received_at=times["received_at"],
        due_at=times["due_at"],
        completed_at=times["completed_at"],
        returned_at=times["returned_at"],
        result_digitized=digitized,
        fee_vnd=fee_vnd,
        paid_online=paid_online,
        rating=rating,
    )


def procedure_codes() -> dict[str, int]:
    """Procedure code (or key, for entries without a national code) → id."""
    rows = list(Procedure.objects.values_list("pk", "code", "key"))
    codes = {key: pk for pk, _code, key in rows}
    codes.update({code: pk for pk, code, _key in rows if code})
    return codes


def import_applicant(
    org_unit_id: int,
    *,
    prefix: str = IMPORT_USERNAME_PREFIX,
    label: Promise | None = None,
) -> int:
    """The placeholder applicant of dossiers imported for a unit.

    The old systems' files carry no applicant: each receiving unit gets one
    inactive account, plainly named as imported data, that cannot log in and
    is no real person.
    """
    unit = OrgUnit.objects.get(pk=org_unit_id)
    username = f"{prefix}{unit.agency_code}"
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        text = label or _("Dữ liệu nhập từ hệ thống cũ – %(unit)s")
        with translation.override("vi"):
            name = str(text) % {"unit": unit.name}
        user = user_model(username=username, full_name=name[:150], is_active=False)
        user.set_unusable_password()
        user.save()
    return int(user.pk)


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
    "admin_unit_id",
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
    "created_at",
    "updated_at",
)
EVENT_INSERT_COLUMNS = (
    "dossier_id",
    "action",
    "actor_id",
    "actor_unit_id",
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
        row.admin_unit_id,
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
) -> ImportReport:
    """Import a CSV of historical dossiers (docs/dashboards.md).

    Idempotent by code: a dossier whose code exists is left as it is. Any bad
    row refuses the whole file (ImportRefused, nothing saved) unless
    `skip_invalid`, which imports the good rows and reports the bad ones.

    On PostgreSQL the file goes through a staging table (`staged.py`), with
    the same checks, messages and results; this Python path is the fallback
    there and the only path elsewhere (SQLite); `staging=False` forces it.
    """
    handle, reader = _open_csv(path, DOSSIER_COLUMNS)
    if staging and connection.vendor == "postgresql":
        from .staged import staged_import

        handle.close()
        staged = staged_import(
            path=path,
            header=list(reader.fieldnames or []),
            skip_invalid=skip_invalid,
            now=timezone.now(),
        )
        if staged is not None:
            if progress:
                progress(staged.rows, staged.rows)
            return staged
        handle, reader = _open_csv(path, DOSSIER_COLUMNS)
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
            for line, values in _rows(reader):
                report.rows += 1
                try:
                    row = parse_dossier_row(
                        line, values, units=units, procedures=procedures
                    )
                    if row.code in seen:
                        raise _Bad(
                            _("Mã hồ sơ “%(code)s” đã có ở dòng %(first)s."),
                            code=row.code,
                            first=seen[row.code],
                        )
                    seen[row.code] = line
                except _Bad as bad:
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

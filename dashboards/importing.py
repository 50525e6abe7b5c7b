"""Import of historical dossiers and of units' e-ID figures from CSV files.

The formats, rules and the choices behind them (placeholder applicants, how a
unit code is matched) are in docs/dashboards.md. A file is read once: valid rows
are inserted in batches inside one transaction, every row is checked, and a
file with any bad row is rolled back whole unless bad rows are to be skipped.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.models import Channel, Dossier, Event, Rating, Status
from procedures.models import Procedure
from units.models import AGENCY_CODE_PATTERN, AdminUnit, AgencyType, OrgUnit

from .bulk import insert_rows, reserve_ids
from .metrics import facts_compute
from .models import UnitStat
from .services import buckets_apply, deltas_new, facts_bulk_insert

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
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
UNIT_STAT_COLUMNS = ("unit_code", "as_of", "eid_activated", "eid_population")
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
COMMITTEES = (
    AgencyType.COMMUNE_COMMITTEE,
    AgencyType.DISTRICT_COMMITTEE,
    AgencyType.PROVINCE_COMMITTEE,
)
IMPORT_USERNAME_PREFIX = "nhap-lich-su."
MAX_LISTED_ERRORS = 100


def _in(language: str, message: Promise | str, params: dict[str, Any]) -> str:
    with translation.override(language):
        return str(message) % params if params else str(message)


def both_languages(message: Promise | str, **params: Any) -> str:
    """`message` in Vietnamese, then in English: "… / …"."""
    vi, en = _in("vi", message, params), _in("en", message, params)
    return vi if vi == en else f"{vi} / {en}"


@dataclass(frozen=True)
class RowError:
    line: int
    message: Promise | str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        prefix = _("Dòng %(line)s: ")
        vi = _in("vi", prefix, {"line": self.line}) + _in(
            "vi", self.message, self.params
        )
        en = _in("en", prefix, {"line": self.line}) + _in(
            "en", self.message, self.params
        )
        return vi if vi == en else f"{vi} / {en}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    already_present: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.errors)


class ImportRefused(Exception):
    """The file cannot be imported; nothing was saved."""

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.message = message
        self.report = report or ImportReport()


class _Bad(Exception):
    def __init__(self, message: Promise | str, **params: Any):
        super().__init__(message)
        self.message = message
        self.params = params


def _open_csv(path: Path, columns: tuple[str, ...]) -> tuple[Any, csv.DictReader[str]]:
    if not path.is_file():
        raise ImportRefused(
            both_languages(_("Không tìm thấy tệp %(path)s."), path=path)
        )
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.DictReader(handle)
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except UnicodeDecodeError:
        handle.close()
        raise ImportRefused(both_languages(_("Tệp phải được mã hóa UTF-8."))) from None
    if sorted(header) != sorted(columns) or len(header) != len(set(header)):
        handle.close()
        raise ImportRefused(
            both_languages(
                _(
                    "Dòng tiêu đề phải có đúng các cột: %(expected)s. "
                    "Tệp có: %(found)s."
                ),
                expected=", ".join(columns),
                found=", ".join(header) or "-",
            )
        )
    reader.fieldnames = header
    return handle, reader


def _rows(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, stripped values); a decoding error is a row error."""
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        values = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            values["__extra__"] = "x"
        yield reader.line_num, values


def count_lines(path: Path) -> int:
    """Data lines in the file (for the progress bar)."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


# --- Values -------------------------------------------------------------------------


def _moment(value: str, column: str) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(
            _(
                "%(column)s “%(value)s” không phải thời điểm ISO 8601 "
                "(ví dụ 2023-03-01T09:30 hoặc 2023-03-01 09:30:00+07:00)."
            ),
            column=column,
            value=value,
        ) from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZONE)
    return moment


def _flag(value: str, column: str) -> bool | None:
    lowered = value.lower()
    if lowered == "":
        return None
    if lowered in {"true", "false"}:
        return lowered == "true"
    raise _Bad(
        _("%(column)s phải là true, false hoặc để trống, không phải “%(value)s”."),
        column=column,
        value=value,
    )


def _whole(value: str, column: str) -> int | None:
    if value == "":
        return None
    if not re.fullmatch(r"[0-9]{1,15}", value):
        raise _Bad(
            _(
                "%(column)s phải là số nguyên không âm, không có dấu phân cách "
                "(ví dụ 25000), không phải “%(value)s”."
            ),
            column=column,
            value=value,
        )
    return int(value)


# --- Units ----------------------------------------------------------------------------


class UnitLookup:
    """Unit codes to units: an agency identifier, or an administrative unit code
    valid on the given day (read once per import)."""

    def __init__(self) -> None:
        self.agencies: dict[str, tuple[int, int]] = {
            code: (pk, admin)
            for pk, code, admin in OrgUnit.objects.values_list(
                "pk", "agency_code", "admin_unit_id"
            )
        }
        committees: dict[int, int] = {}
        for pk, admin in (
            OrgUnit.objects.filter(agency_type__in=COMMITTEES)
            .order_by("-is_active", "pk")
            .values_list("pk", "admin_unit_id")
        ):
            committees.setdefault(admin, pk)
        self.committees = committees
        self.versions: dict[
            str, list[tuple[datetime.date | None, datetime.date | None, int]]
        ] = {}
        for pk, code, start, end in AdminUnit.objects.values_list(
            "pk", "code", "valid_from", "valid_to"
        ):
            self.versions.setdefault(code, []).append((start, end, pk))

    def admin_unit(self, code: str, day: datetime.date) -> int:
        versions = self.versions.get(code)
        if not versions:
            raise _Bad(
                _("Không có cơ quan hay đơn vị hành chính mang mã “%(code)s”."),
                code=code,
            )
        for start, end, pk in versions:
            if (start is None or start <= day) and (end is None or end >= day):
                return pk
        raise _Bad(
            _("Đơn vị hành chính “%(code)s” không còn hiệu lực vào ngày %(day)s."),
            code=code,
            day=day.isoformat(),
        )

    def receiving_unit(self, code: str, day: datetime.date) -> tuple[int, int]:
        """(organisation unit, its administrative unit) for a dossier code."""
        if re.fullmatch(AGENCY_CODE_PATTERN, code):
            found = self.agencies.get(code)
            if found is None:
                raise _Bad(
                    _("Không có cơ quan mang mã định danh “%(code)s”."), code=code
                )
            return found
        admin = self.admin_unit(code, day)
        committee = self.committees.get(admin)
        if committee is None:
            raise _Bad(
                _(
                    "Đơn vị hành chính “%(code)s” chưa có Ủy ban nhân dân trong danh "
                    "sách cơ quan: hãy dùng mã định danh của cơ quan tiếp nhận."
                ),
                code=code,
            )
        return committee, admin


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
) -> ImportReport:
    """Import a CSV of historical dossiers (docs/dashboards.md).

    Idempotent by code: a dossier whose code exists is left as it is. Any bad
    row refuses the whole file (ImportRefused, nothing saved) unless
    `skip_invalid`, which imports the good rows and reports the bad ones.
    """
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


# --- Unit statistics ----------------------------------------------------------------


@transaction.atomic
def unit_stats_import(*, path: Path, skip_invalid: bool = False) -> ImportReport:
    """Import e-ID figures: one row per unit and date, updated when the same
    unit and date come again (so a second run changes nothing)."""
    handle, reader = _open_csv(path, UNIT_STAT_COLUMNS)
    units = UnitLookup()
    report = ImportReport()
    good: dict[tuple[int, datetime.date], tuple[int, int, int]] = {}
    try:
        for line, values in _rows(reader):
            report.rows += 1
            try:
                if "__extra__" in values:
                    raise _Bad(_("Dòng có nhiều giá trị hơn số cột."))
                try:
                    as_of = datetime.date.fromisoformat(values["as_of"])
                except ValueError:
                    raise _Bad(
                        _("as_of “%(value)s” phải là ngày dạng YYYY-MM-DD."),
                        value=values["as_of"],
                    ) from None
                code = values["unit_code"]
                if re.fullmatch(AGENCY_CODE_PATTERN, code):
                    admin = units.receiving_unit(code, as_of)[1]
                else:
                    admin = units.admin_unit(code, as_of)
                activated = _whole(values["eid_activated"], "eid_activated")
                population = _whole(values["eid_population"], "eid_population")
                if activated is None or population is None:
                    raise _Bad(_("Cần cả eid_activated và eid_population."))
                if activated > population:
                    raise _Bad(
                        _("eid_activated (%(a)s) lớn hơn eid_population (%(p)s)."),
                        a=activated,
                        p=population,
                    )
                if (admin, as_of) in good:
                    raise _Bad(
                        _("Đơn vị và ngày này đã có ở dòng %(first)s."),
                        first=good[(admin, as_of)][0],
                    )
                good[(admin, as_of)] = (line, activated, population)
            except _Bad as bad:
                report.errors.append(RowError(line, bad.message, bad.params))
    finally:
        handle.close()
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
    source = os.path.basename(path)
    existing = {
        (s.admin_unit_id, s.as_of): s
        for s in UnitStat.objects.filter(
            Q(admin_unit_id__in={a for a, _d in good})
            & Q(as_of__in={d for _a, d in good})
        )
    }
    for (admin, as_of), (_line, activated, population) in good.items():
        stat = existing.get((admin, as_of))
        if stat is None:
            UnitStat.objects.create(
                admin_unit_id=admin,
                as_of=as_of,
                eid_activated=activated,
                eid_population=population,
                source=source,
            )
            report.created += 1
        elif (stat.eid_activated, stat.eid_population) != (activated, population):
            stat.eid_activated, stat.eid_population = activated, population
            stat.source = source
            stat.save()
            report.created += 1
        else:
            report.already_present += 1
    return report

"""What both imports share: reading the CSV, bilingual row errors, values
and unit codes."""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from units.models import (
    AGENCY_CODE_PATTERN,
    NON_RECEIVING_KINDS,
    AdminUnit,
    AgencyType,
    OrgUnit,
    OrgUnitKind,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT_STAT_COLUMNS = ("unit_code", "as_of", "eid_activated", "eid_population")
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


class BadValue(Exception):
    def __init__(self, message: Promise | str, **params: Any):
        super().__init__(message)
        self.message = message
        self.params = params


def open_csv(path: Path, columns: tuple[str, ...]) -> tuple[Any, csv.DictReader[str]]:
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


def csv_rows(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str]]]:
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


def parse_moment(value: str, column: str) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise BadValue(
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


def parse_flag(value: str, column: str) -> bool | None:
    lowered = value.lower()
    if lowered == "":
        return None
    if lowered in {"true", "false"}:
        return lowered == "true"
    raise BadValue(
        _("%(column)s phải là true, false hoặc để trống, không phải “%(value)s”."),
        column=column,
        value=value,
    )


def parse_whole(value: str, column: str) -> int | None:
    if value == "":
        return None
    if not re.fullmatch(r"[0-9]{1,15}", value):
        raise BadValue(
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
        self.agencies: dict[str, tuple[int, int]] = {}
        # When each agency is in force (a dossier is received by a unit in
        # force on its day: the district's units until 2025-06-30, today's
        # centres from 2025-07-01).
        self.agency_dates: dict[
            str, tuple[datetime.date | None, datetime.date | None]
        ] = {}
        for pk, code, admin, start, end in OrgUnit.objects.values_list(
            "pk", "agency_code", "admin_unit_id", "valid_from", "valid_to"
        ):
            self.agencies[code] = (pk, admin)
            self.agency_dates[code] = (start, end)
        # The one-stop shop of an administrative unit: its centre (after the
        # reform, where the commune's offices share the committee's type), else
        # its people's committee; never an office or a reception point.
        committees: dict[int, int] = {}
        candidates = (
            OrgUnit.objects.filter(agency_type__in=COMMITTEES)
            .exclude(kind__in=[*NON_RECEIVING_KINDS, OrgUnitKind.RECEPTION_POINT])
            .values_list("pk", "admin_unit_id", "kind", "is_active")
        )
        centres = {OrgUnitKind.COMMUNE_CENTRE, OrgUnitKind.PROVINCE_CENTRE}
        for pk, admin, _kind, _active in sorted(
            candidates, key=lambda c: (c[2] not in centres, not c[3], c[0])
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
            raise BadValue(
                _("Không có cơ quan hay đơn vị hành chính mang mã “%(code)s”."),
                code=code,
            )
        for start, end, pk in versions:
            if (start is None or start <= day) and (end is None or end >= day):
                return pk
        raise BadValue(
            _("Đơn vị hành chính “%(code)s” không còn hiệu lực vào ngày %(day)s."),
            code=code,
            day=day.isoformat(),
        )

    def receiving_unit(
        self, code: str, day: datetime.date, *, in_force: bool = False
    ) -> tuple[int, int]:
        """(organisation unit, its administrative unit) for a dossier code;
        with `in_force`, an agency must be in force on `day`."""
        if re.fullmatch(AGENCY_CODE_PATTERN, code):
            found = self.agencies.get(code)
            if found is None:
                raise BadValue(
                    _("Không có cơ quan mang mã định danh “%(code)s”."), code=code
                )
            start, end = self.agency_dates[code]
            if in_force and not (
                (start is None or start <= day) and (end is None or end >= day)
            ):
                raise BadValue(
                    _(
                        "Cơ quan “%(code)s” không có hiệu lực vào ngày %(day)s: hồ "
                        "sơ được tiếp nhận tại cơ quan còn hiệu lực vào ngày nộp."
                    ),
                    code=code,
                    day=day.isoformat(),
                )
            return found
        admin = self.admin_unit(code, day)
        committee = self.committees.get(admin)
        if committee is None:
            raise BadValue(
                _(
                    "Đơn vị hành chính “%(code)s” chưa có Ủy ban nhân dân trong danh "
                    "sách cơ quan: hãy dùng mã định danh của cơ quan tiếp nhận."
                ),
                code=code,
            )
        return committee, admin

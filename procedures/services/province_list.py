"""A province's published list of procedures, by import (issue 22): CSV or
JSON rows of the national code, name, field, level, competent agency kind,
time limit, fees, papers and channels, dated (a procedure enters the list and
may leave it from a day).

Each row becomes a catalogue entry and the whole file goes through
`catalogue_import`: all or nothing, idempotent (a second import of the same
file changes nothing), never deleting a procedure. A row updates the procedure
with its national code (or key), keeping what the row does not speak of (its
form, the 53-service mark, the notes); a new code is a new procedure with the
generic form. Errors name the line of the file ("Dòng 7: ...").
docs/catalogue.md describes the columns.
"""

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from units.models import AgencyType

from ..catalogue_data import (
    DOCUMENT_DEFAULTS,
    FORMAT,
    PROCEDURE_DEFAULTS,
    REQUIRED,
    VERSION,
    date_from_json,
    with_defaults,
)
from ..models import AgencyLevel, Procedure
from ..schema import schema_generic
from ..selectors import procedure_to_data
from ..text import CODE_PATTERN, normalize
from .importing import CatalogueError, ImportReport, catalogue_import

COLUMNS = [
    "code",
    "key",
    "name",
    "name_en",
    "field",
    "level",
    "agency_type",
    "processing_days",
    "fee_counter_vnd",
    "fee_online_vnd",
    "papers",
    "channels",
    "counter_only_reason",
    "listed_from",
    "listed_until",
    "source",
]
REQUIRED_COLUMNS = {"code", "name", "field", "agency_type"}
SAME_DAY = "trong-ngay"
ONLINE, COUNTER, POST = "truc-tuyen", "truc-tiep", "buu-chinh"
CHANNELS = (ONLINE, COUNTER, POST)
LEVELS = {
    "xa": AgencyLevel.COMMUNE,
    "huyen": AgencyLevel.DISTRICT,
    "tinh": AgencyLevel.PROVINCE,
    "trung-uong": AgencyLevel.CENTRAL,
    **{level.value: level for level in AgencyLevel},
}
COUNTER_ONLY_DEFAULT = (
    "Theo danh mục của tỉnh, thủ tục này chỉ nhận trực tiếp. Mời ông/bà đến Bộ "
    "phận Một cửa trong giờ làm việc: không cần đặt lịch hẹn trước."
)
# Papers' names hold semicolons ("...; nộp trực tuyến thì ..."): "|" separates.
PAPERS_SEPARATOR = "|"


def _slug(text: str) -> str:
    """ "Đăng ký lại" → "dang-ky-lai" (đ → d, no diacritics)."""
    return slugify(normalize(text).replace(".", " "))


def _split(text: str, separators: str = PAPERS_SEPARATOR) -> list[str]:
    return [part.strip() for part in re.split(f"[{separators}]", text) if part.strip()]


def _rows(text: str, fmt: str) -> tuple[list[tuple[str, dict[str, str]]], list[str]]:
    """(where, row) pairs, with "Dòng N" for CSV (the header is line 1) and
    "Mục N" for JSON."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            return [], [
                _("Tệp JSON không đọc được (dòng %(line)d): %(error)s")
                % {"line": error.lineno, "error": error.msg}
            ]
        if isinstance(data, dict):
            data = data.get("procedures")
        if not isinstance(data, list):
            return [], [_("Tệp JSON cần một danh sách thủ tục.")]
        rows = []
        for number, item in enumerate(data, start=1):
            where = _("Mục %(number)d") % {"number": number}
            if not isinstance(item, dict):
                return [], [_("%(where)s: phải là một đối tượng.") % {"where": where}]
            rows.append(
                (
                    where,
                    {
                        str(k): f" {PAPERS_SEPARATOR} ".join(map(str, v))
                        if isinstance(v, list)
                        else ""
                        if v is None
                        else str(v).strip()
                        for k, v in item.items()
                    },
                )
            )
        return rows, []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        return [], [
            _("Dòng 1: thiếu cột %(columns)s.") % {"columns": ", ".join(missing)}
        ]
    unknown = sorted(set(header) - set(COLUMNS))
    if unknown:
        return [], [
            _("Dòng 1: cột không dùng được: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        ]
    reader.fieldnames = header
    rows = []
    for row in reader:
        where = _("Dòng %(line)d") % {"line": reader.line_num}
        if None in row:
            return [], [
                _("%(where)s: thừa cột so với dòng tiêu đề.") % {"where": where}
            ]
        rows.append((where, {k: (v or "").strip() for k, v in row.items()}))
    return rows, []


def _amount(value: str) -> int | None:
    if value == "":
        return None
    amount = int(value.replace(".", "").replace(",", ""))
    if amount < 0:
        raise ValueError(value)
    return amount


def _entry(
    row: dict[str, str], where: str, existing: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, list[str]]:
    """The catalogue entry a row describes (merged into the procedure's present
    entry), or the row's problems."""
    errors: list[str] = []

    def bad(message: str) -> None:
        errors.append(f"{where}: {message}")

    unknown = sorted(set(row) - set(COLUMNS))
    if unknown:
        bad(_("khóa không dùng được: %(keys)s.") % {"keys": ", ".join(unknown)})
    code = row.get("code", "")
    if code and not re.fullmatch(CODE_PATTERN, code):
        bad(_("mã thủ tục “%(code)s” không đúng dạng 1.001193.") % {"code": code})
    if not code and not row.get("key") and existing is None:
        bad(_("cần mã thủ tục hoặc khóa (cột key)."))
    for column in ("name", "field", "agency_type"):
        if not row.get(column) and existing is None:
            bad(_("thiếu “%(column)s”.") % {"column": column})
    entry: dict[str, Any] = (
        dict(existing)
        if existing is not None
        else {
            key: "" if value is REQUIRED else value
            for key, value in with_defaults({}, PROCEDURE_DEFAULTS).items()
        }
    )
    if existing is None:
        entry.update(
            code=code,
            key=row.get("key")
            or _slug(row.get("name", ""))[:66].strip("-")
            + (f"-{code.replace('.', '')}" if code else ""),
            verified="partial",
            submittable=True,
            documents=[],
        )
    elif row.get("key") and row["key"] != existing["key"]:
        bad(_("khóa “%(key)s” khác khóa của thủ tục có mã này.") % {"key": row["key"]})
    for column in ("name", "name_en", "source"):
        if row.get(column):
            entry[column] = row[column]
    if not entry.get("name_en") and entry.get("name"):
        entry["name_en"] = entry["name"]  # no translation given: shown as is
    if existing is None and not row.get("source"):
        entry["source"] = _("Danh mục thủ tục của tỉnh (nhập từ tệp)")
    if row.get("field"):
        entry["field"] = row["field"]
    if row.get("agency_type"):
        if row["agency_type"] not in AgencyType.values:
            bad(
                _("loại cơ quan “%(value)s” không có; dùng một trong: %(choices)s.")
                % {"value": row["agency_type"], "choices": ", ".join(AgencyType.values)}
            )
        entry["agency_type"] = row["agency_type"]
    if row.get("level"):
        level = LEVELS.get(_slug(row["level"]))
        if level is None:
            bad(
                _("cấp “%(value)s” không có; dùng xa, huyen, tinh hoặc trung-uong.")
                % {"value": row["level"]}
            )
        else:
            entry["agency_level"] = str(level)
    days = row.get("processing_days", "")
    if days:
        if _slug(days) == SAME_DAY:
            entry["same_day"], entry["processing_days"] = True, None
        else:
            try:
                number = Decimal(days.replace(",", "."))
                if number < 0:
                    raise InvalidOperation
            except InvalidOperation:
                bad(
                    _(
                        "thời hạn “%(value)s” phải là số ngày làm việc hoặc "
                        "“trong ngày”."
                    )
                    % {"value": days}
                )
            else:
                entry["same_day"] = False
                entry["processing_days"] = (
                    int(number)
                    if number == number.to_integral_value()
                    else float(number)
                )
    for column in ("fee_counter_vnd", "fee_online_vnd"):
        if column in row and (row[column] or existing is None):
            try:
                entry[column] = _amount(row[column])
            except ValueError:
                bad(
                    _("“%(column)s” phải là số tiền (đồng), ví dụ 10000.")
                    % {"column": column}
                )
    names = _split(row.get("papers", ""))
    if names and names != [doc["name"] for doc in entry["documents"]]:
        known = {doc["name"]: doc for doc in entry["documents"]}
        papers = [
            known.get(name)
            or with_defaults(
                {
                    "key": _slug(name)[:50].strip("-") or f"giay-to-{order}",
                    "name": name,
                    "name_en": name,
                },
                DOCUMENT_DEFAULTS,
            )
            for order, name in enumerate(names, start=1)
        ]
        generic = schema_generic(entry["documents"])
        if entry["form_schema"] in (None, generic):
            entry["form_schema"] = None  # the generic form follows the papers
        entry["documents"] = papers
    if row.get("channels"):
        channels = [_slug(part) for part in _split(row["channels"], ";,|")]
        wrong = [c for c in channels if c not in CHANNELS]
        if wrong:
            bad(
                _("kênh “%(value)s” không có; dùng truc-tuyen, truc-tiep, buu-chinh.")
                % {"value": ", ".join(wrong)}
            )
        elif ONLINE in channels:
            entry["counter_only_reason"] = entry["counter_only_reason_en"] = ""
        else:
            entry["counter_only_reason"] = (
                row.get("counter_only_reason")
                or entry["counter_only_reason"]
                or COUNTER_ONLY_DEFAULT
            )
    for column in ("listed_from", "listed_until"):
        if column in row:
            try:
                day = date_from_json(row[column] or None)
            except ValueError:
                bad(
                    _("“%(column)s” phải là ngày dạng 2026-01-31.") % {"column": column}
                )
            else:
                entry[column] = day.isoformat() if day else None
    return (None if errors else entry), errors


def procedure_list_import(*, text: str, fmt: str = "csv") -> ImportReport:
    """Create or update the catalogue from a province's list (CSV or JSON).
    All or nothing: CatalogueError with one line-numbered message per problem."""
    rows, errors = _rows(text, fmt)
    if errors:
        raise CatalogueError(errors)
    entries: list[dict[str, Any]] = []
    where_of: dict[str, str] = {}
    seen: dict[str, str] = {}
    for where, row in rows:
        code, key = row.get("code", ""), row.get("key", "")
        found = None
        if code:
            found = Procedure.objects.filter(code=code).first()
        if found is None and key:
            found = Procedure.objects.filter(key=key).first()
        existing = procedure_to_data(found) if found is not None else None
        entry, problems = _entry(row, where, existing)
        errors += problems
        if entry is None:
            continue
        identity = entry["code"] or entry["key"]
        if identity in seen:
            errors.append(
                _("%(where)s: thủ tục “%(code)s” đã có ở %(first)s.")
                % {"where": where, "code": identity, "first": seen[identity]}
            )
            continue
        seen[identity] = where
        where_of[entry["key"]] = where
        entries.append(entry)
    if errors:
        raise CatalogueError(errors)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "fields": [],
        "life_events": [],
        "procedures": entries,
        "guides": [],
    }
    try:
        return catalogue_import(data=document)
    except CatalogueError as error:
        raise CatalogueError(
            [_located(message, where_of) for message in error.messages]
        ) from error


def _located(message: str, where_of: dict[str, str]) -> str:
    """A catalogue message ("thủ tục “key”: ...") with the line of its row."""
    for key, where in where_of.items():
        if f"“{key}”" in message or f"] {key}:" in message:
            return f"{where}: {message}"
    return message


def procedure_list_export(*, fmt: str = "csv") -> str:
    """The catalogue in the import's columns (every procedure, by code)."""
    rows = []
    procedures = (
        Procedure.objects.select_related("field")
        .prefetch_related("documents")
        .order_by("essential_seq", "code", "key")
    )
    for procedure in procedures:
        if procedure.same_day:
            days = "trong ngày"
        elif procedure.processing_days is None:
            days = ""
        else:
            days = format(procedure.processing_days.normalize(), "f")
        rows.append(
            {
                "code": procedure.code,
                "key": procedure.key,
                "name": procedure.name,
                "name_en": procedure.name_en,
                "field": procedure.field.code,
                "level": procedure.agency_level,
                "agency_type": procedure.agency_type,
                "processing_days": days,
                "fee_counter_vnd": ""
                if procedure.fee_counter_vnd is None
                else str(procedure.fee_counter_vnd),
                "fee_online_vnd": ""
                if procedure.fee_online_vnd is None
                else str(procedure.fee_online_vnd),
                "papers": f" {PAPERS_SEPARATOR} ".join(
                    doc.name for doc in procedure.documents.all()
                ),
                "channels": COUNTER
                if procedure.counter_only
                else f"{ONLINE}; {COUNTER}",
                "counter_only_reason": procedure.counter_only_reason,
                "listed_from": procedure.listed_from.isoformat()
                if procedure.listed_from
                else "",
                "listed_until": procedure.listed_until.isoformat()
                if procedure.listed_until
                else "",
                "source": procedure.source,
            }
        )
    if fmt == "json":
        return json.dumps({"procedures": rows}, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()

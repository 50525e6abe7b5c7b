"""`schema_clean`: check submitted form data against a schema.

The only validator of form data: the web form (`schema_form_class`), the API and
the dossier app all call it. Cleaned data is JSON-ready: dates as ISO strings,
yes/no as booleans, numbers as int or float, phone numbers normalised, an
administrative unit as its code. Fields hidden by a condition are not required
and are dropped; file fields are attachments, not data, and are ignored.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identifiers import normalize_phone, personal_id_errors, phone_errors

from .definitions import (
    DEFAULT_MAX_LENGTH,
    FEMALE,
    MALE,
    lookup,
    number_bounds,
    person_fields,
    section_fields,
    sections,
)
from .validation import schema_errors

ROLE_SEX = {"father": MALE, "husband": MALE, "mother": FEMALE, "wife": FEMALE}


class SchemaError(ValueError):
    """The schema itself is broken; its problems are in `messages`."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def schema_condition_holds(condition: Any, data: dict[str, Any]) -> bool:
    """Whether `condition` ({field, equals} | {field, in} | {all}) holds on
    cleaned `data` (nested or flat dotted). An empty condition always holds."""
    if not condition:
        return True
    if "all" in condition:
        return all(schema_condition_holds(part, data) for part in condition["all"])
    value = lookup(data, condition["field"])
    if value is None:
        return False
    if "in" in condition:
        return bool(value in condition["in"])
    return bool(value == condition["equals"])


def _is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | dict) and not raw


def _clean_text(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    if not isinstance(raw, str):
        return None, [_("Cần nhập chữ.")]
    value = " ".join(raw.split()) if field["type"] == "text" else raw.strip()
    limit = field.get("max_length", DEFAULT_MAX_LENGTH[field["type"]])
    if len(value) > limit:
        return None, [
            _("Tối đa %(limit)d ký tự (đang có %(count)d).")
            % {"limit": limit, "count": len(value)}
        ]
    return value, []


_NUMBER_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")
# Longer than any bound a schema can hold as a JSON number, decimals included.
_NUMBER_MAX_CHARS = 40


def _shown(bound: Any) -> str:
    """A bound as Vietnamese write it: 999.999.999, 2,5."""
    if isinstance(bound, int):
        return f"{bound:,}".replace(",", ".")
    return str(bound).replace(".", ",")


def _clean_number(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None, [_("Cần nhập một số, ví dụ 2 hoặc 2,5.")]
    text = str(raw).strip()
    if not _NUMBER_RE.match(text):
        return None, [_("Cần nhập một số, ví dụ 2 hoặc 2,5.")]
    low, high = number_bounds(field)
    if len(text) > _NUMBER_MAX_CHARS:  # beyond any bound; not worth parsing
        if text.startswith("-"):
            return None, [_("Không được nhỏ hơn %(min)s.") % {"min": _shown(low)}]
        return None, [_("Không được lớn hơn %(max)s.") % {"max": _shown(high)}]
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern above rules it out
        return None, [_("Cần nhập một số, ví dụ 2 hoặc 2,5.")]
    if number < Decimal(str(low)):
        return None, [_("Không được nhỏ hơn %(min)s.") % {"min": _shown(low)}]
    if number > Decimal(str(high)):
        return None, [_("Không được lớn hơn %(max)s.") % {"max": _shown(high)}]
    return (int(number) if number == number.to_integral_value() else float(number)), []


_DMY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _parse_date(raw: Any) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        return None
    if isinstance(raw, datetime.date):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    try:
        match = _DMY_RE.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _clean_date(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    day = _parse_date(raw)
    if day is None or not datetime.date(1900, 1, 1) <= day <= datetime.date(
        2100, 12, 31
    ):
        return None, [_("Ngày không hợp lệ: nhập ngày/tháng/năm, ví dụ 05/09/2024.")]
    if field.get("no_future") and day > timezone.localdate():
        return None, [_("Ngày này chưa đến: không được sau hôm nay.")]
    return day.isoformat(), []


def _clean_select(
    field: dict[str, Any], raw: Any, values: dict[str, Any]
) -> tuple[Any, list[str]]:
    value = (
        str(raw).strip()
        if isinstance(raw, str | int) and not isinstance(raw, bool)
        else None
    )
    for choice in field["choices"]:
        if choice["value"] == value:
            if not schema_condition_holds(choice.get("show_if"), values):
                return None, [_("Lựa chọn này không áp dụng với thông tin đã khai.")]
            return value, []
    return None, [_("Lựa chọn không hợp lệ: hãy chọn một phương án trong danh sách.")]


_YES = {"yes", "true", "1", "on", "co", "có"}
_NO = {"no", "false", "0", "off", "khong", "không"}


def _clean_yesno(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    if isinstance(raw, bool):
        return raw, []
    text = str(raw).strip().lower() if isinstance(raw, str | int) else ""
    if text in _YES:
        return True, []
    if text in _NO:
        return False, []
    return None, [_("Hãy chọn Có hoặc Không.")]


def _clean_personal_id(
    field: dict[str, Any], raw: Any, person: dict[str, Any] | None
) -> tuple[Any, list[str]]:
    number = re.sub(r"\s", "", raw) if isinstance(raw, str) else str(raw)
    birth = person.get("date_of_birth") if person else None
    sex = person.get("sex") if person else None
    errors = personal_id_errors(
        number,
        date_of_birth=datetime.date.fromisoformat(birth) if birth else None,
        sex=sex if sex in (MALE, FEMALE) else None,
    )
    return (None, errors) if errors else (number, [])


def _clean_phone(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    if not isinstance(raw, str):
        raw = str(raw)
    errors = phone_errors(raw)
    return (None, errors) if errors else (normalize_phone(raw), [])


def _clean_email(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    value = raw.strip() if isinstance(raw, str) else ""
    try:
        validate_email(value)
    except ValidationError:
        return None, [_("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.com.")]
    return value, []


def _clean_admin_unit(field: dict[str, Any], raw: Any) -> tuple[Any, list[str]]:
    from units.models import AdminUnit
    from units.selectors import valid_on_q

    code = str(raw).strip() if isinstance(raw, str | int) else ""
    today = timezone.localdate()
    units = AdminUnit.objects.filter(valid_on_q(today))
    unit = units.filter(code=code).only("path").first() if code.isdigit() else None
    if unit is None:
        return None, [
            _("Không có đơn vị hành chính mã “%(code)s” còn hiệu lực hôm nay.")
            % {"code": code}
        ]
    parent_code = field.get("parent")
    if parent_code and not any(
        unit.path.startswith(parent.path) and unit.path != parent.path
        for parent in units.filter(code=parent_code).only("path")
    ):
        return None, [
            _("Đơn vị hành chính mã “%(code)s” không thuộc địa bàn của cổng.")
            % {"code": code}
        ]
    return code, []


def _clean_value(
    field: dict[str, Any],
    raw: Any,
    *,
    values: dict[str, Any],
    person: dict[str, Any] | None,
) -> tuple[Any, list[str]]:
    kind = field["type"]
    if kind in ("text", "textarea"):
        return _clean_text(field, raw)
    if kind == "select":
        return _clean_select(field, raw, values)
    if kind == "personal_id":
        return _clean_personal_id(field, raw, person)
    cleaner = {
        "number": _clean_number,
        "date": _clean_date,
        "yesno": _clean_yesno,
        "phone": _clean_phone,
        "email": _clean_email,
        "admin_unit": _clean_admin_unit,
    }[kind]
    return cleaner(field, raw)


def _required_message(field: dict[str, Any]) -> str:
    if field["type"] in ("select", "yesno", "admin_unit"):
        return _("Vui lòng chọn một phương án.")
    return _("Vui lòng điền mục này.")


class _Cleaner:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.values: dict[str, Any] = {}  # dotted name -> cleaned value
        self.errors: dict[str, list[str]] = {}
        self.cleaned: dict[str, Any] = {}

    def one(
        self,
        name: str,
        field: dict[str, Any],
        *,
        required: bool,
        person: dict[str, Any] | None = None,
    ) -> Any:
        raw = lookup(self.data, name)
        if _is_empty(raw):
            if required:
                self.errors[name] = [_required_message(field)]
            return None
        value, errors = _clean_value(field, raw, values=self.values, person=person)
        if errors:
            self.errors[name] = errors
            return None
        self.values[name] = value
        return value

    def person(self, block: dict[str, Any]) -> dict[str, Any] | None:
        name = block["name"]
        subfields = [
            sub
            for sub in person_fields(block)
            if schema_condition_holds(sub.get("show_if"), self.values)
        ]
        started = any(
            not _is_empty(lookup(self.data, f"{name}.{sub['name']}"))
            for sub in subfields
        )
        if not started and not block.get("required", False):
            return None
        cleaned: dict[str, Any] = {}
        # The personal ID number is checked against the date of birth and sex;
        # a father's or a wife's sex goes without saying.
        context: dict[str, Any] = {"sex": ROLE_SEX.get(block.get("role", ""))}
        ordered = sorted(subfields, key=lambda sub: sub["type"] == "personal_id")
        for sub in ordered:
            value = self.one(
                f"{name}.{sub['name']}",
                sub,
                required=bool(sub.get("required", False)),
                person=context,
            )
            if value is not None:
                context[sub["name"]] = cleaned[sub["name"]] = value
        # In the schema's order; a block with nothing valid is left out.
        ordered_values = {
            sub["name"]: cleaned[sub["name"]]
            for sub in subfields
            if sub["name"] in cleaned
        }
        return ordered_values or None


def schema_clean(
    schema: dict[str, Any], data: dict[str, Any], *, section: str | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(cleaned data, errors per field) for `data` submitted against `schema`.

    Errors are keyed by field name, dotted for a person's sub-fields
    ("child.full_name"). With `section`, only that section is checked; the other
    sections' data (e.g. earlier wizard pages) still decide its conditions.
    """
    problems = schema_errors(schema)
    if problems:
        raise SchemaError(problems)
    state = _Cleaner(data if isinstance(data, dict) else {})
    own: dict[str, Any] = {}
    for part in sections(schema):
        mine = section is None or part["key"] == section
        visible = schema_condition_holds(part.get("show_if"), state.values)
        for field in section_fields(part):
            if field["type"] == "file" or not visible:
                continue
            if not schema_condition_holds(field.get("show_if"), state.values):
                continue
            if field["type"] == "person":
                value = state.person(field)
            else:
                value = state.one(
                    field["name"], field, required=bool(field.get("required", False))
                )
            if value is not None and mine:
                own[field["name"]] = value
        if not mine:
            # Other sections only inform conditions; their errors are theirs.
            names = {f["name"] for f in section_fields(part)}
            for key in list(state.errors):
                if key.split(".", 1)[0] in names:
                    del state.errors[key]
    return own, state.errors

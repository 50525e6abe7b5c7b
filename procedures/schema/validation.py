"""`schema_errors`: every problem with a form schema, in one clear sentence each.

The admin refuses a schema with these messages; the loaders refuse data files
with them too.
"""

import re
from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from .definitions import (
    COMMON_KEYS,
    CONDITION_TYPES,
    EXTRA_KEYS,
    FIELD_TYPES,
    PERSON_ROLES,
    PREFILL_KEYS,
    STANDARD_PERSON_FIELDS,
    expand_subfield,
    leaves,
)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = frozenset({"version", "sections"})
SECTION_KEYS = frozenset({"key", "title", "fields", "show_if"})
CHOICE_KEYS = frozenset({"value", "label", "show_if"})


def _bilingual_errors(value: Any, *, where: str, key: str) -> list[str]:
    if (
        isinstance(value, dict)
        and set(value) <= {"vi", "en"}
        and all(
            isinstance(value.get(lang), str) and value[lang].strip()
            for lang in ("vi", "en")
        )
    ):
        return []
    return [
        _("%(where)s: “%(key)s” cần có nội dung cả tiếng Việt (vi) và tiếng Anh (en).")
        % {"where": where, "key": key}
    ]


def _unknown_keys(
    value: dict[str, Any], allowed: Collection[str], where: str
) -> list[str]:
    unknown = sorted(set(value) - set(allowed))
    if not unknown:
        return []
    return [
        _("%(where)s: khóa không dùng được ở đây: %(keys)s.")
        % {"where": where, "keys": ", ".join(unknown)}
    ]


def _as_list(value: Any) -> list[Any]:
    """`value` if it is a list: a broken part was reported where it stands."""
    return value if isinstance(value, list) else []


class _Checker:
    """Walks a schema once, remembering the fields seen so far for conditions."""

    def __init__(self, document_keys: Collection[str] | None) -> None:
        self.document_keys = document_keys
        self.errors: list[str] = []
        # Dotted name -> field definition, for fields earlier in the schema.
        self.seen: dict[str, dict[str, Any]] = {}
        self.names: set[str] = set()

    def condition(self, condition: Any, where: str) -> None:
        shape_error = _(
            '%(where)s: điều kiện phải có dạng {"field": ..., "equals": ...}, '
            '{"field": ..., "in": [...]} hoặc {"all": [...]}.'
        ) % {"where": where}
        if not isinstance(condition, dict):
            self.errors.append(shape_error)
            return
        if set(condition) == {"all"}:
            parts = condition["all"]
            if not isinstance(parts, list) or not parts:
                self.errors.append(shape_error)
                return
            for part in parts:
                self.condition(part, where)
            return
        if set(condition) not in ({"field", "equals"}, {"field", "in"}):
            self.errors.append(shape_error)
            return
        target = condition["field"]
        referenced = self.seen.get(target) if isinstance(target, str) else None
        if referenced is None:
            self.errors.append(
                _(
                    "%(where)s: điều kiện dẫn chiếu mục “%(field)s”, mục này không "
                    "có ở phía trên."
                )
                % {"where": where, "field": target}
            )
            return
        kind = referenced.get("type")
        if kind not in CONDITION_TYPES:
            self.errors.append(
                _(
                    "%(where)s: điều kiện không thể dựa vào mục “%(field)s” "
                    "(loại %(type)s)."
                )
                % {"where": where, "field": target, "type": kind}
            )
            return
        if "in" in condition:
            values = condition["in"]
            if not isinstance(values, list) or not values:
                self.errors.append(shape_error)
                return
        else:
            values = [condition["equals"]]
        for value in values:
            if kind == "yesno" and not isinstance(value, bool):
                self.errors.append(
                    _(
                        "%(where)s: mục “%(field)s” là câu hỏi Có/Không nên giá trị "
                        "điều kiện phải là true hoặc false."
                    )
                    % {"where": where, "field": target}
                )
            elif kind == "select" and value not in [
                # A list, not a set: the value may be any JSON, unhashable too.
                c.get("value")
                for c in _as_list(referenced.get("choices"))
                if isinstance(c, dict)
            ]:
                self.errors.append(
                    _(
                        "%(where)s: “%(value)s” không phải một lựa chọn của mục "
                        "“%(field)s”."
                    )
                    % {"where": where, "value": value, "field": target}
                )

    def field(self, field: Any, *, where: str, name_prefix: str = "") -> None:
        if not isinstance(field, dict):
            self.errors.append(
                _("%(where)s: mỗi mục phải là một đối tượng JSON.") % {"where": where}
            )
            return
        name = field.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            self.errors.append(
                _(
                    "%(where)s: tên mục “%(name)s” phải bắt đầu bằng chữ thường và chỉ "
                    "gồm chữ thường không dấu, chữ số, dấu gạch dưới."
                )
                % {"where": where, "name": name}
            )
            return
        full_name = f"{name_prefix}{name}"
        where = _("%(where)s, mục “%(field)s”") % {"where": where, "field": full_name}
        if full_name in self.names:
            self.errors.append(_("%(where)s: tên mục bị trùng.") % {"where": where})
        self.names.add(full_name)
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            self.errors.append(
                _("%(where)s: loại “%(type)s” không có; các loại dùng được: %(types)s.")
                % {"where": where, "type": kind, "types": ", ".join(FIELD_TYPES)}
            )
            return
        if name_prefix and kind in ("person", "file"):
            self.errors.append(
                _(
                    "%(where)s: trong khối thông tin một người không đặt được "
                    "mục loại %(type)s."
                )
                % {"where": where, "type": kind}
            )
            return
        self.errors += _unknown_keys(
            field, COMMON_KEYS | EXTRA_KEYS.get(kind, set()), where
        )
        self.errors += _bilingual_errors(field.get("label"), where=where, key="label")
        if "help" in field:
            self.errors += _bilingual_errors(field["help"], where=where, key="help")
        if "required" in field and not isinstance(field["required"], bool):
            self.errors.append(
                _("%(where)s: “required” phải là true hoặc false.") % {"where": where}
            )
        if "show_if" in field:
            self.condition(field["show_if"], where)
        if "prefill" in field and (
            kind in ("person", "file") or field["prefill"] not in PREFILL_KEYS
        ):
            self.errors.append(
                _("%(where)s: “prefill” phải là một trong: %(keys)s.")
                % {"where": where, "keys": ", ".join(PREFILL_KEYS)}
            )
        getattr(self, f"_check_{kind}", lambda *a: None)(field, where)
        if kind != "person":
            self.seen[full_name] = field

    def _check_text(self, field: dict[str, Any], where: str) -> None:
        limit = field.get("max_length", 1)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            self.errors.append(
                _("%(where)s: “max_length” phải là số nguyên dương.") % {"where": where}
            )

    _check_textarea = _check_text

    def _check_number(self, field: dict[str, Any], where: str) -> None:
        bounds: list[Any] = [field[k] for k in ("min", "max") if k in field]
        if any(not isinstance(b, int | float) or isinstance(b, bool) for b in bounds):
            self.errors.append(
                _("%(where)s: “min” và “max” phải là số.") % {"where": where}
            )
        # Compared as they are: float() overflows on a huge JSON integer.
        elif len(bounds) == 2 and bounds[0] > bounds[1]:
            self.errors.append(_("%(where)s: “min” lớn hơn “max”.") % {"where": where})

    def _check_date(self, field: dict[str, Any], where: str) -> None:
        if "no_future" in field and not isinstance(field["no_future"], bool):
            self.errors.append(
                _("%(where)s: “no_future” phải là true hoặc false.") % {"where": where}
            )

    def _check_admin_unit(self, field: dict[str, Any], where: str) -> None:
        if "parent" in field and not (
            isinstance(field["parent"], str) and field["parent"].isdigit()
        ):
            self.errors.append(
                _("%(where)s: “parent” là mã số của đơn vị hành chính cấp trên.")
                % {"where": where}
            )

    def _check_select(self, field: dict[str, Any], where: str) -> None:
        choices = field.get("choices")
        if not isinstance(choices, list) or not choices:
            self.errors.append(
                _("%(where)s: mục chọn cần danh sách “choices” không rỗng.")
                % {"where": where}
            )
            return
        values: set[Any] = set()
        for index, choice in enumerate(choices, start=1):
            here = _("%(where)s, lựa chọn %(index)d") % {"where": where, "index": index}
            if not isinstance(choice, dict):
                self.errors.append(
                    _("%(where)s: lựa chọn phải là một đối tượng JSON.")
                    % {"where": here}
                )
                continue
            self.errors += _unknown_keys(choice, CHOICE_KEYS, here)
            value = choice.get("value")
            if not isinstance(value, str) or not value:
                self.errors.append(
                    _("%(where)s: “value” phải là một chuỗi không rỗng.")
                    % {"where": here}
                )
            elif value in values:
                self.errors.append(
                    _("%(where)s: giá trị “%(value)s” bị trùng.")
                    % {"where": here, "value": value}
                )
            else:
                values.add(value)
            self.errors += _bilingual_errors(
                choice.get("label"), where=here, key="label"
            )
            if "show_if" in choice:
                self.condition(choice["show_if"], here)

    def _check_file(self, field: dict[str, Any], where: str) -> None:
        document = field.get("document")
        if not isinstance(document, str) or not KEY_RE.match(document):
            self.errors.append(
                _(
                    "%(where)s: mục tệp cần “document”, là khóa của một thành phần "
                    "hồ sơ của thủ tục."
                )
                % {"where": where}
            )
        elif self.document_keys is not None and document not in self.document_keys:
            self.errors.append(
                _("%(where)s: thủ tục không có thành phần hồ sơ khóa “%(key)s”.")
                % {"where": where, "key": document}
            )

    def _check_person(self, field: dict[str, Any], where: str) -> None:
        if field.get("role") not in PERSON_ROLES:
            self.errors.append(
                _("%(where)s: “role” phải là một trong: %(roles)s.")
                % {"where": where, "roles": ", ".join(PERSON_ROLES)}
            )
        subfields = field.get("fields")
        if not isinstance(subfields, list) or not subfields:
            self.errors.append(
                _("%(where)s: khối thông tin một người cần danh sách “fields”.")
                % {"where": where}
            )
            return
        for sub in subfields:
            if isinstance(sub, str) and sub not in STANDARD_PERSON_FIELDS:
                self.errors.append(
                    _(
                        "%(where)s: “%(name)s” không phải mục chuẩn của một người "
                        "(%(names)s); hãy khai báo đầy đủ loại và nhãn."
                    )
                    % {
                        "where": where,
                        "name": sub,
                        "names": ", ".join(STANDARD_PERSON_FIELDS),
                    }
                )
                continue
            self.field(
                expand_subfield(sub) or sub,
                where=where,
                name_prefix=f"{field['name']}.",
            )


def schema_errors(
    schema: Any, *, document_keys: Collection[str] | None = None
) -> list[str]:
    """Every problem with `schema` (empty list = usable).

    With `document_keys`, file fields must name one of those documents.
    """
    if not isinstance(schema, dict):
        return [_("Cấu trúc tờ khai phải là một đối tượng JSON.")]
    errors = _unknown_keys(schema, TOP_KEYS, _("Cấu trúc tờ khai"))
    if schema.get("version") != 1:
        errors.append(_("Cấu trúc tờ khai cần “version”: 1."))
    section_list = schema.get("sections")
    if not isinstance(section_list, list) or not section_list:
        return [*errors, _("Cấu trúc tờ khai cần ít nhất một phần (“sections”).")]
    checker = _Checker(document_keys)
    checker.errors = errors
    keys: set[str] = set()
    for index, section in enumerate(section_list, start=1):
        where = _("Phần %(index)d") % {"index": index}
        if not isinstance(section, dict):
            checker.errors.append(
                _("%(where)s: mỗi phần phải là một đối tượng JSON.") % {"where": where}
            )
            continue
        key = section.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            checker.errors.append(
                _(
                    "%(where)s: “key” chỉ gồm chữ thường không dấu, chữ số và dấu "
                    "gạch ngang, ví dụ nguoi-nop."
                )
                % {"where": where}
            )
        else:
            where = _("Phần “%(key)s”") % {"key": key}
            if key in keys:
                checker.errors.append(
                    _("%(where)s: khóa phần bị trùng.") % {"where": where}
                )
            keys.add(key)
        checker.errors += _unknown_keys(section, SECTION_KEYS, where)
        checker.errors += _bilingual_errors(
            section.get("title"), where=where, key="title"
        )
        if "show_if" in section:
            checker.condition(section["show_if"], where)
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            checker.errors.append(
                _("%(where)s: cần ít nhất một mục (“fields”).") % {"where": where}
            )
            continue
        for field in fields:
            checker.field(field, where=where)
    return checker.errors


def schema_condition_errors(schema: dict[str, Any], condition: Any) -> list[str]:
    """Problems with a condition read on data of `schema` (e.g. a linked step's)."""
    checker = _Checker(None)
    checker.seen = {leaf.name: leaf.field for leaf in leaves(schema)}
    checker.condition(condition, _("Điều kiện"))
    return checker.errors

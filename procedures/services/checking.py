"""Checking a catalogue document before anything is written: every entry's
fields, steps, guides and questions, one message per problem."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..catalogue_data import (
    DOCUMENT_DEFAULTS,
    FORMAT,
    GUIDE_DEFAULTS,
    GUIDE_STEP_DEFAULTS,
    NAMED_DEFAULTS,
    PROCEDURE_DEFAULTS,
    STEP_DEFAULTS,
    VERSION,
    date_from_json,
    days_from_json,
    missing_keys,
    unknown_keys,
    with_defaults,
)
from ..fees import fee_basis_errors
from ..models import (
    Document,
    Field,
    Kind,
    LifeEvent,
    LinkedStep,
    Procedure,
)
from ..schema import schema_condition_errors, schema_errors, schema_generic

# Procedure model fields written straight from an entry.
PLAIN_FIELDS = [
    key
    for key in PROCEDURE_DEFAULTS
    if key
    not in {
        "field",
        "life_events",
        "documents",
        "steps",
        "form_schema",
        "processing_days",
        "listed_from",
        "listed_until",
    }
]


# --- Checking a catalogue document --------------------------------------------------


def _model_errors(instance: Any, exclude: list[str], where: str) -> list[str]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        return [
            _("%(where)s, “%(field)s”: %(message)s")
            % {"where": where, "field": name, "message": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _normalised(
    entry: Any, defaults: dict[str, Any], where: str, errors: list[str]
) -> dict[str, Any] | None:
    """`entry` with every key (or None after recording why it is unusable)."""
    if not isinstance(entry, dict):
        errors.append(_("%(where)s: phải là một đối tượng JSON.") % {"where": where})
        return None
    bad = unknown_keys(entry, defaults)
    if bad:
        errors.append(
            _("%(where)s: khóa không dùng được: %(keys)s.")
            % {"where": where, "keys": ", ".join(bad)}
        )
    full = with_defaults(entry, defaults)
    missing = missing_keys(full)
    if missing:
        errors.append(
            _("%(where)s: thiếu %(keys)s.")
            % {"where": where, "keys": ", ".join(missing)}
        )
        return None
    return full


def _prepare(data: Any) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The document with every key filled in, and the problems of its shape."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}, [
            _("Tệp không phải danh mục thủ tục (cần “format”: “%(format)s”).")
            % {"format": FORMAT}
        ]
    if data.get("version") != VERSION:
        return {}, [
            _("Phiên bản danh mục không được hỗ trợ: %(version)s.")
            % {"version": data.get("version")}
        ]
    errors: list[str] = []
    prepared: dict[str, list[dict[str, Any]]] = {}
    for section, defaults in (
        ("fields", NAMED_DEFAULTS),
        ("life_events", NAMED_DEFAULTS),
        ("procedures", PROCEDURE_DEFAULTS),
        ("guides", GUIDE_DEFAULTS),
    ):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            errors.append(
                _("“%(section)s” phải là một danh sách.") % {"section": section}
            )
            entries = []
        prepared[section] = []
        for index, entry in enumerate(entries, start=1):
            name = (
                entry.get("key") or entry.get("slug") or entry.get("code")
                if isinstance(entry, dict)
                else None
            )
            where = f"{section}[{index}] {name or ''}".strip()
            full = _normalised(entry, defaults, where, errors)
            if full is None:
                continue
            nested = {
                "documents": DOCUMENT_DEFAULTS,
                "steps": STEP_DEFAULTS
                if section == "procedures"
                else GUIDE_STEP_DEFAULTS,
            }
            for key, nested_defaults in nested.items():
                if key not in full:
                    continue
                items = [
                    _normalised(item, nested_defaults, f"{where}, {key}[{i}]", errors)
                    for i, item in enumerate(full[key], start=1)
                ]
                full[key] = [item for item in items if item is not None]
            if section == "procedures":
                full["life_events"] = sorted(full["life_events"])
            prepared[section].append(full)
    return prepared, errors


def _procedure_errors(
    entry: dict[str, Any], where: str, fields: set[str], events: set[str]
) -> list[str]:
    errors = []
    if entry["field"] not in fields:
        errors.append(
            _("%(where)s: không có lĩnh vực “%(code)s”.")
            % {"where": where, "code": entry["field"]}
        )
    errors += [
        _("%(where)s: không có sự kiện cuộc sống “%(code)s”.")
        % {"where": where, "code": code}
        for code in entry["life_events"]
        if code not in events
    ]
    procedure = Procedure(**{key: entry[key] for key in PLAIN_FIELDS})
    procedure.essential = entry["essential_seq"] is not None
    procedure.processing_days = days_from_json(entry["processing_days"])
    procedure.form_schema = entry["form_schema"]
    for key in ("listed_from", "listed_until"):
        try:
            setattr(procedure, key, date_from_json(entry[key]))
        except ValueError:
            errors.append(
                _("%(where)s: “%(key)s” phải là ngày dạng 2026-01-31.")
                % {"where": where, "key": key}
            )
            entry[key] = None
    # Updating an entry must not collide with itself on unique constraints.
    existing = procedure_find(entry)
    if existing is not None:
        procedure.pk = existing.pk
        procedure._state.adding = False
    errors += _model_errors(procedure, ["field", "search_name", "search_text"], where)
    errors += [
        _("%(where)s: %(problem)s") % {"where": where, "problem": problem}
        for problem in fee_basis_errors(entry["fee_basis"])
    ]
    keys = [doc["key"] for doc in entry["documents"]]
    for doc in entry["documents"]:
        errors += _model_errors(
            Document(**doc), ["procedure"], f"{where}, {doc['key']}"
        )
    if len(set(keys)) != len(keys):
        errors.append(
            _("%(where)s: khóa thành phần hồ sơ bị trùng.") % {"where": where}
        )
    if entry["submittable"]:
        errors += [
            _("%(where)s, tờ khai: %(problem)s") % {"where": where, "problem": problem}
            for problem in schema_errors(entry["form_schema"], document_keys=keys)
        ]
    elif entry["form_schema"]:
        errors.append(
            _(
                "%(where)s: mục không nộp được hồ sơ trên cổng thì không có tờ khai "
                "(“form_schema” để trống)."
            )
            % {"where": where}
        )
    if entry["kind"] == Kind.LINKED and len(entry["steps"]) < 2:
        errors.append(
            _("%(where)s: nhóm liên thông cần ít nhất hai bước.") % {"where": where}
        )
    if entry["kind"] != Kind.LINKED and entry["steps"]:
        errors.append(
            _("%(where)s: chỉ nhóm liên thông mới có các bước.") % {"where": where}
        )
    return errors


def _step_errors(
    entry: dict[str, Any], where: str, url_codes: dict[str, str]
) -> list[str]:
    errors = []
    seen = set()
    for step in entry["steps"]:
        here = _("%(where)s, bước %(order)s") % {"where": where, "order": step["order"]}
        target = url_codes.get(step["procedure"])
        if target is None:
            errors.append(
                _("%(where)s: không có thủ tục “%(code)s” trong danh mục.")
                % {"where": here, "code": step["procedure"]}
            )
        elif target == url_codes[entry["key"]]:
            errors.append(
                _("%(where)s: một nhóm không thể là bước của chính nó.")
                % {"where": here}
            )
        else:
            step["procedure"] = target
        if (step["order"], target) in seen:
            errors.append(_("%(where)s: bước bị trùng.") % {"where": here})
        seen.add((step["order"], target))
        if step["condition"]:
            errors += [
                f"{here}: {problem}"
                for problem in schema_condition_errors(
                    entry["form_schema"], step["condition"]
                )
            ]
        instance = LinkedStep(
            **{
                k: v
                for k, v in step.items()
                if k not in {"procedure", "processing_days"}
            }
        )
        instance.processing_days = days_from_json(step["processing_days"])
        errors += _model_errors(instance, ["group", "procedure"], here)
    return errors


def _fill_generic_schema(entry: dict[str, Any]) -> None:
    """Entries without their own schema get the generic one (applicant + papers);
    what cannot be submitted here has none."""
    if entry["form_schema"] is None:
        entry["form_schema"] = (
            schema_generic(entry["documents"]) if entry["submittable"] else {}
        )


def _content_errors(prepared: dict[str, list[dict[str, Any]]]) -> list[str]:
    errors: list[str] = []
    fields = {f["code"] for f in prepared["fields"]}
    fields |= set(Field.objects.values_list("code", flat=True))
    events = {e["code"] for e in prepared["life_events"]}
    events |= set(LifeEvent.objects.values_list("code", flat=True))
    # Any reference (code or key) -> the procedure's code, else its key.
    url_codes: dict[str, str] = {}
    for key, code in Procedure.objects.values_list("key", "code"):
        url_codes[key] = url_codes[code or key] = code or key
    for entry in prepared["procedures"]:
        target = entry["code"] or entry["key"]
        url_codes[entry["key"]] = url_codes[target] = target
    counts: dict[tuple[str, Any], int] = {}
    for entry in prepared["procedures"]:
        where = _("thủ tục “%(key)s”") % {"key": entry["key"]}
        _fill_generic_schema(entry)
        errors += _procedure_errors(entry, where, fields, events)
        errors += _step_errors(entry, where, url_codes)
        errors += _identity_errors(entry, where)
        for what in ("key", "code", "essential_seq"):
            if entry[what] not in ("", None):
                counts[(what, entry[what])] = counts.get((what, entry[what]), 0) + 1
    errors += [
        _("“%(what)s” = “%(value)s” xuất hiện %(count)d lần.")
        % {"what": what, "value": value, "count": count}
        for (what, value), count in counts.items()
        if count > 1
    ]
    for guide in prepared["guides"]:
        where = _("hướng dẫn “%(slug)s”") % {"slug": guide["slug"]}
        if guide["procedure"] and guide["procedure"] not in url_codes:
            errors.append(
                _("%(where)s: không có thủ tục “%(code)s”.")
                % {"where": where, "code": guide["procedure"]}
            )
        for step in guide["steps"]:
            if step["image"] and not (step["image_alt"] and step["image_alt_en"]):
                errors.append(
                    _("%(where)s: hình minh họa cần mô tả bằng cả hai thứ tiếng.")
                    % {"where": where}
                )
    return errors


def _identity_errors(entry: dict[str, Any], where: str) -> list[str]:
    """A key and a code that already belong to two different procedures."""
    if not entry["code"]:
        return []
    by_key = Procedure.objects.filter(key=entry["key"]).values_list("pk", flat=True)
    by_code = Procedure.objects.filter(code=entry["code"]).values_list("pk", flat=True)
    if by_key and by_code and set(by_key) != set(by_code):
        return [
            _("%(where)s: mã “%(code)s” đã thuộc một thủ tục khác trong danh mục.")
            % {"where": where, "code": entry["code"]}
        ]
    return []


def catalogue_checked(
    data: Any,
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The document's entries with their defaults filled in, by kind, and every
    problem that would stop `catalogue_import` (empty = importable)."""
    prepared, errors = _prepare(data)
    return prepared, errors + _content_errors(prepared) if prepared else errors


def catalogue_errors(data: Any) -> list[str]:
    """Every problem that would stop `catalogue_import` (empty = importable)."""
    return catalogue_checked(data)[1]


def procedure_find(entry: dict[str, Any]) -> Procedure | None:
    """The procedure a catalogue entry describes, by key, else by code."""
    found = Procedure.objects.filter(key=entry["key"]).first()
    if found is None and entry["code"]:
        found = Procedure.objects.filter(code=entry["code"]).first()
    return found

"""Writes to the catalogue: importing the reviewed data, saving edits."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .catalogue_data import (
    DOCUMENT_DEFAULTS,
    FORMAT,
    GUIDE_DEFAULTS,
    GUIDE_STEP_DEFAULTS,
    NAMED_DEFAULTS,
    PROCEDURE_DEFAULTS,
    STEP_DEFAULTS,
    VERSION,
    days_from_json,
    missing_keys,
    read_data_dir,
    unknown_keys,
    with_defaults,
)
from .models import (
    Document,
    Faq,
    Field,
    Guide,
    GuideStep,
    Kind,
    LifeEvent,
    LinkedStep,
    Procedure,
)
from .schema import schema_condition_errors, schema_errors, schema_generic
from .selectors import procedure_to_data
from .text import codes_in, normalize

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
    }
]


class CatalogueError(Exception):
    """The data cannot be imported; nothing was saved. One message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Edited in the portal since the last load, and left as they are.
    kept_local_edits: list[str] = field(default_factory=list)


def procedure_set_search_columns(procedure: Procedure) -> None:
    """Fill the normalised columns that search reads (see procedures.text)."""
    words = [
        procedure.code,
        *codes_in(procedure.mapping_note),
        procedure.name,
        procedure.name_en,
        procedure.keywords.replace(",", " "),
    ]
    procedure.search_name = normalize(procedure.name)
    # Padded with spaces so that " word" finds a word start anywhere.
    procedure.search_text = f" {normalize(' '.join(words))} "


@transaction.atomic
def procedure_save(*, procedure: Procedure, edited_locally: bool = True) -> Procedure:
    """Save a procedure (the admin's path), keeping its search columns in step.

    An edit in the portal is remembered, so `load_catalogue` keeps it.
    """
    procedure_set_search_columns(procedure)
    procedure.locally_edited = edited_locally
    procedure.save()
    return procedure


@transaction.atomic
def faq_create(
    *,
    procedure: Procedure,
    question: str,
    answer: str,
    question_en: str = "",
    answer_en: str = "",
    source: str = "",
    order: int = 0,
    is_published: bool = True,
) -> Faq:
    """Add a question and its answer to the procedure's page (and /help/)."""
    faq = Faq(
        procedure=procedure,
        question=question,
        answer=answer,
        question_en=question_en,
        answer_en=answer_en,
        source=source,
        order=order,
        is_published=is_published,
    )
    faq.full_clean()
    faq.save()
    return faq


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
    # Updating an entry must not collide with itself on unique constraints.
    existing = _find(entry)
    if existing is not None:
        procedure.pk = existing.pk
        procedure._state.adding = False
    errors += _model_errors(procedure, ["field", "search_name", "search_text"], where)
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


def catalogue_errors(data: Any) -> list[str]:
    """Every problem that would stop `catalogue_import` (empty = importable)."""
    prepared, errors = _prepare(data)
    return errors + _content_errors(prepared) if prepared else errors


# --- Import -----------------------------------------------------------------------


def _find(entry: dict[str, Any]) -> Procedure | None:
    found = Procedure.objects.filter(key=entry["key"]).first()
    if found is None and entry["code"]:
        found = Procedure.objects.filter(code=entry["code"]).first()
    return found


def _resolve(reference: str) -> Procedure:
    if reference[:1].isdigit():
        return Procedure.objects.get(code=reference)
    return Procedure.objects.get(key=reference)


def _write_procedure(entry: dict[str, Any], existing: Procedure | None) -> Procedure:
    procedure = existing or Procedure()
    for key in PLAIN_FIELDS:
        setattr(procedure, key, entry[key])
    # The 53 essential services are the entries with a row number in the list.
    procedure.essential = entry["essential_seq"] is not None
    procedure.processing_days = days_from_json(entry["processing_days"])
    procedure.form_schema = entry["form_schema"]
    procedure.field = Field.objects.get(code=entry["field"])
    procedure_save(procedure=procedure, edited_locally=False)
    procedure.life_events.set(LifeEvent.objects.filter(code__in=entry["life_events"]))
    kept = []
    for order, doc in enumerate(entry["documents"], start=1):
        document, _created = Document.objects.update_or_create(
            procedure=procedure, key=doc["key"], defaults={**doc, "order": order}
        )
        kept.append(document.pk)
    procedure.documents.exclude(pk__in=kept).delete()
    return procedure


def _write_steps(procedure: Procedure, steps: list[dict[str, Any]]) -> None:
    procedure.steps.all().delete()
    for step in steps:
        values = {k: v for k, v in step.items() if k != "procedure"}
        values["processing_days"] = days_from_json(step["processing_days"])
        LinkedStep.objects.create(
            group=procedure, procedure=_resolve(step["procedure"]), **values
        )


def _write_guides(guides: list[dict[str, Any]]) -> None:
    for entry in guides:
        values = {k: v for k, v in entry.items() if k not in {"slug", "steps"}}
        values["procedure"] = (
            _resolve(entry["procedure"]) if entry["procedure"] else None
        )
        guide, _created = Guide.objects.update_or_create(
            slug=entry["slug"], defaults=values
        )
        guide.steps.all().delete()
        GuideStep.objects.bulk_create(
            GuideStep(guide=guide, order=order, **step)
            for order, step in enumerate(entry["steps"], start=1)
        )


@transaction.atomic
def catalogue_import(*, data: Any, keep_local_edits: bool = False) -> ImportReport:
    """Create or update everything in a catalogue document, by code or key.

    All or nothing: any problem raises CatalogueError and nothing is saved.
    With `keep_local_edits`, procedures edited in the portal since the last
    import are left as they are. Importing the same document twice changes
    nothing. Procedures missing from the document are never deleted.
    """
    prepared, errors = _prepare(data)
    if prepared:
        errors += _content_errors(prepared)
    if errors:
        raise CatalogueError(errors)
    for kind, model in (("fields", Field), ("life_events", LifeEvent)):
        for order, entry in enumerate(prepared[kind], start=1):
            model.objects.update_or_create(
                code=entry["code"],
                defaults={
                    "name": entry["name"],
                    "name_en": entry["name_en"],
                    "order": order,
                },
            )
    report = ImportReport()
    written: list[tuple[Procedure, dict[str, Any]]] = []
    for entry in prepared["procedures"]:
        existing = _find(entry)
        if existing is not None and procedure_to_data(existing) == entry:
            report.unchanged.append(entry["key"])
            continue
        if existing is not None and keep_local_edits and existing.locally_edited:
            report.kept_local_edits.append(entry["key"])
            continue
        written.append((_write_procedure(entry, existing), entry))
        (report.updated if existing else report.created).append(entry["key"])
    # Steps last: they may name procedures written after their group.
    for procedure, entry in written:
        _write_steps(procedure, entry["steps"])
    _write_guides(prepared["guides"])
    return report


def catalogue_load_reference(*, overwrite: bool = False) -> ImportReport:
    """Load procedures/data/ (the reviewed facts). Safe to run again; entries
    edited in the portal are kept unless `overwrite`."""
    return catalogue_import(data=read_data_dir(), keep_local_edits=not overwrite)

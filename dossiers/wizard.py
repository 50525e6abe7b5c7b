"""The citizen's submission wizard, apart from HTTP: which pages a draft has, what
each holds, and how a person block is filled from the population registry.

A draft keeps the values as the citizen typed them, by field name (dotted for a
person's sub-fields: "mother.full_name"), so nothing typed is ever lost, even when
it does not validate yet. Validation is always `schema_clean`, page by page, and
once more, whole, by `dossier_submit`.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.identifiers import personal_id_errors
from accounts.ratelimit import rate_limit_consume
from agencies.adapters import PersonRecord, RegistryUnavailable, population_registry
from procedures.schema import schema_clean, schema_condition_holds, schema_file_fields
from procedures.schema.definitions import (
    leaves,
    person_fields,
    pick,
    section_fields,
    sections,
)

from .models import Draft
from .services import draft_registry_consent, draft_update, draft_values

UNIT_STEP = "unit"
SECTION_STEP = "form:"
DOCUMENTS_STEP = "documents"
REVIEW_STEP = "review"


@dataclass(frozen=True)
class Step:
    key: str  # "unit", "form:<section key>", "documents", "review"
    title: str
    url: str


def value_sections(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Sections with something to type (sections of files only go to the
    documents page)."""
    return [
        part
        for part in sections(schema)
        if any(field.get("type") != "file" for field in section_fields(part))
    ]


def known_values(schema: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values of whatever is valid so far (for conditions)."""
    cleaned, _errors = schema_clean(schema, values)
    return cleaned


def wizard_steps(draft: Draft) -> list[Step]:
    """The draft's pages in order; a section whose condition does not hold on
    what was typed before is left out."""
    schema = draft.procedure.form_schema
    known = known_values(schema, draft_values(draft))
    steps = [
        Step(
            UNIT_STEP,
            _("Nơi nộp hồ sơ"),
            reverse("dossiers:draft-unit", args=[draft.pk]),
        )
    ]
    for part in value_sections(schema):
        if schema_condition_holds(part.get("show_if"), known):
            steps.append(
                Step(
                    SECTION_STEP + part["key"],
                    pick(part.get("title")),
                    reverse("dossiers:draft-section", args=[draft.pk, part["key"]]),
                )
            )
    if schema_file_fields(schema):
        steps.append(
            Step(
                DOCUMENTS_STEP,
                _("Giấy tờ kèm theo"),
                reverse("dossiers:draft-documents", args=[draft.pk]),
            )
        )
    steps.append(
        Step(
            REVIEW_STEP,
            _("Kiểm tra và nộp"),
            reverse("dossiers:draft-review", args=[draft.pk]),
        )
    )
    return steps


def step_index(steps: list[Step], key: str) -> int:
    for index, step in enumerate(steps):
        if step.key == key:
            return index
    return 0


def section_get(schema: dict[str, Any], key: str) -> dict[str, Any] | None:
    for part in value_sections(schema):
        if part["key"] == key:
            return part
    return None


def field_step(schema: dict[str, Any], name: str) -> str:
    """The page where field `name` (dotted for persons) is typed or attached."""
    head = name.split(".", 1)[0]
    for part in sections(schema):
        for field in section_fields(part):
            if field.get("name") == head:
                if field.get("type") == "file":
                    return DOCUMENTS_STEP
                return SECTION_STEP + str(part["key"])
    return REVIEW_STEP


def condition_fields(schema: dict[str, Any]) -> set[str]:
    """Every field name a condition of the schema tests."""
    names: set[str] = set()

    def walk(condition: Any) -> None:
        if not isinstance(condition, dict):
            return
        if "all" in condition:
            for part in condition["all"]:
                walk(part)
        elif "field" in condition:
            names.add(str(condition["field"]))

    for part in sections(schema):
        walk(part.get("show_if"))
        for field in section_fields(part):
            walk(field.get("show_if"))
            for choice in field.get("choices", []) or []:
                walk(choice.get("show_if") if isinstance(choice, dict) else None)
            for sub in person_fields(field) if field.get("type") == "person" else []:
                walk(sub.get("show_if"))
    return names


def review_rows(schema: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """What the review page shows: per applicable section, its groups (one per
    person block, one for the other fields) with the label and value of every
    field filled in; choices by their label."""
    known = known_values(schema, values)
    rows: list[dict[str, Any]] = []
    for part in value_sections(schema):
        if not schema_condition_holds(part.get("show_if"), known):
            continue
        groups: list[dict[str, Any]] = []
        for leaf in leaves({"sections": [part]}):
            if leaf.type == "file":
                continue
            conditions = [leaf.field.get("show_if")]
            if leaf.person is not None:
                conditions.append(leaf.person.get("show_if"))
            if not all(schema_condition_holds(c, known) for c in conditions if c):
                continue
            raw = values.get(leaf.name)
            if raw in (None, ""):
                continue
            title = pick(leaf.person.get("label")) if leaf.person else ""
            if not groups or groups[-1]["title"] != title:
                groups.append({"title": title, "items": []})
            value = _display(leaf.field, raw)
            label = pick(leaf.field.get("label"))
            groups[-1]["items"].append({"label": label, "value": value})
        rows.append(
            {"key": part["key"], "title": pick(part.get("title")), "groups": groups}
        )
    return rows


def _display(field: dict[str, Any], raw: Any) -> str:
    if field.get("type") == "yesno":
        text = str(raw).strip().lower()
        return _("Có") if text in ("yes", "true", "1", "có") else _("Không")
    if field.get("type") == "date" and isinstance(raw, str) and len(raw) == 10:
        year, month, day = raw[:4], raw[5:7], raw[8:10]
        if raw[4] == "-" and raw[7] == "-":
            return f"{day}/{month}/{year}"
    for choice in field.get("choices", []) or []:
        if choice.get("value") == raw:
            return pick(choice.get("label"))
    return str(raw)


# --- The population registry --------------------------------------------------------

# Person sub-fields the registry can fill, and from which part of its record.
REGISTRY_FIELDS: dict[str, Callable[[PersonRecord], str]] = {
    "full_name": lambda r: r.full_name,
    "date_of_birth": lambda r: r.date_of_birth.isoformat() if r.date_of_birth else "",
    "sex": lambda r: r.sex,
    "ethnicity": lambda r: r.ethnicity,
    "nationality": lambda r: r.nationality,
    "place_of_birth": lambda r: r.place_of_birth,
    "hometown": lambda r: r.place_of_origin,
    "address": lambda r: r.residence,
}


def lookup_blocks(part: dict[str, Any]) -> list[dict[str, Any]]:
    """The person blocks of a section that carry a personal ID number, i.e. the
    ones the registry can fill."""
    return [
        field
        for field in section_fields(part)
        if field.get("type") == "person"
        and any(sub.get("name") == "personal_id" for sub in person_fields(field))
    ]


def registry_values(block: dict[str, Any], record: PersonRecord) -> dict[str, str]:
    """The values of `block`'s sub-fields that the registry's record provides."""
    values: dict[str, str] = {}
    for sub in person_fields(block):
        take = REGISTRY_FIELDS.get(str(sub.get("name")))
        if take is None:
            continue
        value = take(record)
        if value:
            values[f"{block['name']}.{sub['name']}"] = value
    return values


def missing_documents(draft: Draft) -> list[dict[str, Any]]:
    """Required papers that apply and have no file yet."""
    values = draft_values(draft)
    present = set(draft.attachments.values_list("document_key", flat=True))
    return [
        field
        for field in iter_file_fields(draft.procedure.form_schema, values)
        if field["required"] and field["document"] not in present
    ]


def draft_problems(draft: Draft) -> dict[str, list[str]]:
    """What `dossier_submit` would refuse, by field name: the form data checked
    whole, and the required papers."""
    schema = draft.procedure.form_schema
    _cleaned, errors = schema_clean(schema, draft_values(draft))
    for field in missing_documents(draft):
        errors[field["name"]] = [_("Hãy đính kèm giấy tờ này.")]
    return errors


@dataclass(frozen=True)
class Notice:
    """What to tell the citizen after a registry lookup, and which field it is
    about (the id of its input)."""

    level: str  # success / warning / danger
    message: str
    anchor: str


def registry_fill(
    *, draft: Draft, part: dict[str, Any], block_name: str, number: str, user_id: int
) -> Notice:
    """Fill the person block `block_name` of section `part` from the population
    registry, by the personal ID number typed in it.

    Nothing is asked of the registry without the consent recorded in the draft,
    for a malformed number, or beyond the citizen's rate limit. Whatever
    happens, what was typed stays in the draft.
    """
    block = next((b for b in lookup_blocks(part) if b["name"] == block_name), None)
    if block is None:
        raise ValueError(f"no person block {block_name!r} with a personal ID")
    person = pick(block.get("label"))
    field_id = f"id_{block_name}.personal_id"
    if not draft_registry_consent(draft):
        return Notice(
            "danger",
            _(
                "Chưa tra cứu: hãy đánh dấu ô đồng ý tra cứu CSDL dân cư trước, rồi "
                "bấm lại nút “Lấy thông tin”."
            ),
            "id_registry_consent",
        )
    number = re.sub(r"\s", "", number)
    errors = (
        personal_id_errors(number)
        if number
        else [_("Hãy nhập số định danh cá nhân (12 chữ số) trước.")]
    )
    if errors:
        message = _("Số định danh của “%(person)s”: %(error)s") % {
            "person": person,
            "error": errors[0],
        }
        return Notice("danger", message, field_id)
    if not rate_limit_consume(
        scope="registry-lookup",
        key=str(user_id),
        limit=settings.POPULATION_REGISTRY_LOOKUP_LIMIT,
    ):
        message = _(
            "Bạn đã tra cứu nhiều lần trong thời gian ngắn. Hãy tự nhập thông tin, "
            "hoặc thử lại sau."
        )
        return Notice("warning", message, field_id)
    try:
        record = population_registry().lookup(number)
    except RegistryUnavailable as exc:
        return Notice("warning", exc.message, field_id)
    if record is None:
        message = _(
            "CSDL dân cư không có số định danh %(number)s. Hãy kiểm tra lại số, "
            "hoặc tự nhập thông tin."
        ) % {"number": number}
        return Notice("warning", message, field_id)
    draft_update(draft=draft, values=registry_values(block, record))
    message = _(
        "Đã điền thông tin của “%(person)s” từ CSDL dân cư. Hãy đọc lại, sửa nếu "
        "cần, rồi bấm “Lưu và tiếp tục”."
    ) % {"person": person}
    return Notice("success", message, field_id)


def iter_file_fields(
    schema: dict[str, Any], values: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The attachments that apply to what was typed, with their help text."""
    helps = {
        leaf.name: pick(leaf.field.get("help"))
        for leaf in leaves(schema)
        if leaf.type == "file"
    }
    for field in schema_file_fields(schema, known_values(schema, values)):
        yield {**field, "help": helps.get(field["name"], "")}


def document_key_for(schema: dict[str, Any], text: str) -> str:
    """The document key of the schema's paper named `text` (a supplement request
    item), or "" when the item names no paper of the form."""
    wanted = " ".join(str(text).split()).casefold()
    for field in schema_file_fields(schema):
        if wanted in (
            str(field["document"]).casefold(),
            " ".join(str(field["label"]).split()).casefold(),
        ):
            return str(field["document"])
    return ""

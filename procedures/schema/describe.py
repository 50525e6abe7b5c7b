"""Descriptions of a schema for others: the API's field list, the attachments the
dossier app must check, prefilled values, and the generic schema."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from .cleaning import schema_condition_holds
from .definitions import Leaf, leaves, person_fields, pick, section_fields, sections


def field_labels(schema: dict[str, Any]) -> dict[str, str]:
    """Dotted field name -> label in the active language (persons included)."""
    labels: dict[str, str] = {}
    for part in sections(schema):
        for field in section_fields(part):
            labels[field["name"]] = pick(field.get("label"))
            if field.get("type") == "person":
                for sub in person_fields(field):
                    labels[f"{field['name']}.{sub['name']}"] = _(
                        "%(person)s: %(field)s"
                    ) % {
                        "person": pick(field.get("label")),
                        "field": pick(sub.get("label")),
                    }
    return labels


def _value_label(schema: dict[str, Any], name: str, value: Any) -> str:
    for leaf in leaves(schema):
        if leaf.name != name:
            continue
        if leaf.type == "yesno":
            return _("Có") if value else _("Không")
        for choice in leaf.field.get("choices", []):
            if choice.get("value") == value:
                return pick(choice.get("label"))
    return str(value)


def condition_hint(
    schema: dict[str, Any], condition: dict[str, Any], labels: dict[str, str]
) -> str:
    """A sentence saying when a conditional field applies."""

    def part(cond: dict[str, Any]) -> str:
        if "all" in cond:
            return _(" và ").join(part(c) for c in cond["all"])
        label = labels.get(cond["field"], cond["field"])
        values = cond["in"] if "in" in cond else [cond["equals"]]
        shown = ", ".join(
            f"“{_value_label(schema, cond['field'], value)}”" for value in values
        )
        return _("“%(field)s” là %(values)s") % {"field": label, "values": shown}

    return _("Chỉ cần khi %(condition)s.") % {"condition": part(condition)}


def _combined(*conditions: Any) -> dict[str, Any] | None:
    present = [c for c in conditions if c]
    if not present:
        return None
    return present[0] if len(present) == 1 else {"all": present}


def _visible(leaf: Leaf, data: Mapping[str, Any]) -> bool:
    conditions = [leaf.section.get("show_if"), leaf.field.get("show_if")]
    if leaf.person is not None:
        conditions.append(leaf.person.get("show_if"))
    return all(schema_condition_holds(c, dict(data)) for c in conditions if c)


def schema_api_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The API's `form.fields`: every field, persons flattened to dotted names.

    A person's sub-field is required only once its block is required or started
    (`block`, `block_required`).
    """
    labels = field_labels(schema)
    fields: list[dict[str, Any]] = []
    for leaf in leaves(schema):
        item: dict[str, Any] = {
            "name": leaf.name,
            "label": labels.get(leaf.name, pick(leaf.field.get("label"))),
            "type": leaf.type,
            "required": leaf.required,
            "section": leaf.section["key"],
        }
        if leaf.type == "select":
            item["choices"] = [
                {"value": c["value"], "label": pick(c["label"])}
                for c in leaf.field["choices"]
            ]
        help_text = pick(leaf.field.get("help"))
        if help_text:
            item["help"] = help_text
        condition = _combined(
            leaf.section.get("show_if"),
            leaf.person.get("show_if") if leaf.person else None,
            leaf.field.get("show_if"),
        )
        if condition:
            item["show_if"] = condition
        for key in ("prefill", "document", "parent"):
            if key in leaf.field:
                item[key] = leaf.field[key]
        if leaf.person is not None:
            item["block"] = leaf.person["name"]
            item["block_required"] = bool(leaf.person.get("required", False))
        fields.append(item)
    return fields


def schema_file_fields(
    schema: dict[str, Any], data: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The attachments the schema asks for: name, document key, required, label.

    With the cleaned `data`, only those whose conditions hold.
    """
    return [
        {
            "name": leaf.name,
            "document": leaf.field["document"],
            "required": leaf.required,
            "label": pick(leaf.field["label"]),
            "section": leaf.section["key"],
        }
        for leaf in leaves(schema)
        if leaf.type == "file" and (data is None or _visible(leaf, data))
    ]


def schema_prefill(schema: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Initial values by field name from the prefill vocabulary's `values`
    ({"applicant.full_name": ..., ...}), for the fields that ask for them."""
    return {
        leaf.name: values[leaf.field["prefill"]]
        for leaf in leaves(schema)
        if leaf.field.get("prefill") in values
        and values[leaf.field["prefill"]] not in (None, "")
    }


def schema_generic(documents: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The schema for a procedure without its own: the applicant, the request and
    one file field per document.

    A document is mapped to a required upload when it is required and cannot
    be taken from a national database.
    """
    applicant = {
        "name": "applicant",
        "type": "person",
        "role": "applicant",
        "required": True,
        "label": {"vi": "Người nộp hồ sơ", "en": "Applicant"},
        "fields": [
            {"name": "full_name", "prefill": "applicant.full_name"},
            {"name": "date_of_birth", "prefill": "applicant.date_of_birth"},
            {"name": "sex", "prefill": "applicant.sex"},
            {
                "name": "personal_id",
                "required": True,
                "prefill": "applicant.personal_id",
            },
            {"name": "phone", "required": True, "prefill": "applicant.phone"},
            {"name": "email", "prefill": "applicant.email"},
            {"name": "address", "prefill": "applicant.address"},
        ],
    }
    request = {
        "name": "request",
        "type": "textarea",
        "required": False,
        "label": {"vi": "Nội dung đề nghị", "en": "What you are asking for"},
        "help": {
            "vi": "Ghi thêm thông tin giúp cơ quan giải quyết, nếu có.",
            "en": "Anything that helps the agency handle your request.",
        },
    }
    files = [
        {
            "name": "file_" + str(doc["key"]).replace("-", "_"),
            "type": "file",
            "document": doc["key"],
            "required": bool(doc.get("required", True))
            and doc.get("ecopy_from_national_db") is not True,
            "label": {"vi": doc["name"], "en": doc.get("name_en") or doc["name"]},
        }
        for doc in documents
    ]
    result: dict[str, Any] = {
        "version": 1,
        "sections": [
            {
                "key": "nguoi-nop",
                "title": {"vi": "Người nộp hồ sơ", "en": "Applicant"},
                "fields": [applicant, request],
            }
        ],
    }
    if files:
        result["sections"].append(
            {
                "key": "giay-to",
                "title": {"vi": "Giấy tờ kèm theo", "en": "Documents"},
                "fields": files,
            }
        )
    return result

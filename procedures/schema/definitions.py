"""The vocabulary of form schemas and helpers to walk them.

A schema is plain JSON stored on the procedure:

    {"version": 1, "sections": [{"key", "title": {"vi", "en"}, "show_if"?,
      "fields": [{"name", "type", "label": {"vi", "en"}, "required", "help",
                  "choices", "show_if", "prefill", "document", "fields", ...}]}]}

A person block lists its sub-fields either in full or by the name of a standard
sub-field ("full_name", "date_of_birth", ...), whose type and label are known.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import translation

FIELD_TYPES = (
    "text",
    "textarea",
    "number",
    "date",
    "select",
    "yesno",
    "personal_id",
    "phone",
    "email",
    "admin_unit",
    "person",
    "file",
)
# Types whose value is part of the submitted data (a file is an attachment).
VALUE_TYPES = frozenset(FIELD_TYPES) - {"person", "file"}
# Types a condition may test.
CONDITION_TYPES = frozenset({"text", "number", "select", "yesno", "admin_unit"})

PERSON_ROLES = (
    "applicant",
    "child",
    "father",
    "mother",
    "deceased",
    "husband",
    "wife",
    "guardian",
    "member",
)

# What the accounts app can fill in from the signed-in citizen's profile.
PREFILL_KEYS = (
    "applicant.full_name",
    "applicant.personal_id",
    "applicant.date_of_birth",
    "applicant.sex",
    "applicant.phone",
    "applicant.email",
    "applicant.address",
)

MALE = "male"
FEMALE = "female"
SEX_CHOICES: list[dict[str, Any]] = [
    {"value": MALE, "label": {"vi": "Nam", "en": "Male"}},
    {"value": FEMALE, "label": {"vi": "Nữ", "en": "Female"}},
]

# Standard sub-fields of a person block: a block may name them only.
STANDARD_PERSON_FIELDS: dict[str, dict[str, Any]] = {
    "full_name": {
        "type": "text",
        "label": {"vi": "Họ, chữ đệm và tên", "en": "Full name"},
        "required": True,
    },
    "date_of_birth": {
        "type": "date",
        "label": {"vi": "Ngày, tháng, năm sinh", "en": "Date of birth"},
        "required": True,
        "no_future": True,
    },
    "sex": {
        "type": "select",
        "label": {"vi": "Giới tính", "en": "Sex"},
        "required": True,
        "choices": SEX_CHOICES,
    },
    "personal_id": {
        "type": "personal_id",
        "label": {
            "vi": "Số định danh cá nhân",
            "en": "Personal identification number",
        },
        "required": False,
        "help": {
            "vi": "12 chữ số trên thẻ căn cước.",
            "en": "The 12 digits on the identity card.",
        },
    },
    "ethnicity": {
        "type": "text",
        "label": {"vi": "Dân tộc", "en": "Ethnic group"},
        "required": False,
    },
    "nationality": {
        "type": "text",
        "label": {"vi": "Quốc tịch", "en": "Nationality"},
        "required": False,
    },
    "place_of_birth": {
        "type": "text",
        "label": {"vi": "Nơi sinh", "en": "Place of birth"},
        "required": False,
    },
    "hometown": {
        "type": "text",
        "label": {"vi": "Quê quán", "en": "Home town"},
        "required": False,
    },
    "address": {
        "type": "text",
        "label": {"vi": "Nơi cư trú", "en": "Place of residence"},
        "required": False,
    },
    "phone": {
        "type": "phone",
        "label": {"vi": "Số điện thoại", "en": "Phone number"},
        "required": False,
    },
    "email": {
        "type": "email",
        "label": {"vi": "Thư điện tử", "en": "Email"},
        "required": False,
    },
    "relationship": {
        "type": "text",
        "label": {"vi": "Quan hệ với người được đăng ký", "en": "Relationship"},
        "required": False,
    },
}

COMMON_KEYS = frozenset(
    {"name", "type", "label", "required", "help", "show_if", "prefill"}
)
EXTRA_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"max_length"}),
    "textarea": frozenset({"max_length"}),
    "number": frozenset({"min", "max"}),
    "date": frozenset({"no_future"}),
    "select": frozenset({"choices"}),
    "admin_unit": frozenset({"parent"}),
    "person": frozenset({"fields", "role"}),
    "file": frozenset({"document"}),
}
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
# The range of a number field whose schema does not say: counts, months, copies,
# areas and amounts of a citizen's form all fit, an absurd value (10^30 months)
# does not. A schema's own "min"/"max" replaces either end.
DEFAULT_NUMBER_MIN = 0
DEFAULT_NUMBER_MAX = 999_999_999


def number_bounds(field: dict[str, Any]) -> tuple[Any, Any]:
    """The (min, max) a number field accepts: its own, or the default range."""
    return field.get("min", DEFAULT_NUMBER_MIN), field.get("max", DEFAULT_NUMBER_MAX)


def pick(text: Any) -> str:
    """The active language's version of a {"vi", "en"} text (Vietnamese fallback)."""
    if isinstance(text, str):
        return text
    if not isinstance(text, dict):
        return ""
    language = (translation.get_language() or "vi")[:2]
    return str(text.get(language) or text.get("vi") or "")


def expand_subfield(sub: Any) -> dict[str, Any]:
    """A person sub-field in full: standard names take their type and label."""
    if isinstance(sub, str):
        sub = {"name": sub}
    if not isinstance(sub, dict):
        return {}
    standard = STANDARD_PERSON_FIELDS.get(str(sub.get("name", "")), {})
    return {**standard, **sub}


@dataclass(frozen=True)
class Leaf:
    """A field that holds one value (or one file), with where it sits."""

    name: str  # dotted for person sub-fields: "child.full_name"
    field: dict[str, Any]
    section: dict[str, Any]
    person: dict[str, Any] | None = None

    @property
    def type(self) -> str:
        return str(self.field.get("type", ""))

    @property
    def required(self) -> bool:
        return bool(self.field.get("required", False))


def sections(schema: dict[str, Any]) -> list[dict[str, Any]]:
    value = schema.get("sections") if isinstance(schema, dict) else None
    return [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []


def section_fields(section: dict[str, Any]) -> list[dict[str, Any]]:
    value = section.get("fields")
    return [f for f in value if isinstance(f, dict)] if isinstance(value, list) else []


def person_fields(field: dict[str, Any]) -> list[dict[str, Any]]:
    value = field.get("fields")
    if not isinstance(value, list):
        return []
    return [sub for sub in (expand_subfield(s) for s in value) if sub]


def leaves(schema: dict[str, Any]) -> Iterator[Leaf]:
    """Every value or file field, in the order of the schema."""
    for section in sections(schema):
        for field in section_fields(section):
            if field.get("type") == "person":
                for sub in person_fields(field):
                    yield Leaf(
                        f"{field.get('name')}.{sub.get('name')}", sub, section, field
                    )
            else:
                yield Leaf(str(field.get("name")), field, section)


def lookup(data: Any, name: str) -> Any:
    """The value of `name` in `data`, flat ("child.full_name") or nested."""
    if not isinstance(data, dict):
        return None
    if name in data:
        return data[name]
    head, dot, rest = name.partition(".")
    if dot and isinstance(data.get(head), dict):
        return data[head].get(rest)
    return None

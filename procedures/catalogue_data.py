"""The catalogue's JSON format: the reviewed data files and export/import files.

One document holds sectors, life events, procedures and guides:

    {"format": "cong-dich-vu-cong/catalogue", "version": 1,
     "fields": [...], "life_events": [...], "procedures": [...], "guides": [...]}

procedures/data/ keeps the same content split into files (one per procedure) so
that each fact is reviewed in git next to its source.
"""

import copy
import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMAT = "cong-dich-vu-cong/catalogue"


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"

    def __deepcopy__(self, memo: dict[int, Any]) -> "_Required":
        return self


# The default of a key every entry must give.
REQUIRED: Any = _Required()
VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"

# Every key of a procedure entry, with its default when a data file leaves it out.
PROCEDURE_DEFAULTS: dict[str, Any] = {
    "key": REQUIRED,
    "code": "",
    "mapping_note": "",
    "mapping_note_en": "",
    "essential_seq": None,
    "name": REQUIRED,
    "name_en": REQUIRED,
    "keywords": "",
    "field": REQUIRED,
    "life_events": [],
    "kind": "single",
    "submittable": True,
    "where_done": "",
    "where_done_en": "",
    "agency_type": REQUIRED,
    "agency_level": "",
    "agency_name": "",
    "agency_name_en": "",
    "processing_days": None,
    "same_day": False,
    "processing_note": "",
    "processing_note_en": "",
    "fee_online_vnd": None,
    "fee_counter_vnd": None,
    "fee_note": "",
    "fee_note_en": "",
    "fee_basis": {},
    "counter_only_reason": "",
    "counter_only_reason_en": "",
    "online_level": "",
    "legal_basis": "",
    "legal_basis_en": "",
    "result_documents": "",
    "result_documents_en": "",
    "has_document_result": True,
    "verified": REQUIRED,
    "verified_note": "",
    "source": REQUIRED,
    "documents": [],
    "steps": [],
    "form_schema": None,
    "listed_from": None,
    "listed_until": None,
}
DOCUMENT_DEFAULTS: dict[str, Any] = {
    "key": REQUIRED,
    "name": REQUIRED,
    "name_en": REQUIRED,
    "copies": None,
    "required": True,
    "condition_note": "",
    "condition_note_en": "",
    "ecopy_from_store": None,
    "ecopy_from_national_db": None,
}
STEP_DEFAULTS: dict[str, Any] = {
    "order": REQUIRED,
    "procedure": REQUIRED,
    "agency_type": REQUIRED,
    "processing_days": None,
    "same_day": False,
    "processing_note": "",
    "processing_note_en": "",
    "optional": False,
    "condition": {},
}
NAMED_DEFAULTS: dict[str, Any] = {
    "code": REQUIRED,
    "name": REQUIRED,
    "name_en": REQUIRED,
}
GUIDE_DEFAULTS: dict[str, Any] = {
    "slug": REQUIRED,
    "title": REQUIRED,
    "title_en": REQUIRED,
    "summary": REQUIRED,
    "summary_en": REQUIRED,
    "procedure": "",
    "is_published": True,
    "steps": [],
}
GUIDE_STEP_DEFAULTS: dict[str, Any] = {
    "text": REQUIRED,
    "text_en": REQUIRED,
    "image": "",
    "image_alt": "",
    "image_alt_en": "",
}


def days_to_json(value: Decimal | None) -> int | float | None:
    """7 stays 7 and 0.5 stays 0.5 in the JSON files."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def days_from_json(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def date_to_json(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def date_from_json(value: Any) -> datetime.date | None:
    """An ISO date ("2026-01-31") or None; ValueError for anything else."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def unknown_keys(entry: dict[str, Any], defaults: dict[str, Any]) -> list[str]:
    return sorted(set(entry) - set(defaults))


def with_defaults(entry: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The entry with every key, in the canonical order (missing = default)."""
    return {
        key: entry[key] if key in entry else copy.deepcopy(default)
        for key, default in defaults.items()
    }


def missing_keys(entry: dict[str, Any]) -> list[str]:
    """Keys of a `with_defaults` result that the entry had to give and did not."""
    return [key for key, value in entry.items() if value is REQUIRED]


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def read_data_dir(path: Path = DATA_DIR) -> dict[str, Any]:
    """The reviewed data files as one catalogue document."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "fields": _read(path / "fields.json"),
        "life_events": _read(path / "life_events.json"),
        "procedures": [
            _read(file) for file in sorted((path / "procedures").glob("*.json"))
        ],
        "guides": _read(path / "guides.json"),
    }


def dump(document: dict[str, Any]) -> str:
    """Stable, readable JSON (sorted as given, UTF-8, 2-space indent)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

"""A dossier's form data as labelled rows (the officer's page, generated results)."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from procedures.schema import field_labels
from procedures.schema.definitions import leaves, lookup, pick
from units.models import AdminUnit
from units.selectors import valid_on_q

from ..models import Dossier


def dossier_data_rows(*, dossier: Dossier) -> list[tuple[str, str]]:
    """The dossier's form data as (label, value) in the schema's order, in the
    active language; values the schema does not know come last, as stored."""
    schema = dossier.procedure.form_schema
    labels = field_labels(schema)
    fields = [leaf for leaf in leaves(schema) if leaf.type != "file"]
    # Administrative units are stored by code; one query names them all.
    codes = {
        str(lookup(dossier.data, leaf.name))
        for leaf in fields
        if leaf.type == "admin_unit" and lookup(dossier.data, leaf.name)
    }
    day = timezone.localtime(dossier.submitted_at).date()
    places = dict(
        AdminUnit.objects.filter(valid_on_q(day), code__in=codes).values_list(
            "code", "name"
        )
        if codes
        else []
    )
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for leaf in fields:
        value = lookup(dossier.data, leaf.name)
        seen.add(leaf.name.split(".", 1)[0])
        if value in (None, "", [], {}):
            continue
        shown = _shown(leaf.field, value)
        if leaf.type == "admin_unit" and str(value) in places:
            shown = f"{places[str(value)]} ({value})"
        rows.append((labels.get(leaf.name, leaf.name), shown))
    for name, value in dossier.data.items():
        if name not in seen and value not in (None, "", [], {}):
            rows.append((name, _shown({}, value)))
    return rows


def _shown(field: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    for choice in field.get("choices", []):
        if choice.get("value") == value:
            return pick(choice.get("label"))
    if field.get("type") == "date" and isinstance(value, str):
        try:
            return f"{datetime.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown({}, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_shown({}, v) for v in value)
    return str(value)

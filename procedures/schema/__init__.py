"""Form schemas: one JSON description per procedure drives the web form, the API
and the dossier app's validation.

Public functions (the dossier app calls them):
`schema_errors`, `schema_clean`, `schema_form_class`, `schema_api_fields`,
`schema_file_fields`; helpers `schema_condition_holds`, `schema_condition_errors`,
`schema_prefill`, `schema_generic`. The shape is described in docs/catalogue.md.
"""

from .cleaning import SchemaError, schema_clean, schema_condition_holds
from .definitions import FIELD_TYPES, PERSON_ROLES, PREFILL_KEYS, STANDARD_PERSON_FIELDS
from .describe import (
    field_labels,
    schema_api_fields,
    schema_file_fields,
    schema_generic,
    schema_prefill,
)
from .forms import SchemaForm, schema_form_class
from .validation import schema_condition_errors, schema_errors

__all__ = [
    "FIELD_TYPES",
    "PERSON_ROLES",
    "PREFILL_KEYS",
    "STANDARD_PERSON_FIELDS",
    "SchemaError",
    "SchemaForm",
    "field_labels",
    "schema_api_fields",
    "schema_clean",
    "schema_condition_errors",
    "schema_condition_holds",
    "schema_errors",
    "schema_file_fields",
    "schema_form_class",
    "schema_generic",
    "schema_prefill",
]

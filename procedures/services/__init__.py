"""Writes to the catalogue (a package by concept; import from `procedures.services`):

- edits.py: saving a procedure edited in the portal, adding a question
- checking.py: `catalogue_errors`, every problem of a catalogue document
- importing.py: `catalogue_import` (all or nothing), `catalogue_load_reference`
- province_list.py: `procedure_list_import` / `procedure_list_export`, the
  province's published list of procedures (CSV or JSON, line-numbered errors)
- places.py: `anywhere_in_province_import`, a province's list of procedures
  received regardless of administrative boundary, from CSV
"""

from .checking import (
    PLAIN_FIELDS,
    catalogue_checked,
    catalogue_errors,
    procedure_find,
)
from .edits import (
    faq_create,
    procedure_save,
    procedure_set_search_columns,
)
from .importing import (
    CatalogueError,
    ImportReport,
    catalogue_import,
    catalogue_load_reference,
)
from .places import ANYWHERE_DEMO_CSV, anywhere_in_province_import
from .province_list import procedure_list_export, procedure_list_import

__all__ = [
    "ANYWHERE_DEMO_CSV",
    "PLAIN_FIELDS",
    "CatalogueError",
    "ImportReport",
    "anywhere_in_province_import",
    "catalogue_checked",
    "catalogue_errors",
    "catalogue_import",
    "catalogue_load_reference",
    "faq_create",
    "procedure_find",
    "procedure_list_export",
    "procedure_list_import",
    "procedure_save",
    "procedure_set_search_columns",
]

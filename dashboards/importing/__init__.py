"""Import of historical dossiers and of units' e-ID figures from CSV files.

The formats, rules and the choices behind them (placeholder applicants, how a
unit code is matched) are in docs/dashboards.md. A file is read once: valid rows
are inserted in batches inside one transaction, every row is checked, and a
file with any bad row is rolled back whole unless bad rows are to be skipped.

- common.py: reading a CSV file, its values and unit codes; the report
- rows.py: a historical dossier's row and its checks (`parse_dossier_row`)
- dossiers.py: `dossiers_import`, `dossiers_insert` (the Python path)
- staged.py, staged_sql.py: the same import on PostgreSQL, in SQL
- unit_stats.py: `unit_stats_import`
"""

from .common import (
    MAX_LISTED_ERRORS,
    UNIT_STAT_COLUMNS,
    ImportRefused,
    ImportReport,
    RowError,
    UnitLookup,
    both_languages,
)
from .dossiers import DOSSIER_INSERT_COLUMNS, dossiers_import, dossiers_insert
from .rows import DOSSIER_COLUMNS, DossierRow, import_applicant, parse_dossier_row
from .unit_stats import unit_stats_import

__all__ = [
    "DOSSIER_COLUMNS",
    "DOSSIER_INSERT_COLUMNS",
    "MAX_LISTED_ERRORS",
    "UNIT_STAT_COLUMNS",
    "DossierRow",
    "ImportRefused",
    "ImportReport",
    "RowError",
    "UnitLookup",
    "both_languages",
    "dossiers_import",
    "dossiers_insert",
    "import_applicant",
    "parse_dossier_row",
    "unit_stats_import",
]

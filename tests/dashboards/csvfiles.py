"""CSV files in the import formats, written by the tests."""

import csv
import datetime
from pathlib import Path
from typing import Any

from dashboards.importing import DOSSIER_COLUMNS, UNIT_STAT_COLUMNS


def dossier_row(**values: Any) -> dict[str, str]:
    """A valid returned dossier, with any column replaced."""
    row = {
        "code": "000.11.59.H00-230301-0001",
        "procedure_code": "",
        "unit_code": "000.11.59.H00",
        "channel": "online",
        "submitted_at": "2023-03-01T08:00",
        "received_at": "2023-03-01T09:00",
        "due_at": "2023-03-06T17:00",
        "completed_at": "2023-03-03T10:00",
        "returned_at": "2023-03-03T11:00",
        "status": "returned",
        "result_digitized": "",
        "fee_vnd": "",
        "paid_online": "",
        "rating": "",
    }
    for key, value in values.items():
        row[key] = _text(value)
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    return str(value)


def write_csv(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = DOSSIER_COLUMNS
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_unit_stats(path: Path, rows: list[tuple[str, str, int, int]]) -> Path:
    return write_csv(
        path,
        [dict(zip(UNIT_STAT_COLUMNS, map(str, row), strict=True)) for row in rows],
        UNIT_STAT_COLUMNS,
    )

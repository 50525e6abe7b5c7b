"""Bulk inserts of plain rows: PostgreSQL COPY, or bulk_create elsewhere.

The historical import and `seed_demo --dossiers` write millions of rows; going
through model instances costs more than the database work (Django prepares each
value of each row). Rows here are tuples in the order of `columns` (attribute
names, e.g. "procedure_id"), streamed to COPY on PostgreSQL.
"""

import csv
import datetime
import io
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - a column, not a relation
    return field


def _copy_value(value: Any) -> Any:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """Primary keys for `count` new rows from the table's sequence
    (PostgreSQL), or None where the database assigns them on insert."""
    if connection.vendor != "postgresql" or count == 0:
        return None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> list[int]:
    """Insert rows; returns their primary keys when the model has an `id`
    column listed in `columns` or assigned by bulk_create, else []."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([_copy_value(v) for v in row])
        buffer.seek(0)
        quote = connection.ops.quote_name
        names = ", ".join(quote(str(_field(model, c).column)) for c in columns)
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            # Only quoted names are interpolated; the data is streamed.
            cursor.cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
        if "id" in columns:
            index = list(columns).index("id")
            return [row[index] for row in rows]
        return []
    attnames = [_field(model, c).attname for c in columns]
    objects = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
    created = model._default_manager.bulk_create(objects)
    return [obj.pk for obj in created]

"""Trigram index for catalogue search on PostgreSQL.

Search compares the normalised `search_text` column with LIKE '%word%' on every
database (one normaliser, same results). On PostgreSQL a pg_trgm GIN index serves
those LIKE patterns; SQLite has no such index and needs none at catalogue size.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "procedure_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON procedures_procedure "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_catalogue")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]

"""The test database, migrated once and copied for each run (docs/architecture.md,
"Tests").

Migrating from zero takes about 25 s, on SQLite as on PostgreSQL: most of a
targeted run. pytest-django's `--reuse-db` alone (keep the last run's database
and migrate what is new) is not enough here: the transactional tests flush every
table when they end, so the next run would start without the rows the data
migrations wrote (the worked Saturdays of dossiers/0002), and a migration edited
in place, or a branch with other migrations, would leave a schema no migration
describes.

So with `--reuse-db` (pyproject.toml's addopts) the first run migrates a new
database as usual and keeps a copy of it, named by a fingerprint of every
migration file (the project's and the installed apps') and Django's version:
PostgreSQL keeps a database `<test database>_migrated` created from it as a
template, SQLite a file under var/test-db/ (its test database lives in memory).
The next runs start from a fresh copy of that database (about 1 s) when the
fingerprint is the same, and migrate from zero again, making a new copy, when it
is not. `--create-db` migrates from zero whatever the fingerprint.
"""

import hashlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from django.db import connections

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_DIR = BASE_DIR / "var" / "test-db"


def migrations_fingerprint() -> str:
    """A digest of every migration on disk and of Django's version."""
    import django
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(django.get_version().encode())
    for key in sorted(loader.disk_migrations):
        module = sys.modules[type(loader.disk_migrations[key]).__module__]
        digest.update("/".join(key).encode())
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:20]


class PostgresCopy:
    """The migrated database kept beside the test database, as a template."""

    def __init__(self, settings_dict: dict[str, Any], fingerprint: str):
        self.settings = settings_dict
        self.fingerprint = fingerprint
        self.test_name = settings_dict["TEST"].get("NAME") or (
            "test_" + settings_dict["NAME"]
        )
        self.name = f"{self.test_name[:54]}_migrated"

    def close(self) -> None:
        pass

    def _server(self) -> Any:
        import psycopg2

        s = self.settings
        server = psycopg2.connect(
            dbname="postgres",
            user=s["USER"] or None,
            password=s["PASSWORD"] or None,
            host=s["HOST"] or None,
            port=s["PORT"] or None,
        )
        server.autocommit = True
        return server

    def _run(self, *statements: tuple[str, tuple[str, ...], list[Any]]) -> list[Any]:
        from psycopg2 import sql

        rows: list[Any] = []
        server = self._server()
        try:
            with server.cursor() as cursor:
                for text, names, params in statements:
                    query = sql.SQL(text).format(*map(sql.Identifier, names))
                    cursor.execute(query, params)
                    if cursor.description:
                        rows.extend(cursor.fetchall())
        finally:
            server.close()
        return rows

    def restore(self) -> bool:
        """Replace the test database by a copy of the kept one, if it was made
        from the same migrations."""
        rows = self._run(
            (
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = %s",
                (),
                [self.name],
            )
        )
        if not rows or rows[0][0] != self.fingerprint:
            return False
        self._run(
            ("DROP DATABASE IF EXISTS {}", (self.test_name,), []),
            ("CREATE DATABASE {} TEMPLATE {}", (self.test_name, self.name), []),
        )
        return True

    def save(self) -> None:
        """Keep a copy of the test database just migrated (none when the run
        set up no database: no test of it asked for one)."""
        if connections["default"].settings_dict["NAME"] != self.test_name:
            return
        connections.close_all()  # a template has no other session
        self._run(
            ("DROP DATABASE IF EXISTS {}", (self.name,), []),
            ("CREATE DATABASE {} TEMPLATE {}", (self.name, self.test_name), []),
            ("COMMENT ON DATABASE {} IS %s", (self.name,), [self.fingerprint]),
        )


class SqliteCopy:
    """The migrated in-memory database kept as a file under var/test-db/."""

    # Django's name for the in-memory test database of the default alias.
    MEMORY = "file:memorydb_default?mode=memory&cache=shared"

    def __init__(self, fingerprint: str):
        self.path = SQLITE_DIR / f"{fingerprint}.sqlite3"
        # Holds the shared in-memory database open until Django connects to it.
        self.holder: sqlite3.Connection | None = None

    def restore(self) -> bool:
        if not self.path.exists():
            return False
        self.holder = sqlite3.connect(self.MEMORY, uri=True)
        source = sqlite3.connect(self.path)
        try:
            source.backup(self.holder)
        finally:
            source.close()
        return True

    def save(self) -> None:
        connection = connections["default"]
        if connection.settings_dict["NAME"] != self.MEMORY:
            return
        connection.ensure_connection()
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        # Two pytest-xdist processes may save at the same time: each writes a
        # file of its own and renames it (the same content, whichever wins).
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        partial.replace(self.path)
        for old in SQLITE_DIR.glob("*.sqlite3"):
            if old != self.path:
                old.unlink(missing_ok=True)

    def close(self) -> None:
        if self.holder is not None:
            self.holder.close()
            self.holder = None


def kept_copy() -> PostgresCopy | SqliteCopy | None:
    """The kept copy for the default database, or None where there is none (a
    file SQLite test database, another backend)."""
    settings_dict = connections["default"].settings_dict
    vendor = connections["default"].vendor
    if vendor == "postgresql":
        return PostgresCopy(settings_dict, migrations_fingerprint())
    test_name = settings_dict["TEST"].get("NAME")
    if vendor == "sqlite" and (not test_name or test_name == ":memory:"):
        return SqliteCopy(migrations_fingerprint())
    return None

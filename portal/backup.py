"""Backups: the database, the uploaded files and a manifest with checksums.

A backup is a folder:
- `database.dump` (PostgreSQL custom format, pg_dump) or `database.sqlite3` (SQLite
  online backup);
- `media.tar` (everything under MEDIA_ROOT);
- `manifest.json`: when, which database engine, the SHA-256 of both files, and for
  every table its row count and a checksum of its rows.

`restore` checks the files against the manifest before touching anything, restores
into an empty database (and a media folder), then recomputes every table's count
and checksum and compares them with the manifest.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_DUMP = "database.sqlite3"
MEDIA_TAR = "media.tar"


class BackupError(Exception):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Table fingerprints -------------------------------------------------------------


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def pg_fingerprints(cursor: Any) -> dict[str, dict[str, Any]]:
    """Row count and an order-independent checksum of every table (PostgreSQL).

    Each row is hashed from its text form; the table checksum is the hash of the
    sorted row hashes, so it does not depend on physical order.
    """
    # The text form of a row depends on the session's settings: fix them.
    cursor.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'")
    result = {}
    for table in _pg_tables(cursor):
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "  # noqa: S608 - table names from the catalog
            f"FROM (SELECT md5(t::text) AS h FROM {quoted} t) rows"
        )
        count, checksum = cursor.fetchone()
        result[table] = {"rows": count, "checksum": checksum}
    return result


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    """A plain connection that knows REGEXP, as Django's does (CHECK constraints
    such as the agency-code format use it)."""
    conn = sqlite3.connect(path)
    conn.create_function(
        "REGEXP",
        2,
        lambda pattern, value: (
            value is not None and re.search(pattern, str(value)) is not None
        ),
        deterministic=True,
    )
    return conn


def sqlite_fingerprints(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({quoted})")]
        # quote() gives each value's SQL text in SQLite itself, whatever type
        # conversion the Python connection applies.
        row_text = " || '|' || ".join(
            'quote("' + column.replace('"', '""') + '")' for column in columns
        )
        hashes = sorted(
            hashlib.md5(row[0].encode(), usedforsecurity=False).hexdigest()
            for row in conn.execute(f"SELECT {row_text} FROM {quoted}")  # noqa: S608
        )
        checksum = hashlib.md5("".join(hashes).encode(), usedforsecurity=False)
        result[table] = {"rows": len(hashes), "checksum": checksum.hexdigest()}
    return result


def current_fingerprints() -> dict[str, dict[str, Any]]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            return pg_fingerprints(cursor)
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)  # noqa: S101 - only two engines
    return sqlite_fingerprints(raw)


# --- Backup -------------------------------------------------------------------------


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def backup_create(*, output: Path) -> Path:
    """Write a new backup folder under `output`; returns its path."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    target = output / f"backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    db = connection.settings_dict
    files: dict[str, str] = {}
    if connection.vendor == "postgresql":
        dump = target / PG_DUMP
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [  # noqa: S607 - the PostgreSQL client found on PATH
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(dump),
                *_pg_args(db),
                db["NAME"],
            ],
            check=True,
            env=_pg_env(db),
        )
        files[PG_DUMP] = sha256_file(dump)
    else:
        dump = target / SQLITE_DUMP
        connection.ensure_connection()
        raw = connection.connection
        # iterdump reads inside the caller's transaction too (the online backup
        # API waits for it to end).
        with _sqlite_connect(dump) as copy:
            copy.executescript("\n".join(raw.iterdump()))
        files[SQLITE_DUMP] = sha256_file(dump)
    media = target / MEDIA_TAR
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(media, "w") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname="media")
    files[MEDIA_TAR] = sha256_file(media)
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": connection.vendor,
        "files": files,
        "tables": current_fingerprints(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


# --- Restore ------------------------------------------------------------------------


@dataclass
class RestoreReport:
    tables: int
    rows: int
    mismatches: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _load_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} is missing: not a backup folder")
    manifest: dict[str, Any] = json.loads(path.read_text())
    for name, checksum in manifest["files"].items():
        file = folder / name
        if not file.is_file() or sha256_file(file) != checksum:
            raise BackupError(f"{name} is missing or damaged (checksum differs)")
    return manifest


def _compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    problems = []
    for table, want in sorted(expected.items()):
        got = actual.get(table)
        if got is None:
            problems.append(f"{table}: missing after restore")
        elif got != want:
            problems.append(f"{table}: {got} != {want}")
    for table in sorted(set(actual) - set(expected)):
        problems.append(f"{table}: not in the backup")
    return problems


def backup_restore(
    *, folder: Path, database_url: str, media_root: Path
) -> RestoreReport:
    """Restore `folder` into the EMPTY database at `database_url` and into
    `media_root`, then verify every table against the manifest."""
    manifest = _load_manifest(folder)
    url = urlparse(database_url)
    if manifest["engine"] == "postgresql":
        if url.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise BackupError(
                "a PostgreSQL backup restores into a postgres:// database"
            )
        db = {
            "HOST": url.hostname or "",
            "PORT": url.port or "",
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
        }
        name = url.path.lstrip("/")
        import psycopg2

        with psycopg2.connect(database_url) as check, check.cursor() as cursor:
            if _pg_tables(cursor):
                raise BackupError(
                    f"database {name} is not empty; restore needs an empty one"
                )
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [  # noqa: S607 - the PostgreSQL client found on PATH
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                name,
                *_pg_args(db),
                str(folder / PG_DUMP),
            ],
            check=True,
            env=_pg_env(db),
        )
        with psycopg2.connect(database_url) as check, check.cursor() as cursor:
            actual = pg_fingerprints(cursor)
    else:
        if url.scheme != "sqlite":
            raise BackupError("a SQLite backup restores into a sqlite:/// file")
        target = Path(url.path)
        if target.exists() and target.stat().st_size:
            raise BackupError(f"{target} exists; restore needs a new file")
        shutil.copyfile(folder / SQLITE_DUMP, target)
        with _sqlite_connect(target) as conn:
            actual = sqlite_fingerprints(conn)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_TAR) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media")]
        for member in members:
            member.name = member.name.removeprefix("media").lstrip("/") or "."
        archive.extractall(media_root, members=members, filter="data")
    mismatches = _compare(manifest["tables"], actual)
    return RestoreReport(
        tables=len(actual),
        rows=sum(t["rows"] for t in actual.values()),
        mismatches=mismatches,
    )

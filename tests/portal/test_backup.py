"""A backup restores into a fresh database with every table identical."""

import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.services import stored_document_add
from portal.backup import MANIFEST, backup_create, backup_restore, current_fingerprints
from tests.dossiers.factories import make_dossier, pdf_upload


@pytest.fixture
def data(media, citizen, officer, specialist, leader, unit_a):
    from dossiers.models import Status

    make_dossier(
        status=Status.RETURNED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        specialist=specialist,
        leader=leader,
    )
    stored_document_add(
        owner=citizen, doc_type="other", title="CCCD", file=pdf_upload()
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def empty_pg_database():
    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_on_postgresql(
    data, media, tmp_path, empty_pg_database
):
    folder = backup_create(output=tmp_path / "backups")
    before = current_fingerprints()

    report = backup_restore(
        folder=folder, database_url=empty_pg_database, media_root=tmp_path / "restored"
    )

    assert report.ok, report.mismatches
    assert report.tables == len(before)
    assert report.rows == sum(t["rows"] for t in before.values())
    assert report.rows > 0
    restored_files = sorted(
        p.relative_to(tmp_path / "restored")
        for p in (tmp_path / "restored").rglob("*")
        if p.is_file()
    )
    original_files = sorted(
        p.relative_to(media) for p in Path(media).rglob("*") if p.is_file()
    )
    assert restored_files == original_files
    assert len(original_files) >= 2


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_on_sqlite(data, media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL round trip is the test above")
    folder = backup_create(output=tmp_path / "backups")

    report = backup_restore(
        folder=folder,
        database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        media_root=tmp_path / "restored",
    )

    assert report.ok, report.mismatches
    assert report.rows > 0


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_before_anything_is_restored(data, media, tmp_path):
    folder = backup_create(output=tmp_path / "backups")
    media_tar = folder / "media.tar"
    media_tar.write_bytes(media_tar.read_bytes() + b"tampered")
    target = tmp_path / "restored.sqlite3"

    with pytest.raises(CommandError, match="damaged"):
        call_command(
            "restore",
            str(folder),
            database_url=f"sqlite:///{target}",
            media_root=tmp_path / "m",
        )
    assert not target.exists()
    assert (folder / MANIFEST).exists()

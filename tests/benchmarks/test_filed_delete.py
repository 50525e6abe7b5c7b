"""The bench deletes what its web cases filed through the API after the run
(benchmarks.run.filed_statements), so that the next run measures the same queue:
the filed dossiers with every row referring to them, nothing else."""

import pytest
from django.db import connection

from benchmarks import data, run
from dashboards.models import DossierFacts
from dossiers.models import Dossier, Event, Status
from national.models import OutboxEntry
from notifications.models import Notification
from payments.models import DossierFee
from tests.dossiers.factories import make_dossier


def _marks() -> dict[str, int]:
    with connection.cursor() as cursor:
        marks = {}
        for table in run.FILED_TABLES:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
            marks[table] = cursor.fetchone()[0]
        return marks


def _rows_of(dossiers) -> dict[str, int]:
    return {
        "events": Event.objects.filter(dossier__in=dossiers).count(),
        "facts": DossierFacts.objects.filter(dossier__in=dossiers).count(),
        "fees": DossierFee.objects.filter(dossier__in=dossiers).count(),
        "outbox": OutboxEntry.objects.filter(dossier__in=dossiers).count(),
    }


@pytest.mark.services("postgres")
@pytest.mark.django_db
def test_the_filed_dossiers_go_with_their_rows_and_nothing_else(people):
    kept_before = make_dossier(status=Status.SUBMITTED, **people)
    before = _marks()
    received = make_dossier(status=Status.RECEIVED, **people)
    filed = [make_dossier(status=Status.SUBMITTED, **people) for _ in range(3)]
    after = _marks()
    kept_after = make_dossier(status=Status.SUBMITTED, **people)
    kept = [kept_before, received, kept_after]
    notes_between = Notification.objects.filter(
        id__gt=before["notifications_notification"],
        id__lte=after["notifications_notification"],
    ).count()
    kept_rows = _rows_of(kept)
    assert all(_rows_of(filed)[name] > 0 for name in ("events", "facts", "fees"))
    assert notes_between > 0
    notes = Notification.objects.count()

    with connection.cursor() as cursor:
        cursor.execute(run.FOREIGN_KEYS_SQL)
        keys = run.foreign_keys(cursor.fetchall())
        for statement in run.filed_statements(keys, before, after):
            cursor.execute(statement)

    assert not Dossier.objects.filter(pk__in=[d.pk for d in filed]).exists()
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in kept])) == set(kept)
    assert _rows_of(filed) == dict.fromkeys(kept_rows, 0)
    assert _rows_of(kept) == kept_rows
    assert Notification.objects.count() == notes - notes_between
    assert data.buckets_check() == 0


def test_rows_referring_to_rows_go_first():
    keys = run.foreign_keys(
        [
            ("a", "b", "a_id", "id"),
            ("b", "c", "b_key", "key"),
            ("a", "a", "parent_id", "id"),
        ]
    )
    assert run.deletes("a", "id > 5", keys) == [
        "DELETE FROM c WHERE b_key IN (SELECT key FROM b WHERE "
        "a_id IN (SELECT id FROM a WHERE id > 5))",
        "DELETE FROM b WHERE a_id IN (SELECT id FROM a WHERE id > 5)",
        "DELETE FROM a WHERE id > 5",
    ]

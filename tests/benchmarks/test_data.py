"""The bench grows its databases in SQL; its recount of the dashboards' buckets
must agree with the Python path the portal uses."""

import pytest

from benchmarks import data
from dossiers.models import Status
from tests.dossiers.factories import make_dossier


@pytest.mark.services("postgres")
@pytest.mark.django_db
def test_the_sql_recount_of_the_buckets_agrees_with_the_transition_listener(people):
    for status in [
        Status.RETURNED,
        Status.PROCESSING,
        Status.REFUSED,
        Status.RECEIVED,
        Status.WITHDRAWN,
        Status.RESULT_READY,
    ]:
        make_dossier(status=status, **people)

    assert data.buckets_check() == 0


@pytest.mark.services("postgres")
@pytest.mark.django_db
def test_the_check_sees_a_bucket_the_facts_do_not_explain(people):
    from dashboards.models import UnitBucket

    make_dossier(status=Status.RETURNED, **people)
    bucket = UnitBucket.objects.filter(received__gt=0).first()
    bucket.received += 1
    bucket.save()

    assert data.buckets_check() > 0

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from portal.db import REPLICA, ReportingRouter, reporting_reads
from units.models import OrgUnit


@pytest.fixture
def replica_on(settings):
    settings.REPORTING_REPLICA = True


# Transactional: the replica is another connection, which only sees committed rows.
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_reporting_reads_go_to_the_replica_alias_and_others_to_default(
    replica_on, unit_a
):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        with reporting_reads():
            list(OrgUnit.objects.all())
        list(OrgUnit.objects.all())

    assert len(replica.captured_queries) == 1
    assert len(primary.captured_queries) == 1


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_writes_never_go_to_the_replica(replica_on, unit_a):
    with CaptureQueriesContext(connections[REPLICA]) as replica, reporting_reads():
        unit_a.name = "UBND xã An (đổi tên)"
        unit_a.save()

    assert replica.captured_queries == []
    assert OrgUnit.objects.get(pk=unit_a.pk).name == "UBND xã An (đổi tên)"


def test_migrations_run_on_the_primary_only():
    router = ReportingRouter()

    assert router.allow_migrate("default", "dossiers")
    assert not router.allow_migrate(REPLICA, "dossiers")


@pytest.mark.django_db
def test_without_a_replica_reporting_reads_stay_on_default(unit_a, settings):
    settings.REPORTING_REPLICA = False

    with CaptureQueriesContext(connections["default"]) as primary, reporting_reads():
        list(OrgUnit.objects.all())

    assert len(primary.captured_queries) == 1


def _join_collapse_limit() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return str(cursor.fetchone()[0])


@pytest.mark.services("postgres")
@pytest.mark.django_db
def test_the_wide_reads_plan_their_joins_as_written_and_only_they():
    from portal.db import joins_as_written

    default = _join_collapse_limit()
    with joins_as_written():
        inside = _join_collapse_limit()

    assert (inside, _join_collapse_limit()) == ("1", default)
    # A read that fails inside the block leaves the default behind it too.
    with pytest.raises(ZeroDivisionError), joins_as_written():
        1 / 0  # noqa: B018
    assert _join_collapse_limit() == default


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_failed_transaction_takes_the_setting_back_with_it():
    from django.db import DatabaseError, transaction

    from portal.db import joins_as_written

    default = _join_collapse_limit()
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        joins_as_written(),
        connections["default"].cursor() as cursor,
    ):
        cursor.execute("SELECT * FROM no_such_table")
    assert _join_collapse_limit() == default

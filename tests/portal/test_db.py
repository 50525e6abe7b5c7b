from typing import Any

import pytest
from django.db import connections
from django.db.models import Q
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
@pytest.mark.django_db
def test_a_prepared_wide_read_is_planned_by_its_own_plan(settings):
    """`unless_prepared`: nothing when the block's read is prepared on the server,
    the setting when reads are sent whole (behind a pooler)."""
    from portal.db import joins_as_written, joins_as_written_statements

    default = _join_collapse_limit()
    settings.PREPARED_READS = True
    with joins_as_written(unless_prepared=True):
        assert _join_collapse_limit() == default
    assert joins_as_written_statements(unless_prepared=True) == 0
    settings.PREPARED_READS = False
    with joins_as_written(unless_prepared=True):
        assert _join_collapse_limit() == "1"
    assert joins_as_written_statements(unless_prepared=True) == 2
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


# --- PreparedRead ---------------------------------------------------------------


def _units_named_like() -> Any:
    from portal.db import PreparedRead

    return PreparedRead(
        lambda name, parent: (
            OrgUnit.objects.filter(name=name)
            .exclude(pk=parent)
            .values_list("pk", "name", "valid_from", "admin_unit__name")
            .order_by("pk")
        ),
        name=str,
        parent=int,
    )


@pytest.mark.django_db
def test_a_prepared_read_gives_what_the_orm_gives_for_each_call(unit_a, unit_b):
    read = _units_named_like()

    for unit in (unit_a, unit_b):
        # Values of each call, never those of the first; the ORM's converters
        # applied (a date, not SQLite's text).
        assert read.rows(name=unit.name, parent=0) == list(
            OrgUnit.objects.filter(name=unit.name)
            .values_list("pk", "name", "valid_from", "admin_unit__name")
            .order_by("pk")
        )
    assert read.rows(name=unit_a.name, parent=unit_a.pk) == []
    assert read.rows(name="%", parent=0) == []


@pytest.mark.django_db
def test_a_prepared_read_is_compiled_once_and_runs_one_query(unit_a):
    from portal.db import PreparedRead

    built = []

    def build(name):
        built.append(name)
        return OrgUnit.objects.filter(name=name).values_list("pk")

    read = PreparedRead(build, name=str)
    read.rows(name="x")
    with CaptureQueriesContext(connections["default"]) as queries:
        assert read.rows(name=unit_a.name) == [(unit_a.pk,)]

    assert len(built) == 1
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db
def test_a_prepared_read_of_objects_builds_them_as_the_orm_does(unit_a, unit_b):
    from django.core.exceptions import ImproperlyConfigured

    from portal.db import PreparedRead

    read = PreparedRead(
        lambda pk: (
            OrgUnit.objects.select_related("admin_unit", "parent")
            .defer("note", "admin_unit__note")
            .filter(pk=pk)
        ),
        pk=int,
    )
    for unit in (unit_a, unit_b):
        [got] = read.objects(pk=unit.pk)
        expected = (
            OrgUnit.objects.select_related("admin_unit", "parent")
            .defer("note", "admin_unit__note")
            .get(pk=unit.pk)
        )
        with CaptureQueriesContext(connections["default"]) as queries:
            # Its related objects came with it; a missing one is None.
            assert got.admin_unit == expected.admin_unit
            assert got.admin_unit.name == expected.admin_unit.name
            assert got.parent == expected.parent
            assert got.valid_from == expected.valid_from
        assert queries.captured_queries == []
        # Deferred as the ORM defers them: read on first use.
        assert got.get_deferred_fields() == expected.get_deferred_fields()
        assert got.admin_unit.get_deferred_fields() == {"note"}
        assert got._state.adding is False
        assert got._state.db == "default"
    assert read.objects(pk=0) == []
    # One object, or None.
    assert read.first(pk=unit_a.pk) == unit_a
    assert read.first(pk=0) is None

    # A values_list read gives rows, not objects.
    rows = PreparedRead(
        lambda pk: OrgUnit.objects.filter(pk=pk).values_list("pk"), pk=int
    )
    with pytest.raises(ImproperlyConfigured):
        rows.objects(pk=unit_a.pk)


@pytest.mark.django_db
def test_a_lookup_that_rewrites_its_value_cannot_be_prepared():
    from django.core.exceptions import ImproperlyConfigured

    from portal.db import PreparedRead

    # icontains wraps the value in % and escapes it for LIKE: run with the
    # prepared SQL, a visitor's "%" would match anything.
    read = PreparedRead(
        lambda name: OrgUnit.objects.filter(name__icontains=name).values_list("pk"),
        name=str,
    )
    with pytest.raises(ImproperlyConfigured):
        read.rows(name="An")


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_read_is_prepared_once_per_database_session(unit_a, settings):
    connection = connections["default"]
    read = _units_named_like()
    expected = [(unit_a.pk, unit_a.name, unit_a.valid_from, unit_a.admin_unit.name)]

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    with CaptureQueriesContext(connection) as queries:
        assert read.rows(name=unit_a.name, parent=0) == expected
        assert read.rows(name=unit_a.name, parent=0) == expected
    assert [q["sql"].split("(")[0] for q in queries.captured_queries] == [
        f"EXECUTE {read._name}"
    ] * 2
    assert prepared().count(read._name) == 1

    # A new session (a reconnect) has none: the read prepares it there again.
    connection.close()
    assert read.rows(name=unit_a.name, parent=0) == expected
    assert prepared().count(read._name) == 1

    # Behind a pooler that shares sessions, the SQL is sent whole.
    settings.PREPARED_READS = False
    with CaptureQueriesContext(connection) as queries:
        assert read.rows(name=unit_a.name, parent=0) == expected
    assert queries.captured_queries[0]["sql"].startswith("SELECT")


@pytest.mark.django_db
def test_a_prepared_read_takes_dates(unit_a, unit_b):
    """A date's placeholder reaches the SQL as a date (PostgreSQL) or as ISO text
    (SQLite); each call sends its own day, in the same form."""
    import datetime

    from portal.db import PreparedRead

    read = PreparedRead(
        lambda day, name: OrgUnit.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), name=name
        ).values_list("pk"),
        day=datetime.date,
        name=str,
    )
    unit_b.valid_from = datetime.date(2025, 7, 1)
    unit_b.save()
    for day in (datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)):
        for unit in (unit_a, unit_b):
            assert read.rows(day=day, name=unit.name) == list(
                OrgUnit.objects.filter(
                    Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                    name=unit.name,
                ).values_list("pk")
            )
    assert read.rows(day=datetime.date(2025, 6, 30), name=unit_b.name) == []
    with pytest.raises(TypeError):
        PreparedRead(lambda moment: OrgUnit.objects.none(), moment=datetime.datetime)

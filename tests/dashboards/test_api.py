"""The statistics API: fields, filters, scoping and a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from dashboards.metrics import SUMMARY_FIELDS
from dashboards.models import UnitBucket
from dossiers.models import Status
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import make_dossier

pytestmark = pytest.mark.django_db

ENDPOINTS = ["summary", "by-unit", "by-procedure", "by-month"]


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def in_b(citizen, unit_b):
    """A returned dossier received by commune B."""
    officer_b = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_b)
    specialist_b = UserFactory(roles=[Role.SPECIALIST], org_unit=unit_b)
    leader_b = UserFactory(roles=[Role.LEADER], org_unit=unit_b)
    return make_dossier(
        status=Status.RETURNED,
        applicant=citizen,
        unit=unit_b,
        officer=officer_b,
        specialist=specialist_b,
        leader=leader_b,
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_citizen_gets_403(citizen, endpoint):
    assert api(citizen).get(f"/api/v1/stats/{endpoint}/").status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_officer_without_a_statistics_role_gets_403(officer, endpoint):
    assert api(officer).get(f"/api/v1/stats/{endpoint}/").status_code == 403


def test_anonymous_callers_get_401():
    assert api().get("/api/v1/stats/summary/").status_code == 401


def test_summary_has_exactly_the_contract_fields(district_staff, people):
    make_dossier(status=Status.RETURNED, **people)

    body = api(district_staff).get("/api/v1/stats/summary/").json()

    assert list(body) == list(SUMMARY_FIELDS)
    assert body["received_total"] == 1
    assert body["completed_total"] == 1


def test_district_staff_see_every_commune_of_their_district(
    district_staff, people, in_b, tree
):
    make_dossier(status=Status.RETURNED, **people)

    body = api(district_staff).get("/api/v1/stats/summary/", {"unit": "999"}).json()
    rows = api(district_staff).get("/api/v1/stats/by-unit/").json()

    assert body["received_total"] == 2
    by_code = {r["unit"]: r for r in rows}
    assert by_code["99991"]["received_total"] == 1
    assert by_code["99992"]["received_total"] == 1
    assert set(rows[0]) == {"unit", "unit_name", *SUMMARY_FIELDS}


def test_a_unit_leader_sees_only_their_unit(leader, people, in_b):
    make_dossier(status=Status.RETURNED, **people)
    client = api(leader)

    own = client.get("/api/v1/stats/summary/").json()
    narrowed = client.get("/api/v1/stats/summary/", {"unit": "999"}).json()
    rows = client.get("/api/v1/stats/by-unit/").json()

    assert own["received_total"] == 1
    assert narrowed["received_total"] == 1  # the district, narrowed to their unit
    assert [r["unit"] for r in rows] == [leader.org_unit.agency_code]
    other = client.get("/api/v1/stats/summary/", {"unit": "99992"})
    assert other.status_code == 403
    other_agency = client.get(
        "/api/v1/stats/summary/", {"unit": in_b.receiving_unit.agency_code}
    )
    assert other_agency.status_code == 403


def test_staff_of_another_district_get_403_for_this_one(people, db):
    from tests.units.factories import AdminUnitFactory, OrgUnitFactory

    elsewhere = OrgUnitFactory(admin_unit=AdminUnitFactory(code="888", kind="huyện"))
    staff = UserFactory(roles=[Role.DISTRICT_STAFF], org_unit=elsewhere)

    assert api(staff).get("/api/v1/stats/summary/", {"unit": "999"}).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2024-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "to"),
        ({"channel": "fax"}, "channel"),
        ({"unit": "77777"}, "unit"),
        ({"procedure": "9.999999"}, "procedure"),
    ],
)
def test_bad_filters_get_400_naming_the_parameter(district_staff, params, field):
    response = api(district_staff).get("/api/v1/stats/summary/", params)

    assert response.status_code == 400
    assert field in response.json()


def test_filters_by_procedure_and_channel(district_staff, people):
    from tests.procedures.factories import ProcedureFactory

    other = ProcedureFactory()
    first = make_dossier(status=Status.RETURNED, **people)
    make_dossier(status=Status.RETURNED, procedure=other, **people)
    client = api(district_staff)

    by_procedure = client.get(
        "/api/v1/stats/summary/", {"procedure": first.procedure.code}
    ).json()
    by_channel = client.get("/api/v1/stats/summary/", {"channel": "post"}).json()

    assert by_procedure["received_total"] == 1
    assert by_channel["received_total"] == 0


def test_by_procedure_and_by_month_list_the_same_fields(district_staff, people):
    make_dossier(status=Status.RETURNED, **people)
    client = api(district_staff)

    procedures = client.get("/api/v1/stats/by-procedure/").json()
    months = client.get("/api/v1/stats/by-month/").json()

    assert set(procedures[0]) == {"procedure", "procedure_name", *SUMMARY_FIELDS}
    assert procedures[0]["eid_rate"] is None
    assert set(months[0]) == {"month", *SUMMARY_FIELDS}
    assert sum(m["received_total"] for m in months) == 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_query_count_does_not_grow_with_the_dossiers(
    endpoint, district_staff, people, django_assert_num_queries
):
    client = api(district_staff)
    url = f"/api/v1/stats/{endpoint}/"
    make_dossier(status=Status.RETURNED, **people)
    client.get(url)  # warm the permission cache of the user object
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for status in [Status.RETURNED, Status.PROCESSING, Status.REFUSED] * 3:
        make_dossier(status=status, **people)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(few.captured_queries) <= 6


def test_the_schema_documents_the_statistics_endpoints(client):
    schema = client.get(reverse("api-schema")).content.decode()
    for endpoint in ENDPOINTS:
        assert f"/api/v1/stats/{endpoint}/" in schema
    assert "online_payment_rate" in schema


def _plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


@pytest.mark.services("postgres")
def test_the_summary_reads_each_piece_of_the_period_as_one_index_range(
    district_staff, people
):
    """The area's units and each piece of the period (years, months, days) are
    one condition of the unit index: the summary reads the rows of the period,
    not every day row of each unit (docs/benchmarks.md, 5M dossiers)."""
    make_dossier(status=Status.RETURNED, **people)
    # Eight years of (empty) day rows before this one, as a unit gathers them.
    first = datetime.date(datetime.date.today().year - 8, 1, 1)
    UnitBucket.objects.bulk_create(
        UnitBucket(
            grain="D",
            start=first + datetime.timedelta(days=n),
            receiving_unit=people["unit"],
            channel="post",
        )
        for n in range(8 * 365)
    )
    client = api(district_staff)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dashboards_unitbucket")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/stats/summary/").status_code == 200
    [sql] = [q["sql"] for q in queries if "dashboards_unitbucket" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        [[plan]] = cursor.fetchall()
    conditions = [
        node.get("Index Cond", "")
        for node in _plan_nodes(plan[0]["Plan"])
        if node.get("Index Name") == "unitbucket_unit"
    ]
    ranged = [c for c in conditions if "receiving_unit_id = ANY" in c and "grain" in c]
    # This year's months and days, and the years before it for the stocks.
    assert len(ranged) >= 2, conditions


def test_the_units_table_lists_every_unit_of_the_area_zeros_included(vu_ban_small):
    """2026, nothing received: the district's own offices, a commune merged
    away at the end of 2024 whose agency still works, and the communes valid
    in the period each have their row of zeros."""
    staff = UserFactory(
        roles=[Role.DISTRICT_STAFF], org_unit=vu_ban_small["000.00.59.H00"]
    )

    rows = (
        api(staff)
        .get("/api/v1/stats/by-unit/", {"from": "2026-01-01", "to": "2026-03-31"})
        .json()
    )

    assert [r["unit"] for r in rows] == ["359", "13741", "13744", "13780"]
    assert {r["received_total"] for r in rows} == {0}
    assert {r["online_rate"] for r in rows} == {None}

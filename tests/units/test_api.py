"""GET /api/v1/org-units/?on=&kind=&province= (issue 17: a contract)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.units.test_selectors import eras  # noqa: F401 - fixture

ORG_UNITS = reverse("units-api:org-unit-list")


def codes(response) -> list[str]:
    return sorted(unit["name"] for unit in response.json()["results"])


@pytest.mark.django_db
def test_org_units_are_those_in_force_on_the_day_asked(client, eras):  # noqa: F811
    before = client.get(ORG_UNITS, {"on": "2025-06-30"})
    after = client.get(ORG_UNITS, {"on": "2025-07-01"})

    assert before.status_code == after.status_code == 200
    assert codes(before) == ["UBND xã Cũ"]
    assert codes(after) == ["Trung tâm xã Mới", "Văn phòng xã Mới"]


@pytest.mark.django_db
def test_org_units_by_kind_and_province(client, eras):  # noqa: F811
    centres = client.get(
        ORG_UNITS, {"on": "2025-07-01", "kind": "commune_centre", "province": "97"}
    )
    elsewhere = client.get(
        ORG_UNITS, {"on": "2025-06-30", "kind": "commune_committee", "province": "96"}
    )

    [centre] = centres.json()["results"]
    assert centre["kind"] == "commune_centre"
    assert centre["receives_dossiers"] is True
    assert centre["valid_from"] == "2025-07-01"
    assert centre["valid_to"] is None
    assert centre["area"]["code"] == "99991"
    [committee] = elsewhere.json()["results"]
    assert sorted(committee["successors"]) == sorted(
        [eras["centre"].agency_code, eras["office"].agency_code]
    )
    assert committee["valid_to"] == "2025-06-30"


@pytest.mark.django_db
def test_without_a_day_the_org_units_are_todays(client, eras):  # noqa: F811
    moment = timezone.make_aware(datetime.datetime(2025, 6, 30, 9, 0))
    with time_machine.travel(moment, tick=False):
        then = client.get(ORG_UNITS)
    now = client.get(ORG_UNITS)

    assert codes(then) == ["UBND xã Cũ"]
    assert codes(now) == ["Trung tâm xã Mới", "Văn phòng xã Mới"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"on": "30/06/2025"}, "on", "Ngày không hợp lệ"),
        ({"on": "2025-02-30"}, "on", "Ngày không hợp lệ"),
        ({"kind": "centre"}, "kind", "Loại đơn vị “centre” không có"),
        ({"province": "36", "on": "2025-07-01"}, "province", "Không có tỉnh"),
        ({"province": "ab"}, "province", "Mã tỉnh chỉ gồm chữ số"),
    ],
)
def test_a_bad_query_gets_a_400_in_vietnamese(client, eras, params, field, words):  # noqa: F811
    response = client.get(ORG_UNITS, params, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert words in response.json()[field][0]


@pytest.mark.django_db
def test_the_kinds_of_the_contract_are_accepted(client, eras):  # noqa: F811
    for kind in ("province_centre", "commune_centre", "reception_point"):
        assert client.get(ORG_UNITS, {"kind": kind}).status_code == 200


@pytest.mark.django_db
def test_the_answer_matches_the_openapi_schema(eras):  # noqa: F811
    from tests.openapi import api_call

    response = api_call(None, "GET", "/api/v1/org-units/", query={"on": "2025-06-30"})

    assert response.status_code == 200
    assert response.json()["results"][0]["parent"] is None


@pytest.mark.django_db
def test_the_schema_documents_the_org_units_and_their_kinds(client):
    schema = client.get(reverse("api-schema")).content.decode()

    assert "/api/v1/org-units/" in schema
    for kind in ("province_centre", "commune_centre", "reception_point"):
        assert kind in schema

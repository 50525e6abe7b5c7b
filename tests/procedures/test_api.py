import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from procedures.models import Procedure
from procedures.services import procedure_set_search_columns
from tests.units.factories import AdminUnitFactory

from .factories import (
    DocumentFactory,
    FieldFactory,
    LifeEventFactory,
    LinkedStepFactory,
    ProcedureFactory,
)

LIST = reverse("procedures-api:procedure-list")


def detail(code):
    return reverse("procedures-api:procedure-detail", args=[code])


@pytest.mark.django_db
def test_anyone_may_list_procedures_in_the_documented_shape(client):
    ProcedureFactory(
        code="1.001193",
        name="Đăng ký khai sinh",
        name_en="Birth registration",
        processing_days=None,
        same_day=True,
        fee_online_vnd=0,
        essential=True,
        essential_seq=9,
    )

    response = client.get(LIST, {"q": "dang ky khai sinh"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    item = body["results"][0]
    assert {
        "code",
        "name",
        "name_en",
        "field",
        "agency_level",
        "processing_days",
        "fee_vnd",
        "online_level",
        "kind",
        "essential",
    } <= set(item)
    assert item["code"] == "1.001193"
    assert item["processing_days"] is None
    assert item["same_day"] is True
    assert item["fee_vnd"] == 0
    assert item["essential"] is True


@pytest.mark.django_db
def test_list_filters_by_field_event_level_kind_and_essential(client):
    birth = LifeEventFactory(code="sinh-con")
    field = FieldFactory(code="ho-tich")
    match = ProcedureFactory(
        field=field,
        life_events=[birth],
        agency_level="commune",
        linked=True,
        essential=True,
        essential_seq=15,
    )
    ProcedureFactory(field=field, life_events=[birth], agency_level="commune")
    ProcedureFactory(agency_level="province", linked=True)

    response = client.get(
        LIST,
        {
            "field": "ho-tich",
            "life_event": "sinh-con",
            "agency_level": "commune",
            "kind": "linked",
            "essential": "true",
        },
    )

    assert [r["key"] for r in response.json()["results"]] == [match.key]
    assert client.get(LIST, {"essential": "false"}).json()["count"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"agency_level": "village"},
            "agency_level",
            "“village” không phải cấp thực hiện",
        ),
        ({"kind": "chain"}, "kind", "“chain” không phải loại"),
        ({"essential": "maybe"}, "essential", "“maybe” không hợp lệ"),
        ({"q": "x" * 201}, "q", None),
    ],
)
def test_bad_filters_get_a_400_naming_the_parameter(client, params, field, message):
    response = client.get(LIST, params)

    assert response.status_code == 400
    errors = response.json()[field]
    if message:
        assert errors[0].startswith(message)


@pytest.mark.django_db
def test_bad_filters_are_explained_in_english_too(client):
    response = client.get(LIST, {"kind": "chain"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["kind"] == ["“chain” is not a kind; use single or linked."]


@pytest.mark.django_db
def test_list_at_1000_procedures_takes_a_constant_number_of_queries(
    client, django_assert_num_queries
):
    field = FieldFactory()
    procedures = []
    for n in range(1000):
        procedure = Procedure(
            key=f"thu-tuc-{n}",
            code=f"9.{n:06d}",
            name=f"Thủ tục số {n}",
            name_en=f"Procedure {n}",
            field=field,
            agency_type="other",
            verified="yes",
            source="test",
        )
        procedure_set_search_columns(procedure)
        procedures.append(procedure)
    Procedure.objects.bulk_create(procedures)

    # A count and one page, whatever the size of the catalogue or the query.
    with django_assert_num_queries(2):
        response = client.get(LIST, {"page": 3})
    with django_assert_num_queries(2):
        searched = client.get(LIST, {"q": "thu tuc so"})

    assert response.json()["count"] == 1000
    assert len(response.json()["results"]) == 20
    assert searched.json()["count"] == 1000


@pytest.mark.django_db
def test_detail_adds_documents_legal_basis_form_and_source(client):
    procedure = ProcedureFactory(code="1.001193", legal_basis="Luật Hộ tịch 2014")
    DocumentFactory(procedure=procedure, key="giay-chung-sinh", name="Giấy chứng sinh")

    response = client.get(detail("1.001193"))

    assert response.status_code == 200
    body = response.json()
    assert body["legal_basis"] == "Luật Hộ tịch 2014"
    assert body["documents"][0]["key"] == "giay-chung-sinh"
    assert body["documents"][0]["ecopy_from_store"] is None
    assert body["form"] == {
        "fields": [
            {
                "name": "full_name",
                "label": "Họ và tên",
                "type": "text",
                "required": True,
                "section": "nguoi-nop",
            }
        ]
    }
    assert body["steps"] == []
    # The reference file and row a fact comes from stay in the admin.
    assert "source" not in body
    assert "verified_note" not in body


@pytest.mark.django_db
def test_detail_of_a_linked_group_lists_its_steps_in_order(client):
    group = ProcedureFactory(code="3.000722", linked=True)
    LinkedStepFactory(
        group=group,
        order=2,
        procedure=ProcedureFactory(code="1.004222"),
        agency_type="commune_police",
        processing_days=2,
    )
    LinkedStepFactory(
        group=group,
        order=1,
        procedure=ProcedureFactory(code="1.001193"),
        same_day=True,
        processing_days=None,
    )

    steps = client.get(detail("3.000722")).json()["steps"]

    assert [(s["order"], s["procedure"], s["agency"]) for s in steps] == [
        (1, "1.001193", "commune_committee"),
        (2, "1.004222", "commune_police"),
    ]
    assert steps[0]["same_day"] is True
    assert steps[1]["processing_days"] == 2


@pytest.mark.django_db
def test_detail_takes_the_key_while_the_code_is_being_updated(client):
    ProcedureFactory(code="", key="tro-cap-mai-tang")

    response = client.get(detail("tro-cap-mai-tang"))

    assert response.json()["code"] == ""
    assert response.json()["key"] == "tro-cap-mai-tang"


@pytest.mark.django_db
def test_listed_only_entries_have_no_form(client):
    ProcedureFactory(code="", key="nop-phat", list_only=True)

    body = client.get(detail("nop-phat")).json()

    assert body["form"] is None
    assert body["submittable"] is False
    assert body["where_done"]


@pytest.mark.django_db
def test_unknown_code_is_404(client):
    assert client.get(detail("1.999999")).status_code == 404
    assert client.get(detail("khong-co")).status_code == 404


@pytest.mark.django_db
def test_detail_takes_a_constant_number_of_queries(client, django_assert_num_queries):
    group = ProcedureFactory(linked=True)
    for order in range(1, 6):
        step = LinkedStepFactory(group=group, order=order)
        DocumentFactory(procedure=group)
        DocumentFactory(procedure=step.procedure)

    # The procedure, then its life events, documents, steps and group memberships.
    with django_assert_num_queries(5):
        client.get(detail(group.code))


# --- Units ---------------------------------------------------------------------------


UNITS = reverse("procedures-api:unit-list")


@pytest.mark.django_db
def test_units_list_the_top_of_the_tree_or_a_parents_children(client, tree):
    top = client.get(UNITS).json()
    children = client.get(UNITS, {"parent": "999"}).json()

    assert [u["code"] for u in top["results"]] == ["96"]
    assert [(u["code"], u["parent"]) for u in children["results"]] == [
        ("99991", "999"),
        ("99992", "999"),
    ]


@pytest.mark.django_db
def test_units_are_those_valid_on_the_day_asked(client, tree):
    AdminUnitFactory(
        code="99993",
        name="Xã Cũ",
        parent=tree["district"],
        valid_from=datetime.date(2000, 1, 1),
        valid_to=datetime.date(2024, 12, 31),
    )

    then = client.get(UNITS, {"parent": "999", "valid_on": "2024-06-01"}).json()
    now = client.get(UNITS, {"parent": "999"}).json()

    assert "99993" in [u["code"] for u in then["results"]]
    assert "99993" not in [u["code"] for u in now["results"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"valid_on": "05/09/2024"}, "valid_on"),
        ({"parent": "12345"}, "parent"),
        ({"parent": "abc"}, "parent"),
    ],
)
def test_bad_unit_queries_get_a_400(client, tree, params, field):
    response = client.get(UNITS, params)

    assert response.status_code == 400
    assert field in response.json()


# --- The schema -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_generated_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(out),
        stderr=StringIO(),
    )

    text = out.read_text()
    assert "/api/v1/procedures/{code}/" in text
    assert "/api/v1/units/" in text


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served(client):
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


@pytest.mark.django_db
def test_the_schema_says_a_top_level_unit_has_no_parent():
    # Found by the API fuzzing: a province's `parent` is null, the schema said
    # a string.
    from tests.openapi import api_call

    AdminUnitFactory(code="96", name="Tỉnh Thử", kind="tỉnh")

    response = api_call(None, "GET", "/api/v1/units/")

    assert response.json()["results"][0]["parent"] is None

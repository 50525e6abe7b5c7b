"""Where a procedure can be filed: the provinces' lists of procedures received
regardless of administrative boundary (imported from CSV, in the admin, by a
command) and GET /api/v1/procedures/{code}/places/?on=&province= (issue 17,
point 3: a contract other systems rely on)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from procedures.models import AnywhereInProvince
from procedures.services import CatalogueError, anywhere_in_province_import
from tests.accounts.factories import UserFactory, login_with_otp
from tests.procedures.factories import ProcedureFactory
from tests.units.factories import AdminUnitFactory, OrgUnitFactory
from units.models import AgencyType, OrgUnitKind

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)
HEADER = "province,procedure,valid_from,valid_to,source,verified,note\n"


@pytest.fixture
def places(db):
    """Province 96 from the reform, with two communes, their centres, a reception
    point and an office, and a province's centre; province 95 with a centre."""
    province = AdminUnitFactory(
        code="96", name="Tỉnh Thử", kind="tỉnh", valid_from=REFORM
    )
    other = AdminUnitFactory(
        code="95", name="Tỉnh Khác", kind="tỉnh", valid_from=REFORM
    )
    an = AdminUnitFactory(
        code="99971", name="Xã An", parent=province, valid_from=REFORM
    )
    binh = AdminUnitFactory(
        code="99972", name="Xã Bình", parent=province, valid_from=REFORM
    )
    far = AdminUnitFactory(code="99979", name="Xã Xa", parent=other, valid_from=REFORM)

    def unit(name, kind, area, agency_type=AgencyType.COMMUNE_COMMITTEE):
        return OrgUnitFactory(
            name=name,
            kind=kind,
            agency_type=agency_type,
            admin_unit=area,
            valid_from=REFORM,
        )

    procedure = ProcedureFactory(code="1.001193")
    return {
        "province": province,
        "procedure": procedure,
        "province_centre": unit(
            "Trung tâm tỉnh",
            OrgUnitKind.PROVINCE_CENTRE,
            province,
            AgencyType.PROVINCE_COMMITTEE,
        ),
        "an": unit("Trung tâm xã An", OrgUnitKind.COMMUNE_CENTRE, an),
        "post": unit("Bưu điện xã An", OrgUnitKind.RECEPTION_POINT, an),
        "office": unit("Văn phòng xã An", OrgUnitKind.COMMUNE_OFFICE, an),
        "binh": unit("Trung tâm xã Bình", OrgUnitKind.COMMUNE_CENTRE, binh),
        "far": unit("Trung tâm xã Xa", OrgUnitKind.COMMUNE_CENTRE, far),
    }


def listed(places, **kwargs):
    return AnywhereInProvince.objects.create(
        province=places["province"],
        procedure=places["procedure"],
        valid_from=REFORM,
        **kwargs,
    )


def url(code="1.001193"):
    return reverse("procedures-api:procedure-places", args=[code])


def answer(client, **query):
    response = client.get(url(), query)
    assert response.status_code == 200, response.content
    return {p["name"]: p["anywhere_in_province"] for p in response.json()["results"]}


# --- The API ----------------------------------------------------------------------


def test_a_listed_procedure_can_be_filed_at_every_centre_of_its_province(
    client, places
):
    listed(places)

    assert answer(client, on="2026-03-09") == {
        "Trung tâm tỉnh": True,
        "Trung tâm xã An": True,
        "Bưu điện xã An": True,
        "Trung tâm xã Bình": True,
        "Trung tâm xã Xa": False,  # another province: its own area only
    }


def test_a_procedure_off_the_list_is_filed_at_the_units_of_its_agency_type(
    client, places
):
    assert answer(client, on="2026-03-09") == {
        "Trung tâm xã An": False,
        "Bưu điện xã An": False,
        "Trung tâm xã Bình": False,
        "Trung tâm xã Xa": False,
    }


def test_the_province_keeps_the_places_located_in_it(client, places):
    listed(places)

    assert answer(client, on="2026-03-09", province="95") == {"Trung tâm xã Xa": False}


def test_the_list_is_dated(client, places):
    listed(places, valid_to=datetime.date(2025, 12, 31))

    assert answer(client, on="2025-12-31")["Trung tâm xã Bình"] is True
    assert answer(client, on="2026-01-01")["Trung tâm xã Bình"] is False
    # Before the reform none of these units was in force.
    assert answer(client, on="2025-06-30") == {}


def test_without_a_day_the_places_are_todays(client, places):
    listed(places)

    assert answer(client)["Trung tâm xã Bình"] is True


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"on": "30/06/2025"}, "on", "Ngày không hợp lệ"),
        ({"province": "abc"}, "province", "Mã tỉnh chỉ gồm chữ số"),
        ({"province": "42", "on": "2026-03-09"}, "province", "Không có tỉnh mã"),
    ],
)
def test_a_bad_query_gets_a_400_in_vietnamese(client, places, query, field, words):
    response = client.get(url(), query)

    assert response.status_code == 400
    assert words in response.json()[field][0]


def test_an_unknown_procedure_is_a_404(client, places):
    assert client.get(url("9.999999")).status_code == 404


def test_the_answer_matches_the_openapi_schema(places):
    from tests.openapi import api_call

    listed(places)
    response = api_call(
        None,
        "GET",
        "/api/v1/procedures/{code}/places/",
        path_parameters={"code": "1.001193"},
        query={"on": "2026-03-09"},
    )

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert set(first) >= {"code", "name", "kind", "area", "anywhere_in_province"}


# --- Importing a list ---------------------------------------------------------------


def test_a_csv_list_is_imported_and_imported_again_without_change(places):
    text = HEADER + "96,1.001193,2025-07-01,,QĐ số 1/QĐ-UBND,có,ghi chú\n"

    assert anywhere_in_province_import(text=text) == 1
    assert anywhere_in_province_import(text=text) == 1

    row = AnywhereInProvince.objects.get()
    assert row.province == places["province"]
    assert row.verified is True
    assert row.source == "QĐ số 1/QĐ-UBND"


def test_a_csv_with_errors_saves_nothing_and_names_each_line(places):
    text = (
        HEADER
        + "96,1.001193,2025-07-01,,,,\n"
        + "96,9.999999,2025-07-01,,,,\n"
        + "42,1.001193,2025-07-01,,,,\n"
        + "96,1.001193,01/07/2025,,,,\n"
    )

    with pytest.raises(CatalogueError) as error:
        anywhere_in_province_import(text=text)

    assert not AnywhereInProvince.objects.exists()
    assert [m.split(":")[0] for m in error.value.messages] == [
        "Dòng 3",
        "Dòng 4",
        "Dòng 5",
    ]


def test_a_csv_without_its_columns_is_refused(places):
    with pytest.raises(CatalogueError, match="thiếu cột"):
        anywhere_in_province_import(text="tinh,thu_tuc\n96,1.001193\n")


def test_the_command_loads_a_file(places, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(HEADER + "96,1.001193,2025-07-01,,,,\n", encoding="utf-8")

    call_command("import_anywhere_list", str(path))

    assert AnywhereInProvince.objects.count() == 1


def test_the_demo_list_of_ninh_binh_is_marked_unverified(db):
    AdminUnitFactory(code="37", name="Tỉnh Ninh Bình", kind="tỉnh", valid_from=REFORM)
    ProcedureFactory(code="1.001193")
    ProcedureFactory(code="1.000656")

    call_command("import_anywhere_list", "--demo")

    rows = AnywhereInProvince.objects.all()
    assert rows.count() == 2
    assert not any(row.verified for row in rows)
    assert all("demo" in row.source and "chưa xác minh" in row.source for row in rows)


@pytest.fixture
def administrator(district_unit):
    return UserFactory(
        roles=[Role.ADMINISTRATOR], org_unit=district_unit, is_staff=True
    )


def test_an_administrator_imports_a_list_in_the_admin(client, administrator, places):
    login_with_otp(client, administrator)
    upload = SimpleUploadedFile(
        "danh-muc.csv",
        (HEADER + "96,1.001193,2025-07-01,,,,\n").encode(),
        content_type="text/csv",
    )

    response = client.post(
        reverse("admin:procedures_anywhereinprovince_import"), {"file": upload}
    )

    assert response.status_code == 302
    assert AnywhereInProvince.objects.count() == 1


def test_the_admin_import_shows_the_errors_and_saves_nothing(
    client, administrator, places
):
    login_with_otp(client, administrator)
    upload = SimpleUploadedFile(
        "danh-muc.csv", (HEADER + "96,9.999999,2025-07-01,,,,\n").encode()
    )

    response = client.post(
        reverse("admin:procedures_anywhereinprovince_import"), {"file": upload}
    )

    assert response.status_code == 200
    assert "không có thủ tục mã" in response.content.decode()
    assert not AnywhereInProvince.objects.exists()

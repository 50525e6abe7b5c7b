"""An officer looks up a citizen of their area; the look is logged."""

import pytest
from django.urls import reverse

from accounts.models import DataAccessLog
from accounts.services import profile_update

LOOKUP = reverse("accounts:citizen-lookup")


@pytest.fixture
def resident(citizen, tree):
    profile_update(
        user=citizen,
        permanent_address="Xóm 1, xã An",
        current_address="",
        commune=tree["commune_a"],
        phone=citizen.phone,
        email="",
    )
    return citizen


def test_officer_looks_up_a_resident_and_the_view_is_logged(
    client, resident, officer, login_staff
):
    login_staff(client, officer)

    found = client.get(
        LOOKUP, {"personal_id": resident.username, "context": "Tiếp nhận hồ sơ"}
    )
    page = client.get(found.headers["Location"])

    assert page.status_code == 200
    assert "Xóm 1, xã An" in page.text
    row = DataAccessLog.objects.get()
    assert (row.staff, row.staff_unit, row.citizen) == (
        officer,
        officer.org_unit,
        resident,
    )
    assert row.context == "Tiếp nhận hồ sơ"


def test_officer_of_another_commune_gets_404(
    client, resident, officer_other_commune, login_staff
):
    login_staff(client, officer_other_commune)
    url = reverse("accounts:citizen-detail", args=[resident.pk])

    assert client.get(url, {"context": "tò mò"}).status_code == 404
    assert (
        client.get(
            LOOKUP, {"personal_id": resident.username, "context": "x"}
        ).status_code
        == 404
    )
    assert not DataAccessLog.objects.exists()


def test_no_reason_no_data(client, resident, officer, login_staff):
    login_staff(client, officer)

    page = client.get(reverse("accounts:citizen-detail", args=[resident.pk]))

    assert page.status_code == 200
    assert "Xóm 1, xã An" not in page.text
    assert not DataAccessLog.objects.exists()


def test_citizens_cannot_look_up_anyone(client, resident, other_citizen):
    client.force_login(other_citizen)
    url = reverse("accounts:citizen-detail", args=[resident.pk])

    assert client.get(url, {"context": "x"}).status_code == 403


def test_the_citizen_sees_the_officers_view(client, resident, officer, login_staff):
    login_staff(client, officer)
    url = reverse("accounts:citizen-detail", args=[resident.pk])
    client.get(url, {"context": "Giải quyết hồ sơ kết hôn"})
    client.logout()

    client.force_login(resident)
    page = client.get(reverse("accounts:account-home")).text

    assert "Giải quyết hồ sơ kết hôn" in page
    assert officer.full_name in page


def test_access_log_is_read_only_in_the_admin(
    client, resident, officer, admin_user, login_staff
):
    row = DataAccessLog.objects.create(
        staff=officer, citizen=resident, obj_label="Hồ sơ", context="x"
    )
    login_staff(client, admin_user)
    base = "/admin/accounts/dataaccesslog/"

    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{row.pk}/change/", {"context": "sửa"}).status_code == 403
    assert client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.context == "x"

"""Administrators keep each unit's contacts up to date in the admin; what a unit
is (its name, kind, code, area) stays with the superuser."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import UserFactory, login_with_otp
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "address": "Bộ phận Một cửa, trụ sở UBND xã An",
    "phone": "0228 3812 345",
    "opening_hours": "Thứ Hai – thứ Sáu: 7:30 – 11:30",
    "opening_hours_en": "Monday – Friday: 7:30 – 11:30",
    "latitude": "20.367500",
    "longitude": "106.100000",
    "contact_verified": "on",
}


@pytest.fixture
def administrator(district_unit):
    """An administrator by role, not a superuser."""
    return UserFactory(
        roles=[Role.ADMINISTRATOR], org_unit=district_unit, is_staff=True
    )


def change_url(org_unit):
    return reverse("admin:units_orgunit_change", args=[org_unit.pk])


def test_an_administrator_edits_a_units_contacts(client, administrator, unit_a):
    login_with_otp(client, administrator)

    response = client.post(change_url(unit_a), CONTACT | {"note": ""})

    assert response.status_code == 302, response.context["adminform"].form.errors
    unit_a.refresh_from_db()
    assert unit_a.address == CONTACT["address"]
    assert unit_a.phone == "0228 3812 345"
    assert str(unit_a.latitude) == "20.367500"
    assert unit_a.contact_verified is True
    # and citizens see it where they look for a unit receiving their procedure
    ProcedureFactory(agency_type=unit_a.agency_type)
    page = client.get(reverse("portal:help")).text
    assert 'href="tel:02283812345"' in page


def test_an_administrator_cannot_change_what_the_unit_is(client, administrator, unit_a):
    login_with_otp(client, administrator)
    code, name = unit_a.agency_code, unit_a.name

    response = client.post(
        change_url(unit_a),
        CONTACT | {"agency_code": "999.99.99.H99", "name": "Khác", "is_active": ""},
    )

    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert (unit_a.agency_code, unit_a.name, unit_a.is_active) == (code, name, True)
    assert unit_a.phone == "0228 3812 345"


def test_a_malformed_phone_number_is_refused_in_the_admin(
    client, administrator, unit_a
):
    login_with_otp(client, administrator)

    response = client.post(change_url(unit_a), CONTACT | {"phone": "gọi xã"})

    assert response.status_code == 200
    assert "ví dụ 0228 3812 345" in response.text
    unit_a.refresh_from_db()
    assert unit_a.phone == ""


def test_half_a_map_point_is_refused_in_the_admin(client, administrator, unit_a):
    login_with_otp(client, administrator)

    response = client.post(change_url(unit_a), CONTACT | {"longitude": ""})

    assert response.status_code == 200
    assert "Nhập cả vĩ độ và kinh độ" in response.text


def test_an_administrator_cannot_add_or_delete_units(client, administrator, unit_a):
    login_with_otp(client, administrator)

    assert client.get(reverse("admin:units_orgunit_add")).status_code == 403
    delete = reverse("admin:units_orgunit_delete", args=[unit_a.pk])
    assert client.get(delete).status_code == 403


@pytest.mark.parametrize("persona", ["officer", "district_staff"])
def test_staff_without_the_administrator_role_cannot_edit_contacts(
    client, request, persona, unit_a
):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    login_with_otp(client, user)

    assert client.get(change_url(unit_a)).status_code in (302, 403)


def test_an_administrator_cannot_change_when_a_unit_is_in_force(
    client, administrator, unit_a
):
    login_with_otp(client, administrator)

    response = client.post(
        change_url(unit_a),
        CONTACT | {"valid_to": "2025-06-30", "kind": "commune_centre"},
    )

    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert (unit_a.valid_to, unit_a.kind) == (None, "commune_committee")

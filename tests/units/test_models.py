from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from units.models import OrgUnit

from .factories import OrgUnitFactory


def unit(**contact) -> OrgUnit:
    return OrgUnit(name="UBND xã Kim Thái", **contact)


def test_a_phone_number_becomes_a_tel_link_of_its_digits():
    assert unit(phone="0228 3812.345").phone_href == "tel:02283812345"
    assert unit(phone="+84 228 3812 345").phone_href == "tel:+842283812345"
    assert unit(phone="").phone_href == ""


def test_the_map_link_uses_the_point_when_there_is_one():
    with_point = unit(
        address="Xóm 3", latitude=Decimal("20.367500"), longitude=Decimal("106.1")
    )

    assert with_point.map_url == (
        "https://www.google.com/maps/search/?api=1&query=20.367500,106.1"
    )


def test_the_map_link_searches_the_name_and_address_without_a_point():
    link = unit(address="Xóm 3, xã Kim Thái").map_url

    assert link.startswith("https://www.google.com/maps/search/?api=1&query=")
    assert "UBND%20x%C3%A3%20Kim%20Th%C3%A1i,%20X%C3%B3m%203" in link


def test_no_map_link_without_address_or_point():
    assert unit().map_url == ""
    assert not unit().has_contact
    assert unit(opening_hours="Sáng thứ Hai").has_contact


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["gọi 0228", "0228 <b>", "12"])
def test_a_malformed_phone_number_is_refused_with_an_example(phone):
    org_unit = OrgUnitFactory(phone="")
    org_unit.phone = phone

    with pytest.raises(ValidationError) as error:
        org_unit.full_clean()

    assert "ví dụ 0228 3812 345" in str(error.value.message_dict["phone"])


@pytest.mark.django_db
def test_the_database_refuses_a_malformed_phone_number():
    org_unit = OrgUnitFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=org_unit.pk).update(phone="gọi ngay")


@pytest.mark.django_db
def test_the_database_refuses_half_a_map_point():
    org_unit = OrgUnitFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=org_unit.pk).update(latitude=Decimal("20.3"))


@pytest.mark.django_db
def test_half_a_map_point_is_refused_with_a_message():
    org_unit = OrgUnitFactory()
    org_unit.latitude = Decimal("20.3")

    with pytest.raises(ValidationError) as error:
        org_unit.full_clean()

    assert "Nhập cả vĩ độ và kinh độ" in str(error.value)


# --- Agency codes of today (issue 17, point 6) ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    [
        "H57.132",
        "H15.50.05.13",
        "000.00.19.H47",  # QCVN 102:2016's shape is still valid
        "H15.50.05.13.000.00.19.H47.ABCD.123",  # 35 characters
    ],
)
def test_agency_codes_of_todays_format_are_valid_and_stored(code):
    org_unit = OrgUnitFactory(agency_code=code)

    org_unit.full_clean()
    org_unit.refresh_from_db()

    assert len(code) <= 35
    assert org_unit.agency_code == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    [
        "h57.132",  # lower case
        "13741",  # an administrative unit's code, not an agency's
        "H57..132",
        "H57.132.",
        "H57 132",
        "H15.50.05.13.000.00.19.H47.ABCD.1234",  # 36 characters
    ],
)
def test_a_malformed_agency_code_is_refused_with_examples(code):
    org_unit = OrgUnitFactory()
    org_unit.agency_code = code

    with pytest.raises(ValidationError) as error:
        org_unit.full_clean()

    assert "agency_code" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_malformed_agency_code():
    org_unit = OrgUnitFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=org_unit.pk).update(agency_code="H57..132")


# --- Dated units ------------------------------------------------------------------


def test_a_unit_is_in_force_between_its_dates_both_included():
    import datetime

    dated = OrgUnit(
        valid_from=datetime.date(2025, 7, 1), valid_to=datetime.date(2026, 6, 30)
    )
    open_ended = OrgUnit()

    assert not dated.in_force_on(datetime.date(2025, 6, 30))
    assert dated.in_force_on(datetime.date(2025, 7, 1))
    assert dated.in_force_on(datetime.date(2026, 6, 30))
    assert not dated.in_force_on(datetime.date(2026, 7, 1))
    assert open_ended.in_force_on(datetime.date(1990, 1, 1))


@pytest.mark.django_db
def test_the_database_refuses_a_unit_that_ends_before_it_starts():
    import datetime

    org_unit = OrgUnitFactory(valid_from=datetime.date(2025, 7, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=org_unit.pk).update(
            valid_to=datetime.date(2025, 6, 30)
        )


def test_offices_behind_a_centre_take_no_dossier_from_citizens():
    from units.models import OrgUnitKind

    receiving = {kind for kind in OrgUnitKind if OrgUnit(kind=kind).receives_dossiers}

    assert receiving >= {
        OrgUnitKind.PROVINCE_CENTRE,
        OrgUnitKind.COMMUNE_CENTRE,
        OrgUnitKind.RECEPTION_POINT,
        OrgUnitKind.COMMUNE_POLICE,
        OrgUnitKind.SOCIAL_INSURANCE,
        OrgUnitKind.COMMUNE_COMMITTEE,  # before the reform
    }
    assert not receiving & {
        OrgUnitKind.COMMUNE_OFFICE,
        OrgUnitKind.COMMUNE_CULTURE_SOCIAL,
        OrgUnitKind.COMMUNE_ECONOMY,
    }

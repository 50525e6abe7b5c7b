"""Place, competence and area kept apart, and filing regardless of
administrative boundary within the province (issue 17, points 2 and 3).

The world: a province with three communes of today (An, Bình, Cường), each with
its centre and its office (Văn phòng HĐND và UBND), a commune of before the
reform that An succeeded, with its committee; a procedure on the province's
list and one off it. The citizen lives in An.
"""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from accounts.roles import Role
from accounts.selectors import citizens_for_staff
from accounts.services import profile_update
from dossiers import services
from dossiers.calendar import WorkingCalendar
from dossiers.models import Dossier
from dossiers.selectors import (
    PLACE_ANYWHERE,
    PLACE_COMPETENT,
    PLACE_RECEIVED,
    dossier_get_for_user,
    dossier_queue_filter,
    dossiers_queue,
    dossiers_visible_to,
    filing_places_for,
)
from procedures.models import AnywhereInProvince
from tests.accounts.factories import UserFactory
from tests.procedures.factories import ProcedureFactory
from tests.units.factories import AdminUnitFactory, OrgUnitFactory
from units.models import AgencyType, OrgUnitKind

from .factories import at, make_dossier

LAST_DAY = datetime.date(2025, 6, 30)
REFORM = datetime.date(2025, 7, 1)


@pytest.fixture
def world(db):
    province = AdminUnitFactory(code="96", name="Tỉnh Thử", kind="tỉnh")
    other_province = AdminUnitFactory(code="95", name="Tỉnh Khác", kind="tỉnh")
    old = AdminUnitFactory(
        code="99970", name="Thị trấn Cũ", parent=province, valid_to=LAST_DAY
    )
    communes = {
        name: AdminUnitFactory(
            code=code, name=f"Xã {name}", parent=province, valid_from=REFORM
        )
        for name, code in (("An", "99971"), ("Bình", "99972"), ("Cường", "99973"))
    }
    old.successors.set([communes["An"]])
    far = AdminUnitFactory(code="99979", name="Xã Xa", parent=other_province)
    committee = OrgUnitFactory(
        name="UBND thị trấn Cũ", admin_unit=old, valid_to=LAST_DAY
    )
    centres, offices = {}, {}
    for name, commune in communes.items():
        centres[name] = OrgUnitFactory(
            name=f"Trung tâm PVHCC xã {name}",
            kind=OrgUnitKind.COMMUNE_CENTRE,
            admin_unit=commune,
            valid_from=REFORM,
        )
        offices[name] = OrgUnitFactory(
            name=f"Văn phòng HĐND và UBND xã {name}",
            kind=OrgUnitKind.COMMUNE_OFFICE,
            admin_unit=commune,
            valid_from=REFORM,
        )
    far_centre = OrgUnitFactory(
        name="Trung tâm PVHCC xã Xa",
        kind=OrgUnitKind.COMMUNE_CENTRE,
        admin_unit=far,
        valid_from=REFORM,
    )
    listed = ProcedureFactory(name="Đăng ký khai sinh (thử)")
    unlisted = ProcedureFactory(name="Đăng ký kết hôn (thử)")
    AnywhereInProvince.objects.create(
        province=province, procedure=listed, valid_from=REFORM, source="demo"
    )
    return {
        "province": province,
        "old": old,
        "communes": communes,
        "committee": committee,
        "centres": centres,
        "offices": offices,
        "far_centre": far_centre,
        "listed": listed,
        "unlisted": unlisted,
    }


def lives_in(user, commune):
    profile_update(
        user=user,
        permanent_address="Xóm 1",
        current_address="",
        commune=commune,
        phone=user.phone,
        email="dan@example.com",
    )


@pytest.fixture
def resident(citizen, world):
    """The citizen lives in xã An."""
    lives_in(citizen, world["communes"]["An"])
    return citizen


def staff(role, unit):
    return UserFactory(roles=[role], org_unit=unit)


# --- Point 3: filing anywhere in the province ---------------------------------------


def test_a_listed_procedure_is_filed_at_another_communes_centre_and_routed_home(
    resident, world
):
    dossier = make_dossier(
        applicant=resident, unit=world["centres"]["Bình"], procedure=world["listed"]
    )

    assert dossier.receiving_unit == world["centres"]["Bình"]
    assert dossier.competent_unit == world["offices"]["An"]
    assert dossier.admin_unit == world["communes"]["An"]
    assert dossier.anywhere_in_province is True


def test_the_competent_agency_sees_it_and_a_third_commune_does_not(resident, world):
    dossier = make_dossier(
        applicant=resident, unit=world["centres"]["Bình"], procedure=world["listed"]
    )
    competent = staff(Role.SPECIALIST, world["offices"]["An"])
    receiving = staff(Role.RECEIVING_OFFICER, world["centres"]["Bình"])
    third = staff(Role.RECEIVING_OFFICER, world["centres"]["Cường"])
    third_office = staff(Role.SPECIALIST, world["offices"]["Cường"])

    assert dossier_get_for_user(user=competent, code=dossier.code) == dossier
    assert dossier_get_for_user(user=receiving, code=dossier.code) == dossier
    assert dossier in dossiers_queue(user=competent)
    for outsider in (third, third_office):
        assert not dossiers_visible_to(user=outsider).filter(pk=dossier.pk).exists()
        assert not dossiers_queue(user=outsider).filter(pk=dossier.pk).exists()


def test_a_procedure_off_the_list_is_refused_at_another_communes_centre(
    resident, world
):
    with pytest.raises(services.UnitNotReceiving, match="không thuộc danh mục"):
        make_dossier(
            applicant=resident,
            unit=world["centres"]["Bình"],
            procedure=world["unlisted"],
        )
    assert not Dossier.objects.exists()


def test_a_procedure_off_the_list_is_filed_at_home_and_decided_by_the_office(
    resident, world
):
    dossier = make_dossier(
        applicant=resident, unit=world["centres"]["An"], procedure=world["unlisted"]
    )

    assert dossier.competent_unit == world["offices"]["An"]
    assert dossier.admin_unit == world["communes"]["An"]
    assert dossier.anywhere_in_province is False


def test_a_listed_procedure_filed_at_home_is_not_counted_as_anywhere(resident, world):
    dossier = make_dossier(
        applicant=resident, unit=world["centres"]["An"], procedure=world["listed"]
    )

    assert dossier.anywhere_in_province is False


def test_the_list_does_not_open_another_provinces_centre(resident, world):
    with pytest.raises(services.UnitNotReceiving):
        make_dossier(
            applicant=resident, unit=world["far_centre"], procedure=world["listed"]
        )


def test_a_list_that_ended_no_longer_opens_other_centres(resident, world):
    AnywhereInProvince.objects.update(valid_to=datetime.date(2025, 12, 31))

    with pytest.raises(services.UnitNotReceiving, match="không thuộc danh mục"):
        make_dossier(
            applicant=resident,
            unit=world["centres"]["Bình"],
            procedure=world["listed"],
        )


def test_a_citizen_of_a_commune_of_before_the_reform_files_as_one_of_its_successor(
    citizen, world
):
    lives_in(citizen, world["old"])  # the commune on papers of before the reform

    dossier = make_dossier(
        applicant=citizen, unit=world["centres"]["Cường"], procedure=world["listed"]
    )

    assert dossier.competent_unit == world["offices"]["An"]
    assert dossier.anywhere_in_province is True


def test_without_a_recorded_commune_the_rule_of_before_holds(citizen, world):
    dossier = make_dossier(
        applicant=citizen, unit=world["centres"]["Bình"], procedure=world["unlisted"]
    )

    # Nothing to route by: the receiving unit's commune decides, as before.
    assert dossier.competent_unit == world["offices"]["Bình"]
    assert dossier.admin_unit == world["communes"]["Bình"]
    assert dossier.anywhere_in_province is False


def test_the_counter_takes_a_listed_procedure_from_another_commune(resident, world):
    officer = staff(Role.RECEIVING_OFFICER, world["centres"]["Bình"])

    dossier = services.dossier_file_for_citizen(
        helper=officer,
        citizen=resident,
        procedure=world["listed"],
        data={"full_name": resident.full_name},
    )

    assert dossier.receiving_unit == world["centres"]["Bình"]
    assert dossier.competent_unit == world["offices"]["An"]
    assert dossier.anywhere_in_province is True


def test_the_counter_refuses_a_procedure_off_the_list_from_another_commune(
    resident, world
):
    officer = staff(Role.RECEIVING_OFFICER, world["centres"]["Bình"])

    with pytest.raises(services.UnitNotReceiving, match="không thuộc danh mục"):
        services.dossier_file_for_citizen(
            helper=officer,
            citizen=resident,
            procedure=world["unlisted"],
            data={"full_name": resident.full_name},
        )


def test_the_places_offered_to_the_citizen(resident, world):
    listed = {
        place.unit: place.anywhere_in_province
        for place in filing_places_for(procedure=world["listed"], applicant=resident)
    }
    unlisted = [
        place.unit
        for place in filing_places_for(procedure=world["unlisted"], applicant=resident)
    ]

    assert listed == {
        world["centres"]["An"]: True,
        world["centres"]["Bình"]: True,
        world["centres"]["Cường"]: True,
    }
    assert unlisted == [world["centres"]["An"]]


def test_filing_place_ok_says_the_same_as_the_check(resident, world):
    bình = world["centres"]["Bình"]

    assert services.filing_place_ok(
        unit=bình, procedure=world["listed"], applicant=resident
    )
    assert not services.filing_place_ok(
        unit=bình, procedure=world["unlisted"], applicant=resident
    )
    assert not services.filing_place_ok(
        unit=None, procedure=world["listed"], applicant=resident
    )


def test_filing_place_check_tells_a_listed_filing(resident, world):
    today = datetime.date.today()

    assert services.filing_place_check(
        unit=world["centres"]["Bình"],
        procedure=world["listed"],
        applicant=resident,
        day=today,
    )
    assert not services.filing_place_check(
        unit=world["centres"]["An"],
        procedure=world["listed"],
        applicant=resident,
        day=today,
    )


# --- Point 2: the competent agency -------------------------------------------------


def test_the_route_finds_the_commune_police_for_a_police_procedure(resident, world):
    police = OrgUnitFactory(
        agency_type=AgencyType.COMMUNE_POLICE,
        admin_unit=world["communes"]["An"],
        valid_from=REFORM,
    )
    procedure = ProcedureFactory(agency_type=AgencyType.COMMUNE_POLICE)

    route = services.dossier_route(
        unit=police,
        procedure=procedure,
        applicant=resident,
        day=datetime.date(2026, 3, 9),
        anywhere_in_province=False,
    )

    assert route.competent_unit == police
    assert route.admin_unit == world["communes"]["An"]


def test_a_dossier_received_before_the_reform_keeps_its_units(citizen, world):
    lives_in(citizen, world["old"])

    dossier = make_dossier(
        applicant=citizen,
        unit=world["committee"],
        procedure=world["unlisted"],
        now=at("2025-06-30 10:00"),
    )

    assert dossier.receiving_unit == world["committee"]
    assert dossier.competent_unit == world["committee"]
    assert dossier.admin_unit == world["old"]


def test_the_queue_filters_by_place_received_and_competent(resident, world):
    away = make_dossier(
        applicant=resident, unit=world["centres"]["Bình"], procedure=world["listed"]
    )
    other = UserFactory(roles=[Role.CITIZEN])
    lives_in(other, world["communes"]["Bình"])
    home = make_dossier(
        applicant=other, unit=world["centres"]["Bình"], procedure=world["unlisted"]
    )
    receiving = staff(Role.RECEIVING_OFFICER, world["centres"]["Bình"])
    office = staff(Role.SPECIALIST, world["offices"]["Bình"])
    calendar = WorkingCalendar()
    today = datetime.date.today()

    def codes(user, place):
        return set(
            dossier_queue_filter(
                dossiers_queue(user=user),
                user=user,
                calendar=calendar,
                today=today,
                place=place,
            ).values_list("code", flat=True)
        )

    assert codes(receiving, PLACE_RECEIVED) == {away.code, home.code}
    assert codes(receiving, PLACE_ANYWHERE) == {away.code}
    assert codes(office, PLACE_COMPETENT) == {home.code}
    assert codes(office, "") == {home.code}


def test_the_migration_fills_the_competent_unit_from_the_units_of_the_dossier(
    resident, world
):
    dossier = make_dossier(
        applicant=resident, unit=world["centres"]["An"], procedure=world["unlisted"]
    )
    forwarded = make_dossier(
        applicant=resident, unit=world["centres"]["An"], procedure=world["unlisted"]
    )
    Dossier.objects.update(competent_unit=None)
    Dossier.objects.filter(pk=forwarded.pk).update(
        processing_unit=world["offices"]["Bình"]
    )
    fill = importlib.import_module("dossiers.migrations.0012_fill_competent_unit").fill

    fill(django_apps, None)

    dossier.refresh_from_db()
    forwarded.refresh_from_db()
    assert dossier.competent_unit == world["centres"]["An"]
    assert forwarded.competent_unit == world["offices"]["Bình"]


# --- Looking a citizen up across the reform -----------------------------------------


def test_todays_centre_finds_a_citizen_recorded_in_a_commune_of_before(citizen, world):
    lives_in(citizen, world["old"])
    centre_officer = staff(Role.RECEIVING_OFFICER, world["centres"]["An"])
    other_centre = staff(Role.RECEIVING_OFFICER, world["centres"]["Bình"])

    assert citizen in citizens_for_staff(staff=centre_officer)
    assert citizen not in citizens_for_staff(staff=other_centre)


# --- The API: tracked by receiving place and competent agency -----------------------


def test_the_api_gives_the_competent_unit_and_finds_the_dossier_by_it(resident, world):
    from rest_framework.test import APIClient

    dossier = make_dossier(
        applicant=resident, unit=world["centres"]["Bình"], procedure=world["listed"]
    )
    client = APIClient()
    client.force_authenticate(staff(Role.SPECIALIST, world["offices"]["An"]))

    response = client.get(
        "/api/v1/dossiers/", {"unit": world["offices"]["An"].agency_code}
    )

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["code"] == dossier.code
    assert row["receiving_unit"] == world["centres"]["Bình"].agency_code
    assert row["competent_unit"] == world["offices"]["An"].agency_code
    assert row["anywhere_in_province"] is True


def test_the_forward_form_proposes_the_competent_agency(resident, world):
    from dossiers.calendar import WorkingCalendar as Calendar
    from dossiers.forms.officer.actions import ForwardForm
    from dossiers.selectors import forward_units, officers_of_active_units

    dossier = make_dossier(
        applicant=resident, unit=world["centres"]["Bình"], procedure=world["listed"]
    )
    officer = staff(Role.RECEIVING_OFFICER, world["centres"]["Bình"])

    form = ForwardForm(
        dossier=dossier,
        user=officer,
        calendar=Calendar(),
        units=forward_units(),
        assignees=officers_of_active_units(),
    )

    assert form.fields["to_unit"].initial == world["offices"]["An"].pk

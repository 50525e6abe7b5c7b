"""The units offered for a filing are those in force on the filing day (issue 17):
a commune's committee until 2025-06-30, the commune centre that succeeded it
from 2025-07-01. Tests of before the reform say so with their date."""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.services import profile_update
from dossiers import services
from dossiers.models import Draft
from dossiers.selectors import receiving_units_for
from tests.accounts.factories import UserFactory
from tests.procedures.factories import ProcedureFactory
from tests.units.factories import AdminUnitFactory, OrgUnitFactory
from units.models import OrgUnitKind

from .factories import at, make_dossier

LAST_DAY = datetime.date(2025, 6, 30)
REFORM = datetime.date(2025, 7, 1)


@pytest.fixture
def eras(db):
    """Commune A's committee until the reform; then the centre of the commune
    that took commune A over, its office and a post office."""
    old_commune = AdminUnitFactory(code="99981", name="Xã Cũ", valid_to=LAST_DAY)
    new_commune = AdminUnitFactory(code="99981", name="Xã Mới", valid_from=REFORM)
    old_commune.successors.set([new_commune])
    committee = OrgUnitFactory(
        name="UBND xã Cũ", admin_unit=old_commune, valid_to=LAST_DAY
    )
    centre = OrgUnitFactory(
        name="Trung tâm Phục vụ hành chính công xã Mới",
        kind=OrgUnitKind.COMMUNE_CENTRE,
        admin_unit=new_commune,
        valid_from=REFORM,
    )
    post = OrgUnitFactory(
        name="Bưu điện xã Mới",
        kind=OrgUnitKind.RECEPTION_POINT,
        admin_unit=new_commune,
        valid_from=REFORM,
    )
    office = OrgUnitFactory(
        name="Văn phòng HĐND và UBND xã Mới",
        kind=OrgUnitKind.COMMUNE_OFFICE,
        admin_unit=new_commune,
        valid_from=REFORM,
    )
    committee.successors.set([centre, office])
    return {
        "old_commune": old_commune,
        "committee": committee,
        "centre": centre,
        "post": post,
        "office": office,
    }


@pytest.fixture
def procedure(db):
    return ProcedureFactory()


def test_the_units_offered_are_those_in_force_on_the_filing_day(eras, procedure):
    before = receiving_units_for(procedure=procedure, day=LAST_DAY)
    after = receiving_units_for(procedure=procedure, day=REFORM)
    today = receiving_units_for(procedure=procedure)

    assert list(before) == [eras["committee"]]
    # The office behind the centre takes no dossier from citizens.
    assert set(after) == {eras["centre"], eras["post"]}
    assert set(today) == set(after)


def test_the_start_page_offers_todays_units_and_the_successor_of_home(
    client, citizen, eras, procedure
):
    profile_update(
        user=citizen,
        permanent_address="Xóm 1, xã Cũ",
        current_address="",
        commune=eras["old_commune"],  # the address on papers of before the reform
        phone=citizen.phone,
        email="cong@example.com",
    )
    client.force_login(citizen)

    html = client.get(
        reverse("dossiers:dossier-create", args=[procedure.url_code])
    ).content.decode()

    assert f'<option value="{eras["centre"].pk}" selected>' in html
    assert f'<option value="{eras["post"].pk}">' in html
    assert f'value="{eras["committee"].pk}"' not in html
    assert f'value="{eras["office"].pk}"' not in html


def test_a_unit_that_ended_is_refused_at_the_start(client, citizen, eras, procedure):
    client.force_login(citizen)

    response = client.post(
        reverse("dossiers:dossier-create", args=[procedure.url_code]),
        {"receiving_unit": eras["committee"].pk},
    )

    assert response.status_code == 200
    assert "receiving_unit" in response.context["form"].errors
    assert not Draft.objects.exists()


def test_filing_today_at_a_unit_that_ended_is_refused(citizen, eras, procedure):
    with pytest.raises(services.UnitNotReceiving):
        make_dossier(applicant=citizen, unit=eras["committee"], procedure=procedure)


def test_filing_at_the_counter_of_a_unit_that_ended_is_refused(
    citizen, eras, procedure
):
    officer = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=eras["committee"])

    with pytest.raises(services.DossierError, match="không còn hoạt động"):
        services.dossier_submit(
            applicant=citizen,
            procedure=procedure,
            receiving_unit=eras["committee"],
            data={"full_name": citizen.full_name},
            assisted_by=officer,
        )


def test_a_dossier_received_before_the_reform_keeps_its_unit(citizen, eras, procedure):
    dossier = make_dossier(
        applicant=citizen,
        unit=eras["committee"],
        procedure=procedure,
        now=at("2025-06-30 10:00"),
    )

    assert dossier.receiving_unit == eras["committee"]
    assert dossier.code.startswith(eras["committee"].agency_code)


def test_a_centre_does_not_receive_before_the_reform(citizen, eras, procedure):
    with pytest.raises(services.UnitNotReceiving):
        make_dossier(
            applicant=citizen,
            unit=eras["centre"],
            procedure=procedure,
            now=at("2025-06-30 10:00"),
        )

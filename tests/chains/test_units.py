"""Which agency does a step: the nearest active unit of the step's agency type in
the area, above it, or in the units the area succeeded after a merger."""

import pytest

from chains.services import resolve_unit
from tests.units.factories import AdminUnitFactory, OrgUnitFactory
from units.models import AgencyType

pytestmark = pytest.mark.django_db


def test_a_commune_agency_is_found_in_the_commune(tree):
    police_a = OrgUnitFactory(
        agency_type=AgencyType.COMMUNE_POLICE, admin_unit=tree["commune_a"]
    )
    OrgUnitFactory(agency_type=AgencyType.COMMUNE_POLICE, admin_unit=tree["commune_b"])

    found = resolve_unit(agency_type=AgencyType.COMMUNE_POLICE, area=tree["commune_a"])

    assert found == police_a


def test_a_district_agency_is_found_above_the_commune(tree):
    insurance = OrgUnitFactory(
        agency_type=AgencyType.SOCIAL_INSURANCE, admin_unit=tree["district"]
    )

    found = resolve_unit(
        agency_type=AgencyType.SOCIAL_INSURANCE, area=tree["commune_b"]
    )

    assert found == insurance


def test_the_nearest_wins_and_inactive_units_do_not_count(tree):
    OrgUnitFactory(agency_type=AgencyType.SOCIAL_INSURANCE, admin_unit=tree["province"])
    near = OrgUnitFactory(
        agency_type=AgencyType.SOCIAL_INSURANCE,
        admin_unit=tree["district"],
        is_active=False,
    )

    found = resolve_unit(
        agency_type=AgencyType.SOCIAL_INSURANCE, area=tree["commune_a"]
    )

    assert found is not None
    assert found != near
    assert found.admin_unit == tree["province"]


def test_no_agency_of_that_type_is_none(tree):
    assert (
        resolve_unit(agency_type=AgencyType.LABOUR_SOCIAL, area=tree["commune_a"])
        is None
    )


def test_after_a_merger_the_agency_of_a_predecessor_is_found(tree):
    police_a = OrgUnitFactory(
        agency_type=AgencyType.COMMUNE_POLICE, admin_unit=tree["commune_a"]
    )
    new_province = AdminUnitFactory(code="37", name="Tỉnh mới", kind="tỉnh")
    merged = AdminUnitFactory(code="88001", name="Xã mới", parent=new_province)
    merged.predecessors.add(tree["commune_a"], tree["commune_b"])

    found = resolve_unit(agency_type=AgencyType.COMMUNE_POLICE, area=merged)

    assert found == police_a
